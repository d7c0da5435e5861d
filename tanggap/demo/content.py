"""What the demo store's customers and agents write, in Indonesian, Malay and English.

Templates are ``str.format`` strings over one slot dictionary built per ticket (see
``plan._slots``): {order} {product} {item} {other} {item2} {courier} {awb} {tracking}
{days} {date} {city} {amount} {amount2} {payment} {voucher} {points} {qty} {n_lines}
{damage} {defect} {howto_q} {howto_a} {exp} {address} {promise} {new_awb} {first}
{agent} {refund_days} {batch} {kb}.

Customer messages are ``(subject, body)``: the subject is used on email and the web form;
on chat-like channels the body alone is sent, so its first sentence carries the gist.
"""

from __future__ import annotations

# Theme -> ticket category, team, tags, reply family.
THEMES: dict[str, dict] = {
    "late": {"category": "delivery", "team": "Pengiriman", "tags": ["terlambat"], "family": "delivery"},
    "incident": {"category": "delivery", "team": "Pengiriman", "tags": ["terlambat"], "family": "delivery"},
    "damaged": {"category": "defect", "team": "Layanan Pelanggan", "tags": ["rusak"], "family": "product"},
    "defective": {"category": "defect", "team": "Layanan Pelanggan", "tags": ["cacat-produk", "garansi"], "family": "product"},
    "toothpaste": {"category": "defect", "team": "Layanan Pelanggan", "tags": ["pasta-gigi", "isi-kurang"], "family": "product"},
    "wrong_item": {"category": "complaint", "team": "Layanan Pelanggan", "tags": ["salah-kirim"], "family": "product"},
    "missing_item": {"category": "delivery", "team": "Pengiriman", "tags": ["barang-kurang"], "family": "product"},
    "refund": {"category": "refund_request", "team": "Pembayaran", "tags": ["refund"], "family": "money"},
    "payment_failed": {"category": "billing", "team": "Pembayaran", "tags": ["pembayaran-gagal"], "family": "money"},
    "double_charge": {"category": "billing", "team": "Pembayaran", "tags": ["tagihan-ganda"], "family": "money"},
    "howto": {"category": "question", "team": "Layanan Pelanggan", "tags": ["cara-pakai"], "family": "howto"},
    "loyalty": {"category": "question", "team": "Layanan Pelanggan", "tags": ["voucher-poin"], "family": "loyalty"},
    "fake": {"category": "complaint", "team": "Layanan Pelanggan", "tags": ["kemasan", "keaslian"], "family": "product"},
    "expired": {"category": "defect", "team": "Layanan Pelanggan", "tags": ["kedaluwarsa"], "family": "product"},
    "compliment": {"category": "other", "team": "Layanan Pelanggan", "tags": ["pujian"], "family": "compliment"},
    "address": {"category": "delivery", "team": "Pengiriman", "tags": ["ubah-pesanan"], "family": "address"},
}

# How often each theme opens a ticket (the incident cluster is planned separately).
THEME_WEIGHTS = {
    "late": 16, "damaged": 9, "defective": 7, "toothpaste": 4, "wrong_item": 7, "missing_item": 4, "refund": 9,
    "payment_failed": 5, "double_charge": 3.5, "howto": 10, "loyalty": 8, "fake": 4, "expired": 3,
    "compliment": 5, "address": 3.5,
}

# ------------------------------------------------------------------------------------
# Customers' first messages
# ------------------------------------------------------------------------------------

