"""Ticket references in subjects: how a customer's message finds its ticket."""

import pytest

from tanggap.conversations.references import extract_ticket_reference, ticket_id_from_reference


@pytest.mark.parametrize(
    ("subject", "reference"),
    [
        ("Re: [TG-000123] Pesanan belum sampai", "TG-000123"),
        ("Re: pesanan tg-123", "TG-000123"),
        ("about TG-7 and [TG-000042]", "TG-000042"),
        ("TG123 without hyphen", "TG-000123"),
        ("[tg-1234567]", "TG-1234567"),
        ("STG-123 is a part number", None),
        ("no reference here", None),
        ("", None),
    ],
)
def test_extract_ticket_reference(subject, reference):
    assert extract_ticket_reference(subject) == reference


def test_the_ticket_id_behind_a_reference():
    assert ticket_id_from_reference("Re: [TG-000123] Pesanan") == 123
    assert ticket_id_from_reference("tanpa nomor") is None
