from django.http import HttpRequest
from ninja import Router

from tanggap.api import presenters
from tanggap.api.schemas import CustomerOut, ErrorOut, Id, MergeIn
from tanggap.conversations.selectors import customer_tickets
from tanggap.customers import selectors, services

router = Router()


def _customer_out(request, customer) -> dict:
    return {
        "id": customer.pk, "name": customer.name, "language": customer.language, "tier": customer.tier,
        "country": customer.country, "region": customer.region, "created_at": customer.created_at,
        "identities": [{"kind": i.kind, "namespace": i.namespace, "value": i.value} for i in customer.identities.all()],
        "orders": [presenters.order_out(o) for o in selectors.customer_orders(customer=customer)],
        "tickets": [{"id": t.pk, "reference": t.reference, "subject": t.subject, "status": t.status,
                     "updated_at": t.updated_at}
                    for t in customer_tickets(user=request.auth, customer_id=customer.pk)],
    }


@router.get("/{customer_id}", response={200: CustomerOut, 404: ErrorOut})
def customer_get(request: HttpRequest, customer_id: Id):
    """The whole customer: identities on every channel, orders, and the tickets the caller may see."""
    return _customer_out(request, selectors.customer_get(customer_id=customer_id))


@router.post("/{customer_id}/merge", response={200: CustomerOut, 400: ErrorOut, 404: ErrorOut})
def customer_merge(request: HttpRequest, customer_id: Id, payload: MergeIn):
    """Merge customer `source_id` into this one: identities, orders and tickets move here."""
    target = selectors.customer_get(customer_id=customer_id)
    source = selectors.customer_get(customer_id=payload.source_id)
    merged = services.customer_merge(source=source, target=target, actor=request.auth)
    return _customer_out(request, merged)