INITIAL: dict[str, dict[str, list[tuple[str, str]]]] = {
    "late": {
        "id": [
            ("Pesanan {order} belum sampai",
             "Halo kak, pesanan saya {order} sudah {days} hari belum sampai juga. Di tracking {courier} statusnya masih \"{tracking}\" dari kemarin. Tolong dibantu cek ya."),
            ("Paket belum diterima - {order}",
             "Permisi min, mau tanya paket {order} isi {item} kok belum datang ya? Estimasinya kan 2-3 hari, ini sudah {days} hari. Resi {awb}."),
            ("Status pengiriman tidak update",
             "Selamat siang, resi {courier} {awb} untuk order {order} tidak ada update sejak {days} hari lalu. Apakah paketnya hilang? Saya butuh {item} ini minggu ini."),
            ("Kapan pesanan saya tiba?",
             "Halo, saya order {product} tanggal {date} ({order}), sampai sekarang belum sampai di {city}. Kurirnya {courier}. Mohon info kapan kira-kira tiba."),
            ("Keterlambatan pengiriman {order}",
             "Kak, paket saya {order} muter-muter terus di gudang {courier}, sudah {days} hari. Sudah saya tanya ke kurir, katanya suruh hubungi penjual. Gimana ini?"),
            ("Status terkirim tapi paket tidak ada",
             "Min, di aplikasi {courier} status paket {order} sudah \"terkirim\" tapi saya tidak terima apa-apa. Satpam dan tetangga juga bilang tidak ada kiriman. Tolong dicek ya."),
        ],
        "ms": [
            ("Tempahan {order} belum sampai",
             "Salam, tempahan saya {order} masih belum sampai walaupun sudah {days} hari. Tracking {courier} masih tunjuk \"{tracking}\". Boleh tolong semak?"),
            ("Parcel tak bergerak",
             "Hai admin, parcel {order} saya tak bergerak langsung sejak {days} hari lepas. No. tracking {awb}. Bila agaknya akan dihantar ke {city}?"),
            ("Penghantaran lambat",
             "Assalamualaikum, saya order {product} pada {date} tapi sampai sekarang belum terima. Kurier {courier}. Saya perlukan barang ni kerana nak guna hujung minggu ni."),
            ("Status dihantar tapi tiada barang",
             "Hai, status {courier} untuk {order} tulis sudah dihantar, tapi saya tak terima apa-apa pun. Jiran dan pengawal pun tak nampak. Tolong siasat ya."),
        ],
        "en": [
            ("Order {order} hasn't arrived",
             "Hi, my order {order} still hasn't arrived after {days} days. The {courier} tracking has said \"{tracking}\" since yesterday. Could you please check?"),
            ("Where is my parcel?",
             "Hello, I ordered {product} on {date} ({order}) and it's still not here in {city}. Tracking number {awb} hasn't updated for {days} days. Please advise."),
            ("Delivery delay",
             "Hi there, the estimate for {order} was 2-3 days but it's been {days}. {courier} told me to contact the seller. Can you please chase this up?"),
            ("Marked delivered but not received",
             "Hi, {courier} shows {order} as delivered but nothing was left at my door or with security. Please look into it, I need the {item} this week."),
        ],
    },
    "incident": {
        "id": [
            ("Paket tertahan di {courier} {city}",
             "Halo kak, paket {order} saya sudah {days} hari statusnya \"{tracking}\" di {courier} {city}. Nggak gerak sama sekali. Ada masalah apa ya?"),
            ("Resi {awb} tidak bergerak",
             "Min tolong, resi {awb} ({order}) dari kemarin lusa cuma tertulis \"{tracking}\". Saya di {city}. Kata teman saya paket dari toko lain juga nyangkut di {courier}."),
            ("Pesanan {order} belum sampai ke {city}",
             "Selamat pagi, pesanan {product} saya belum sampai, sudah lewat estimasi. Tracking {courier} berhenti di \"{tracking}\". Mohon kejelasannya kapan bisa diantar ke {city}."),
            ("Paket lama sekali",
             "Kak pesanan aku {order} kok lama banget ya, {courier} bilangnya lagi ada penumpukan paket di {city}. Kira-kira berapa hari lagi? Soalnya {item}nya mau dipakai."),
            ("Komplain pengiriman {courier}",
             "Halo, saya mau komplain pengiriman {courier} untuk order {order}. Sudah {days} hari, CS {courier} tidak bisa dihubungi. Bisa bantu tanyakan dari pihak toko?"),
        ],
        "en": [
            ("Parcel stuck at {courier} {city}",
             "Hi, my order {order} has shown \"{tracking}\" at {courier} {city} for {days} days now. Is something wrong with the hub? Please help."),
        ],
        "ms": [
            ("Parcel tersekat di {courier} {city}",
             "Salam admin, parcel {order} saya tersekat \"{tracking}\" di {courier} {city} sudah {days} hari. Boleh tolong semak?"),
        ],
    },
    "damaged": {
        "id": [
            ("Barang rusak saat diterima - {order}",
             "Halo kak, {product} dari pesanan {order} sampai dalam keadaan rusak. Dusnya penyok dan {damage}. Saya ada video unboxing-nya. Mohon solusinya."),
            ("Produk sampai dalam keadaan rusak",
             "Min, paket baru sampai tadi, {item} di dalamnya {damage}. Bubble wrap-nya cuma selapis. Bisa tukar baru?"),
            ("Kemasan hancur",
             "Permisi, paket {order} datang dengan kardus sobek dan {item} {damage}. Barang lain di dalamnya ikut kotor. Mohon diganti ya."),
            ("Barang cacat karena pengiriman",
             "Selamat sore, saya terima {product} hari ini tapi {damage}. Padahal masih baru dan belum dipakai sama sekali. Nomor pesanan {order}."),
            ("Retur barang rusak",
             "Kak, {item} yang saya terima {damage}. Sudah saya foto semua sisinya. Prosedur retur atau tukar barangnya gimana ya?"),
        ],
        "ms": [
            ("Barang rosak semasa diterima",
             "Salam, {product} dalam tempahan {order} sampai dalam keadaan rosak, {damage}. Saya ada video semasa buka kotak. Mohon penyelesaian."),
            ("Barang pecah",
             "Hai admin, parcel sampai tadi tapi {item} {damage}. Pembungkusan terlalu nipis. Boleh tukar yang baru?"),
            ("Kotak remuk, barang rosak",
             "Salam tuan/puan, kotak untuk {order} remuk teruk dan {item} di dalamnya {damage}. Saya kecewa kerana ini hadiah untuk mak saya."),
        ],
        "en": [
            ("Item arrived damaged - {order}",
             "Hi, the {product} from order {order} arrived damaged: {damage}. I have an unboxing video. Please let me know how to get a replacement."),
            ("Broken on arrival",
             "Hello, my parcel came today and the {item} {damage}. The box was crushed and there was barely any padding. Can you send a new one?"),
            ("Damaged product",
             "Hi, I received {product} ({order}) and {damage}. It's brand new and unused. What are my options?"),
        ],
    },
    "defective": {
        "id": [
            ("{product} tidak berfungsi",
             "Halo kak, {product} yang saya beli ({order}) tidak berfungsi normal. {defect} Sudah saya coba sesuai petunjuk di manual."),
            ("Produk cacat",
             "Min, {item} saya baru {days} hari sudah rusak. {defect} Masih garansi kan? Gimana prosedur klaimnya?"),
            ("Klaim garansi {product}",
             "Selamat siang, saya mau klaim garansi untuk {product} (order {order}). {defect} Mohon info langkah-langkahnya."),
            ("Barang baru tapi bermasalah",
             "Kak ini {item} kok baru dipakai beberapa kali udah bermasalah ya. {defect} Kecewa banget sih, bukan murah soalnya."),
            ("Mohon ganti unit",
             "Halo, {item} dari pesanan {order} sepertinya unit cacat. {defect} Saya minta diganti unit baru saja, bukan diservis."),
        ],
        "ms": [
            ("{product} tidak berfungsi",
             "Salam, {product} yang saya beli ({order}) tidak berfungsi dengan baik. {defect} Saya dah ikut arahan dalam manual."),
            ("Tuntutan waranti",
             "Hai admin, {item} saya baru {days} hari dah rosak. {defect} Masih dalam waranti kan? Macam mana nak tuntut?"),
            ("Unit rosak",
             "Salam, saya rasa {item} dari tempahan {order} ni unit rosak. {defect} Boleh tukar unit baru?"),
        ],
        "en": [
            ("{product} not working",
             "Hi, the {product} I bought ({order}) isn't working properly. {defect} I followed the manual exactly."),
            ("Warranty claim",
             "Hello, my {item} stopped working after {days} days. {defect} It should still be under warranty - how do I claim?"),
            ("Faulty unit",
             "Hi, I think the {item} from order {order} is a faulty unit. {defect} I'd like a replacement please."),
        ],
    },
    "toothpaste": {
        "id": [
            ("Pasta gigi setengah kosong",
             "Halo kak, saya beli {product} (order {order}). Pas dibuka tabungnya ternyata cuma terisi setengah, bagian atasnya kosong. Beratnya jelas tidak sesuai label. Mohon ditanggapi."),
            ("Isi pasta gigi tidak sesuai",
             "Min, pasta gigi yang saya terima kok ringan banget ya. Saya gunting tabungnya, ternyata isinya cuma separuh. Order {order}. Ini kenapa ya?"),
            ("Tabung pasta gigi kurang isi",
             "Selamat malam, mau lapor {item} dari pesanan {order} isinya kurang, tabungnya kempes setengah padahal segel masih utuh. Apa ada masalah di produksi?"),
            ("Komplain {product}",
             "Kak, dari {qty} tube {item} yang saya beli, satu cuma isi setengah. Baru dibuka kemarin. Bisa diganti?"),
        ],
        "ms": [
            ("Ubat gigi separuh kosong",
             "Salam, saya beli {product} ({order}). Bila buka, tiub ubat gigi tu cuma separuh berisi. Berat memang tak sama dengan label. Mohon jawapan."),
            ("Isi ubat gigi kurang",
             "Hai admin, {item} yang saya terima ringan sangat. Saya potong tiubnya, memang separuh kosong. Tempahan {order}. Boleh ganti?"),
        ],
        "en": [
            ("Toothpaste tube half empty",
             "Hi, I bought {product} ({order}) and when I opened it the tube was only half full. The seal was intact, so it must be from the factory. Please advise."),
            ("Underfilled toothpaste",
             "Hello, one of the {item} tubes from order {order} is only half filled. It's obviously lighter than the others. Can you replace it?"),
        ],
    },
    "wrong_item": {
        "id": [
            ("Barang yang dikirim salah",
             "Halo kak, saya pesan {product} tapi yang datang malah {other}. Order {order}. Tolong ditukar ya."),
            ("Salah kirim barang",
             "Min, paket {order} isinya bukan pesanan saya. Saya pesan {item}, yang dikirim {other}. Mohon segera dikirim yang benar."),
            ("Pesanan tertukar?",
             "Selamat siang, sepertinya pesanan saya tertukar dengan pembeli lain. Di paket ada {other}, tapi {item} yang saya pesan tidak ada. No. pesanan {order}."),
            ("Barang tidak sesuai pesanan {order}",
             "Kak tolong dicek lagi ya, saya checkout {product} tapi dikirim {other}. Ini buat kado jadi saya butuh yang sesuai."),
        ],
        "ms": [
            ("Barang salah dihantar",
             "Salam, saya order {product} tapi yang sampai {other}. Tempahan {order}. Tolong tukar ya."),
            ("Tempahan tertukar",
             "Hai admin, parcel {order} bukan barang saya. Saya pesan {item}, yang dihantar {other}. Macam mana nak pulangkan?"),
            ("Barang tak sama dengan pesanan",
             "Assalamualaikum, {item} yang saya beli tidak ada dalam kotak, yang ada cuma {other}. Mohon semak semula tempahan {order}."),
        ],
        "en": [
            ("Wrong item received",
             "Hi, I ordered {product} but received {other} instead. Order {order}. Please exchange it."),
            ("Incorrect order",
             "Hello, parcel {order} contains {other}, not the {item} I paid for. How do I return it?"),
            ("Mixed up order?",
             "Hi, I think my order got mixed up with someone else's - I got {other} and no {item}. Order number {order}."),
        ],
    },
    "missing_item": {
        "id": [
            ("Barang kurang di pesanan {order}",
             "Halo, di pesanan {order} saya beli {n_lines} jenis barang, tapi {item} tidak ada di dalam paket. Invoice-nya benar. Tolong dikirim susulan."),
            ("Isi paket tidak lengkap",
             "Min, paket sudah sampai tapi {product} tidak ada. Di packing list tertulis ada. Order {order}."),
            ("Jumlah barang kurang",
             "Kak saya pesan {qty} {item}, yang datang cuma satu. No pesanan {order}. Mohon kekurangannya dikirim ya."),
        ],
        "ms": [
            ("Barang tak cukup",
             "Salam, dalam tempahan {order} saya beli {n_lines} jenis barang tapi {item} tiada dalam kotak. Tolong hantar yang tertinggal."),
            ("Kuantiti kurang",
             "Hai admin, saya order {qty} {item} tapi cuma dapat satu. Tempahan {order}. Mohon semak."),
        ],
        "en": [
            ("Item missing from order {order}",
             "Hi, my order {order} had {n_lines} items but the {item} wasn't in the box. The packing slip lists it. Please send it."),
            ("Short quantity",
             "Hello, I ordered {qty} x {item} but only got one. Order {order}. Could you send the rest?"),
        ],
    },
    "refund": {
        "id": [
            ("Permintaan refund {order}",
             "Halo kak, saya mau ajukan pengembalian dana untuk pesanan {order} sebesar {amount}. Barangnya sudah saya kirim balik lewat {courier} minggu lalu. Kapan dana saya kembali?", "refund"),
            ("Refund belum masuk",
             "Min, katanya refund diproses 3-7 hari kerja, ini sudah {days} hari belum masuk ke rekening saya. Order {order}, nilainya {amount}.", "refund"),
            ("Batal dan minta refund",
             "Selamat siang, saya tidak jadi butuh {item} dari pesanan {order}. Bisa dikembalikan dan saya minta uang kembali saja? Barang belum dibuka.", "return"),
            ("Pengembalian dana barang retur",
             "Kak, {item} saya retur karena rusak, tapi belum ada info refund sama sekali. Mohon dibantu, total {amount}.", "refund"),
            ("Refund dikembalikan ke mana?",
             "Halo, refund pesanan {order} nanti masuk ke mana ya? Saya bayar pakai {payment}. Terima kasih.", "where"),
        ],
        "ms": [
            ("Permohonan bayaran balik {order}",
             "Salam, saya nak mohon bayaran balik untuk tempahan {order} sebanyak {amount}. Barang dah saya pulangkan melalui {courier} minggu lepas. Bila duit akan masuk?", "refund"),
            ("Bayaran balik belum diterima",
             "Hai admin, dah {days} hari tapi bayaran balik untuk {order} belum masuk ke akaun saya. Boleh semak?", "refund"),
            ("Nak batalkan dan refund",
             "Assalamualaikum, saya nak pulangkan {item} dari tempahan {order} kerana tak jadi guna. Barang belum dibuka. Boleh refund?", "return"),
        ],
        "en": [
            ("Refund request for {order}",
             "Hi, I'd like a refund for order {order} ({amount}). I sent the item back via {courier} last week. When will I get the money?", "refund"),
            ("Refund not received",
             "Hello, you said the refund would take 3-7 working days but it's been {days} days. Order {order}. Please check.", "refund"),
            ("Return and refund",
             "Hi, I no longer need the {item} from order {order}. It's unopened - can I return it for a refund please?", "return"),
        ],
    },
    "payment_failed": {
        "id": [
            ("Pembayaran gagal tapi saldo terpotong",
             "Halo kak, saya bayar pesanan {order} pakai {payment} tapi di aplikasi tertulis gagal, padahal saldo saya sudah terpotong {amount}. Tolong dicek."),
            ("Virtual account tidak bisa dibayar",
             "Min, nomor VA untuk order {order} tidak bisa dibayar, keluar pesan \"tagihan tidak ditemukan\". Sudah saya coba 3 kali lewat m-banking."),
            ("Status masih menunggu pembayaran",
             "Selamat pagi, saya sudah bayar pesanan {order} lewat {payment} kemarin sore, tapi statusnya masih \"menunggu pembayaran\". Bukti bayar sudah saya simpan."),
            ("Tidak bisa checkout",
             "Kak, setiap mau bayar pakai {payment} selalu error \"transaksi tidak dapat diproses\". Di keranjang ada {item}, saya mau checkout hari ini juga. Pesanan {order}."),
        ],
        "ms": [
            ("Pembayaran gagal tapi duit ditolak",
             "Salam, saya bayar tempahan {order} guna {payment} tapi aplikasi kata gagal, sedangkan duit {amount} dah ditolak dari akaun. Tolong semak."),
            ("Status masih menunggu bayaran",
             "Hai admin, saya dah bayar {order} semalam melalui {payment}, tapi status masih \"menunggu pembayaran\". Saya ada resit."),
            ("Tak boleh buat pembayaran",
             "Assalamualaikum, setiap kali cuba bayar dengan {payment} keluar ralat. Tempahan {order} untuk {item}. Kenapa ya?"),
        ],
        "en": [
            ("Payment failed but money deducted",
             "Hi, I paid for order {order} with {payment}. The app says it failed but {amount} has already been taken from my account. Please check."),
            ("Order still awaiting payment",
             "Hello, I paid for {order} yesterday but the status still says awaiting payment. I have the receipt. Can you confirm?"),
            ("Checkout error",
             "Hi, every time I try to pay with {payment} I get \"transaction could not be processed\". Order {order}. Please help, I need the {item} soon."),
        ],
    },
    "double_charge": {
        "id": [
            ("Tagihan dobel untuk {order}",
             "Halo kak, kartu kredit saya ditagih dua kali untuk pesanan {order}, masing-masing {amount}. Mohon salah satunya dikembalikan."),
            ("Saldo terpotong dua kali",
             "Min, saldo {payment} saya terpotong dua kali untuk satu pesanan ({order}). Tolong dicek ya, lumayan nominalnya."),
            ("Pembayaran ganda",
             "Selamat siang, tadi koneksi saya putus saat bayar lalu saya bayar ulang. Ternyata dua-duanya berhasil, total {amount2}. Pesanan cuma satu, {order}. Mohon refund kelebihannya."),
        ],
        "ms": [
            ("Caj dua kali",
             "Salam, kad saya dicaj dua kali untuk tempahan {order}, setiap satu {amount}. Mohon pulangkan caj yang berlebihan."),
            ("Bayaran berganda",
             "Hai admin, {payment} saya ditolak dua kali untuk satu tempahan ({order}), jumlah {amount2}. Tolong semak ya."),
        ],
        "en": [
            ("Charged twice for {order}",
             "Hi, my card was charged twice for order {order}, {amount} each. Please refund one of them."),
            ("Double payment",
             "Hello, my connection dropped while paying so I paid again - both went through ({amount2} in total) for a single order {order}. Please refund the extra."),
        ],
    },
    "howto": {
        "id": [
            ("Cara pakai {product}",
             "Halo kak, mau tanya cara pakai {product} yang baru saya beli. {howto_q}"),
            ("Pertanyaan soal {item}",
             "Min, {howto_q} Saya baru beli {item} di order {order}."),
            ("Bantuan penggunaan {item}",
             "Selamat malam, {howto_q} Di buku panduannya kurang jelas. Terima kasih sebelumnya."),
            ("Tanya {item}",
             "Kak, {item} saya sudah sampai, makasih ya. Mau tanya nih: {howto_q}"),
        ],
        "ms": [
            ("Cara guna {product}",
             "Salam, saya nak tanya cara guna {product} yang baru sampai. {howto_q}"),
            ("Soalan tentang {item}",
             "Hai admin, {howto_q} Saya baru beli {item} dalam tempahan {order}."),
            ("Perlukan bantuan",
             "Assalamualaikum, {howto_q} Manual dalam kotak kurang jelas. Terima kasih."),
        ],
        "en": [
            ("How to use the {item}",
             "Hi, I just received the {product}. {howto_q}"),
            ("Question about my {item}",
             "Hello, quick question about the {item} from order {order}: {howto_q}"),
            ("Need help with {item}",
             "Hi there, {howto_q} The manual isn't very clear. Thanks!"),
        ],
    },
    "loyalty": {
        "id": [
            ("Voucher tidak bisa dipakai",
             "Halo kak, voucher {voucher} tidak bisa dipakai waktu checkout, keluar tulisan \"syarat tidak terpenuhi\". Padahal belanjaan saya sudah di atas minimum.", "voucher"),
            ("Poin belum masuk",
             "Min, poin dari pesanan {order} belum masuk ke akun saya. Biasanya langsung masuk setelah barang diterima.", "points"),
            ("Cara tukar poin",
             "Kak, poin saya sudah {points}. Cara tukarnya gimana ya? Bisa untuk potongan ongkir?", "redeem"),
            ("Poin tiba-tiba hilang",
             "Selamat siang, poin saya tiba-tiba jadi 0 padahal kemarin masih {points}. Apa ada masa berlakunya? Kok tidak ada pemberitahuan?", "expiry"),
            ("Syarat gratis ongkir",
             "Halo, gratis ongkir ke {city} berlaku minimal belanja berapa ya? Pesanan {order} kemarin masih kena ongkir.", "shipping"),
        ],
        "ms": [
            ("Baucar tak boleh guna",
             "Salam, baucar {voucher} tak boleh digunakan semasa checkout, keluar \"syarat tidak dipenuhi\". Padahal jumlah belian dah lebih minimum.", "voucher"),
            ("Mata ganjaran belum masuk",
             "Hai admin, mata ganjaran untuk tempahan {order} belum masuk akaun saya. Biasanya terus masuk lepas barang diterima.", "points"),
            ("Cara tebus mata",
             "Assalamualaikum, saya ada {points} mata. Macam mana nak tebus? Boleh guna untuk penghantaran percuma?", "redeem"),
        ],
        "en": [
            ("Voucher not working",
             "Hi, the voucher {voucher} won't apply at checkout - it says the conditions aren't met, but my cart is above the minimum.", "voucher"),
            ("Points not credited",
             "Hello, I didn't get the loyalty points for order {order}. They normally show up once the parcel is delivered.", "points"),
            ("Redeeming points",
             "Hi, I have {points} points. How do I redeem them? Can they be used for shipping?", "redeem"),
        ],
    },
    "fake": {
        "id": [
            ("Kemasan berbeda, apakah asli?",
             "Halo kak, {product} yang saya terima kemasannya beda dengan yang biasa saya beli. Warnanya lebih pudar dan tidak ada hologram. Ini asli tidak ya?", "packaging"),
            ("Segel sudah terbuka",
             "Min, segel {item} dari pesanan {order} sudah terbuka waktu diterima. Saya jadi ragu mau pakai, takut tidak original.", "seal"),
            ("Nomor BPOM tidak ditemukan",
             "Selamat malam, saya cek nomor BPOM di kemasan {product} kok tidak muncul di situs cek BPOM ya? Tolong penjelasannya. Order {order}.", "packaging"),
            ("Curiga produk palsu",
             "Kak, {item} ini baunya beda dan teksturnya lebih encer dari biasanya. Tulisan di kemasannya juga agak miring. Order {order}. Apa ini produk palsu?", "smell"),
        ],
        "ms": [
            ("Pembungkusan berbeza, asli ke?",
             "Salam, pembungkusan {product} yang saya terima lain daripada biasa. Warna pudar dan tiada hologram. Adakah ini barang asli?", "packaging"),
            ("Meterai sudah terbuka",
             "Hai admin, meterai {item} dari tempahan {order} sudah terbuka semasa sampai. Saya risau nak guna kerana takut tiruan.", "seal"),
        ],
        "en": [
            ("Is this product genuine?",
             "Hi, the packaging of the {product} I received looks different from usual - faded print and no hologram sticker. Is it genuine?", "packaging"),
            ("Seal already broken",
             "Hello, the seal on the {item} from order {order} was already broken when it arrived. I'm not comfortable using it.", "seal"),
        ],
    },
    "expired": {
        "id": [
            ("Produk sudah kedaluwarsa",
             "Halo kak, {product} yang saya terima ternyata sudah lewat tanggal kedaluwarsa, tertulis {exp}. Order {order}. Mohon diganti."),
            ("Tanggal kedaluwarsa terlalu dekat",
             "Min, {item} yang dikirim expired-nya tinggal sebentar lagi ({exp}). Di deskripsi katanya minimal 6 bulan. Bisa tukar?"),
            ("Makanan berjamur",
             "Selamat siang, {item} dari pesanan {order} pas dibuka ada jamurnya dan baunya apek. Padahal belum lewat tanggal kedaluwarsa."),
        ],
        "ms": [
            ("Produk tamat tempoh",
             "Salam, {product} yang saya terima sudah tamat tempoh ({exp}). Tempahan {order}. Mohon ganti."),
            ("Makanan berkulat",
             "Hai admin, {item} dari tempahan {order} berkulat bila dibuka walaupun belum tamat tempoh. Kecewa betul."),
        ],
        "en": [
            ("Expired product",
             "Hi, the {product} I received is past its expiry date ({exp}). Order {order}. Please replace it."),
            ("Mouldy food",
             "Hello, the {item} from order {order} had mould on it when I opened it, even though it's within date."),
        ],
    },
    "compliment": {
        "id": [
            ("Terima kasih!",
             "Halo kak, cuma mau bilang terima kasih. {item} sampai cepat dan packing-nya rapi banget. Pasti belanja lagi di sini!"),
            ("Pelayanan memuaskan",
             "Min, makasih ya sudah bantu urusan pesanan {order} dengan cepat. Jarang ada toko yang responnya secepat ini."),
            ("Puas dengan {product}",
             "Selamat sore, {product} yang saya beli bagus sekali, sesuai deskripsi. Admin-nya juga ramah. Sukses terus {store}!"),
            ("Pesanan sampai dengan aman",
             "Kak, pesanan {order} sudah sampai, lengkap dan aman. Bonus tisunya juga lucu, anak saya senang. Terima kasih banyak."),
        ],
        "ms": [
            ("Terima kasih!",
             "Salam, saya cuma nak ucap terima kasih. {item} sampai cepat dan bungkusan sangat kemas. Pasti beli lagi!"),
            ("Servis terbaik",
             "Hai admin, terima kasih kerana bantu tempahan {order} dengan cepat. Jarang kedai online respon sepantas ini."),
        ],
        "en": [
            ("Thank you!",
             "Hi, just wanted to say thanks - the {item} arrived quickly and was packed really well. Will definitely order again!"),
            ("Great service",
             "Hello, thank you for sorting out my order {order} so quickly. Really appreciate the friendly service."),
        ],
    },
    "address": {
        "id": [
            ("Ubah alamat pengiriman {order}",
             "Halo kak, pesanan {order} belum dikirim kan? Saya mau ganti alamat, ternyata saya salah isi nomor rumah. Alamat yang benar: {address}.", "change"),
            ("Batalkan pesanan {order}",
             "Min, tolong batalkan pesanan {order} ya, saya salah pilih barang. Belum dikirim kan?", "cancel"),
            ("Tambah barang ke pesanan",
             "Kak, pesanan {order} masih bisa ditambah 1 {item2} lagi tidak? Biar sekalian dikirim.", "add"),
        ],
        "ms": [
            ("Tukar alamat penghantaran",
             "Salam, tempahan {order} belum dihantar lagi kan? Saya nak tukar alamat kerana tersilap tulis nombor rumah. Alamat betul: {address}.", "change"),
            ("Batalkan tempahan",
             "Hai admin, tolong batalkan tempahan {order}, saya tersalah pilih barang. Belum dihantar kan?", "cancel"),
        ],
        "en": [
            ("Change delivery address",
             "Hi, has order {order} shipped yet? I need to change the address - I typed the wrong house number. Correct address: {address}.", "change"),
            ("Cancel my order",
             "Hello, please cancel order {order} - I picked the wrong item. It hasn't shipped yet, right?", "cancel"),
        ],
    },
}

