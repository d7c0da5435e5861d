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
