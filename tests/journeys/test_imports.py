"""CSV import of journey events: row by row, bad rows reported by line number, re-runnable."""

import subprocess
import sys

import pytest

from tanggap.customers.models import Customer, Order
from tanggap.journeys.imports import import_events
from tanggap.journeys.models import JourneyEvent

pytestmark = pytest.mark.django_db

HEADER = "external_id,kind,occurred_at,source,channel,customer_id,customer_email,customer_phone,customer_name,order,product,summary,data\n"


def write(tmp_path, text, name="events.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_are_stored_and_each_bad_row_is_reported_with_its_line(tmp_path, order, rina):
    path = write(tmp_path, HEADER +
                 'v1,site_visit,2026-11-01T10:00:00+07:00,ga,web,,rina@example.id,,Rina,,PG-190,Halaman produk,"{""url"": ""/p/pg-190""}"\n'
                 "v2,teleported,2026-11-01T10:05:00+07:00,ga,web,,rina@example.id,,,,,,\n"
                 "s1,order_shipped,2026-11-02T09:00:00+07:00,shop,,,,,,INV/2026/0001,,,\n"
                 "v3,store_visit,2026-11-02,pos,store,,,0812-5555-6666,Dedi,,,,\n"
                 "v4,search,2026-11-03T08:00:00+07:00,ga,web,,,,,,,,\n"
                 "s2,order_delivered,2026-11-04T09:00:00+07:00,shop,,,,,,INV/404,,,\n"
                 "v5,store_visit,2026-11-05T11:00:00+07:00,pos,store,,,0812-5555-6666,Dedi,,,,\n")
    seen = []
    result = import_events(path, progress=seen.append)
    assert (result.rows, result.created, result.existing, result.failed) == (7, 3, 0, 4)
    assert [line for line, _ in result.errors] == [3, 5, 6, 7]
    assert result.errors[0][1].startswith("kind 'teleported' is not one of ad_seen, search,")
    assert "needs a time zone offset" in result.errors[1][1]
    assert result.errors[2][1].startswith("An event needs customer_id, or customer with an email")
    assert result.errors[3][1] == "Unknown order 'INV/404'; post it to /orders first."
    assert sum(seen) == 7
    visit = JourneyEvent.objects.get(external_id="v1")
    assert (visit.customer_id, visit.product.sku, visit.data) == (rina.pk, "PG-190", {"url": "/p/pg-190"})
    assert Order.objects.get(pk=order.pk).status == "shipped"
    dedi = Customer.objects.get(name="Dedi")
    assert dedi.identities.get().value == "+6281255556666"


def test_running_the_corrected_file_again_stores_only_what_was_missing(tmp_path, rina):
    bad = write(tmp_path, HEADER + "a1,ad_seen,2026-11-01T10:00:00+07:00,ads,instagram,,rina@example.id,,,,,,\n"
                                   "a2,ad_seen,kemarin,ads,instagram,,rina@example.id,,,,,,\n")
    assert [line for line, _ in import_events(bad).errors] == [3]
    fixed = write(tmp_path, HEADER + "a1,ad_seen,2026-11-01T10:00:00+07:00,ads,instagram,,rina@example.id,,,,,,\n"
                                     "a2,ad_seen,2026-11-01T11:00:00+07:00,ads,instagram,,rina@example.id,,,,,,\n", "fixed.csv")
    result = import_events(fixed)
    assert (result.created, result.existing, result.errors) == (1, 1, [])
    assert JourneyEvent.objects.filter(customer=rina).count() == 2


def test_a_file_without_the_needed_columns_or_not_utf8_imports_nothing(tmp_path):
    result = import_events(write(tmp_path, "id,what\n1,visit\n"))
    assert result.errors == [(1, "missing column(s): external_id, kind")]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "v1,search,2026-11-01T10:00:00+07:00,ga,web,,jos\xe9@x.id,,,,,,\n".encode("latin-1"))
    result = import_events(latin)
    assert result.errors[0][0] == 0 and "UTF-8" in result.errors[0][1]
    assert JourneyEvent.objects.count() == 0


def test_the_cli_imports_events_with_a_report_and_exits_non_zero_on_bad_rows(tmp_path, migrated_var):
    path = write(tmp_path, HEADER + "v1,site_visit,2026-11-01T10:00:00+07:00,ga,web,,rina@example.id,,Rina,,,,\n"
                                    "v2,teleported,2026-11-01T10:05:00+07:00,ga,web,,rina@example.id,,,,,,\n")
    env = {"TANGGAP_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "tanggap.settings", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "tanggap.cli", "import", "events", str(path)], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "line 3: kind 'teleported' is not one of" in run.stderr
    assert "2 rows: 1 events stored, 0 already stored, 1 rejected." in run.stdout
    again = subprocess.run([sys.executable, "-m", "tanggap.cli", "import", "events", str(path)], env=env,
                           capture_output=True, text=True)
    assert "2 rows: 0 events stored, 1 already stored, 1 rejected." in again.stdout
