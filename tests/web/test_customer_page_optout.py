"""A customer who asks for no proactive messages is recorded from the customer page, and the
opt-out survives a merge (issue 4)."""

from __future__ import annotations

import pytest

from tanggap.customers.models import Customer
from tanggap.customers.services import customer_merge
from tests.web.support import receive

pytestmark = pytest.mark.django_db


def test_an_agent_records_an_opt_out_and_takes_it_back(client, agent):
    client.force_login(agent)
    customer = receive().customer
    response = client.post(f"/customers/{customer.pk}/proactive/", {"opt_out": "1"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=customer.pk).proactive_opt_out
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Kirim lagi pesan proaktif" in page
    client.post(f"/customers/{customer.pk}/proactive/", {"opt_out": "0"})
    assert not Customer.objects.get(pk=customer.pk).proactive_opt_out


def test_an_opt_out_survives_a_merge(agent):
    source = receive(email="siti.lama@example.com").customer
    target = receive(email="siti@example.com").customer
    source.proactive_opt_out = True
    source.save()
    customer_merge(source=source, target=target)
    assert Customer.objects.get(pk=target.pk).proactive_opt_out
