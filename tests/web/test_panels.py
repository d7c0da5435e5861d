"""Panels: later parts fill slots in shared pages (tanggap/web/panels.py)."""

from __future__ import annotations

import copy

import pytest
from django.template import engines

from tanggap.web import panels


@pytest.fixture
def slot(monkeypatch, settings, tmp_path):
    """An empty panel registry, and tmp_path as a template folder."""
    monkeypatch.setattr(panels, "_panels", {s: [] for s in panels.SLOTS})
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0].get("DIRS", [])]
    settings.TEMPLATES = templates
    return tmp_path


def _render(slot_name, **context):
    return engines["django"].from_string('{% load web_tags %}{% panels "' + slot_name + '" %}').render(context)


def test_a_registered_panel_renders_in_its_slot_with_its_context_and_in_order(slot):
    (slot / "a.html").write_text("[A {{ who }} {{ extra }}]")
    (slot / "b.html").write_text("[B {{ who }}]")
    panels.register("ticket.side", "b.html", order=200)
    panels.register("ticket.side", "a.html", context=lambda request, ctx: {"extra": ctx["who"].upper()})
    panels.register("ticket.side", "a.html")  # a second registration of one template is ignored
    assert _render("ticket.side", who="sari") == "[A sari SARI][B sari]"
    assert _render("customer.side", who="sari") == ""


def test_a_panel_whose_context_is_none_is_left_out(slot):
    (slot / "a.html").write_text("[A]")
    panels.register("customer.side", "a.html", context=lambda request, ctx: None if ctx.get("role") != "admin" else {})
    assert _render("customer.side", role="agent") == ""
    assert _render("customer.side", role="admin") == "[A]"


def test_an_unknown_slot_is_refused(slot):
    with pytest.raises(ValueError, match="unknown panel slot"):
        panels.register("ticket.bottom", "x.html")
