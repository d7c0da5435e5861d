"""The built-in wording of every customer-facing message, in Indonesian, Malay and English.

A manager can override any of them per language in Settings → Templates (a
``MessageTemplate`` row); deleting the override brings the built-in text back.
Placeholders are ``{name}`` fields, filled by ``texts.render``; ``PLACEHOLDERS`` lists
which ones each template may use, and the settings screen refuses any other.
"""

from __future__ import annotations

LANGUAGES = ("id", "ms", "en")

DEFAULTS: dict[str, dict[str, str]] = {
    "acknowledgement": {
        "id": "Halo {customer_name}, terima kasih telah menghubungi kami. Pesan Anda sudah kami terima dengan nomor {reference}.",
        "ms": "Hai {customer_name}, terima kasih kerana menghubungi kami. Mesej anda telah kami terima dengan nombor {reference}.",
        "en": "Hello {customer_name}, thank you for contacting us. We have received your message as {reference}.",
    },
    "promise_made": {
        "id": "Kami akan menyelesaikan masalah ini paling lambat {promise_date}.",
        "ms": "Kami akan menyelesaikan masalah ini selewat-lewatnya {promise_date}.",
        "en": "We will resolve this by {promise_date} at the latest.",
    },
    "promise_redated": {
        "id": "Mohon maaf, kami memerlukan waktu lebih lama untuk {reference}: {reason} Kami akan menyelesaikannya paling lambat {promise_date}.",
        "ms": "Harap maaf, kami memerlukan masa lebih lama untuk {reference}: {reason} Kami akan menyelesaikannya selewat-lewatnya {promise_date}.",
        "en": "We are sorry, {reference} is taking longer: {reason} We will resolve it by {promise_date} at the latest.",
    },
    "progress_update": {
        "id": "Kabar terbaru untuk {reference}: kami masih menangani masalah Anda dan tetap berpegang pada janji kami, selesai paling lambat {promise_date}.",
        "ms": "Makluman terkini untuk {reference}: kami masih menguruskan masalah anda dan kekal dengan janji kami, selesai selewat-lewatnya {promise_date}.",
        "en": "An update on {reference}: we are still working on your problem and keep to our promise to resolve it by {promise_date}.",
    },
    "remedy_answer": {
        "id": "Terima kasih atas kesabaran Anda. {note}",
        "ms": "Terima kasih atas kesabaran anda. {note}",
        "en": "Thank you for your patience. {note}",
    },
    "remedy_fix": {
        "id": "Mohon maaf atas ketidaknyamanannya. Kami sudah memperbaiki masalahnya. {note}",
        "ms": "Harap maaf atas kesulitan ini. Kami telah membaiki masalahnya. {note}",
        "en": "We are sorry for the trouble. We have fixed the problem. {note}",
    },
    "remedy_replace": {
        "id": "Mohon maaf atas ketidaknyamanannya. Kami mengirimkan pengganti untuk pesanan {order} tanpa biaya ({replacement_order}). {note}",
        "ms": "Harap maaf atas kesulitan ini. Kami menghantar gantian untuk pesanan {order} tanpa caj ({replacement_order}). {note}",
        "en": "We are sorry for the trouble. We are sending a free replacement for order {order} ({replacement_order}). {note}",
    },
    "remedy_return": {
        "id": "Pengembalian barang untuk pesanan {order} sudah kami setujui. {note}",
        "ms": "Pemulangan barang untuk pesanan {order} telah kami luluskan. {note}",
        "en": "The return of order {order} is approved. {note}",
    },
    "remedy_refund": {
        "id": "Mohon maaf atas ketidaknyamanannya. Kami mengembalikan dana sebesar {amount} untuk pesanan {order}. {note}",
        "ms": "Harap maaf atas kesulitan ini. Kami memulangkan wang sebanyak {amount} untuk pesanan {order}. {note}",
        "en": "We are sorry for the trouble. We are refunding {amount} for order {order}. {note}",
    },
    "remedy_voucher": {
        "id": "Sebagai permohonan maaf, ini voucher senilai {amount} untuk Anda: {voucher_code}. {note}",
        "ms": "Sebagai tanda maaf, ini baucar bernilai {amount} untuk anda: {voucher_code}. {note}",
        "en": "As an apology, here is a voucher worth {amount} for you: {voucher_code}. {note}",
    },
    # The automatic answer to a new ticket linked to an incident ({incident_status}: what the
    # incident tells customers in their language, and the expected date when one is set).
    "incident_status": {
        "id": "Halo {customer_name}, terima kasih telah menghubungi kami ({reference}). Saat ini ada gangguan yang kemungkinan besar berkaitan dengan pesan Anda, dan tim kami sedang menanganinya. {incident_status} Petugas kami tetap akan membalas pesan Anda.",
        "ms": "Hai {customer_name}, terima kasih kerana menghubungi kami ({reference}). Ketika ini terdapat gangguan yang berkemungkinan besar berkaitan dengan mesej anda, dan pasukan kami sedang menguruskannya. {incident_status} Petugas kami tetap akan membalas mesej anda.",
        "en": "Hello {customer_name}, thank you for contacting us ({reference}). There is a known problem that most likely concerns your message, and our team is working on it. {incident_status} An agent will still answer your message.",
    },
    "product_guides": {
        "id": "Halo {customer_name}, pesanan {order} sedang dalam perjalanan. Supaya langsung bisa dipakai, ini panduannya:\n{guides}",
        "ms": "Hai {customer_name}, pesanan {order} sedang dalam perjalanan. Supaya boleh terus digunakan, ini panduannya:\n{guides}",
        "en": "Hello {customer_name}, your order {order} is on its way. To get started right away, here are the guides:\n{guides}",
    },
    "checkin": {
        "id": "Halo {customer_name}, pesanan {order} sudah Anda terima beberapa hari lalu. Apakah semuanya berfungsi dengan baik? Balas pesan ini jika ada kendala, kami siap membantu.",
        "ms": "Hai {customer_name}, pesanan {order} telah anda terima beberapa hari lalu. Adakah semuanya berfungsi dengan baik? Balas mesej ini jika ada masalah, kami sedia membantu.",
        "en": "Hello {customer_name}, your order {order} arrived a few days ago. Is everything working well? Reply to this message if anything is wrong; we are glad to help.",
    },
    # The reply an agent starts from on a negative marketplace review's ticket (tanggap.reviews.replies):
    # {customer_name} is the reviewer's name ("" in Indonesian when the review names nobody: "Halo Kak,"),
    # {product} the product reviewed, {order_part} " (pesanan INV-9)" or nothing when no order is named.
    "review_reply": {
        "id": "Halo Kak {customer_name}, terima kasih sudah meluangkan waktu menulis ulasan untuk {product}. Kami mohon maaf atas pengalaman yang kurang menyenangkan ini. Tim kami sudah menghubungi Kakak untuk menyelesaikannya{order_part}. Boleh kirimkan detailnya lewat chat toko agar kami bantu segera?",
        "ms": "Hai {customer_name}, terima kasih kerana meluangkan masa menulis ulasan untuk {product}. Kami memohon maaf atas pengalaman yang kurang menyenangkan ini. Pasukan kami sedang menghubungi anda untuk menyelesaikannya{order_part}. Boleh hantar butirannya melalui chat kedai supaya kami bantu segera?",
        "en": "Hi {customer_name}, thank you for taking the time to review {product}. We are sorry about this experience. Our team is reaching out to you to put it right{order_part}. Could you send us the details through the shop chat so we can help right away?",
    },
}

COMMON = ("customer_name", "reference", "subject")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "acknowledgement": COMMON + ("promise_date",),
    "promise_made": COMMON + ("promise_date",),
    "promise_redated": COMMON + ("promise_date", "reason"),
    "progress_update": COMMON + ("promise_date",),
    "product_guides": COMMON + ("order", "guides"),
    "checkin": COMMON + ("order",),
    **{f"remedy_{k}": COMMON + ("order", "amount", "note", "replacement_order", "voucher_code")
       for k in ("answer", "fix", "replace", "return", "refund", "voucher")},
    "incident_status": COMMON + ("incident_status", "expected_date"),
    "review_reply": COMMON + ("product", "order", "order_part"),
}