# A sentence sometimes added to a customer's first message.
EXTRAS = {
    "id": ["Saya butuh cepat soalnya buat acara hari Sabtu.", "Ini sudah kedua kalinya lho.", "Mohon segera diproses ya.",
           "Foto sudah saya siapkan kalau diperlukan.", "Saya pelanggan lama di sini.", "Ditunggu kabarnya kak.",
           "Tolong dibalas secepatnya.", "Terima kasih sebelumnya."],
    "ms": ["Saya perlukan segera.", "Ini kali kedua berlaku.", "Mohon tindakan segera.", "Saya pelanggan tetap kedai ini.",
           "Terima kasih atas bantuan."],
    "en": ["I need it urgently.", "This is the second time this has happened.", "Thanks in advance.",
           "I've been a customer for a while.", "Please get back to me soon."],
}

# Added when a first message does not already give the order number.
ORDER_REF = {
    "id": ["No. pesanan: {order}.", "Nomor pesanan saya {order}.", "(Pesanan {order})", "Order {order}."],
    "ms": ["No. tempahan: {order}.", "Nombor tempahan saya {order}."],
    "en": ["Order number: {order}.", "My order number is {order}.", "(Order {order})"],
}

# Casual spellings on chat channels (Indonesian): applied to some messages only.
CASUAL_ID = [("sudah", "udah"), ("tidak", "gak"), ("belum", "blm"), ("yang", "yg"), ("saya", "aku"), ("terima kasih", "makasih")]
CASUAL_MS = [("tidak", "tak"), ("sudah", "dah"), ("terima kasih", "tq"), ("saya", "sy")]

# ------------------------------------------------------------------------------------
# Phrases that fill slots
# ------------------------------------------------------------------------------------

TRACKING = {
    "id": ["Paket sedang dalam perjalanan ke kota tujuan", "Diproses di gateway Jakarta", "Paket diterima di hub transit",
           "Menunggu jadwal pengantaran", "Dalam proses sortir"],
    "ms": ["Dalam perjalanan ke destinasi", "Diproses di hab transit", "Menunggu penghantaran", "Sedang disusun"],
    "en": ["In transit to destination city", "Processed at transit hub", "Awaiting delivery schedule", "Sorting in progress"],
}
TRACKING_INCIDENT = {
    "id": ["Paket tertahan di Hub Medan", "Sortation Center Medan - menunggu proses", "Tiba di Hub Medan",
           "Pending - penumpukan di gudang Medan"],
    "ms": ["Tertahan di Hab Medan"],
    "en": ["Held at Medan hub"],
}

DAMAGE = {  # by damage group
    "leak": {"id": ["tutupnya lepas sampai isinya merembes ke mana-mana", "botolnya bocor dan isinya tinggal separuh", "segelnya sobek dan isinya tumpah"],
             "ms": ["penutupnya tercabut dan isinya tumpah", "botolnya bocor"],
             "en": ["the cap came off and it leaked everywhere", "the bottle is cracked and leaking"]},
    "broken": {"id": ["pecah jadi beberapa bagian", "retak di bagian bawah", "kacanya pecah"],
               "ms": ["pecah berkecai", "retak di bahagian bawah"],
               "en": ["is smashed", "has a crack along the bottom"]},
    "cracked": {"id": ["bodinya retak dan ada goresan panjang", "casing-nya pecah di sudut", "tombolnya patah"],
                "ms": ["badannya retak", "suisnya patah"],
                "en": ["the casing is cracked", "one of the buttons snapped off"]},
    "crushed": {"id": ["kemasannya remuk dan sobek", "isinya penyok dan kotor", "plastiknya robek dan isinya tercecer"],
                "ms": ["pembungkusnya remuk dan koyak", "isinya kemek"],
                "en": ["the packaging is crushed and torn", "it's dented and dirty"]},
}

