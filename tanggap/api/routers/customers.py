from django.http import HttpRequest
from ninja import Router

from tanggap.api import presenters
from tanggap.api.routers.health import HealthOut
from tanggap.api.routers.nextbest import ActionOut
from tanggap.api.routers.recommend import RecommendationOut
from tanggap.api.schemas import CustomerOut, ErrorOut, Id, MergeIn
from tanggap.conversations.selectors import customer_tickets
from tanggap.customers import selectors, services

router = Router()


class CustomerFullOut(CustomerOut):
    health: HealthOut | None  # null until the hourly job has computed it (docs/health.md)
    recommendations: list[RecommendationOut]  # best first (docs/recommendations.md)
    next_actions: list[ActionOut]  # what to do now, best first (docs/nextbest.md)


def _customer_out(request, customer) -> dict:
    from tanggap.health.selectors import for_customer as health_of
    from tanggap.nextbest.selectors import for_customer as next_actions_of
    from tanggap.recommend.selectors import for_customer as recommendations_of

    return {
        "id": customer.pk, "name": customer.name, "language": customer.language, "tier": customer.tier,
        "country": customer.country, "region": customer.region, "created_at": customer.created_at,
        "identities": [{"kind": i.kind, "namespace": i.namespace, "value": i.value} for i in customer.identities.all()],
        "orders": [presenters.order_out(o) for o in selectors.customer_orders(customer=customer)],
        "tickets": [{"id": t.pk, "reference": t.reference, "subject": t.subject, "status": t.status,
                     "updated_at": t.updated_at}
                    for t in customer_tickets(user=request.auth, customer_id=customer.pk)],
        "health": health_of(customer),
        "recommendations": recommendations_of(customer, limit=5),
        "next_actions": [a.as_dict() for a in next_actions_of(user=request.auth, customer=customer)],
    }


@router.get("/{customer_id}", response={200: CustomerFullOut, 404: ErrorOut})
def customer_get(request: HttpRequest, customer_id: Id):
    """The whole customer: identities on every channel, orders, the tickets the caller may see,
    health and churn risk, recommended products, and the next best actions."""
    return _customer_out(request, selectors.customer_get(customer_id=customer_id))


@router.post("/{customer_id}/merge", response={200: CustomerFullOut, 400: ErrorOut, 404: ErrorOut})
def customer_merge(request: HttpRequest, customer_id: Id, payload: MergeIn):
    """Merge customer `source_id` into this one: identities, orders and tickets move here."""
    target = selectors.customer_get(customer_id=customer_id)
    source = selectors.customer_get(customer_id=payload.source_id)
    merged = services.customer_merge(source=source, target=target, actor=request.auth)
    return _customer_out(request, merged)
