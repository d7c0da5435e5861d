"""Console and portal pages of loyalty (issue 6)."""

from django.urls import path

from tanggap.loyalty import views

app_name = "loyalty"

urlpatterns: list = [
    path("loyalty/", views.console, name="console"),
    path("loyalty/draws/<int:draw_id>/run/", views.draw_run, name="draw_run"),
    path("portal/loyalty/", views.portal_home, name="portal"),
    path("portal/loyalty/rewards/<int:reward_id>/redeem/", views.portal_redeem, name="portal_redeem"),
    path("portal/loyalty/draws/<int:draw_id>/", views.draw_page, name="draw"),
    path("portal/loyalty/draws/<int:draw_id>.json", views.draw_json, name="draw_json"),
]
