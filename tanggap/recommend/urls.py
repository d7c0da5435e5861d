"""The managers' recommendations page (issue 7)."""

from django.urls import path

from tanggap.recommend import views

app_name = "recommend"
urlpatterns: list = [
    path("recommendations/", views.console, name="console"),
    path("recommendations/rules/", views.rule_create, name="rule_create"),
    path("recommendations/rules/<int:rule_id>/", views.rule_update, name="rule_update"),
    path("recommendations/rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("recommendations/products/", views.product_profile, name="product_profile"),
    path("recommendations/customers/", views.customer_profile, name="customer_profile"),
    path("recommendations/train/", views.train, name="train"),
]
