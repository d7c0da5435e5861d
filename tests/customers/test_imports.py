"""CSV imports: all rows or none, problems reported with their line numbers."""

import subprocess
import sys

import pytest

from tanggap.customers.imports import import_orders, import_products
from tanggap.customers.models import Customer, Order, Product

pytestmark = pytest.mark.django_db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_products_are_imported_and_updated_by_sku(tmp_path):
    path = write(tmp_path, "p.csv", "sku,name,category,price\nPG-1,Pasta Gigi,perawatan,18500\nSK-1,Sikat Gigi,perawatan,12000\n")
    result = import_products(path)
    assert (result.rows, result.created, result.errors) == (2, 2, [])
    again = import_products(write(tmp_path, "p2.csv", "sku,name,price\nPG-1,Pasta Gigi Herbal,19000\n"))
    assert (again.created, again.updated) == (0, 1)
    assert Product.objects.get(sku="PG-1").name == "Pasta Gigi Herbal"


def test_a_bad_row_stops_the_whole_file_and_names_its_line(tmp_path):
    path = write(tmp_path, "p.csv", "sku,name,price\nPG-1,Pasta Gigi,18500\n,Tanpa SKU,100\nSK-1,Sikat,dua ribu\n")
    result = import_products(path)
    assert result.errors == [(3, "sku and name are required"), (4, "price 'dua ribu' is not a number")]
    assert Product.objects.count() == 0


def test_orders_group_lines_by_external_id_and_find_customers(tmp_path):
    import_products(write(tmp_path, "p.csv", "sku,name,price\nPG-1,Pasta Gigi,18500\nSK-1,Sikat Gigi,12000\n"))
    path = write(tmp_path, "o.csv",
                 "external_id,customer_email,customer_phone,customer_name,sku,quantity,unit_price,status,placed_at,courier,region\n"
                 "INV-1,rina@x.id,,Rina,PG-1,2,,delivered,2026-11-01T10:00:00+07:00,JNE,Bandung\n"
                 "INV-1,rina@x.id,,Rina,SK-1,1,11000,delivered,2026-11-01T10:00:00+07:00,JNE,Bandung\n"
                 "INV-2,,081299998888,Joko,SK-1,1,,placed,,SiCepat,Medan\n")
    result = import_orders(path)
    assert (result.rows, result.created, result.errors) == (3, 2, [])
    inv1 = Order.objects.get(external_id="INV-1")
    assert (str(inv1.total), inv1.status, inv1.courier, inv1.customer.name) == ("48000.00", "delivered", "JNE", "Rina")
    assert Customer.objects.count() == 2
    assert import_orders(path).created == 0


def test_orders_with_problems_import_nothing(tmp_path):
    import_products(write(tmp_path, "p.csv", "sku,name,price\nPG-1,Pasta Gigi,18500\n"))
    path = write(tmp_path, "o.csv", "external_id,customer_email,sku,quantity,status,placed_at\n"
                                    "INV-1,a@x.id,PG-1,1,delivered,2026-11-01T10:00:00+07:00\n"
                                    "INV-2,b@x.id,NOPE,0,lost,2026-11-01\n")
    result = import_orders(path)
    assert result.errors == [(3, "unknown product sku 'NOPE'"), (3, "quantity '0' must be a whole number of at least 1"),
                             (3, "status 'lost' is not one of placed, paid, shipped, delivered, returned, cancelled"),
                             (3, "placed_at '2026-11-01' needs a time zone offset (e.g. +07:00)")]
    assert Order.objects.count() == 0


def test_a_file_without_the_needed_columns_is_refused(tmp_path):
    result = import_orders(write(tmp_path, "o.csv", "id,email\n1,a@b.id\n"))
    assert result.errors == [(1, "missing column(s): external_id, sku")]


def test_the_cli_reports_problems_and_exits_non_zero(tmp_path, migrated_var):
    env_path = write(tmp_path, "p.csv", "sku,name,price\n,Tanpa SKU,1\n")
    env = {"TANGGAP_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "tanggap.settings", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "tanggap.cli", "import", "products", str(env_path)], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "line 2: sku and name are required" in run.stderr
    assert "Nothing imported: 1 problem(s) in 1 rows." in run.stderr
