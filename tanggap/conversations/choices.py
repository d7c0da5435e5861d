from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Waiting on customer")
    ON_HOLD = "on_hold", _("Waiting on third party")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


class StatusGroup(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    RESOLVED = "resolved", _("Resolved")


STATUS_GROUP = {
    Status.NEW: StatusGroup.OPEN,
    Status.OPEN: StatusGroup.OPEN,
    Status.PENDING: StatusGroup.PAUSED,
    Status.ON_HOLD: StatusGroup.PAUSED,
    Status.SOLVED: StatusGroup.RESOLVED,
    Status.CLOSED: StatusGroup.RESOLVED,
}
GROUP_STATUSES = {g: [s for s, gg in STATUS_GROUP.items() if gg == g] for g in StatusGroup}


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Category(models.TextChoices):
    QUESTION = "question", _("Question")
    DEFECT = "defect", _("Defective product")
    BUG = "bug", _("Bug")
    DELIVERY = "delivery", _("Delivery")
    BILLING = "billing", _("Billing")
    REFUND_REQUEST = "refund_request", _("Refund request")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class Initiator(models.TextChoices):
    CUSTOMER = "customer", _("Customer-initiated")
    COMPANY = "company", _("Company-initiated")


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")
    NOTE = "note", _("Internal note")


class Delivery(models.TextChoices):
    NONE = "", "-"
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class TimelineKind(models.TextChoices):
    OPENED = "ticket.opened", _("Ticket opened")
    REOPENED = "ticket.reopened", _("Ticket reopened")
    MESSAGE_IN = "message.in", _("Customer message")
    MESSAGE_OUT = "message.out", _("Reply")
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status changed")
    PRIORITY = "priority", _("Priority changed")
    CATEGORY = "category", _("Category changed")
    ASSIGNEE = "assignee", _("Assignee changed")
    TEAM = "team", _("Team changed")
    TAGS = "tags", _("Tags changed")
    SUBJECT = "subject", _("Subject changed")
    DELIVERED = "delivery.sent", _("Reply delivered")
    DELIVERY_FAILED = "delivery.failed", _("Reply could not be delivered")
    CUSTOMER_MERGED = "customer.merged", _("Customer merged")
    SLA_BREACHED = "sla.breached", _("SLA target missed")
    PROMISE_MADE = "promise.made", _("Promise made")
    PROMISE_REDATED = "promise.redated", _("Promise re-dated")
    PROMISE_KEPT = "promise.kept", _("Promise kept")
    PROMISE_BROKEN = "promise.broken", _("Promise broken")
    UPDATE_SENT = "update.sent", _("Progress update sent")
    REMEDY_REQUESTED = "remedy.requested", _("Remedy waiting for approval")
    REMEDY_APPLIED = "remedy.applied", _("Remedy applied")
    REMEDY_REJECTED = "remedy.rejected", _("Remedy rejected")
    INCIDENT_LINKED = "incident.linked", _("Linked to an incident")
    NOTICE_SENT = "notice.sent", _("Proactive notice sent")
