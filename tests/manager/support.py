from __future__ import annotations

import html


def text(response) -> str:
    """The page as a reader sees it: HTML entities decoded."""
    return html.unescape(response.content.decode())


def policy_data(**overrides) -> dict:
    data = {
        "name": "Pelanggan gold", "position": "10", "active": "on",
        "priorities": ["high", "urgent"], "channels": ["whatsapp", "email"], "tiers": "Gold, platinum",
        "first_response_minutes_h": "1", "first_response_minutes_m": "30",
        "resolution_minutes_h": "24", "resolution_minutes_m": "",
        "update_interval_minutes_h": "4",
        "warn_before_minutes": "30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def calendar_data(periods: list[tuple], closed: list[tuple] = (), **overrides) -> dict:
    data = {"name": "Kantor Jakarta", "time_zone": "Asia/Jakarta", "country": "ID", "subdivision": "",
            "observe_collective_leave": "on"}
    data.update(overrides)
    data.update(formset("periods", [{"weekday": str(d), "opens_at": o, "closes_at": c} for d, o, c in periods]))
    data.update(formset("closed", [{"date": d, "name": n} for d, n in closed]))
    return data
