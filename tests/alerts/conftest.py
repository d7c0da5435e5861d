"""The `slow` marker is registered in pyproject.toml but nothing keeps it out of the default run,
so this directory skips its own slow tests unless they are asked for: `-m slow` (or any -m
expression naming slow) or TANGGAP_SLOW=1."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("-m") or "") or os.environ.get("TANGGAP_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or TANGGAP_SLOW=1")
    here = os.path.dirname(__file__)
    for item in items:
        if "slow" in item.keywords and str(item.fspath).startswith(here):
            item.add_marker(skip)
