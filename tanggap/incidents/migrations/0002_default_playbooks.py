"""Default playbooks, one per problem type: steps with deadlines (owner teams left blank for a
manager to fill in), the proactive notice and the status answer in Indonesian, Malay and
English, and the remedy offered. Added only where no playbook of that name exists; never
overwrites a manager's edits.

Notice placeholders (filled per customer by ``tanggap.proactive.services.notice_text``):
{customer_name}, {order}, {expected_date}, {remedy}, {incident}. The status wording becomes the
incident's customer status with {remedy} filled in when the incident starts; the incidents app
adds the expected date when it answers a customer who writes in."""

from decimal import Decimal

from django.db import migrations

# name -> problem type, description, remedy kind, remedy amount, steps [(title, deadline minutes)],
#         notice templates, status templates
DEFAULT_PLAYBOOKS = {
    "Keterlambatan kurir": {
        "problem_type": "courier_delay",
        "description": "A courier is late in a region: tell every customer whose parcel is still on the way "
                       "before they ask, with a new expected date and a voucher.",
        "remedy_kind": "voucher",
        "remedy_amount": Decimal("25000"),
        "steps": [
            ("Konfirmasi keterlambatan dan perkiraan tiba baru dengan kurir", 30),
            ("Periksa dan setujui draf pemberitahuan pelanggan", 60),
            ("Kirim pemberitahuan proaktif ke pelanggan terdampak", 120),
            ("Pantau paket yang masih tertahan dan perbarui status insiden", 24 * 60),
            ("Tutup insiden dan catat pelajaran", 3 * 24 * 60),
        ],
        "notice": {
            "id": "Halo {customer_name}, kami mohon maaf: pengiriman pesanan {order} Anda terlambat karena gangguan "
                  "di pihak kurir. Perkiraan paket tiba: {expected_date}. {remedy} Anda tidak perlu melakukan apa pun; "
                  "balas pesan ini jika ada pertanyaan.",
            "ms": "Hai {customer_name}, kami memohon maaf: penghantaran pesanan {order} anda lewat kerana gangguan "
                  "di pihak kurier. Anggaran bungkusan tiba: {expected_date}. {remedy} Anda tidak perlu berbuat apa-apa; "
                  "balas mesej ini jika ada pertanyaan.",
            "en": "Hello {customer_name}, we are sorry: the delivery of your order {order} is late because of a problem "
                  "at the courier. Your parcel should now arrive by {expected_date}. {remedy} You do not need to do "
                  "anything; reply to this message if you have a question.",
        },
        "status": {
            "id": "Pengiriman oleh kurir sedang terlambat dan kami sedang menanganinya bersama kurir. {remedy}",
            "ms": "Penghantaran oleh kurier sedang lewat dan kami sedang menanganinya bersama kurier. {remedy}",
            "en": "Deliveries by the courier are running late and we are working on it with them. {remedy}",
        },
    },
    "Batch produk cacat": {
        "problem_type": "defective_batch",
        "description": "A production batch is faulty: tell every customer who bought it, stop shipping it, "
                       "and send a replacement.",
        "remedy_kind": "replace",
        "remedy_amount": None,
        "steps": [
            ("Tahan pengiriman stok dari batch yang bermasalah", 30),
            ("Pastikan batch dan rentang tanggal penjualan yang terdampak", 2 * 60),
            ("Periksa dan setujui draf pemberitahuan pelanggan", 3 * 60),
            ("Siapkan stok pengganti", 24 * 60),
            ("Laporkan ke pemasok dan tutup insiden", 5 * 24 * 60),
        ],
        "notice": {
            "id": "Halo {customer_name}, kami mohon maaf: produk dalam pesanan {order} Anda berasal dari batch yang "
                  "ternyata bermasalah. {remedy} Penggantinya kami kirim paling lambat {expected_date}. "
                  "Balas pesan ini jika ada pertanyaan.",
            "ms": "Hai {customer_name}, kami memohon maaf: produk dalam pesanan {order} anda datang daripada kelompok "
                  "yang didapati rosak. {remedy} Penggantinya akan kami hantar selewat-lewatnya {expected_date}. "
                  "Balas mesej ini jika ada pertanyaan.",
            "en": "Hello {customer_name}, we are sorry: the product in your order {order} comes from a batch that turned "
                  "out to be faulty. {remedy} We will send the replacement by {expected_date}. "
                  "Reply to this message if you have a question.",
        },
        "status": {
            "id": "Satu batch produk ini ternyata bermasalah dan kami sedang menanganinya. {remedy}",
            "ms": "Satu kelompok produk ini didapati rosak dan kami sedang menanganinya. {remedy}",
            "en": "One batch of this product turned out to be faulty and we are on it. {remedy}",
        },
    },
    "Gangguan pembayaran": {
        "problem_type": "payment_failure",
        "description": "A payment gateway fails or charges twice: tell the customers whose orders are stuck "
                       "and refund any double charge.",
        "remedy_kind": "refund",
        "remedy_amount": None,
        "steps": [
            ("Hubungi penyedia pembayaran dan pastikan penyebabnya", 20),
            ("Periksa dan setujui draf pemberitahuan pelanggan", 45),
            ("Cocokkan tagihan ganda dan siapkan refund", 4 * 60),
            ("Tutup insiden setelah pembayaran normal kembali", 24 * 60),
        ],
        "notice": {
            "id": "Halo {customer_name}, kami mohon maaf: pembayaran pesanan {order} Anda terkendala gangguan di "
                  "penyedia pembayaran kami. Pesanan Anda aman dan akan kami proses paling lambat {expected_date}. "
                  "{remedy}",
            "ms": "Hai {customer_name}, kami memohon maaf: pembayaran pesanan {order} anda terjejas oleh gangguan di "
                  "penyedia pembayaran kami. Pesanan anda selamat dan akan kami proses selewat-lewatnya {expected_date}. "
                  "{remedy}",
            "en": "Hello {customer_name}, we are sorry: the payment for your order {order} was caught by a problem at "
                  "our payment provider. Your order is safe and we will process it by {expected_date}. {remedy}",
        },
        "status": {
            "id": "Penyedia pembayaran kami sedang terganggu dan kami sedang menanganinya; pesanan Anda aman. {remedy}",
            "ms": "Penyedia pembayaran kami sedang terganggu dan kami sedang menanganinya; pesanan anda selamat. {remedy}",
            "en": "Our payment provider has a problem and we are on it; your order is safe. {remedy}",
        },
    },
    "Gangguan layanan": {
        "problem_type": "outage",
        "description": "The shop, app or a service is down: tell the customers with orders in progress.",
        "remedy_kind": "",
        "remedy_amount": None,
        "steps": [
            ("Pastikan cakupan gangguan dengan tim teknis", 15),
            ("Pasang pengumuman status di situs dan aplikasi", 30),
            ("Periksa dan setujui draf pemberitahuan pelanggan", 45),
            ("Tutup insiden setelah layanan pulih", 8 * 60),
        ],
        "notice": {
            "id": "Halo {customer_name}, kami mohon maaf: layanan kami sedang terganggu dan pesanan {order} Anda "
                  "mungkin tertunda. Kami perkirakan layanan pulih {expected_date}. {remedy}",
            "ms": "Hai {customer_name}, kami memohon maaf: perkhidmatan kami sedang terganggu dan pesanan {order} "
                  "anda mungkin tertangguh. Kami jangka perkhidmatan pulih {expected_date}. {remedy}",
            "en": "Hello {customer_name}, we are sorry: our service is disrupted and your order {order} may be "
                  "delayed. We expect it to be back by {expected_date}. {remedy}",
        },
        "status": {
            "id": "Layanan kami sedang terganggu dan kami sedang memperbaikinya.",
            "ms": "Perkhidmatan kami sedang terganggu dan kami sedang membaikinya.",
            "en": "Our service is disrupted and we are fixing it.",
        },
    },
}


def add_defaults(apps, schema_editor):
    Playbook = apps.get_model("incidents", "Playbook")
    PlaybookStep = apps.get_model("incidents", "PlaybookStep")
    for name, spec in DEFAULT_PLAYBOOKS.items():
        playbook, created = Playbook.objects.get_or_create(
            name=name,
            defaults={"problem_type": spec["problem_type"], "description": spec["description"], "active": True,
                      "notice_templates": spec["notice"], "status_templates": spec["status"],
                      "remedy_kind": spec["remedy_kind"], "remedy_amount": spec["remedy_amount"]},
        )
        if created:
            PlaybookStep.objects.bulk_create(
                PlaybookStep(playbook=playbook, position=i, title=title, deadline_minutes=minutes)
                for i, (title, minutes) in enumerate(spec["steps"], start=1))


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
