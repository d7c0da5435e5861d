"""Every domain event name in one list, so they can be found and documented."""

TICKET_OPENED = "ticket.opened"
TICKET_UPDATED = "ticket.updated"  # status, priority, category, assignee, team, tags
MESSAGE_RECEIVED = "message.received"  # a customer's inbound message was stored
MESSAGE_QUEUED = "message.queued"  # an outbound message waits for the worker
MESSAGE_DELIVERED = "message.delivered"
MESSAGE_FAILED = "message.failed"
NOTE_ADDED = "note.added"
CUSTOMER_MERGED = "customer.merged"
INBOUND_REJECTED = "inbound.rejected"  # a raw payload could not be parsed
SLA_WARNING = "sla.warning"  # a target is about to be missed
SLA_BREACHED = "sla.breached"
PROMISE_MADE = "promise.made"
PROMISE_REDATED = "promise.redated"
PROMISE_KEPT = "promise.kept"
PROMISE_BROKEN = "promise.broken"
REMEDY_REQUESTED = "remedy.requested"  # waits for a lead's approval
REMEDY_APPLIED = "remedy.applied"
REMEDY_REJECTED = "remedy.rejected"
JOURNEY_EVENT = "journey.event"  # a journey event (touchpoint) was stored: event_id, kind, customer_id, order_id
ALERT_RAISED = "alert.raised"  # a detector flagged a rise on a stream, or a monitor posted a signal
INCIDENT_OPENED = "incident.opened"
INCIDENT_UPDATED = "incident.updated"  # status, scope, customer status text
INCIDENT_TICKET_LINKED = "incident.ticket_linked"
NOTICE_SENT = "notice.sent"
