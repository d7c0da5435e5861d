"""Console and portal pages of knowledge (issue 6)."""

app_name = "knowledge"

urlpatterns: list = []
