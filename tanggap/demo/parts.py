"""The demo's later parts (issue 6 and on): each part's ``tanggap.<part>.demo.play(ctx)`` adds its
rows after the tickets and journeys exist, and returns counts for the demo's summary.

Parts run in this order (a later one may use an earlier one's rows: surveys before loyalty, so
answered surveys can earn points). Each part runs in its own transaction and must be
deterministic for a given seed and ``now``."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass, field

from django.db import transaction

from tanggap.demo.aftercare import frozen

PARTS = ("knowledge", "surveys", "reviews", "loyalty", "livechat", "calls", "recommend", "health", "replies")


@dataclass
class DemoContext:
    plan: object  # tanggap.demo.plan.Plan
    customers: dict  # plan index -> customers.Customer
    agents: dict  # username -> User
    channels: dict  # kind -> channels.Channel
    teams: dict  # name -> accounts.Team
    now: dt.datetime
    seed: int
    rng: random.Random = field(default_factory=random.Random)


def parts_play(ctx: DemoContext) -> dict:
    out = {}
    for name in PARTS:
        module = importlib.import_module(f"tanggap.{name}.demo")
        ctx.rng = random.Random(f"{ctx.seed}:{name}")
        with frozen(ctx.now), transaction.atomic():  # services see the demo's "now", as the tickets did
            out[name] = module.play(ctx)
    return out