DEFECT = {
    "cable": {"id": "Kalau dicolok, HP tidak mengisi daya sama sekali, kadang muncul tulisan aksesori tidak didukung.",
              "ms": "Bila dipasang, telefon tak mengecas langsung.", "en": "When plugged in, my phone doesn't charge at all."},
    "charger": {"id": "Kepala charger-nya panas sekali dan pengisian putus-putus.", "ms": "Pengecas jadi sangat panas dan cas terputus-putus.",
                "en": "It gets very hot and charging keeps cutting out."},
    "powerbank": {"id": "Baru dicas penuh semalaman, dipakai sebentar sudah habis.", "ms": "Dah cas penuh tapi cepat habis.",
                  "en": "It's fully charged overnight but drains within an hour."},
    "audio": {"id": "Suara cuma keluar dari earbud kanan, yang kiri tidak bisa tersambung.", "ms": "Bunyi keluar sebelah kanan sahaja.",
              "en": "Sound only comes out of the right earbud; the left one won't connect."},
    "mouse": {"id": "Kursornya loncat-loncat dan sering tidak terdeteksi.", "ms": "Kursor melompat-lompat dan kerap terputus.",
              "en": "The cursor jumps around and it keeps disconnecting."},
    "sdcard": {"id": "Kartunya tidak terbaca di HP maupun laptop.", "ms": "Kad tak dapat dibaca di telefon atau laptop.",
               "en": "The card isn't recognised by my phone or laptop."},
    "lamp": {"id": "Lampunya berkedip terus lalu mati setelah beberapa menit.", "ms": "Mentol berkelip-kelip kemudian padam.",
             "en": "The bulb flickers and then goes out after a few minutes."},
    "power_strip": {"id": "Dua lubangnya tidak ada arus, lampu indikatornya juga mati.", "ms": "Dua soket tiada kuasa.",
                    "en": "Two of the sockets have no power."},
    "rice_cooker": {"id": "Lampu indikator menyala tapi nasinya tidak matang, bagian bawah malah gosong.",
                    "ms": "Lampu menyala tapi nasi tak masak, bahagian bawah hangus.", "en": "The light comes on but the rice doesn't cook, and the bottom burns."},
    "blender": {"id": "Motornya bunyi kasar dan bau hangus, pisaunya tidak berputar.", "ms": "Motor berbunyi kasar dan berbau hangit.",
                "en": "The motor makes a grinding noise and smells burnt; the blade doesn't turn."},
    "iron": {"id": "Uapnya tidak keluar dan alasnya meneteskan air.", "ms": "Wap tak keluar dan air menitis dari tapak.",
             "en": "No steam comes out and water drips from the soleplate."},
    "kettle": {"id": "Airnya tidak mendidih dan tombolnya langsung mati sendiri.", "ms": "Air tak mendidih dan suis mati sendiri.",
               "en": "The water never boils and the switch turns itself off."},
    "fan": {"id": "Kipasnya tidak mau berputar di kecepatan 2 dan 3, bunyinya berisik.", "ms": "Kipas tak berpusing pada kelajuan 2 dan 3.",
            "en": "It won't spin on speeds 2 and 3 and it's noisy."},
    "dispenser": {"id": "Pompanya tidak mau menyala walau sudah dicas penuh.", "ms": "Pam tak hidup walaupun sudah dicas penuh.",
                  "en": "The pump won't switch on even when fully charged."},
}

HOWTO_Q = {
    "rice_cooker": {"id": "Untuk masak beras merah, takaran airnya berapa ya dan pakai mode apa?",
                    "ms": "Untuk masak beras perang, berapa sukatan air dan guna mod apa?",
                    "en": "How much water should I use for brown rice, and which mode?"},
    "blender": {"id": "Boleh dipakai untuk menghancurkan es batu tidak? Takut pisaunya rusak.",
                "ms": "Boleh ke guna untuk hancurkan ais? Takut pisau rosak.", "en": "Can I use it to crush ice without damaging the blade?"},
    "iron": {"id": "Air untuk setrika uapnya boleh pakai air keran atau harus air suling?",
             "ms": "Air untuk seterika wap boleh guna air paip atau mesti air suling?", "en": "Can I use tap water in the steam iron or does it need distilled water?"},
    "kettle": {"id": "Apakah normal kalau pertama kali dipakai ada bau plastik? Cara menghilangkannya gimana?",
               "ms": "Normal ke ada bau plastik masa mula-mula guna? Macam mana nak hilangkan?", "en": "Is a plastic smell normal the first few times? How do I get rid of it?"},
    "pan": {"id": "Sebelum dipakai pertama kali perlu dicuci dulu atau langsung? Boleh pakai spatula besi?",
            "ms": "Perlu basuh dulu sebelum guna pertama kali? Boleh guna senduk besi?", "en": "Do I need to season it before first use, and can I use a metal spatula?"},
    "mop": {"id": "Cara pasang kepala pel ke gagangnya gimana ya? Sudah coba tapi lepas terus.",
            "ms": "Macam mana nak pasang kepala mop pada batang? Asyik tercabut.", "en": "How do I attach the mop head to the handle? It keeps falling off."},
    "fan": {"id": "Cara pasang di dinding gimana, fischer dan sekrupnya harus beli sendiri?",
            "ms": "Macam mana nak pasang di dinding, skru perlu beli sendiri?", "en": "How do I mount it on the wall - do I need to buy the screws and plugs myself?"},
    "dispenser": {"id": "Cara ngecasnya gimana dan sekali cas tahan berapa galon?",
                  "ms": "Macam mana nak cas dan sekali cas boleh tahan berapa galon?", "en": "How do I charge it and how many gallons does one charge last?"},
    "charger": {"id": "Apakah charger 20W ini aman untuk HP Android yang support 33W?",
                "ms": "Pengecas 20W ni selamat ke untuk telefon Android yang sokong 33W?", "en": "Is this 20W charger safe for an Android phone that supports 33W?"},
    "powerbank": {"id": "Lampu indikatornya ada 4, kalau kedip-kedip artinya apa? Pertama kali dicas berapa jam?",
                  "ms": "Ada 4 lampu penunjuk, kalau berkelip maksudnya apa? Cas kali pertama berapa jam?", "en": "What does it mean when the 4 indicator lights blink? How long should the first charge be?"},
    "audio": {"id": "Cara pairing ke HP kedua gimana ya? Sudah terhubung ke HP lama.",
              "ms": "Macam mana nak pair dengan telefon kedua? Dah bersambung dengan telefon lama.", "en": "How do I pair it with a second phone? It's connected to my old one."},
    "mouse": {"id": "Receiver USB-nya disimpan di mana ya dan baterainya tipe apa?",
              "ms": "Penerima USB disimpan di mana dan guna bateri jenis apa?", "en": "Where is the USB receiver stored and what battery does it take?"},
    "bottle": {"id": "Botol susunya boleh disterilkan pakai air mendidih? Dotnya untuk usia berapa bulan?",
               "ms": "Botol susu boleh disteril dengan air mendidih? Puting untuk umur berapa bulan?", "en": "Can the bottle be sterilised in boiling water? What age is the teat for?"},
}

HOWTO_A = {
    "rice_cooker": {"id": "Untuk beras merah, pakai perbandingan 1 gelas beras : 1,5 gelas air lalu pilih mode \"Brown Rice\" (kalau tidak ada, mode \"Cook\" biasa). Diamkan 10 menit setelah lampu Warm menyala supaya matang merata.",
                    "ms": "Untuk beras perang, guna nisbah 1 cawan beras : 1.5 cawan air dan pilih mod \"Brown Rice\". Biarkan 10 minit selepas lampu Warm menyala.",
                    "en": "For brown rice use 1 cup of rice to 1.5 cups of water and choose the \"Brown Rice\" mode. Let it rest for 10 minutes after the Warm light comes on."},
    "blender": {"id": "Bisa, tapi maksimal 6-8 es batu sekaligus dan tambahkan sedikit air. Pakai mode Pulse 3-4 kali, jangan ditahan terus lebih dari 30 detik.",
                "ms": "Boleh, tapi maksimum 6-8 ketul ais dan tambah sedikit air. Guna mod Pulse 3-4 kali, jangan tahan lebih 30 saat.",
                "en": "Yes - up to 6-8 ice cubes at a time with a splash of water. Use Pulse 3-4 times and don't run it continuously for more than 30 seconds."},
    "iron": {"id": "Sebaiknya pakai air suling atau air galon. Air keran boleh, tapi kerak kapurnya lebih cepat menumpuk; bersihkan dengan fitur Self Clean sebulan sekali.",
             "ms": "Sebaiknya guna air suling. Air paip boleh, tapi kerak kapur cepat terkumpul; bersihkan dengan fungsi Self Clean sebulan sekali.",
             "en": "Distilled water is best. Tap water is fine but scale builds up faster - run the Self Clean function once a month."},
    "kettle": {"id": "Normal di pemakaian awal. Rebus air sampai penuh lalu buang, ulangi 2-3 kali. Bisa juga rebus air dengan irisan jeruk nipis sekali.",
               "ms": "Normal pada penggunaan awal. Didihkan air hingga penuh dan buang, ulang 2-3 kali.",
               "en": "That's normal at first. Boil a full kettle and discard it 2-3 times; boiling once with a slice of lime also helps."},
    "pan": {"id": "Cuci dulu dengan sabun dan air hangat, keringkan, lalu oles tipis minyak. Gunakan spatula kayu atau silikon supaya lapisannya awet.",
            "ms": "Basuh dahulu dengan sabun dan air suam, keringkan, kemudian sapu sedikit minyak. Guna senduk kayu atau silikon.",
            "en": "Wash it with warm soapy water, dry it and wipe on a thin layer of oil. Use wooden or silicone utensils to protect the coating."},
    "mop": {"id": "Tekan kepala pel ke dasar gagang sampai bunyi \"klik\", lalu putar searah jarum jam seperempat putaran. Kalau masih lepas, cek ring pengunci warna biru sudah terpasang.",
            "ms": "Tekan kepala mop ke hujung batang sehingga berbunyi \"klik\", kemudian pusing suku pusingan mengikut arah jam.",
            "en": "Push the mop head onto the handle until it clicks, then turn it a quarter turn clockwise. If it still comes off, check the blue locking ring is fitted."},
    "fan": {"id": "Fischer dan sekrup sudah ada di kantong plastik kecil di dalam styrofoam. Bor dinding pakai mata bor 6 mm, jarak dua lubang 9 cm sesuai pola di buku panduan halaman 3.",
            "ms": "Skru dan plag dinding ada dalam plastik kecil di dalam polistirena. Gerudi dengan mata 6 mm, jarak dua lubang 9 cm.",
            "en": "The screws and wall plugs are in a small bag inside the foam packing. Drill with a 6 mm bit, two holes 9 cm apart as shown on page 3 of the manual."},
    "dispenser": {"id": "Cas pakai kabel USB yang disertakan sekitar 2-3 jam sampai lampu hijau. Sekali cas penuh cukup untuk 4-6 galon.",
                  "ms": "Cas dengan kabel USB yang disertakan 2-3 jam sehingga lampu hijau. Sekali cas cukup untuk 4-6 galon.",
                  "en": "Charge it with the included USB cable for 2-3 hours until the light turns green. A full charge lasts 4-6 gallons."},
    "charger": {"id": "Aman. HP akan mengisi dengan daya maksimal 20W, hanya saja sedikit lebih lambat dari charger bawaan 33W.",
                "ms": "Selamat. Telefon akan mengecas pada kuasa maksimum 20W, cuma sedikit lambat berbanding pengecas asal.",
                "en": "Yes, it's safe. Your phone will charge at up to 20W, just a little slower than with its original 33W charger."},
    "powerbank": {"id": "Lampu berkedip artinya sedang diisi; 4 lampu menyala diam berarti penuh. Pengisian pertama sebaiknya 6-8 jam sampai penuh.",
                  "ms": "Lampu berkelip bermaksud sedang dicas; 4 lampu menyala tetap bermaksud penuh. Cas kali pertama 6-8 jam.",
                  "en": "Blinking means it's charging; four steady lights means full. Give it a full 6-8 hour charge the first time."},
    "audio": {"id": "Masukkan kedua earbud ke case, buka tutupnya, lalu tekan tombol di case 3 detik sampai lampu berkedip putih. Setelah itu pilih di menu Bluetooth HP kedua.",
              "ms": "Masukkan kedua-dua earbud ke dalam bekas, buka penutup dan tekan butang 3 saat sehingga lampu berkelip putih, kemudian pilih dalam Bluetooth telefon kedua.",
              "en": "Put both earbuds in the case, open the lid and hold the case button for 3 seconds until the light blinks white, then select it in the second phone's Bluetooth menu."},
    "mouse": {"id": "Receiver USB-nya tersimpan di bawah tutup baterai. Baterainya 1 buah AA (sudah termasuk di dalam kemasan).",
              "ms": "Penerima USB disimpan di bawah penutup bateri. Guna 1 bateri AA (disertakan).",
              "en": "The USB receiver is stored under the battery cover. It takes one AA battery (included)."},
    "bottle": {"id": "Boleh, rebus maksimal 5 menit atau pakai sterilizer uap. Dot bawaan ukuran S untuk 0-3 bulan; untuk usia lebih besar tersedia dot M di toko kami.",
               "ms": "Boleh, rebus maksimum 5 minit atau guna pensteril wap. Puting asal saiz S untuk 0-3 bulan.",
               "en": "Yes, boil for up to 5 minutes or use a steam steriliser. The included teat is size S for 0-3 months; size M is available in our store."},
}

