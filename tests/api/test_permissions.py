"""Who may see what through the API: roles and teams scope every ticket read."""

import pytest

from tanggap.accounts.services import team_get_or_create
from tanggap.conversations.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(api, make_staff, api_for, inbound_message):
    gudang, bayar = team_get_or_create(name="Gudang"), team_get_or_create(name="Pembayaran")
    ids = {}
    for name, team in (("gudang", gudang), ("bayar", bayar), ("umum", None)):
        tid = api.post("/messages", inbound_message(external_id=name, email=f"{name}@x.id")).body["ticket_id"]
        if team:
            api.patch(f"/tickets/{tid}", {"team_id": team.pk})
        ids[name] = tid
    ana = make_staff("ana", "agent", [gudang])
    lead = make_staff("lead", "lead", [bayar])
    return {"ids": ids, "ana": api_for(ana), "ana_user": ana, "lead": api_for(lead), "admin": api}


def visible(client):
    return sorted(t["id"] for t in client.get("/tickets?limit=100").body["items"])


def test_an_agent_sees_their_team_and_the_shared_queue_only(world):
    ids = world["ids"]
    assert visible(world["ana"]) == sorted([ids["gudang"], ids["umum"]])
    r = world["ana"].get(f"/tickets/{ids['bayar']}")
    assert (r.status_code, r.body["error"]["code"]) == (404, "ticket_not_found")
    for path, data in ((f"/tickets/{ids['bayar']}/replies", {"body": "x"}), (f"/tickets/{ids['bayar']}/notes", {"body": "x"})):
        assert world["ana"].post(path, data).status_code == 404
    assert world["ana"].patch(f"/tickets/{ids['bayar']}", {"status": "closed"}).status_code == 404
    assert Ticket.objects.get(pk=ids["bayar"]).status == "new"


def test_a_ticket_assigned_to_an_agent_is_visible_to_them_whatever_its_team(world):
    ids = world["ids"]
    world["admin"].patch(f"/tickets/{ids['bayar']}", {"assignee_id": world["ana_user"].pk})
    assert ids["bayar"] in visible(world["ana"])


def test_a_team_lead_sees_their_team_and_admin_sees_all(world):
    ids = world["ids"]
    assert visible(world["lead"]) == sorted([ids["bayar"], ids["umum"]])
    assert visible(world["admin"]) == sorted(ids.values())


def test_a_token_of_a_non_staff_user_is_refused(db, api_for, django_user_model):
    outsider = django_user_model.objects.create_user(username="pelanggan", password="x")
    r = api_for(outsider).get("/tickets")
    assert r.status_code == 401


def test_a_revoked_token_is_refused(api, admin_user):
    from tanggap.accounts.models import ApiToken

    ApiToken.objects.filter(user=admin_user).update(revoked=True)
    assert api.get("/tickets").status_code == 401


@pytest.mark.parametrize("path", ["/tickets", "/tickets/1", "/customers/1", "/orders", "/products"])
def test_every_read_endpoint_needs_a_token(api_for, path):
    assert api_for(None).get(path).status_code == 401
