"""Console and portal pages of loyalty (issue 6)."""

app_name = "loyalty"

urlpatterns: list = []