# ------------------------------------------------------------------------------------
# Customers' follow-ups
# ------------------------------------------------------------------------------------

FOLLOWUPS = {
    "nudge": {  # nobody has answered yet
        "id": ["Halo? Pesan saya belum dibalas ya kak.", "Min, tolong dibalas ya, saya butuh kepastian.",
               "Kak, ada kabar?", "Permisi, apakah pesan saya sudah dibaca?", "Mohon direspon ya kak, terima kasih.",
               "Tambahan info kak: nomor pesanan saya {order}."],
        "ms": ["Hello? Mesej saya belum dibalas lagi.", "Admin, tolong balas ya.", "Ada sebarang maklum balas?",
               "Untuk makluman, nombor tempahan saya {order}."],
        "en": ["Hello? Still waiting for a reply.", "Hi, any update on this?", "Could someone get back to me please?",
               "For reference, my order number is {order}."],
    },
    "still": {  # an answer came, the problem is not solved yet
        "id": ["Kak, gimana update-nya? Sudah lewat dari yang dijanjikan.", "Sudah {days} hari nih, masih belum ada perkembangan.",
               "Min, sampai sekarang masih sama, belum ada perubahan.", "Tolong dipercepat ya kak, saya sudah sabar menunggu.",
               "Ada kabar terbaru? Tracking masih belum berubah."],
        "ms": ["Admin, ada apa-apa perkembangan?", "Sudah {days} hari, masih tiada perubahan.", "Tolong percepatkan ya, saya dah lama tunggu."],
        "en": ["Any update? It's past the date you gave me.", "Still nothing has changed on my side.", "Could you chase this up please? I've been waiting a while."],
    },
    "provide_product": {
        "id": ["Ini fotonya kak, sudah saya kirim 3 foto dan video unboxing-nya.", "Foto kemasan dan nomor batch-nya sudah saya kirim ya.",
               "Oke kak, videonya saya upload ke Google Drive, link-nya sudah saya kirim.", "Sudah saya lampirkan foto barangnya dari beberapa sisi."],
        "ms": ["Ini gambarnya, saya dah hantar 3 gambar dan video semasa buka kotak.", "Gambar pembungkusan dan nombor batch dah saya hantar."],
        "en": ["Here are the photos and the unboxing video.", "I've sent pictures of the packaging and the batch number."],
    },
    "provide_money": {
        "id": ["Ini bukti transfer dan mutasi rekeningnya kak.", "Screenshot riwayat transaksinya sudah saya kirim ya.",
               "Nomor referensi pembayarannya: {ref}."],
        "ms": ["Ini resit dan penyata bank saya.", "Tangkapan skrin sejarah transaksi sudah saya hantar. Rujukan: {ref}."],
        "en": ["Here's the receipt and my bank statement.", "I've sent a screenshot of the transaction history. Reference {ref}."],
    },
    "provide_delivery": {
        "id": ["Alamatnya sudah benar kak: {address}. Patokannya dekat masjid.", "Nomor HP penerima aktif kok, bisa dihubungi kapan saja.",
               "Ini screenshot tracking terakhir dari aplikasi {courier}."],
        "ms": ["Alamat betul: {address}. Nombor telefon penerima aktif.", "Ini tangkapan skrin tracking terkini dari {courier}."],
        "en": ["The address is correct: {address}. My phone is on if the courier needs to call.", "Here's the latest tracking screenshot from {courier}."],
    },
    "thanks": {
        "id": ["Baik kak, sudah diterima. Terima kasih banyak ya!", "Oke sudah beres, makasih responnya cepat.",
               "Terima kasih kak, sangat membantu.", "Siap, sudah saya cek dan sudah masuk. Terima kasih!",
               "Mantap, terima kasih atas bantuannya."],
        "ms": ["Baik, sudah terima. Terima kasih banyak!", "Okey, semua sudah selesai. Terima kasih atas bantuan.", "Terima kasih, sangat membantu."],
        "en": ["Got it, thanks so much!", "All sorted now, thank you for the quick help.", "Thanks, that's really helpful."],
    },
    "thanks_toothpaste": {
        "id": ["Wah cepat banget, tabung penggantinya sudah sampai hari ini. Saya pasti cerita ke keluarga dan teman-teman soal pelayanan ini. Terima kasih!",
               "Penggantinya sudah sampai kak, plus suratnya sopan sekali. Jadi makin percaya belanja di sini."],
        "ms": ["Cepatnya! Ubat gigi ganti dah sampai hari ni. Saya akan cerita pada keluarga tentang servis ni. Terima kasih!"],
        "en": ["Wow, the replacement arrived today along with a lovely apology note. I'll definitely tell my friends about this. Thank you!"],
    },
}

# ------------------------------------------------------------------------------------
# Agents' replies: greeting and sign-off around a body, per family and stage
# ------------------------------------------------------------------------------------

GREETING = {
    "id": ["Halo Kak {first},", "Hai Kak {first},", "Selamat {daypart} Kak {first},"],
    "ms": ["Salam {honorific} {first},", "Hai {honorific} {first},"],
    "en": ["Hi {first},", "Hello {first},"],
}
SIGNOFF_EMAIL = {
    "id": "Salam hangat,\n{agent}\nTim Layanan Pelanggan {store}",
    "ms": "Sekian, terima kasih.\n{agent}\nKhidmat Pelanggan {store}",
    "en": "Kind regards,\n{agent}\n{store} Customer Care",
}
SIGNOFF_CHAT = {"id": "– {agent}", "ms": "– {agent}", "en": "– {agent}"}

