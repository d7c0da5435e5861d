from ninja import NinjaAPI

from tanggap.api import errors
from tanggap.api.auth import TokenAuth
from tanggap.api.routers import (
    channels, customers, events, incidents, messages, orders, remedies, reports, signals, tickets,
)

api = NinjaAPI(
    title="tanggap API",
    version="1",
    description="Customer service and customer relations. Errors are `{\"error\": {\"code\", \"message\"}}`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/messages", messages.router, tags=["messages"])
api.add_router("/channels", channels.router, tags=["channels"])
api.add_router("/tickets", tickets.router, tags=["tickets"])
api.add_router("/", remedies.router, tags=["remedies"])
api.add_router("/", reports.router, tags=["reports and notifications"])
api.add_router("/", events.router, tags=["journey events"])
api.add_router("/", signals.router, tags=["signals and alerts"])
api.add_router("/", incidents.router, tags=["incidents and playbooks"])
api.add_router("/customers", customers.router, tags=["customers"])
api.add_router("/", orders.router, tags=["products and orders"])
