"""Loyalty's routes in the permission matrix: staff read balances and spend on a customer's
behalf, only admins adjust points and create vouchers or draws, leads and admins draw winners;
a portal customer sees only their own points; a draw's published result is public."""

from __future__ import annotations

import datetime as dt

from tests.security.matrix_base import OK, PORTAL_LOGIN, Case, api, everyone, manager


def build(world, users) -> None:
    from tanggap.loyalty import services
    from tests.loyalty.conftest import make_programme

    programme = make_programme()
    services.points_adjust(customer_id=world.ids["cust_a"], delta=500, note="matrix", actor=None)
    services.voucher_create(code="MATRIX1", discount_amount=1000, max_uses=10)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    due = services.draw_create(name_id="Undian matriks", period_start=start, period_end=start + dt.timedelta(days=30))
    done = services.draw_create(name_id="Undian selesai", period_start=start, period_end=start + dt.timedelta(days=30))
    services.draw_run(draw_id=done.pk)
    world.ids.update(reward=programme["rewards"]["voucher"].pk, draw_due=due.pk, draw_done=done.pk)


ADMIN_ONLY_API = api(agent=403, lead=403, admin=OK)

CASES = [
    Case("GET", "/api/v1/loyalty/customers/{cust_a}", api()),
    Case("GET", "/api/v1/loyalty/customers/{cust_a}/ledger", api()),
    Case("POST", "/api/v1/loyalty/customers/{cust_a}/adjust", ADMIN_ONLY_API, {"points": 10, "note": "x"}, "json"),
    Case("POST", "/api/v1/loyalty/customers/{cust_a}/redeem", api(), {"reward_id": "{reward}"}, "json"),
    Case("POST", "/api/v1/loyalty/referrals", api(), {"referrer_id": "{cust_a}", "referred_id": "{cust_d}"}, "json"),
    Case("GET", "/api/v1/loyalty/tiers", api()),
    Case("GET", "/api/v1/loyalty/rules", api()),
    Case("GET", "/api/v1/loyalty/rewards", api()),
    Case("POST", "/api/v1/loyalty/vouchers", ADMIN_ONLY_API, {"discount_amount": 1000}, "json"),
    Case("POST", "/api/v1/loyalty/vouchers/validate", api(), {"code": "MATRIX1", "customer_id": "{cust_a}"}, "json"),
    Case("POST", "/api/v1/loyalty/vouchers/redeem", api(), {"code": "MATRIX1", "customer_id": "{cust_a}"}, "json"),
    Case("GET", "/api/v1/loyalty/draws", api()),
    Case("GET", "/api/v1/loyalty/draws/{draw_due}", api()),
    Case("POST", "/api/v1/loyalty/draws", ADMIN_ONLY_API,
         {"name_id": "Undian", "period_start": "2026-12-01T00:00:00+07:00", "period_end": "2026-12-31T00:00:00+07:00"},
         "json"),
    Case("POST", "/api/v1/loyalty/draws/{draw_due}/run", api(agent=403, lead=OK, admin=OK)),
    Case("GET", "/loyalty/", manager()),
    Case("POST", "/loyalty/draws/{draw_due}/run/", manager()),
    Case("GET", "/portal/loyalty/", everyone(PORTAL_LOGIN, customer=200)),
    Case("POST", "/portal/loyalty/rewards/{reward}/redeem/", everyone(PORTAL_LOGIN, customer=OK)),
    Case("GET", "/portal/loyalty/draws/{draw_done}/", everyone(200)),
    Case("GET", "/portal/loyalty/draws/{draw_done}.json", everyone(200)),
]