REPLIES: dict[str, dict[str, dict[str, list[str]]]] = {
    "delivery": {
        "ack": {
            "id": ["mohon maaf atas keterlambatan paket {order}. Kami sudah cek ke {courier}: posisi paket saat ini \"{tracking}\". Kami minta {courier} memprioritaskan pengantarannya dan akan mengabari Kakak lagi paling lambat {promise}.",
                   "terima kasih sudah menghubungi kami. Paket {order} (resi {awb}) memang terlambat dari estimasi. Sudah kami laporkan ke {courier} dan kami pantau setiap hari; update berikutnya kami kirim {promise}."],
            "ms": ["mohon maaf atas kelewatan parcel {order}. Kami sudah semak dengan {courier}: status terkini \"{tracking}\". Kami akan maklumkan perkembangan selewat-lewatnya {promise}."],
            "en": ["sorry for the delay with {order}. We've checked with {courier}: the parcel is currently \"{tracking}\". We've asked them to prioritise it and will update you by {promise} at the latest."],
        },
        "ask": {
            "id": ["mohon maaf atas ketidaknyamanannya. Supaya bisa kami ajukan klaim ke {courier}, boleh dibantu konfirmasi alamat lengkap dan nomor HP penerima yang aktif? Setelah kami terima, klaim langsung kami proses.",
                   "untuk pesanan {order}, {courier} minta konfirmasi alamat dan patokan rumah karena kurir kesulitan menemukan lokasi. Boleh dibalas dengan alamat lengkapnya, Kak?"],
            "ms": ["mohon maaf atas kesulitan ini. Untuk kami buat tuntutan dengan {courier}, boleh sahkan alamat penuh dan nombor telefon penerima?"],
            "en": ["sorry about this. So we can file a claim with {courier}, could you confirm your full address and a phone number the courier can reach?"],
        },
        "hold": {
            "id": ["kasus paket {order} sudah kami eskalasi ke tim {courier} pusat dengan nomor laporan {ticketref}. Mereka menjanjikan jawaban dalam 2x24 jam. Kami kabari lagi paling lambat {promise}, apa pun hasilnya.",
                   "kami sudah ajukan investigasi ke {courier} untuk resi {awb}. Sambil menunggu, status tiket ini kami tandai menunggu pihak kurir; Kakak akan kami hubungi {promise}."],
            "ms": ["kes parcel {order} telah kami eskalasi kepada {courier} (rujukan {ticketref}). Mereka berjanji memberi jawapan dalam 48 jam. Kami akan hubungi anda selewat-lewatnya {promise}."],
            "en": ["we've escalated {order} to {courier} head office (reference {ticketref}). They've promised an answer within 48 hours and we'll update you by {promise} either way."],
        },
        "resolve": {
            "id": ["kabar baik: menurut {courier} paket {order} sudah diterima hari ini. Sebagai permohonan maaf atas keterlambatannya, kami kirimkan voucher gratis ongkir {voucher_comp} untuk belanja berikutnya.",
                   "paket {order} dinyatakan hilang oleh {courier}, jadi kami kirim ulang pesanan Kakak hari ini dengan resi baru {new_awb} (JNE YES, estimasi 1-2 hari). Kakak tidak perlu membayar apa pun.",
                   "paket sudah kembali bergerak dan tiba di {city} pagi ini; kurir mengantar hari ini. Ongkir pesanan {order} kami kembalikan dalam bentuk poin sebagai kompensasi."],
            "ms": ["berita baik: menurut {courier} parcel {order} telah diterima hari ini. Sebagai tanda maaf, kami berikan baucar penghantaran percuma {voucher_comp}.",
                   "{courier} mengesahkan parcel {order} hilang, jadi kami hantar semula hari ini dengan nombor tracking baru {new_awb}. Tiada sebarang caj."],
            "en": ["good news - {courier} confirms {order} was delivered today. To make up for the delay we've added a free-shipping voucher {voucher_comp} to your account.",
                   "{courier} has confirmed the parcel was lost, so we've re-sent your order today with new tracking number {new_awb}, at no cost to you."],
        },
    },
    "product": {
        "ack": {
            "id": ["mohon maaf {issue}. Laporan Kakak sudah kami teruskan ke tim gudang untuk pengecekan stok dan pengemasan; kami kabari solusinya paling lambat {promise}.",
                   "terima kasih sudah melapor, dan maaf atas pengalaman yang kurang menyenangkan ini. Kami sedang cek stok pengganti untuk {product}; jawaban pasti kami kirim {promise}."],
            "ms": ["mohon maaf {issue}. Laporan anda sudah kami serahkan kepada pasukan gudang dan kami akan maklumkan penyelesaian selewat-lewatnya {promise}."],
            "en": ["we're sorry {issue}. We've passed this to our warehouse team and will come back to you with a solution by {promise}."],
        },
        "ask": {
            "id": ["mohon maaf {issue}. Supaya bisa langsung kami proses, boleh kirimkan foto produk, foto label pengiriman, dan video unboxing (kalau ada)? Setelah itu kami putuskan penggantian dalam 1x24 jam.",
                   "kami bantu ya. Boleh dikirim foto {item} dari beberapa sisi dan foto nomor batch di kemasan? Itu yang kami perlukan untuk klaim ke pemasok."],
            "ms": ["mohon maaf {issue}. Boleh hantar gambar produk, label penghantaran dan video semasa buka kotak (jika ada)? Kami akan proses dalam masa 24 jam selepas terima."],
            "en": ["we're sorry {issue}. Could you send a few photos of the item, the shipping label and your unboxing video if you have one? We'll decide on the replacement within 24 hours of receiving them."],
        },
        "hold": {
            "id": ["foto dan videonya sudah kami terima, terima kasih. Kasus ini sedang dicek tim QC dan pemasok (nomor laporan {ticketref}). Kami kabari hasilnya paling lambat {promise}.",
                   "kami sedang menunggu konfirmasi stok pengganti dari gudang Cikarang untuk {product}. Tiket kami tandai menunggu pihak gudang; update kami kirim {promise}."],
            "ms": ["terima kasih, gambar sudah kami terima. Kes ini sedang disemak oleh pasukan QC dan pembekal (rujukan {ticketref}). Keputusan akan kami maklumkan selewat-lewatnya {promise}."],
            "en": ["thanks, we've received the photos. Our QC team and the supplier are reviewing this (reference {ticketref}); we'll let you know the outcome by {promise}."],
        },
        "resolve": {
            "id": ["kami kirimkan {product} pengganti hari ini dengan resi {new_awb}, gratis ongkir. Barang yang lama tidak perlu dikembalikan. Mohon maaf sekali lagi atas ketidaknyamanannya.",
                   "pengembalian dana {amount} untuk {product} sudah kami proses ke {payment}; dana akan masuk dalam {refund_days}. Kurir {courier} akan menjemput barangnya besok, cukup siapkan dalam kemasan apa saja.",
                   "penggantinya sudah kami kirim lewat {courier} (resi {new_awb}) dan kami tambahkan voucher {voucher_comp} sebagai permohonan maaf. Semoga kali ini sampai dengan sempurna."],
            "ms": ["kami hantar {product} gantian hari ini dengan nombor tracking {new_awb}, penghantaran percuma. Barang lama tidak perlu dipulangkan. Mohon maaf sekali lagi.",
                   "bayaran balik {amount} telah diproses ke {payment}; wang akan masuk dalam {refund_days}. Kurier akan ambil barang esok."],
            "en": ["we're sending a replacement {product} today with tracking number {new_awb}, free of charge. No need to return the old one. Sorry again for the trouble.",
                   "we've refunded {amount} to your {payment}; it will arrive within {refund_days}. A courier will collect the item tomorrow - any packaging is fine."],
        },
    },
    "money": {
        "ack": {
            "id": ["terima kasih sudah melapor. Kami sudah cek transaksi pesanan {order} di sistem pembayaran dan sedang mencocokkan dengan laporan dari {payment}. Hasilnya kami kabari paling lambat {promise}."],
            "ms": ["terima kasih atas laporan. Kami sedang menyemak transaksi {order} dengan {payment} dan akan maklumkan keputusannya selewat-lewatnya {promise}."],
            "en": ["thanks for letting us know. We're matching the transaction for {order} against the report from {payment} and will get back to you by {promise}."],
        },
        "ask": {
            "id": ["supaya bisa kami telusuri, boleh dikirim bukti pembayaran atau screenshot mutasi yang menunjukkan potongan {amount}? Mohon sertakan juga jam transaksinya.",
                   "mohon dibantu kirim nomor referensi transaksi dari {payment} dan tanggal/jamnya. Dengan data itu tim pembayaran bisa langsung cek ke payment gateway."],
            "ms": ["untuk semakan, boleh hantar resit atau tangkapan skrin penyata yang menunjukkan potongan {amount}, termasuk masa transaksi?"],
            "en": ["so we can trace it, could you send the receipt or a screenshot showing the {amount} deduction, including the time of the transaction?"],
        },
        "hold": {
            "id": ["datanya sudah kami terima. Tim kami sudah mengajukan pengecekan ke payment gateway (nomor laporan {ticketref}); biasanya selesai dalam 1-3 hari kerja. Kami kabari paling lambat {promise}.",
                   "kami sudah konfirmasi ke pihak bank dan sedang menunggu hasil rekonsiliasi. Tiket ini kami tandai menunggu pihak ketiga; update kami kirim {promise}."],
            "ms": ["terima kasih, maklumat sudah diterima. Kami telah membuat semakan dengan gerbang pembayaran (rujukan {ticketref}); biasanya selesai dalam 1-3 hari bekerja. Kami akan hubungi anda {promise}."],
            "en": ["thanks, we have what we need. We've raised a check with the payment gateway (reference {ticketref}), which usually takes 1-3 working days. We'll update you by {promise}."],
        },
        "resolve": {
            "id": ["pengembalian dana {amount} untuk pesanan {order} sudah kami proses hari ini ke {payment}. Dana akan masuk dalam {refund_days}; nomor referensinya {ref}.",
                   "pembayaran pesanan {order} sudah terkonfirmasi dan pesanan Kakak sudah masuk proses pengemasan. Mohon maaf atas kendalanya.",
                   "kelebihan bayar {amount} sudah kami kembalikan ke {payment} (ref. {ref}). Biasanya masuk dalam {refund_days}. Terima kasih atas kesabarannya."],
            "ms": ["bayaran balik {amount} untuk tempahan {order} telah diproses hari ini ke {payment}. Wang akan masuk dalam {refund_days}; rujukan {ref}.",
                   "pembayaran untuk {order} telah disahkan dan tempahan anda sedang dibungkus. Mohon maaf atas kesulitan."],
            "en": ["we've processed the refund of {amount} for {order} to your {payment} today. It should arrive within {refund_days}; reference {ref}.",
                   "your payment for {order} is now confirmed and the order is being packed. Sorry for the trouble."],
        },
    },
    "howto": {
        "ack": {
            "id": ["pertanyaan Kakak sudah kami teruskan ke tim produk untuk memastikan jawabannya tepat. Kami balas lagi paling lambat {promise}."],
            "ms": ["soalan anda telah kami rujuk kepada pasukan produk. Kami akan balas selewat-lewatnya {promise}."],
            "en": ["we've checked with our product team to make sure we give you the right answer - we'll reply by {promise}."],
        },
        "ask": {
            "id": ["boleh diinfokan tipe/seri yang tertera di stiker bagian bawah {item}? Ada dua versi dengan cara pakai yang sedikit berbeda."],
            "ms": ["boleh maklumkan model yang tertera pada pelekat di bawah {item}? Terdapat dua versi yang sedikit berbeza."],
            "en": ["could you tell us the model number on the sticker under the {item}? There are two versions that work slightly differently."],
        },
        "hold": {
            "id": ["kami sedang menunggu jawaban resmi dari distributor untuk pertanyaan ini. Kami kabari lagi {promise}."],
            "ms": ["kami sedang menunggu jawapan rasmi daripada pengedar. Kami akan maklumkan {promise}."],
            "en": ["we're waiting on an official answer from the distributor and will update you by {promise}."],
        },
        "resolve": {
            "id": ["{howto_a} Panduan lengkap dengan gambar ada di artikel bantuan kami: {kb}. Kalau masih bingung, balas saja pesan ini ya.",
                   "{howto_a} Semoga membantu! Tutorial videonya juga ada di {kb}."],
            "ms": ["{howto_a} Panduan penuh bergambar ada di {kb}. Balas sahaja mesej ini jika masih ada soalan."],
            "en": ["{howto_a} There's a step-by-step guide with pictures at {kb}. Just reply if anything's unclear."],
        },
    },
    "loyalty": {
        "ack": {
            "id": ["kami cek dulu riwayat poin dan voucher di akun Kakak ya. Hasilnya kami kabari paling lambat {promise}."],
            "ms": ["kami sedang semak sejarah mata dan baucar dalam akaun anda. Kami akan maklumkan {promise}."],
            "en": ["we're checking the points and voucher history on your account and will get back to you by {promise}."],
        },
        "ask": {
            "id": ["boleh diinfokan email atau nomor HP yang terdaftar di akun Kakak? Supaya kami bisa cek riwayat poin dan vouchernya di sistem."],
            "ms": ["boleh maklumkan e-mel atau nombor telefon yang didaftarkan pada akaun anda? Kami akan semak sejarah mata dan baucar."],
            "en": ["could you tell us the email or phone number registered on your account, so we can check your points and voucher history?"],
        },
        "hold": {
            "id": ["kami sudah laporkan ke tim sistem karena sepertinya ada kendala pencatatan poin (laporan {ticketref}). Kami kabari {promise}."],
            "ms": ["kami telah laporkan kepada pasukan sistem (rujukan {ticketref}). Kami akan maklumkan {promise}."],
            "en": ["we've reported this to our systems team as a points-recording issue (reference {ticketref}) and will update you by {promise}."],
        },
        "resolve": {
            "id": ["voucher {voucher} berlaku untuk minimal belanja Rp150.000 di luar ongkir dan tidak bisa digabung dengan promo flash sale; itu sebabnya ditolak. Sebagai gantinya kami kirim voucher {voucher_comp} yang bisa langsung dipakai.",
                   "poin pesanan {order} sudah kami tambahkan manual, saldo poin Kakak sekarang {points}. Poin bisa ditukar di menu Akun > Poin Saya, 100 poin = Rp1.000, termasuk untuk potongan ongkir.",
                   "poin berlaku 12 bulan sejak didapat, dan pengingat dikirim lewat email 30 hari sebelum hangus. Karena Kakak belum menerima pengingatnya, poin yang hangus sudah kami kembalikan."],
            "ms": ["baucar {voucher} memerlukan belian minimum RM40 tidak termasuk penghantaran, sebab itu ia ditolak. Sebagai ganti, kami beri baucar {voucher_comp} yang boleh terus digunakan.",
                   "mata untuk tempahan {order} sudah kami tambah secara manual; baki mata anda kini {points}. Tebus di Akaun > Mata Saya."],
            "en": ["the {voucher} voucher needs a minimum spend before shipping and can't be combined with flash-sale items, which is why it was declined. We've added voucher {voucher_comp} to your account instead.",
                   "we've added the points for {order} manually; your balance is now {points}. You can redeem them under Account > My Points, including for shipping."],
        },
    },
    "compliment": {
        "resolve": {
            "id": ["terima kasih banyak atas pesannya, ini bikin semangat tim kami! Sebagai ucapan terima kasih, ada voucher {voucher_comp} untuk belanja berikutnya.",
                   "senang sekali mendengarnya. Pesan Kakak sudah kami sampaikan ke tim gudang yang mengemas pesanan. Sampai jumpa di belanja berikutnya!"],
            "ms": ["terima kasih banyak atas kata-kata anda! Sebagai penghargaan, kami berikan baucar {voucher_comp} untuk pembelian seterusnya."],
            "en": ["thank you so much - this made our team's day! Here's a {voucher_comp} voucher for your next order as a small thank-you."],
        },
    },
    "address": {
        "ack": {
            "id": ["permintaan untuk pesanan {order} sudah kami terima dan kami teruskan ke gudang sebelum jadwal pickup kurir. Konfirmasinya kami kirim paling lambat {promise}."],
            "ms": ["permintaan untuk tempahan {order} sudah kami terima dan diserahkan kepada gudang. Pengesahan akan kami hantar {promise}."],
            "en": ["we've received your request for {order} and passed it to the warehouse before the courier pickup. We'll confirm by {promise}."],
        },
        "ask": {
            "id": ["boleh dikonfirmasi alamat lengkap beserta kode posnya? Supaya tidak salah lagi saat kami ubah di sistem."],
            "ms": ["boleh sahkan alamat penuh beserta poskod?"],
            "en": ["could you confirm the full address including the postcode?"],
        },
        "hold": {
            "id": ["pesanan {order} ternyata sudah diserahkan ke {courier}. Kami sudah ajukan perubahan alamat ke {courier} dan menunggu konfirmasinya; kabar kami kirim {promise}."],
            "ms": ["tempahan {order} sudah diserahkan kepada {courier}. Kami telah memohon pertukaran alamat dan sedang menunggu pengesahan; kami akan maklumkan {promise}."],
            "en": ["{order} had already been handed to {courier}. We've requested the address change and are waiting for them to confirm; we'll update you by {promise}."],
        },
        "resolve": {
            "id": ["sudah kami ubah ya, pesanan {order} akan dikirim ke alamat yang baru. Resinya kami kirim begitu paket diserahkan ke kurir.",
                   "pesanan {order} sudah kami batalkan dan dana {amount} dikembalikan ke {payment} dalam {refund_days}."],
            "ms": ["sudah dikemas kini, tempahan {order} akan dihantar ke alamat baharu.",
                   "tempahan {order} telah dibatalkan dan {amount} akan dipulangkan ke {payment} dalam {refund_days}."],
            "en": ["done - {order} will now ship to the new address. We'll send the tracking number once it's with the courier.",
                   "we've cancelled {order} and refunded {amount} to your {payment}; it will arrive within {refund_days}."],
        },
    },
}

