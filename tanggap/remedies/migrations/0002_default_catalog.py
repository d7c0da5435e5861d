"""The default remedy catalog for an Indonesian online shop. Managers change it later in the
settings screens; this migration only adds rules that are not there yet, and never overwrites."""

from decimal import Decimal

from django.db import migrations

D = Decimal
# (category, kind, approval_above, max_amount, window_days, window_from, note)
DEFAULT_RULES = [
    ("question", "answer", None, None, None, "delivered", "Jawab pertanyaannya dengan jelas."),
    ("defect", "replace", None, None, 7, "delivered",
     "Ganti barang yang rusak tanpa biaya, dalam 7 hari sejak diterima."),
    ("defect", "return", None, None, 14, "delivered", "Retur dalam 14 hari sejak diterima."),
    ("defect", "refund", D("500000"), None, None, "delivered",
     "Refund sampai Rp500.000 langsung; di atasnya perlu persetujuan lead."),
    ("defect", "voucher", None, D("100000"), None, "delivered", "Voucher permintaan maaf, paling banyak Rp100.000."),
    ("bug", "fix", None, None, None, "delivered", "Perbaiki masalahnya lalu kabari pelanggan."),
    ("bug", "answer", None, None, None, "delivered", "Jelaskan cara mengatasinya."),
    ("delivery", "voucher", None, D("50000"), None, "delivered", "Voucher untuk keterlambatan, paling banyak Rp50.000."),
    ("delivery", "refund", D("500000"), None, None, "delivered",
     "Refund ongkos kirim atau paket hilang; di atas Rp500.000 perlu persetujuan lead."),
    ("delivery", "replace", D("0"), None, 30, "placed",
     "Kirim ulang paket yang hilang (dalam 30 hari sejak pesanan); selalu perlu persetujuan lead."),
    ("billing", "refund", D("0"), None, None, "delivered", "Kelebihan tagihan: selalu perlu persetujuan lead."),
    ("billing", "answer", None, None, None, "delivered", "Jelaskan rincian tagihannya."),
    ("refund_request", "refund", D("500000"), None, 14, "delivered",
     "Refund dalam 14 hari sejak diterima; di atas Rp500.000 perlu persetujuan lead."),
    ("refund_request", "return", None, None, 14, "delivered", "Retur dalam 14 hari sejak diterima."),
    ("complaint", "answer", None, None, None, "delivered", "Minta maaf dan jelaskan."),
    ("complaint", "voucher", None, D("100000"), None, "delivered", "Voucher permintaan maaf, paling banyak Rp100.000."),
    ("other", "answer", None, None, None, "delivered", ""),
]


def add_defaults(apps, schema_editor):
    RemedyRule = apps.get_model("remedies", "RemedyRule")
    for category, kind, approval_above, max_amount, window_days, window_from, note in DEFAULT_RULES:
        RemedyRule.objects.get_or_create(
            category=category, kind=kind,
            defaults={"approval_above": approval_above, "max_amount": max_amount, "window_days": window_days,
                      "window_from": window_from, "note": note, "active": True},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("remedies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
