"""Demo reply templates (tanggap.demo.parts): a handful per situation and mood, in Indonesian,
Malay and English."""

from __future__ import annotations

from tanggap.replies.models import ReplyTemplate

TEMPLATES = [
    {"title": "Maaf, paket terlambat", "categories": ["delivery"], "moods": ["angry", "worried"],
     "body_id": "Halo {customer_name}, kami mohon maaf paket Anda belum sampai. Kami sudah menghubungi kurir dan "
                "akan mengabari Anda paling lambat besok siang. Nomor tiket Anda {ticket_reference}.",
     "body_ms": "Hai {customer_name}, kami memohon maaf kerana bungkusan anda belum tiba. Kami telah menghubungi "
                "kurier dan akan memaklumkan anda selewat-lewatnya esok tengah hari. Nombor tiket anda {ticket_reference}.",
     "body_en": "Hi {customer_name}, we're sorry your parcel hasn't arrived yet. We've contacted the courier and "
                "will update you by tomorrow noon at the latest. Your ticket number is {ticket_reference}."},
    {"title": "Status pengiriman", "categories": ["delivery"], "moods": ["neutral", "happy"],
     "body_id": "Halo {customer_name}, terima kasih sudah menghubungi kami. Paket Anda sedang dalam perjalanan; "
                "kami kirimkan nomor resinya di pesan berikut.",
     "body_ms": "Hai {customer_name}, terima kasih kerana menghubungi kami. Bungkusan anda sedang dalam perjalanan; "
                "kami akan menghantar nombor penjejakan dalam mesej seterusnya.",
     "body_en": "Hi {customer_name}, thanks for getting in touch. Your parcel is on its way; we'll send the "
                "tracking number in the next message."},
    {"title": "Kabar gangguan yang sedang kami tangani", "situations": ["incident"],
     "body_id": "Halo {customer_name}, masalah yang Anda alami sedang dialami juga oleh pelanggan lain dan tim kami "
                "sedang menanganinya. Kami akan mengabari Anda begitu selesai, tanpa perlu menghubungi kami lagi.",
     "body_ms": "Hai {customer_name}, masalah yang anda alami turut dialami oleh pelanggan lain dan pasukan kami "
                "sedang menanganinya. Kami akan memaklumkan anda sebaik sahaja selesai.",
     "body_en": "Hi {customer_name}, other customers are seeing the same problem and our team is working on it. "
                "We'll let you know as soon as it's fixed; there's no need to contact us again."},
    {"title": "Janji kami bergeser", "situations": ["promise_slipped"], "moods": ["angry", "worried"],
     "body_id": "Halo {customer_name}, kami tidak bisa menepati waktu yang kami janjikan, dan kami mohon maaf. "
                "Tanggal barunya sudah kami catat di tiket {ticket_reference}, dan kami akan mengabari Anda sebelum itu.",
     "body_ms": "Hai {customer_name}, kami tidak dapat menepati masa yang dijanjikan dan kami memohon maaf. "
                "Tarikh baharu telah kami catat dalam tiket {ticket_reference}.",
     "body_en": "Hi {customer_name}, we couldn't keep the time we promised, and we apologise. The new date is on "
                "ticket {ticket_reference}, and we'll update you before then."},
    {"title": "Penawaran penyelesaian", "situations": ["remedy"],
     "body_id": "Halo {customer_name}, sebagai penyelesaian kami sudah menyiapkan penggantian untuk Anda. "
                "Detailnya ada di pesan berikut; balas pesan ini bila ada yang kurang jelas.",
     "body_ms": "Hai {customer_name}, sebagai penyelesaian kami telah menyediakan penggantian untuk anda. "
                "Butirannya dalam mesej seterusnya.",
     "body_en": "Hi {customer_name}, to put this right we've arranged a replacement for you. The details follow "
                "in the next message; reply here if anything is unclear."},
    {"title": "Terima kasih atas kabar baiknya", "moods": ["happy"],
     "body_id": "Terima kasih banyak, {customer_name}! Senang mendengarnya. Kalau ada yang bisa kami bantu lagi, "
                "balas saja pesan ini.",
     "body_ms": "Terima kasih banyak, {customer_name}! Gembira mendengarnya. Jika ada apa-apa lagi, balas sahaja mesej ini.",
     "body_en": "Thank you so much, {customer_name}! Great to hear. If there's anything else, just reply to this message."},
    {"title": "Jawaban pertama untuk pertanyaan", "categories": ["question"], "situations": ["first_contact"],
     "body_id": "Halo {customer_name}, terima kasih atas pertanyaannya. Saya {agent_name} dan akan membantu Anda.",
     "body_ms": "Hai {customer_name}, terima kasih atas soalan anda. Saya {agent_name} dan akan membantu anda.",
     "body_en": "Hi {customer_name}, thanks for your question. I'm {agent_name} and I'll help you with it."},
    {"title": "Tagihan ganda", "categories": ["billing"],
     "body_id": "Halo {customer_name}, kami sudah memeriksa tagihan Anda. Bila benar terpotong dua kali, dana "
                "dikembalikan dalam 3 hari kerja.",
     "body_ms": "Hai {customer_name}, kami telah menyemak bil anda. Jika benar ditolak dua kali, wang akan "
                "dipulangkan dalam 3 hari bekerja.",
     "body_en": "Hi {customer_name}, we've checked your bill. If you were charged twice, the money is returned "
                "within 3 working days."},
    {"title": "Maaf, balasan kami terlambat", "situations": ["sla_breached"],
     "body_id": "Halo {customer_name}, maaf Anda menunggu lebih lama dari yang seharusnya. Kami tangani sekarang.",
     "body_ms": "Hai {customer_name}, maaf kerana anda menunggu lebih lama daripada sepatutnya. Kami uruskan sekarang.",
     "body_en": "Hi {customer_name}, sorry you waited longer than you should have. We're on it now."},
]


def play(ctx) -> dict:
    ReplyTemplate.objects.bulk_create([ReplyTemplate(created_at=ctx.now, updated_at=ctx.now, **t) for t in TEMPLATES])
    return {"reply_templates": len(TEMPLATES)}
