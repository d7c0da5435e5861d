"""Browser tests: Playwright drives Debian's chromium (never `playwright install`)
against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread for the whole
# session, so Django's async-safety check would refuse the test's own ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RESULTS = Path("test-results")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "id-ID"}


@pytest.fixture
def screenshot_path():
    """Screenshots are kept as test artifacts in ./test-results/."""

    def path(name: str) -> str:
        RESULTS.mkdir(exist_ok=True)
        return str(RESULTS / name)

    return path
