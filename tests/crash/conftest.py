"""The crash-safety test's marker (registered here: this package owns it, not pyproject.toml)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "crash: kills the web server and the worker with SIGKILL during a 10,000-message intake "
        "(tests/crash; TANGGAP_CRASH_MESSAGES sets the count)",
    )