# Theme-specific replies that replace the family's (stage -> language -> templates).
THEME_REPLIES = {
    "toothpaste": {
        "resolve": {
            "id": ["kami mohon maaf sekali, tabung yang kurang isi seharusnya tidak lolos ke pelanggan. Hari ini juga kami kirimkan 2 tube {product} baru beserta surat permintaan maaf, resi {new_awb}. Nomor batch yang Kakak laporkan sudah kami teruskan ke produsen untuk diperiksa.",
                   "terima kasih sudah memberi tahu kami. Penggantinya sudah kami kirim hari ini (resi {new_awb}) tanpa perlu mengembalikan tabung yang lama, dan laporan Kakak sudah masuk ke tim QC produsen."],
            "ms": ["kami memohon maaf, tiub yang kurang isi sepatutnya tidak sampai kepada pelanggan. Hari ini kami hantar 2 tiub {product} baharu bersama surat permohonan maaf, nombor tracking {new_awb}."],
            "en": ["we're very sorry - an underfilled tube should never reach a customer. We're sending two new tubes of {product} today with an apology note (tracking {new_awb}), and we've reported the batch to the manufacturer."],
        },
    },
    "fake": {
        "resolve": {
            "id": ["semua produk kami dikirim langsung dari distributor resmi. Kemasan {product} memang diperbarui bulan ini, dan cara mengecek keasliannya: nomor BPOM bisa dicek di cekbpom.pom.go.id, ada hologram di tutup dan kode QR di sisi kotak. Panduannya ada di {kb}. Kalau tetap ragu, kami terima pengembalian dan dana kembali penuh.",
                   "terima kasih sudah teliti. Segel luar yang terbuka kemungkinan rusak saat pengiriman; kami kirim unit baru dengan segel utuh (resi {new_awb}). Cara membedakan produk asli dan palsu sudah kami rangkum di {kb}."],
            "ms": ["semua produk kami daripada pengedar rasmi. Pembungkusan {product} memang dikemas kini bulan ini. Cara semak keaslian: hologram pada penutup dan kod QR di tepi kotak; panduan di {kb}. Jika masih ragu, kami terima pemulangan dengan bayaran balik penuh."],
            "en": ["all our stock comes directly from authorised distributors. The {product} packaging was updated this month; you can verify it with the hologram on the cap and the QR code on the box - see our guide at {kb}. If you're still unsure, we'll take it back for a full refund."],
        },
    },
    "incident": {
        "ack": {
            "id": ["mohon maaf atas keterlambatannya. Saat ini ada penumpukan paket di hub {courier} {city}, bukan hanya pesanan Kakak. Kami sudah berkoordinasi dengan {courier} dan akan mengabari perkembangan paket {order} paling lambat {promise}."],
            "ms": ["mohon maaf atas kelewatan. Terdapat kesesakan parcel di hab {courier} {city}. Kami sedang berhubung dengan {courier} dan akan maklumkan {promise}."],
            "en": ["sorry for the delay - there's currently a backlog at the {courier} hub in {city}, affecting more than just your parcel. We're in touch with {courier} and will update you on {order} by {promise}."],
        },
        "hold": {
            "id": ["kami sudah eskalasi ke PIC {courier} wilayah Sumatera Utara (laporan {ticketref}). Mereka menambah armada dan menargetkan penumpukan di hub {city} selesai dalam 2-3 hari. Kami kabari lagi {promise}."],
            "ms": ["kami telah eskalasi kepada {courier} (rujukan {ticketref}). Mereka menjangka kesesakan di hab {city} selesai dalam 2-3 hari. Kami akan maklumkan {promise}."],
            "en": ["we've escalated to {courier}'s regional team (reference {ticketref}). They're adding vehicles and expect the {city} hub backlog to clear in 2-3 days. We'll update you by {promise}."],
        },
    },
}

THEME_REPLIES.update({
    "refund": {"resolve": {"id": [REPLIES["money"]["resolve"]["id"][0]], "ms": [REPLIES["money"]["resolve"]["ms"][0]],
                           "en": [REPLIES["money"]["resolve"]["en"][0]]}},
    "payment_failed": {"resolve": {
        "id": [REPLIES["money"]["resolve"]["id"][1],
               "transaksi yang gagal sudah dibatalkan oleh {payment} dan saldo {amount} dikembalikan otomatis dalam 1x24 jam (ref. {ref}). Pesanan {order} masih tersimpan, silakan bayar ulang lewat halaman Pesanan Saya."],
        "ms": [REPLIES["money"]["resolve"]["ms"][1]], "en": [REPLIES["money"]["resolve"]["en"][1]]}},
    "double_charge": {"resolve": {"id": [REPLIES["money"]["resolve"]["id"][2]],
                                  "ms": ["caj berlebihan {amount} telah dipulangkan ke {payment} (rujukan {ref}), biasanya masuk dalam {refund_days}. Terima kasih atas kesabaran anda."],
                                  "en": ["we've refunded the extra {amount} to your {payment} (reference {ref}); it usually arrives within {refund_days}. Thanks for your patience."]}},
})

# Short phrases for {issue_*} in product replies.
ISSUE = {
    "damaged": {"id": "barangnya sampai dalam keadaan rusak", "ms": "barang sampai dalam keadaan rosak", "en": "that your item arrived damaged"},
    "defective": {"id": "{item}-nya bermasalah", "ms": "{item} anda bermasalah", "en": "that your {item} isn't working"},
    "toothpaste": {"id": "isi pasta giginya kurang", "ms": "ubat gigi kurang isi", "en": "about the underfilled tube"},
    "wrong_item": {"id": "barang yang dikirim tidak sesuai", "ms": "barang yang dihantar tidak betul", "en": "that you received the wrong item"},
    "missing_item": {"id": "ada barang yang kurang di paket Kakak", "ms": "ada barang yang tertinggal", "en": "that an item was missing"},
    "fake": {"id": "atas kekhawatiran soal keaslian produknya", "ms": "atas kebimbangan tentang keaslian produk", "en": "for the worry about the product's authenticity"},
    "expired": {"id": "produknya sudah/hampir kedaluwarsa", "ms": "produk sudah hampir tamat tempoh", "en": "that the product is out of date"},
}

# ------------------------------------------------------------------------------------
# Internal notes (agents write them in Indonesian)
# ------------------------------------------------------------------------------------

NOTES = {
    "delivery": ["Cek dashboard {courier}: status terakhir \"{tracking}\". Sudah WA ke PIC {courier}.",
                 "Resi {awb} sudah diajukan klaim ke {courier}, no. klaim {ticketref}.",
                 "Pelanggan {tier}, sudah {orders_count}x order. Kalau paket hilang langsung kirim ulang saja, tidak perlu tunggu klaim.",
                 "Alamat di sistem sudah dicek, sesuai. Kemungkinan masalah di kurir."],
    "product": ["Batch {batch} - minta tim QC cek sisa stok di rak.",
                "Pelanggan {tier}, {orders_count}x order. Ganti tanpa retur barang lama."],
    "damaged": ["Foto sudah diterima, kerusakan jelas karena pengiriman. Setuju ganti baru, stok {product} di gudang aman.",
                "Packing untuk barang pecah belah kurang tebal, sudah info ke kepala gudang.",
                "Lagi-lagi lewat {courier}: ini laporan barang rusak ke-3 minggu ini. Ajukan klaim asuransi pengiriman.",
                "Pelanggan {tier}, {orders_count}x order. Ganti tanpa retur barang lama."],
    "defective": ["Unit {product} batch {batch}; cek apakah ada laporan serupa dari pelanggan lain.",
                  "Masih dalam garansi toko 30 hari, langsung tukar unit baru tanpa servis.",
                  "Minta unit rusak dikirim balik untuk klaim ke distributor."],
    "wrong_item": ["Picker salah ambil: rak {product} dan {other} bersebelahan di gudang. Sudah info ke kepala gudang.",
                   "Kirim barang yang benar dulu; barang yang salah dijemput kurir bersamaan."],
    "missing_item": ["Berat paket di manifest {courier} lebih ringan dari seharusnya, kemungkinan memang kurang saat packing.",
                     "Cek rekaman CCTV meja packing untuk {order}: {item} memang tidak masuk. Kirim susulan."],
    "expired": ["Cek stok {product} di gudang: ada karton dengan tanggal kedaluwarsa dekat, sudah ditarik dari rak.",
                "Langsung ganti + voucher, jangan minta barang dikembalikan (produk makanan)."],
    "money": ["Cek di dashboard payment gateway: ada 2 transaksi settled untuk {order}. Ajukan refund 1 transaksi.",
              "Transaksi status pending di gateway, menunggu callback bank. Ref {ref}.",
              "Refund sudah diajukan ke finance, estimasi cair {refund_days}.",
              "Mutasi dari pelanggan cocok dengan settlement. Konfirmasi manual."],
    "howto": ["Jawaban diambil dari manual halaman 4; artikel KB perlu ditambah foto.",
              "Pertanyaan ini sering muncul, usul dibuat video tutorial singkat."],
    "loyalty": ["Poin tidak tercatat karena pesanan selesai saat maintenance sistem. Tambah manual.",
                "Voucher ditolak karena ada item flash sale di keranjang. Kasih voucher pengganti."],
    "compliment": ["Screenshot pujian sudah dikirim ke grup tim gudang."],
    "address": ["Paket belum di-pickup kurir, alamat diubah di sistem.", "Sudah diserahkan ke kurir, ajukan reroute ke {courier}."],
    "incident": ["Tiket ke-{n} hari ini soal {courier} {city}. Sepertinya ada masalah di hub {city}, perlu dipantau.",
                 "PIC {courier} konfirmasi ada penumpukan paket di hub {city} karena kekurangan armada. Estimasi normal 2-3 hari.",
                 "Sudah lapor ke lead Pengiriman: kemungkinan perlu kirim pemberitahuan proaktif ke semua pelanggan {city} yang paketnya lewat {courier}."],
    "toothpaste": ["Batch {batch}: ini laporan isi kurang yang ke-{n}. Sudah kirim ke QC produsen, minta sisa stok batch ini ditahan.",
                   "Langsung kirim pengganti + surat permintaan maaf, sesuai kebijakan untuk produk di bawah Rp50.000."],
    "fake": ["Cek dengan distributor: kemasan baru memang beredar mulai bulan ini. Usul bikin artikel \"cara membedakan produk asli\".",
             "Foto kemasan dibandingkan dengan stok gudang, identik. Kemungkinan pelanggan belum tahu kemasan baru."],
}

