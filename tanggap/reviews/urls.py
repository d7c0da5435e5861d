"""Console pages of reviews (issue 6)."""

from django.urls import path

from tanggap.reviews import views

app_name = "reviews"

urlpatterns: list = [
    path("reviews/", views.review_list, name="list"),
]
