from ninja import NinjaAPI
from ninja.parser import Parser

from tanggap.api import errors
from tanggap.api.auth import TokenAuth
from tanggap.common.errors import DomainError
from tanggap.api.routers import (
    channels, customers, events, incidents, knowledge, loyalty, messages, orders, remedies, reports, reviews, signals,
    surveys, tickets,
)
from tanggap.api.routers import calls as calls_router, health as health_router, livechat as livechat_router
from tanggap.api.routers import recommend as recommend_router, replies as replies_router
from tanggap.api.routers import nextbest as nextbest_router

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
COMMON_ERRORS = {
    "401": "No valid API token (`unauthorized`).",
    "400": "The body is not valid JSON (`malformed_json`) or cannot be read.",
    "422": "A parameter or a body field is missing or invalid (`invalid_input`).",
}


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


NUL_MESSAGE = "Text cannot contain the NUL character (\\u0000)."


class NulRefusingParser(Parser):
    """JSON bodies and query strings with a NUL character in a text are refused (422
    invalid_input) on every database: PostgreSQL cannot store one (SQLite did), and no
    customer message, name or code needs one. Raw email bodies are not parsed here."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if b"\\u0000" in request.body and _has_nul(data):
            raise DomainError("invalid_input", NUL_MESSAGE, status=422)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if _has_nul(result):
            raise DomainError("invalid_input", NUL_MESSAGE, status=422)
        return result


class TanggapAPI(NinjaAPI):
    """The schema also names the errors every operation can answer, whatever its handler
    declares: 401 where a token is required, 422 for invalid parameters or body, 400 for a
    body that is not JSON. (schemathesis checks each response against the schema.)"""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                wanted = []
                if operation.get("security"):
                    wanted.append("401")
                if operation.get("parameters") or operation.get("requestBody"):
                    wanted.append("422")
                if operation.get("requestBody"):
                    wanted.append("400")
                for status in wanted:
                    if status not in responses and int(status) not in responses:
                        responses[status] = {"description": COMMON_ERRORS[status],
                                             "content": {"application/json": {"schema": ERROR_REF}}}
        return schema


api = TanggapAPI(
    title="tanggap API",
    version="1",
    description="Customer service and customer relations. Errors are `{\"error\": {\"code\", \"message\"}}`.",
    auth=TokenAuth(),
    parser=NulRefusingParser(),
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
api.add_router("/", knowledge.router, tags=["knowledge base"])
api.add_router("/", surveys.router, tags=["surveys"])
api.add_router("/", loyalty.router, tags=["loyalty"])
api.add_router("/", reviews.router, tags=["reviews"])
api.add_router("/", livechat_router.router, tags=["live chat"])
api.add_router("/", calls_router.router, tags=["calls"])
api.add_router("/", recommend_router.router, tags=["recommendations"])
api.add_router("/", health_router.router, tags=["customer health"])
api.add_router("/", replies_router.router, tags=["reply templates"])
api.add_router("/", nextbest_router.router, tags=["next best action"])
