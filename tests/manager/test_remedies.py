"""The remedy catalog: positive amounts, approval threshold not above the maximum, one rule per pair."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tanggap.remedies.models import RemedyRule
from tests.manager.support import text

pytestmark = pytest.mark.django_db


def rule_data(**overrides) -> dict:
    data = {"category": "defect", "kind": "refund", "active": "on", "approval_above": "100000",
            "max_amount": "500000", "window_days": "7", "window_from": "delivered", "note": "Foto barang rusak wajib."}
    data.update(overrides)
    return data


def test_a_rule_is_saved(lead_client):
    response = lead_client.post(reverse("manager:remedy-create"), rule_data())
    assert response.status_code == 302
    rule = RemedyRule.objects.get()
    assert (rule.category, rule.kind, rule.active) == ("defect", "refund", True)
    assert (rule.approval_above, rule.max_amount, rule.window_days) == (Decimal("100000"), Decimal("500000"), 7)
    page = text(lead_client.get(reverse("manager:remedy-list")))
    assert "Foto barang rusak wajib." in page


def test_approval_above_the_maximum_is_refused(lead_client):
    response = lead_client.post(reverse("manager:remedy-create"), rule_data(approval_above="600000"))
    assert response.status_code == 400
    assert "tidak boleh melebihi jumlah maksimum" in text(response)
    assert not RemedyRule.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"max_amount": "0"}, "max_amount"),
    ({"max_amount": "-5"}, "max_amount"),
    ({"approval_above": "-1"}, "approval_above"),
    ({"window_days": "0"}, "window_days"),
    ({"kind": "hug"}, "kind"),
    ({"category": "weather"}, "category"),
])
def test_bad_amounts_and_choices_are_refused(lead_client, overrides, field):
    response = lead_client.post(reverse("manager:remedy-create"), rule_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not RemedyRule.objects.exists()


def test_zero_approval_threshold_means_always(lead_client):
    response = lead_client.post(reverse("manager:remedy-create"), rule_data(approval_above="0", max_amount=""))
    assert response.status_code == 302
    rule = RemedyRule.objects.get()
    assert rule.approval_above == 0 and rule.max_amount is None


def test_a_second_rule_for_the_same_pair_is_refused(lead_client):
    RemedyRule.objects.create(category="defect", kind="refund")
    response = lead_client.post(reverse("manager:remedy-create"), rule_data())
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert RemedyRule.objects.count() == 1


def test_edit_and_delete(lead_client):
    rule = RemedyRule.objects.create(category="delivery", kind="voucher", max_amount=Decimal("50000"))
    response = lead_client.post(reverse("manager:remedy-edit", args=[rule.pk]),
                                rule_data(category="delivery", kind="voucher", approval_above="", max_amount="75000"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.max_amount == Decimal("75000") and rule.approval_above is None
    assert lead_client.post(reverse("manager:remedy-delete", args=[rule.pk])).status_code == 302
    assert not RemedyRule.objects.exists()
