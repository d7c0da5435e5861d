from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Status, Router

from tanggap.api import presenters
from tanggap.api.schemas import AfterId, ErrorOut, Id, OrderIn, OrderOut, ProductIn, ProductOut
from tanggap.channels.normalized import InboundIdentity
from tanggap.common.errors import DomainError
from tanggap.customers import selectors, services

router = Router()


@router.post("/products", response={200: ProductOut, 201: ProductOut, 400: ErrorOut, 422: ErrorOut})
def product_post(request: HttpRequest, payload: ProductIn):
    """Create or update a product by its sku."""
    product, created = services.product_upsert(sku=payload.sku, name=payload.name, category=payload.category,
                                               price=payload.price)
    return Status(201 if created else 200, presenters.product_out(product, created))


@router.get("/products", response=list[ProductOut])
def product_list(request: HttpRequest, after_id: AfterId = 0, limit: Annotated[int, Field(ge=1)] = 100):
    return [presenters.product_out(p) for p in selectors.product_list(after_id=after_id, limit=min(limit, 500))]


def _order_customer(payload: OrderIn):
    if payload.customer_id:
        return selectors.customer_get(customer_id=payload.customer_id)
    c = payload.customer
    if c and (c.email or c.phone):
        kind, value = ("email", c.email) if c.email else ("phone", c.phone)
        return services.customer_find_or_create(identity=InboundIdentity(kind=kind, value=value, name=c.name or ""))[0]
    raise DomainError("missing_field", "An order needs customer_id or customer with an email or phone.")


@router.post("/orders", response={200: OrderOut, 201: OrderOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def order_post(request: HttpRequest, payload: OrderIn):
    """Create an order; idempotent by external_id (a repeat answers 200 with `created: false`)."""
    order, created = services.order_create(
        external_id=payload.external_id, customer=_order_customer(payload),
        lines=[services.LineInput(sku=li.sku, quantity=li.quantity, unit_price=li.unit_price) for li in payload.lines],
        status=payload.status, placed_at=payload.placed_at, currency=payload.currency,
        courier=payload.courier, region=payload.region)
    return Status(201 if created else 200, presenters.order_out(order, created))


@router.get("/orders", response=list[OrderOut])
def order_list(request: HttpRequest, customer_id: Id | None = None, after_id: AfterId = 0,
               limit: Annotated[int, Field(ge=1)] = 100):
    return [presenters.order_out(o) for o in
            selectors.order_list(customer_id=customer_id, after_id=after_id, limit=min(limit, 500))]
