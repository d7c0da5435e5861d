from django.urls import path

from tanggap.portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/contact/", views.contact, name="contact"),
    path("portal/t/<str:access_key>/", views.ticket, name="ticket"),
    path("portal/login/", views.login, name="login"),
    path("portal/login/<str:token>/", views.login_link, name="login-link"),
    path("portal/logout/", views.logout, name="logout"),
    path("portal/tickets/", views.tickets, name="tickets"),
]
