"""Console and portal pages of knowledge (issue 6)."""

from django.urls import path

from tanggap.knowledge import console_views, portal_views

app_name = "knowledge"

urlpatterns: list = [
    path("portal/help/", portal_views.help_index, name="help"),
    path("portal/help/suggest/", portal_views.suggest, name="help-suggest"),
    path("portal/help/<slug:slug>/", portal_views.help_article, name="help-article"),
    path("portal/help/<slug:slug>/answered/", portal_views.help_answered, name="help-answered"),
    path("knowledge/", console_views.article_list, name="list"),
    path("knowledge/new/", console_views.article_new, name="new"),
    path("knowledge/<int:article_id>/", console_views.article_edit, name="edit"),
    path("knowledge/<int:article_id>/submit/", console_views.article_submit, name="submit"),
    path("knowledge/<int:article_id>/publish/", console_views.article_publish, name="publish"),
    path("knowledge/<int:article_id>/unpublish/", console_views.article_unpublish, name="unpublish"),
    path("knowledge/ideas/", console_views.ideas, name="ideas"),
    path("knowledge/ideas/compute/", console_views.ideas_compute, name="ideas-compute"),
    path("knowledge/ideas/<int:run_id>/<int:index>/draft/", console_views.idea_draft, name="idea-draft"),
]
