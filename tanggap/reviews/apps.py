from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Reviews: marketplace-style reviews in, a fast lane for negative ones, replies back out (issue 6)."""

    name = "tanggap.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