# Replies that depend on what exactly the customer asked (the third element of a template).
SUB_REPLIES = {
    "voucher": {
        "ask": {"id": ["boleh dikirim screenshot halaman checkout saat voucher {voucher} ditolak? Kami perlu melihat isi keranjang dan metode pengirimannya."],
                "ms": ["boleh hantar tangkapan skrin halaman checkout semasa baucar {voucher} ditolak?"],
                "en": ["could you send a screenshot of the checkout page when {voucher} is rejected?"]},
        "resolve": {"id": [REPLIES["loyalty"]["resolve"]["id"][0]], "ms": [REPLIES["loyalty"]["resolve"]["ms"][0]],
                    "en": [REPLIES["loyalty"]["resolve"]["en"][0]]},
    },
    "points": {
        "resolve": {"id": [REPLIES["loyalty"]["resolve"]["id"][1]], "ms": [REPLIES["loyalty"]["resolve"]["ms"][1]],
                    "en": [REPLIES["loyalty"]["resolve"]["en"][1]]},
    },
    "redeem": {
        "resolve": {"id": ["poin bisa ditukar di aplikasi lewat menu Akun > Poin Saya. 100 poin = Rp1.000, bisa untuk potongan harga maupun ongkir, dan bisa digabung dengan voucher gratis ongkir. Poin Kakak saat ini {points}, tinggal pilih jumlahnya di halaman checkout ya."],
                    "ms": ["mata boleh ditebus dalam aplikasi melalui Akaun > Mata Saya, termasuk untuk kos penghantaran. Baki anda sekarang {points} mata; pilih jumlahnya di halaman checkout."],
                    "en": ["you can redeem points in the app under Account > My Points, for discounts or shipping. Your balance is {points} points - just choose how many to use at checkout."]},
    },
    "expiry": {
        "resolve": {"id": [REPLIES["loyalty"]["resolve"]["id"][2]], "ms": [REPLIES["loyalty"]["resolve"]["id"][2]],
                    "en": ["points are valid for 12 months and we email a reminder 30 days before they expire. As you didn't get that reminder, we've restored the expired points."]},
    },
    "shipping": {
        "resolve": {"id": ["gratis ongkir ke {city} berlaku untuk minimal belanja Rp100.000 setelah diskon, dengan kurir reguler. Pesanan {order} sedikit di bawah minimum setelah potongan promo, jadi ongkirnya terhitung. Sebagai gantinya kami kirim voucher ongkir {voucher_comp} untuk pesanan berikutnya."]},
    },
    "packaging": {
        "resolve": {"id": [THEME_REPLIES["fake"]["resolve"]["id"][0]], "ms": THEME_REPLIES["fake"]["resolve"]["ms"],
                    "en": THEME_REPLIES["fake"]["resolve"]["en"]},
    },
    "seal": {
        "resolve": {"id": [THEME_REPLIES["fake"]["resolve"]["id"][1]],
                    "ms": ["terima kasih kerana teliti. Meterai luar yang terbuka mungkin rosak semasa penghantaran; kami hantar unit baharu dengan meterai utuh (tracking {new_awb})."],
                    "en": ["thanks for checking so carefully. The outer seal was probably damaged in transit; we're sending a new unit with an intact seal (tracking {new_awb})."]},
    },
    "smell": {
        "resolve": {"id": ["terima kasih sudah melapor, keamanan Kakak yang utama. Mohon produknya tidak dipakai dulu. Kurir akan menjemputnya besok untuk diperiksa tim QC bersama distributor, dan dana {amount} sudah kami proses kembali penuh ke {payment} ({refund_days})."]},
    },
    "change": {
        "resolve": {"id": [REPLIES["address"]["resolve"]["id"][0]], "ms": [REPLIES["address"]["resolve"]["ms"][0]],
                    "en": [REPLIES["address"]["resolve"]["en"][0]]},
    },
    "cancel": {
        "ask": {"id": ["pembatalan berlaku untuk semua barang di pesanan {order} ya, Kak. Boleh dikonfirmasi dulu sebelum kami proses?"],
                "ms": ["pembatalan melibatkan semua barang dalam tempahan {order}. Boleh sahkan sebelum kami proses?"],
                "en": ["cancelling will cancel every item in {order}. Could you confirm before we go ahead?"]},
        "hold": {"id": ["pesanan {order} ternyata sudah diserahkan ke {courier}. Kami sudah minta paketnya dikembalikan ke gudang; begitu diterima, dana langsung kami kembalikan. Kabar berikutnya kami kirim {promise}."],
                 "ms": ["tempahan {order} sudah diserahkan kepada {courier}. Kami telah meminta ia dipulangkan ke gudang; bayaran balik dibuat sebaik sahaja diterima. Kami akan maklumkan {promise}."],
                 "en": ["{order} had already been handed to {courier}. We've asked for it to be returned to our warehouse and will refund you as soon as it arrives; next update by {promise}."]},
        "resolve": {"id": [REPLIES["address"]["resolve"]["id"][1]], "ms": [REPLIES["address"]["resolve"]["ms"][1]],
                    "en": [REPLIES["address"]["resolve"]["en"][1]]},
    },
    "add": {
        "resolve": {"id": ["pesanan {order} belum dikemas, jadi 1 {item2} sudah kami tambahkan. Link pembayaran untuk selisihnya kami kirim lewat email; setelah dibayar semuanya dikirim bersamaan."]},
    },
    "return": {
        "resolve": {"id": ["bisa, Kak. Kurir akan menjemput {item} besok antara jam 09.00-17.00. Setelah barang kami terima dan dicek, dana {amount} kami kembalikan ke {payment} dalam {refund_days}."],
                    "ms": ["boleh. Kurier akan mengambil {item} esok antara 9 pagi hingga 5 petang. Selepas barang diterima, {amount} akan dipulangkan ke {payment} dalam {refund_days}."],
                    "en": ["of course. A courier will collect the {item} tomorrow between 9am and 5pm. Once it's back with us, we'll refund {amount} to your {payment} within {refund_days}."]},
    },
    "where": {
        "resolve": {"id": ["refund selalu dikembalikan ke metode pembayaran asal, jadi untuk pesanan {order} masuk ke {payment} Kakak dalam {refund_days}. Kalau ingin dikembalikan sebagai saldo toko (langsung masuk), cukup balas pesan ini."]},
    },
}

KB_URLS = {
    "id": "https://{domain}/bantuan/{slug}",
    "ms": "https://{domain}/bantuan/{slug}?hl=ms",
    "en": "https://{domain}/help/{slug}",
}

# ------------------------------------------------------------------------------------
# Why an agent moves a promised date (told to the customer by promises.promise_redate,
# inside "Mohon maaf, kami memerlukan waktu lebih lama untuk {reference}: {reason} ...")
# ------------------------------------------------------------------------------------

REDATE = {
    "incident": {
        "id": ["paket masih tertahan di hub {courier} {city} karena penumpukan kiriman, dan {courier} baru menambah armada hari ini",
               "{courier} mengabarkan sortir di hub {city} baru normal kembali besok, jadi paket {order} ikut terlambat"],
        "ms": ["parcel masih tertahan di hab {courier} {city} kerana kesesakan, dan {courier} baru menambah kenderaan hari ini"],
        "en": ["the parcel is still held at the {courier} hub in {city} because of a backlog, and {courier} only added vehicles today"],
    },
    "delivery": {
        "id": ["{courier} masih menelusuri paket {order} di gudang transit dan belum memberi kepastian",
               "klaim ke {courier} untuk resi {awb} masih diverifikasi oleh kantor pusat mereka"],
        "ms": ["{courier} masih menjejaki parcel {order} di gudang transit dan belum memberi kepastian"],
        "en": ["{courier} is still tracing {order} at their transit warehouse and has not confirmed anything yet"],
    },
    "product": {
        "id": ["stok pengganti {item} baru tiba di gudang kami besok pagi",
               "hasil pemeriksaan tim QC dan pemasok untuk {product} belum keluar"],
        "ms": ["stok gantian {item} hanya tiba di gudang kami esok pagi"],
        "en": ["the replacement stock for the {item} only arrives at our warehouse tomorrow morning"],
    },
    "money": {
        "id": ["konfirmasi dari {payment} membutuhkan waktu lebih lama dari biasanya",
               "proses rekonsiliasi dengan bank untuk pesanan {order} masih berjalan"],
        "ms": ["pengesahan daripada {payment} mengambil masa lebih lama daripada biasa"],
        "en": ["the confirmation from {payment} is taking longer than usual"],
    },
    "address": {
        "id": ["{courier} belum mengonfirmasi perubahan alamat untuk pesanan {order}"],
        "ms": ["{courier} belum mengesahkan pertukaran alamat untuk tempahan {order}"],
        "en": ["{courier} has not yet confirmed the address change for {order}"],
    },
    "howto": {
        "id": ["jawaban resmi dari distributor {product} belum kami terima"],
        "ms": ["jawapan rasmi daripada pengedar {product} belum kami terima"],
        "en": ["we have not yet had the official answer from the {product} distributor"],
    },
    "loyalty": {
        "id": ["tim sistem kami masih memeriksa riwayat poin di akun Kakak"],
        "ms": ["pasukan sistem kami masih menyemak sejarah mata dalam akaun anda"],
        "en": ["our systems team is still checking the points history on your account"],
    },
    "waiting": {  # a pending ticket: we wait for the customer
        "id": ["kami masih menunggu data dari Kakak untuk melanjutkan pengecekan"],
        "ms": ["kami masih menunggu maklumat daripada anda untuk meneruskan semakan"],
        "en": ["we are still waiting for the details from you to continue"],
    },
}
REDATE["compliment"] = REDATE["howto"]

# The note on a remedy's message to the customer (remedy templates end with "{note}").
REMEDY_NOTES = {
    "toothpaste": {"id": "Tabung yang lama tidak perlu dikembalikan, dan nomor batch-nya sudah kami laporkan ke produsen.",
                   "ms": "Tiub lama tidak perlu dipulangkan, dan nombor batch telah kami laporkan kepada pengeluar.",
                   "en": "No need to send the old tube back; we have reported the batch to the manufacturer."},
    "replace": {"id": "Barang yang lama tidak perlu dikembalikan.", "ms": "Barang lama tidak perlu dipulangkan.",
                "en": "No need to send the old one back."},
    "double_charge": {"id": "Ini potongan kedua yang terjadi karena pembayaran ganda.",
                      "ms": "Ini caj kedua akibat pembayaran berganda.",
                      "en": "This is the second charge, taken by mistake."},
}
