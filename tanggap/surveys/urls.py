"""Console and portal pages of surveys (issue 6)."""

app_name = "surveys"

urlpatterns: list = []
