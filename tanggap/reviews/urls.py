"""Console and portal pages of reviews (issue 6)."""

app_name = "reviews"

urlpatterns: list = []
