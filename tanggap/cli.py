"""The ``tanggap`` command line: demo, serve, worker, migrate, createadmin, token, ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click


def _setup(db: str | None = None) -> None:
    if db:
        path = Path(db).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # a missing or wrong setting: say which, not a traceback
        _fail(f"configuration: {exc}")
    db_name = str(settings.DATABASES["default"]["NAME"])
    if "sqlite" in settings.DATABASES["default"]["ENGINE"] and db_name != ":memory:":
        Path(db_name).parent.mkdir(parents=True, exist_ok=True)


def _fail(message: str) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(2)


@click.group()
def main() -> None:
    """tanggap: customer service and customer relations."""


@main.command()
def migrate() -> None:
    """Create or upgrade the database tables."""
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@main.command()
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--email", default="")
@click.option("--token/--no-token", default=False, help="Also create an API token and print it once.")
def createadmin(username: str, password: str, email: str, token: bool) -> None:
    """Create an administrator account."""
    _setup()
    from tanggap.accounts.services import agent_create, api_token_create
    from tanggap.common.errors import DomainError

    try:
        user = agent_create(username=username, password=password, email=email, role="admin")
    except DomainError as exc:
        _fail(exc.message)
    click.echo(f"Admin '{username}' created.")
    if token:
        click.echo(f"API token: {api_token_create(user=user, name='cli')[1]}")


@main.command("token")
@click.argument("username")
@click.option("--name", default="cli")
def token_create(username: str, name: str) -> None:
    """Create an API token for a staff user and print it once."""
    _setup()
    from django.contrib.auth import get_user_model

    from tanggap.accounts.services import api_token_create

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        _fail(f"no user '{username}'")
    click.echo(f"API token: {api_token_create(user=user, name=name)[1]}")


def _gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """gunicorn with uvicorn workers (tanggap.asgi): each process serves live chat streams as
    coroutines and every other request on a pool of ``threads`` threads, as gthread did."""
    from gunicorn.app.base import BaseApplication

    os.environ["TANGGAP_WEB_THREADS"] = str(threads)

    class App(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": "uvicorn_worker.UvicornWorker", "accesslog": None, "timeout": 60,
                               # an idle keep-alive connection is kept 75 s (gunicorn's default is 2 s): a client
                               # (or a proxy, whose idle timeout is usually 60 s) reusing one the server had just
                               # closed gets a connection error on a request the server never saw
                               "keepalive": 75, "graceful_timeout": 5}.items():
                self.cfg.set(key, value)

        def load(self):
            from tanggap.asgi import application

            return application

    App().run()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="Web processes.")
@click.option("--threads", default=4, show_default=True, help="Threads per web process.")
@click.option("--db", default=None, help="SQLite database file (else DATABASE_URL or var/tanggap.sqlite3).")
def serve(host: str, port: int, workers: int, threads: int, db: str | None) -> None:
    """Run the web server (agent console, customer portal, API)."""
    _setup(db)
    _gunicorn(host, port, workers, threads)


def _scheduler(stop: threading.Event, every: float) -> None:
    from django.db import close_old_connections

    from tanggap.schedule import run_due

    while not stop.is_set():
        try:
            run_due()
        except Exception as exc:  # the database may be busy; try again next tick
            click.echo(f"scheduler: {exc}", err=True)
        finally:
            close_old_connections()
        stop.wait(every)


@main.command()
@click.option("--db", default=None, help="SQLite database file (else DATABASE_URL or var/tanggap.sqlite3).")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls when idle.")
@click.option("--batch", is_flag=True, help="Run what is due, then exit.")
@click.option("--nice", "niceness", default=0, show_default=True, type=click.IntRange(0, 19),
              help="Lower the worker's CPU priority by this much (0-19), so web requests on the same "
                   "machine are answered first and queued work catches up after a burst.")
def worker(db: str | None, interval: float, batch: bool, niceness: int) -> None:
    """Run background jobs: outbound delivery, IMAP polling, sweeps. While intake is busy, queued
    messages wait (TANGGAP_WORKER_YIELD_RATE, TANGGAP_WORKER_YIELD_MAX_SECONDS; docs/operations.md)."""
    if niceness:
        os.nice(niceness)
    _setup(db)
    from django.core.management import call_command

    from tanggap.schedule import run_due

    if batch:
        run_due()
        call_command("db_worker", batch=True, interval=interval, startup_delay=False, queue_name="*", verbosity=0)
        return
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    from tanggap.channels.pressure import IntakePressure, YieldingWorker

    # django-tasks' worker, leaving intake jobs queued while messages pour in
    # (TANGGAP_WORKER_YIELD_RATE / _MAX_SECONDS; tanggap/channels/pressure.py)
    DbWorker().configure_logging(1)
    runner = YieldingWorker(pressure=IntakePressure.from_settings(), queue_names=["*"], interval=interval,
                            batch=False, backend_name="default", startup_delay=False, max_tasks=None,
                            worker_id=get_random_string(32), excluded_queue_names=[])
    stop = threading.Event()
    thread = threading.Thread(target=_scheduler, args=(stop, 5.0), daemon=True, name="scheduler")
    thread.start()
    try:
        runner.configure_signals()
        runner.run()
    finally:
        stop.set()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--db", default=None, help="SQLite database file (default var/tanggap.sqlite3).")
@click.option("--no-serve", is_flag=True, help="Load the demo data, print the credentials and exit.")
def demo(host: str, port: int, db: str | None, no_serve: bool) -> None:
    """Create a demo database (an Indonesian online store) and serve it with a worker."""
    _setup(db)
    from django.core.management import call_command

    from tanggap.demo.loader import demo_credentials, demo_load, demo_loaded

    call_command("migrate", interactive=False, verbosity=0)
    if not demo_loaded():
        click.echo("Loading demo data (an Indonesian online store)...")
        demo_load(progress=True)
    user, password, token = demo_credentials()
    click.echo(f"tanggap demo at http://{host}:{port}/")
    click.echo(f"Agent login: {user} / {password}")
    click.echo(f"API token: {token}")
    sys.stdout.flush()
    if no_serve:
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tanggap.settings"}
    worker_proc = subprocess.Popen([sys.executable, "-m", "tanggap.cli", "worker"], env=env)

    def stop(*_):
        if worker_proc.poll() is None:
            worker_proc.terminate()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        _gunicorn(host, port, workers=1, threads=8)
    finally:
        if worker_proc.poll() is None:
            worker_proc.terminate()
            try:
                worker_proc.wait(10)
            except subprocess.TimeoutExpired:
                worker_proc.kill()


@main.group()
def ingest() -> None:
    """Bulk intake from files."""


@ingest.command("mbox")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def ingest_mbox(path: str) -> None:
    """Store every message of an mbox file as inbound email. A message that cannot be
    parsed is reported with its position, kept raw for admins, and skipped."""
    _setup()
    from tanggap.channels.mbox import ingest_mbox as run

    summary = run(path=path)
    for problem in summary.problems:
        click.echo(f"message #{problem.position}: {problem.code}: {problem.reason}", err=True)
    click.echo(f"{summary.total} messages: {summary.created} stored, {summary.duplicates} already stored, "
               f"{len(summary.problems)} rejected.")
    if summary.problems:
        sys.exit(1)


@main.group("import")
def import_() -> None:
    """Import products or orders (all or nothing) or journey events (row by row) from CSV files."""


def _run_import(kind: str, path: str) -> None:
    _setup()
    from rich.progress import Progress

    from tanggap.customers import imports

    fn = imports.import_products if kind == "products" else imports.import_orders
    with Progress(transient=True) as progress:
        bar = progress.add_task(f"import {kind}", total=None)
        result = fn(Path(path), progress=lambda n: progress.advance(bar, n))
    if result.errors:
        for line, problem in result.errors[:50]:
            click.echo(f"line {line}: {problem}" if line else problem, err=True)
        if len(result.errors) > 50:
            click.echo(f"... and {len(result.errors) - 50} more problems", err=True)
        click.echo(f"Nothing imported: {len(result.errors)} problem(s) in {result.rows} rows.", err=True)
        sys.exit(1)
    noun = "orders" if kind == "orders" else "products"
    click.echo(f"{result.rows} rows: {result.created} {noun} created, {result.updated} "
               f"{'already present' if kind == 'orders' else 'updated'}.")


@import_.command("products")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_products(path: str) -> None:
    """CSV with columns sku,name,category,price."""
    _run_import("products", path)


@import_.command("orders")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_orders(path: str) -> None:
    """CSV, one row per order line: external_id, customer_email|customer_phone, customer_name, sku,
    quantity, unit_price, status, placed_at (ISO-8601 with offset), currency, courier, region."""
    _run_import("orders", path)


@import_.command("events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_events(path: str) -> None:
    """CSV of journey events, one per row: external_id, kind, occurred_at (ISO-8601 with offset),
    source, channel, customer_id|customer_email|customer_phone|customer_handle, customer_name,
    order, product, summary, data (JSON). Row by row: good rows are stored, bad ones reported by
    line; a repeat of (source, external_id) is left as it is, so a corrected file can be re-run."""
    _setup()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tanggap.journeys.imports import import_events as run

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, transient=True) as progress:
        bar = progress.add_task("import events", total=None)
        result = run(Path(path), progress=lambda n: progress.advance(bar, n),
                     total=lambda n: progress.update(bar, total=n))
    for line, problem in result.errors[:50]:
        click.echo(f"line {line}: {problem}" if line else problem, err=True)
    if len(result.errors) > 50:
        click.echo(f"... and {len(result.errors) - 50} more problems", err=True)
    if result.errors and not result.rows:
        click.echo("Nothing imported.", err=True)
        sys.exit(1)
    click.echo(f"{result.rows} rows: {result.created} events stored, {result.existing} already stored, "
               f"{result.failed} rejected.")
    if result.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
