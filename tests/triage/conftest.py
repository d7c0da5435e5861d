import pytest


@pytest.fixture(autouse=True)
def _triage_on(settings):
    settings.TANGGAP_TRIAGE = True
