from django.urls import path

from tanggap.replies import views

app_name = "replies"
urlpatterns = [
    path("replies/", views.template_list, name="list"),
    path("replies/new/", views.template_create, name="create"),
    path("replies/<int:pk>/", views.template_edit, name="edit"),
    path("replies/<int:pk>/delete/", views.template_delete, name="delete"),
]
