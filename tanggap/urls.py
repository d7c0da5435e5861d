from django.contrib import admin
from django.urls import include, path

from tanggap.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("settings/", include("tanggap.manager.urls")),
    path("", include("tanggap.portal.urls")),
    path("", include("tanggap.remedies.urls")),
    path("", include("tanggap.incidents.urls")),
    path("", include("tanggap.proactive.urls")),
    path("", include("tanggap.knowledge.urls")),
    path("", include("tanggap.surveys.urls")),
    path("", include("tanggap.loyalty.urls")),
    path("", include("tanggap.reviews.urls")),
    path("", include("tanggap.livechat.urls")),
    path("", include("tanggap.calls.urls")),
    path("", include("tanggap.recommend.urls")),
    path("", include("tanggap.health.urls")),
    path("", include("tanggap.replies.urls")),
    path("", include("tanggap.nextbest.urls")),
    path("", include("tanggap.triage.urls")),
    path("", include("tanggap.web.urls")),
]
