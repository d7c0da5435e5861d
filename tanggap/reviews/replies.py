"""The reply template an agent starts from on a negative review's ticket, in the reviewer's
language. Filled with ``texts.services.fill``; the agent edits it before sending."""

from __future__ import annotations

from tanggap.texts.services import fill, language_of

REPLY_TEMPLATES: dict[str, str] = {
    "id": ("Halo Kak {name}, terima kasih sudah meluangkan waktu menulis ulasan untuk {product}. "
           "Kami mohon maaf atas pengalaman yang kurang menyenangkan ini. Tim kami sudah menghubungi Kakak "
           "untuk menyelesaikannya{order_part}. Boleh kirimkan detailnya lewat chat toko agar kami bantu segera?"),
    "ms": ("Hai {name}, terima kasih kerana meluangkan masa menulis ulasan untuk {product}. "
           "Kami memohon maaf atas pengalaman yang kurang menyenangkan ini. Pasukan kami sedang menghubungi anda "
           "untuk menyelesaikannya{order_part}. Boleh hantar butirannya melalui chat kedai supaya kami bantu segera?"),
    "en": ("Hi {name}, thank you for taking the time to review {product}. "
           "We are sorry about this experience. Our team is reaching out to you to put it right{order_part}. "
           "Could you send us the details through the shop chat so we can help right away?"),
}
ORDER_PART = {"id": " (pesanan {order})", "ms": " (pesanan {order})", "en": " (order {order})"}
PRODUCT_FALLBACK = {"id": "pesanan Kakak", "ms": "pesanan anda", "en": "your order"}
NAME_FALLBACK = {"id": "", "ms": "tuan/puan", "en": "there"}


def reply_template(*, language: str, name: str = "", product: str = "", order: str = "") -> str:
    language = language_of(language)
    order_part = fill(ORDER_PART[language], order=order) if order else ""
    text = fill(REPLY_TEMPLATES[language], name=(name or NAME_FALLBACK[language]).strip(),
                product=product or PRODUCT_FALLBACK[language], order_part=order_part)
    return " ".join(text.replace("Kak ,", "Kak,").split())
