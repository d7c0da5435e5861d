"""SLA policies: conditions as checkboxes, targets in hours + minutes, at least one target."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tanggap.sla.models import BusinessCalendar, SlaPolicy
from tests.manager.support import policy_data, text

pytestmark = pytest.mark.django_db


def test_lead_creates_a_policy_stored_in_minutes(lead_client, sla_changes):
    calendar = BusinessCalendar.objects.create(name="Kantor Jakarta")
    response = lead_client.post(reverse("manager:policy-create"), policy_data(calendar=str(calendar.pk)))
    assert response.status_code == 302 and response["Location"] == reverse("manager:policy-list")
    policy = SlaPolicy.objects.get()
    assert policy.name == "Pelanggan gold" and policy.position == 10 and policy.active
    assert policy.first_response_minutes == 90
    assert policy.next_response_minutes is None
    assert policy.resolution_minutes == 24 * 60
    assert policy.update_interval_minutes == 4 * 60
    assert policy.warn_before_minutes == 30
    assert policy.priorities == ["high", "urgent"]
    assert policy.channels == ["whatsapp", "email"]
    assert policy.categories == []
    assert policy.tiers == ["gold", "platinum"]
    assert policy.calendar == calendar
    assert sla_changes == [1]


def test_minutes_only_target(lead_client):
    response = lead_client.post(reverse("manager:policy-create"), policy_data(
        first_response_minutes_h="", first_response_minutes_m="45", resolution_minutes_h=None,
        update_interval_minutes_h=None))
    assert response.status_code == 302
    policy = SlaPolicy.objects.get()
    assert (policy.first_response_minutes, policy.resolution_minutes, policy.update_interval_minutes) == (45, None, None)
    assert policy.calendar is None  # 24/7


def test_a_policy_without_any_target_is_refused(lead_client, sla_changes):
    response = lead_client.post(reverse("manager:policy-create"), policy_data(
        first_response_minutes_h="", first_response_minutes_m="", resolution_minutes_h=""))
    assert response.status_code == 400
    assert "Tetapkan minimal satu target" in text(response)
    assert not SlaPolicy.objects.exists()
    assert sla_changes == []


def test_an_update_interval_alone_is_not_a_target(lead_client):
    response = lead_client.post(reverse("manager:policy-create"), policy_data(
        first_response_minutes_h="", first_response_minutes_m="", resolution_minutes_h="", update_interval_minutes_h="2"))
    assert response.status_code == 400
    assert not SlaPolicy.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"priorities": ["high", "someday"]}, "priorities"),
    ({"categories": ["weather"]}, "categories"),
    ({"channels": ["fax"]}, "channels"),
    ({"tiers": "gold, emas murni!"}, "tiers"),
    ({"first_response_minutes_m": "75"}, "first_response_minutes_m"),
    ({"first_response_minutes_h": "-1"}, "first_response_minutes_h"),
    ({"first_response_minutes_h": "0", "first_response_minutes_m": "0"}, "first_response_minutes_h"),
    ({"resolution_minutes_h": "satu"}, "resolution_minutes_h"),
    ({"name": ""}, "name"),
])
def test_invalid_input_is_shown_next_to_its_field(lead_client, overrides, field):
    response = lead_client.post(reverse("manager:policy-create"), policy_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    for error in form.errors[field]:
        assert error in text(response)
    assert not SlaPolicy.objects.exists()


def test_duplicate_name_is_refused(lead_client):
    SlaPolicy.objects.create(name="Pelanggan gold", first_response_minutes=60)
    response = lead_client.post(reverse("manager:policy-create"), policy_data(name="pelanggan GOLD"))
    assert response.status_code == 400
    assert "Pelanggan gold" in text(response) and "name" in response.context["form"].errors
    assert SlaPolicy.objects.count() == 1


def test_edit_shows_hours_and_minutes_and_saves(lead_client, sla_changes):
    policy = SlaPolicy.objects.create(name="Umum", first_response_minutes=150, resolution_minutes=2880,
                                      priorities=["low"], tiers=["standard"])
    page = lead_client.get(reverse("manager:policy-edit", args=[policy.pk]))
    form = page.context["form"]
    assert form["first_response_minutes_h"].value() == 2 and form["first_response_minutes_m"].value() == 30
    assert form["tiers"].value() == "standard"
    response = lead_client.post(reverse("manager:policy-edit", args=[policy.pk]), policy_data(
        name="Umum", priorities=[], channels=[], tiers="", first_response_minutes_h="3", first_response_minutes_m="0",
        resolution_minutes_h=None, update_interval_minutes_h=None))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.first_response_minutes, policy.resolution_minutes) == (180, None)
    assert policy.priorities == [] and policy.tiers == []
    assert sla_changes == [1]


def test_list_is_ordered_by_position_and_shows_targets(lead_client):
    SlaPolicy.objects.create(name="Terakhir", position=50, resolution_minutes=60 * 48)
    SlaPolicy.objects.create(name="Pertama", position=1, first_response_minutes=90, categories=["delivery"],
                             update_interval_minutes=240)
    page = text(lead_client.get(reverse("manager:policy-list")))
    assert page.index("Pertama") < page.index("Terakhir")
    assert "1 j 30 mnt" in page and "48 j" in page and "setiap 4 j" in page
    assert "Pengiriman" in page  # the category label, translated


def test_delete_after_confirmation(lead_client, sla_changes):
    policy = SlaPolicy.objects.create(name="Lama", first_response_minutes=60)
    confirm = lead_client.get(reverse("manager:policy-delete", args=[policy.pk]))
    assert confirm.status_code == 200 and "Lama" in text(confirm)
    assert SlaPolicy.objects.exists()
    response = lead_client.post(reverse("manager:policy-delete", args=[policy.pk]))
    assert response.status_code == 302
    assert not SlaPolicy.objects.exists()
    assert sla_changes == [1]
