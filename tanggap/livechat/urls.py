from django.urls import path

from tanggap.livechat import views

app_name = "livechat"
urlpatterns: list = [
    path("chat/widget.js", views.widget_js, name="widget-js"),
    path("chat/widget.css", views.widget_css, name="widget-css"),
    path("chat/api/<slug:slug>/session", views.session, name="session"),
    path("chat/api/<slug:slug>/messages", views.message, name="message"),
    path("chat/api/<slug:slug>/identify", views.identify, name="identify"),
    path("chat/api/<slug:slug>/continue-by-email", views.continue_by_email, name="continue-by-email"),
    path("chat/api/<slug:slug>/transcript", views.transcript, name="transcript"),
    path("chat/api/<slug:slug>/read", views.read, name="read"),
    path("chat/api/<slug:slug>/stream", views.visitor_stream, name="stream"),
    path("chat/console/", views.console, name="console"),
    path("chat/console/stream", views.console_stream, name="console-stream"),
    path("chat/console/presence", views.presence, name="presence"),
    path("chat/console/tickets/<int:ticket_id>/typing", views.typing, name="typing"),
    path("demo-shop/", views.demo_shop, name="demo-shop"),
]
