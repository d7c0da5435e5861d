"""The demo store's recommendations (issue 7): one training on the demo's orders (a fraction of
a second: a few hundred customers and products), so every demo customer page shows recommended
products with their reasons. Deterministic for a seed (ALS is seeded)."""

from __future__ import annotations


def play(ctx) -> dict:
    from tanggap.recommend import services

    result = services.model_train()
    return {"model_version": result["version"], "customers": result["customers"], "products": result["products"],
            "interactions": result["interactions"]}
