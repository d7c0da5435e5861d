"""The inbox list's rows, drawn from values worked out once per page (web.views.inbox.inbox_rows),
show what the template filters and Django's widgets showed: the same labels, dates, badges and
markup, in every language."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from tanggap.conversations import services
from tanggap.conversations.models import Ticket
from tanggap.web.forms import InboxFilterForm, ListSelect, status_filter_choices
from tanggap.web.templatetags.web_tags import date_formatter
from tests.web.support import receive

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FORMATS = ["DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "j M, H:i", "j M Y, H:i", r"N j, \a\t P",
           "D, j F Y b E A a g:i", "d/m/y n G H:i:s"]
DATES = [dt.datetime(2026, m, d, h, mi, 7, tzinfo=dt.UTC)
         for m, d, h, mi in [(1, 1, 0, 0), (5, 31, 5, 0), (8, 17, 17, 45), (11, 24, 23, 59), (12, 9, 12, 0)]]


@pytest.mark.parametrize("language", ["id", "ms", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_date_formatter_gives_what_the_date_filter_gives(language, fmt):
    template = Template("{{ value|date:fmt }}")
    with translation.override(language):
        formatter = date_formatter(fmt)
        for value in DATES:
            assert formatter(timezone.localtime(value)) == template.render(Context({"value": value, "fmt": fmt}))
        assert formatter(None) == ""


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("choices, value, attrs", [
    (status_filter_choices, "open", {"id": "id_status"}),
    (status_filter_choices, "bogus", {"aria-invalid": "true", "aria-describedby": "id_status_error", "id": "id_status"}),
    ([("", "All <channels>"), ("email", "Email & co")], "", {"id": "id_channel", "disabled": True, "hidden": False}),
    ([("", "Latest activity"), ("sla", "SLA due first")], "sla", {"id": "id_sort"}),
])
def test_the_list_select_draws_what_djangos_select_draws(language, choices, value, attrs):
    with translation.override(language):
        expected = forms.Select(choices=choices).render("status", value, attrs=dict(attrs))
        assert ListSelect(choices=choices).render("status", value, attrs=dict(attrs)) == expected


def test_the_inbox_filter_form_renders_its_selects_like_djangos():
    class Plain(InboxFilterForm):
        pass

    for name in ("status", "channel", "category", "sort"):
        Plain.base_fields[name] = forms.ChoiceField(label=Plain.base_fields[name].label, required=False,
                                                    choices=Plain.base_fields[name].choices)
    for data in ({}, {"status": "pending", "channel": "sms", "category": "delivery", "sort": "sla"},
                 {"status": "bogus", "channel": "fax"}):
        with translation.override("id"):
            ours, django = InboxFilterForm(data), Plain(data)
            for name in ("status", "channel", "category", "sort"):
                assert str(ours[name]) == str(django[name])


@pytest.fixture
def console(client, agent):
    client.force_login(agent)
    return client


@pytest.mark.django_db
def test_an_inbox_row_shows_the_ticket_its_people_and_its_clocks(console, agent, team, make_staff):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=WIB), tick=False):
        ticket = receive(subject="Paket <b>belum</b> sampai & " + "x" * 100, name="Wati")
        services.ticket_update(ticket=ticket, actor=agent, priority="urgent", category="delivery",
                               assignee=make_staff("joko"), team=team, tags=["vip", "a&b"])
        quiet = receive(subject="Tanya ukuran", email="c@example.com")
        Ticket.objects.filter(pk=quiet.pk).update(sla_due_at=None, initiated_by="company")
        soon = receive(subject="Kartu terdebet", email="d@example.com")
        Ticket.objects.filter(pk=soon.pk).update(sla_due_at=dt.datetime(2026, 11, 24, 10, 40, tzinfo=WIB))
        Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=dt.datetime(2026, 11, 24, 7, 0, tzinfo=WIB))
        page = console.get("/inbox/?sort=sla").content.decode()
        console.cookies["django_language"] = "en"
        english = console.get("/inbox/?sort=sla", headers={"HX-Request": "true"}).content.decode()
    assert (f'<a href="/tickets/{ticket.pk}/" class="ticket-link" title="Paket &lt;b&gt;belum&lt;/b&gt; sampai &amp; '
            f'{"x" * 100}"><span class="ref">{ticket.reference}</span> Paket &lt;b&gt;belum&lt;/b&gt; sampai &amp; '
            f'{"x" * 61}…</a>') in page  # 90 characters
    assert '<span class="initiator initiator-customer" title="Dimulai pelanggan">↙ Dimulai pelanggan</span>' in page
    assert '<span class="initiator initiator-company" title="Dimulai perusahaan">↗ Dimulai perusahaan</span>' in page
    assert '<span class="tag">a&amp;b</span><span class="tag">vip</span>' in page
    assert '<td>Wati</td>' in page
    assert '<td><span class="channel channel-email">Email</span></td>' in page
    assert '<td><span class="badge status-new">Baru</span></td>' in page
    assert '<td><span class="prio prio-urgent">Mendesak</span></td>' in page
    assert '<td>Pengiriman</td>' in page
    assert '<td>joko<br><small class="muted">Layanan Pelanggan</small></td>' in page
    assert '<td><span class="muted">Belum ditugaskan</span></td>' in page
    assert '<span class="sla-due sla-overdue" title="24 Nov 2026, 07:00">terlambat 3 j</span>' in page
    assert '<span class="sla-due sla-soon" title="24 Nov 2026, 10:40">jatuh tempo dalam 40 mnt</span>' in page
    assert '<span class="muted">—</span>' in page
    assert '<time datetime="2026-11-24T10:00:00+07:00" title="24 Nov. 2026, 10.00">24 Nov, 10:00</time>' in page
    assert '<span class="sla-due sla-overdue" title="24 Nov 2026, 07:00">overdue 3 h</span>' in english
    assert '<td><span class="muted">Unassigned</span></td>' in english
    assert '<time datetime="2026-11-24T10:00:00+07:00" title="Nov. 24, 2026, 10 a.m.">24 Nov, 10:00</time>' in english
    assert '<span class="initiator initiator-customer" title="Customer-initiated">↙ Customer-initiated</span>' in english
