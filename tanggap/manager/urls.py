"""Settings screens, mounted at /settings/ (team leads and admins only)."""

from django.urls import path

from tanggap.manager import views

app_name = "manager"

urlpatterns = [
    path("", views.index, name="index"),
    path("sla/", views.policy_list, name="policy-list"),
    path("sla/new/", views.policy_edit, name="policy-create"),
    path("sla/<int:pk>/", views.policy_edit, name="policy-edit"),
    path("sla/<int:pk>/delete/", views.policy_delete, name="policy-delete"),
    path("calendars/", views.calendar_list, name="calendar-list"),
    path("calendars/new/", views.calendar_edit, name="calendar-create"),
    path("calendars/holidays/", views.calendar_holidays, name="calendar-holidays"),
    path("calendars/<int:pk>/", views.calendar_edit, name="calendar-edit"),
    path("calendars/<int:pk>/delete/", views.calendar_delete, name="calendar-delete"),
    path("remedies/", views.remedy_list, name="remedy-list"),
    path("remedies/new/", views.remedy_edit, name="remedy-create"),
    path("remedies/<int:pk>/", views.remedy_edit, name="remedy-edit"),
    path("remedies/<int:pk>/delete/", views.remedy_delete, name="remedy-delete"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/<slug:key>/<str:language>/", views.template_edit, name="template-edit"),
    path("templates/<slug:key>/<str:language>/reset/", views.template_reset, name="template-reset"),
]
