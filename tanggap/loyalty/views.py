"""Console and portal pages of loyalty (issue 6).

Console (`/loyalty/`, leads and admins): members per tier, the earning rules, rewards and draws.
Portal (`/portal/loyalty/`, the signed-in customer only): balance, tier, history, rewards to
redeem and the customer's voucher codes. Public: a draw's result page and its JSON, from which
anyone recomputes the winners (`python -m tanggap.loyalty.verify`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError
from tanggap.loyalty import selectors, services
from tanggap.portal import selectors as portal_selectors
from tanggap.portal.views import SESSION_KEY
from tanggap.web.access import manager_required


def _portal_customer(request):
    customer = portal_selectors.portal_customer(request.session.get(SESSION_KEY))
    if customer is None:
        request.session.pop(SESSION_KEY, None)
    return customer


# --- console --------------------------------------------------------------------------------------

@require_GET
@manager_required
def console(request):
    return render(request, "loyalty/console.html", {
        "tiers": selectors.members_per_tier(), "rules": selectors.rules(),
        "rewards": [row["reward"] for row in selectors.rewards_for(None)], "draws": selectors.draws(limit=20),
    })


@require_POST
@manager_required
def draw_run(request, draw_id: int):
    try:
        services.draw_run(draw_id=draw_id)
        messages.success(request, _("The winners are drawn and published."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("loyalty:console")


# --- portal ---------------------------------------------------------------------------------------

@never_cache
def portal_home(request):
    customer = _portal_customer(request)
    if customer is None:
        return redirect("portal:login")
    try:
        page = selectors.ledger_page(customer.pk, cursor=request.GET.get("after") or None, limit=20)
    except DomainError:
        return redirect("loyalty:portal")
    return render(request, "loyalty/portal.html", {
        "portal_customer": customer, "customer": customer, "summary": selectors.summary(customer.pk), "page": page,
        "first_page": not request.GET.get("after"), "rewards": selectors.rewards_for(customer.pk),
        "vouchers": selectors.vouchers_of(customer.pk), "member": services.member_ref(customer.pk),
    })


@require_POST
def portal_redeem(request, reward_id: int):
    customer = _portal_customer(request)
    if customer is None:
        return redirect("portal:login")
    try:
        _entry, voucher = services.reward_redeem(customer_id=customer.pk, reward_id=reward_id)
        messages.success(request, _("Redeemed. Your voucher code is %(code)s.") % {"code": voucher.code})
    except DomainError as exc:
        messages.error(request, {
            "insufficient_points": _("You do not have enough points for this reward."),
            "tier_required": _("This offer is for members of a higher tier."),
        }.get(exc.code, _("This reward is not available.")))
    return redirect("loyalty:portal")


def _draw(draw_id: int):
    draw = selectors.draw_public(draw_id)
    if draw is None:
        raise Http404
    return draw


@require_GET
def draw_page(request, draw_id: int):
    draw = _draw(draw_id)
    return render(request, "loyalty/draw.html", {
        "portal_customer": _portal_customer(request), "draw": draw, "data": selectors.draw_json(draw),
        "json_url": request.build_absolute_uri(f"/portal/loyalty/draws/{draw.pk}.json"),
    })


@require_GET
def draw_json(request, draw_id: int):
    return JsonResponse(selectors.draw_json(_draw(draw_id)), json_dumps_params={"ensure_ascii": False, "indent": 1})
