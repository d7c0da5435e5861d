"""The registry of automation actions. An action takes a run and returns (status, result,
ticket or None); it raises DomainError for an expected refusal (recorded on the run).

Add one with ``@action("key")``; the rule's ``params`` reach it as ``run.rule.params``."""

from __future__ import annotations

from collections.abc import Callable

from tanggap.automations.models import AutomationRun, ProductGuide, RunStatus
from tanggap.common.errors import DomainError
from tanggap.conversations.services import outreach_send
from tanggap.texts.services import language_of, render

Action = Callable[[AutomationRun], tuple[str, str, object]]
ACTIONS: dict[str, Action] = {}


def action(key: str):
    def decorator(fn: Action) -> Action:
        ACTIONS[key] = fn
        return fn

    return decorator


def _fields(run: AutomationRun) -> dict:
    order = run.event.order
    return {"customer_name": run.customer.name or "", "order": order.external_id if order else "",
            "reference": "", "subject": ""}


@action("send_product_guides")
def send_product_guides(run: AutomationRun):
    """The guides of the products in the event's order, in the customer's language (falling
    back to Indonesian), as a new conversation the customer can answer."""
    order = run.event.order
    if order is None:
        return RunStatus.SKIPPED, "the event names no order", None
    language = language_of(run.customer.language)
    product_ids = list(order.lines.values_list("product_id", flat=True))
    guides = list(ProductGuide.objects.filter(product_id__in=product_ids, language=language)) or \
        list(ProductGuide.objects.filter(product_id__in=product_ids, language="id"))
    if not guides:
        return RunStatus.SKIPPED, "no guide for the order's products", None
    lines = "\n".join(f"- {g.title}: {g.url}" for g in guides)
    text = render("product_guides", language, **_fields(run), guides=lines)
    subject = {"id": "Panduan produk", "ms": "Panduan produk", "en": "Product guides"}[language]
    ticket, _ = outreach_send(customer=run.customer, subject=f"{subject} {order.external_id}", body_text=text,
                              purpose="product_guides")
    return RunStatus.DONE, f"{len(guides)} guide(s) sent", ticket


@action("send_checkin")
def send_checkin(run: AutomationRun):
    """"Is everything working?" after delivery; the answer lands in the check-in's ticket."""
    order = run.event.order
    language = language_of(run.customer.language)
    text = render("checkin", language, **_fields(run))
    subject = {"id": "Bagaimana pesanan Anda?", "ms": "Bagaimana pesanan anda?", "en": "How is your order?"}[language]
    ticket, _ = outreach_send(customer=run.customer, subject=f"{subject} {order.external_id if order else ''}".strip(),
                              body_text=text, purpose="checkin")
    return RunStatus.DONE, "check-in sent", ticket


def get_action(key: str) -> Action:
    if key not in ACTIONS:
        raise DomainError("unknown_action", f"No automation action '{key}'. Known: {', '.join(sorted(ACTIONS))}.")
    return ACTIONS[key]
