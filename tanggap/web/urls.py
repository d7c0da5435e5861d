from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from tanggap.web.views import admin_inbound, customer, inbox, notifications, reports, ticket

app_name = "web"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="web:inbox"), name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", inbox.inbox, name="inbox"),
    path("tickets/<int:ticket_id>/", ticket.ticket_detail, name="ticket"),
    path("tickets/<int:ticket_id>/reply/", ticket.ticket_reply, name="ticket-reply"),
    path("tickets/<int:ticket_id>/note/", ticket.ticket_note, name="ticket-note"),
    path("tickets/<int:ticket_id>/properties/", ticket.ticket_properties, name="ticket-properties"),
    path("tickets/<int:ticket_id>/promise/", ticket.ticket_promise, name="ticket-promise"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("reports/promises/", reports.promise_report, name="report-promises"),
    path("tickets/<int:ticket_id>/attachments/<int:attachment_id>/", ticket.ticket_attachment,
         name="ticket-attachment"),
    path("customers/<int:customer_id>/", customer.customer_detail, name="customer"),
    path("customers/<int:customer_id>/merge/", customer.customer_merge, name="customer-merge"),
    path("customers/<int:customer_id>/proactive/", customer.customer_proactive, name="customer-proactive"),
    path("admin-inbound/", admin_inbound.inbound_list, name="inbound-rejected"),
    path("admin-inbound/<int:raw_id>/", admin_inbound.inbound_detail, name="inbound-rejected-detail"),
]
