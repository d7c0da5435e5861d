"""The demo shop's help-center articles (id, ms, en), used by ``demo.play`` and by
bench/kb_search (its labelled queries name these slugs). "Spotting fakes" is deliberately absent:
the content ideas find the packaging/fake theme in the demo's tickets uncovered (article 003)."""

from __future__ import annotations

CATEGORIES = [
    ("pesanan-pengiriman", "Pesanan & pengiriman", "Pesanan & penghantaran", "Orders & delivery", 1),
    ("pengembalian", "Pengembalian & garansi", "Pemulangan & waranti", "Returns & warranty", 2),
    ("pembayaran", "Pembayaran", "Pembayaran", "Payment", 3),
    ("produk", "Cara pakai produk", "Cara guna produk", "Using our products", 4),
    ("akun-poin", "Akun & poin", "Akaun & mata ganjaran", "Account & points", 5),
]

# slug, category, product SKUs, state, {lang: (title, body)}
ARTICLES = [
    ("lacak-pesanan", "pesanan-pengiriman", [], "published", {
        "id": ("Cara melacak pesanan dan nomor resi",
               "## Di mana nomor resi saya?\nNomor resi dikirim lewat email dan WhatsApp begitu paket diserahkan ke kurir (JNE, J&T, SiCepat atau AnterAja).\n\n## Status tidak berubah\n- Status kadang baru diperbarui 1x24 jam setelah paket dijemput kurir.\n- Jika status tidak berubah lebih dari 3 hari, hubungi kami dengan nomor pesanan: kami cek langsung ke kurir."),
        "ms": ("Cara menjejak pesanan dan nombor tracking",
               "## Di mana nombor tracking saya?\nNombor tracking dihantar melalui emel dan WhatsApp sebaik bungkusan diserahkan kepada kurier.\n\n## Status tidak berubah\n- Status kadang-kadang dikemas kini 24 jam selepas bungkusan diambil.\n- Jika tiada perubahan lebih 3 hari, hubungi kami dengan nombor pesanan anda."),
        "en": ("How to track your order and tracking number",
               "## Where is my tracking number?\nWe email and WhatsApp the tracking number as soon as the courier picks up your parcel.\n\n## The status does not change\n- Couriers may update the status only 24 hours after pickup.\n- If nothing changes for more than 3 days, contact us with your order number and we check with the courier.")}),
    ("paket-terlambat", "pesanan-pengiriman", [], "published", {
        "id": ("Paket terlambat atau belum sampai",
               "Estimasi pengiriman 2-3 hari kerja untuk Jawa dan 4-7 hari kerja untuk luar Jawa.\n\n## Jika paket belum sampai\n1. Cek status di aplikasi kurir dengan nomor resi.\n2. Jika status \"terkirim\" tetapi paket tidak ada, tanyakan ke satpam atau tetangga.\n3. Hubungi kami: jika paket hilang, kami kirim ulang atau mengembalikan dana penuh."),
        "ms": ("Bungkusan lewat atau belum sampai",
               "Anggaran penghantaran 2-3 hari bekerja di Semenanjung dan 4-7 hari bekerja ke Sabah dan Sarawak.\n\n## Jika bungkusan belum sampai\n1. Semak status dengan nombor tracking.\n2. Jika status \"dihantar\" tetapi tiada bungkusan, tanya pengawal keselamatan atau jiran.\n3. Hubungi kami: jika bungkusan hilang, kami hantar semula atau pulangkan wang penuh."),
        "en": ("Late or missing parcel",
               "Delivery takes 2-3 working days in Java and 4-7 working days elsewhere.\n\n## If your parcel has not arrived\n1. Check the courier's status with your tracking number.\n2. If it says delivered but you have nothing, ask your security desk or neighbours.\n3. Contact us: if the parcel is lost we resend it or refund you in full.")}),
    ("ubah-alamat", "pesanan-pengiriman", [], "published", {
        "id": ("Mengubah alamat pengiriman",
               "Alamat bisa diubah selama pesanan belum dikemas. Balas email konfirmasi pesanan atau hubungi kami dengan nomor pesanan dan alamat lengkap yang baru (termasuk kode pos).\n\nJika paket sudah diserahkan ke kurir, kami minta kurir mengubah alamat; biasanya butuh 1-2 hari tambahan."),
        "ms": ("Menukar alamat penghantaran",
               "Alamat boleh ditukar selagi pesanan belum dibungkus. Hubungi kami dengan nombor pesanan dan alamat baharu yang lengkap (termasuk poskod).\n\nJika bungkusan sudah diserahkan kepada kurier, kami minta kurier menukar alamat; biasanya 1-2 hari tambahan."),
        "en": ("Changing your delivery address",
               "You can change the address until your order is packed. Contact us with your order number and the full new address (with postcode).\n\nIf the courier already has the parcel, we ask them to redirect it; this usually adds 1-2 days.")}),
    ("pengembalian-dana", "pengembalian", [], "published", {
        "id": ("Cara pengembalian dana (refund)",
               "## Berapa lama?\nDana dikembalikan dalam 3-7 hari kerja setelah pengembalian disetujui: ke rekening bank, kartu kredit, atau dompet digital yang dipakai saat membayar.\n\n## Syarat\n- Ajukan paling lambat 7 hari setelah barang diterima.\n- Sertakan foto atau video barang dan nomor pesanan."),
        "ms": ("Cara bayaran balik (refund)",
               "## Berapa lama?\nWang dipulangkan dalam 3-7 hari bekerja selepas pemulangan diluluskan: ke akaun bank, kad kredit atau e-dompet yang digunakan semasa membayar.\n\n## Syarat\n- Mohon dalam tempoh 7 hari selepas barang diterima.\n- Sertakan gambar atau video barang dan nombor pesanan."),
        "en": ("How refunds work",
               "## How long does it take?\nYour money is refunded within 3-7 working days after the return is approved, to the bank account, card or e-wallet you paid with.\n\n## Conditions\n- Ask within 7 days of receiving the item.\n- Include photos or a video and your order number.")}),
    ("barang-rusak", "pengembalian", ["RT-GKC-006", "RT-BLK-015"], "published", {
        "id": ("Barang rusak atau pecah saat diterima",
               "Mohon maaf jika barang Anda tiba dalam keadaan rusak, pecah atau bocor.\n\n## Yang perlu dikirim\n- Foto kemasan luar dan barang yang rusak.\n- Video unboxing, jika ada.\n- Nomor pesanan.\n\nKami kirim pengganti tanpa biaya atau mengembalikan dana, sesuai pilihan Anda."),
        "ms": ("Barang rosak atau pecah semasa diterima",
               "Maaf jika barang anda tiba dalam keadaan rosak, pecah atau bocor.\n\n## Apa yang perlu dihantar\n- Gambar bungkusan luar dan barang yang rosak.\n- Video unboxing, jika ada.\n- Nombor pesanan.\n\nKami hantar ganti tanpa caj atau pulangkan wang, mengikut pilihan anda."),
        "en": ("Item arrived damaged or broken",
               "We are sorry if your item arrived damaged, broken or leaking.\n\n## What to send us\n- Photos of the outer box and the damaged item.\n- An unboxing video, if you have one.\n- Your order number.\n\nWe send a free replacement or refund you, as you prefer.")}),
    ("barang-salah-kurang", "pengembalian", [], "published", {
        "id": ("Barang yang diterima salah atau kurang",
               "Jika varian, ukuran atau jumlah barang tidak sesuai pesanan, kirimkan foto barang dan label pengiriman. Kami kirim barang yang benar atau yang kurang dalam 1-2 hari kerja; barang yang salah tidak perlu dikirim balik kecuali kami minta."),
        "ms": ("Barang yang diterima salah atau tidak cukup",
               "Jika varian, saiz atau kuantiti tidak sama dengan pesanan, hantar gambar barang dan label penghantaran. Kami hantar barang yang betul atau yang kurang dalam 1-2 hari bekerja."),
        "en": ("Wrong or missing items",
               "If the variant, size or quantity is not what you ordered, send a photo of the items and the shipping label. We send the right or missing items within 1-2 working days; you do not need to return the wrong one unless we ask.")}),
    ("garansi-elektronik", "pengembalian", ["RT-RCK-018", "RT-BLK-015", "RT-STU-120", "RT-KLS-017", "EL-PWB-10K", "EL-TWS-053"], "published", {
        "id": ("Klaim garansi barang elektronik",
               "Peralatan rumah tangga bergaransi 12 bulan, aksesori elektronik 6 bulan.\n\n## Cara klaim\n1. Siapkan nomor pesanan dan foto kartu garansi.\n2. Jelaskan kerusakannya (tidak menyala, mati sendiri, tidak mengisi daya).\n3. Kami kirim unit pengganti atau memperbaikinya di service center resmi."),
        "ms": ("Tuntutan waranti barang elektrik",
               "Peralatan rumah bertempoh waranti 12 bulan, aksesori elektronik 6 bulan.\n\n## Cara membuat tuntutan\n1. Sediakan nombor pesanan dan gambar kad waranti.\n2. Terangkan kerosakan (tidak menyala, mati sendiri, tidak mengecas).\n3. Kami hantar unit ganti atau baiki di pusat servis rasmi."),
        "en": ("Warranty claims for electronics",
               "Household appliances have a 12-month warranty, electronic accessories 6 months.\n\n## How to claim\n1. Have your order number and a photo of the warranty card ready.\n2. Describe the fault (does not turn on, switches off, does not charge).\n3. We send a replacement unit or have it repaired at an official service centre.")}),
    ("pembayaran-gagal", "pembayaran", [], "published", {
        "id": ("Pembayaran gagal atau belum terverifikasi",
               "## Saldo terpotong tetapi pesanan belum dibayar\nPembayaran lewat virtual account atau dompet digital biasanya terverifikasi dalam 15 menit. Jika lebih dari 1 jam, kirim bukti transfer ke kami.\n\n## Pembayaran ditolak\nCoba metode lain (transfer bank, QRIS, kartu kredit). Dana dari pembayaran yang gagal otomatis kembali dalam 1-3 hari kerja."),
        "ms": ("Pembayaran gagal atau belum disahkan",
               "## Baki ditolak tetapi pesanan belum berbayar\nPembayaran melalui FPX atau e-dompet biasanya disahkan dalam 15 minit. Jika lebih 1 jam, hantar bukti pembayaran kepada kami.\n\n## Pembayaran ditolak\nCuba kaedah lain (FPX, kad kredit, e-dompet). Wang daripada pembayaran yang gagal dipulangkan automatik dalam 1-3 hari bekerja."),
        "en": ("Payment failed or not yet confirmed",
               "## Money taken but the order is unpaid\nVirtual account and e-wallet payments are usually confirmed within 15 minutes. After an hour, send us the proof of transfer.\n\n## Payment declined\nTry another method (bank transfer, QRIS, credit card). Money from a failed payment returns automatically within 1-3 working days.")}),
    ("tagihan-ganda", "pembayaran", [], "published", {
        "id": ("Tertagih dua kali untuk satu pesanan",
               "Jika saldo atau kartu Anda terpotong dua kali, kirim bukti kedua transaksi dan nomor pesanan. Setelah kami cocokkan dengan bank, tagihan ganda dikembalikan penuh dalam 3-7 hari kerja."),
        "ms": ("Dicaj dua kali untuk satu pesanan",
               "Jika akaun atau kad anda dicaj dua kali, hantar bukti kedua-dua transaksi dan nombor pesanan. Selepas disemak dengan bank, caj berganda dipulangkan penuh dalam 3-7 hari bekerja."),
        "en": ("Charged twice for one order",
               "If you were charged twice, send proof of both transactions and your order number. Once matched with the bank, the double charge is refunded in full within 3-7 working days.")}),
    ("metode-pembayaran", "pembayaran", [], "published", {
        "id": ("Metode pembayaran yang diterima",
               "Kami menerima transfer bank (virtual account BCA, BNI, BRI, Mandiri), QRIS, kartu kredit dan debit, dompet digital (GoPay, OVO, DANA, ShopeePay) serta bayar di tempat (COD) untuk kota tertentu."),
        "ms": ("Kaedah pembayaran yang diterima",
               "Kami menerima FPX (perbankan dalam talian), kad kredit dan debit, e-dompet (Touch 'n Go eWallet, GrabPay, Boost) serta tunai semasa penghantaran (COD) di kawasan tertentu."),
        "en": ("Payment methods we accept",
               "We accept bank transfer (virtual accounts), QRIS, credit and debit cards, e-wallets (GoPay, OVO, DANA, ShopeePay, Touch 'n Go) and cash on delivery (COD) in selected cities.")}),
    ("pasta-gigi-kemasan", "produk", ["PD-PGH-190", "PD-PGW-160", "PD-PGA-050"], "published", {
        "id": ("Pasta gigi: tutup bocor atau tube penyok",
               "Tube pasta gigi kadang penyok saat pengiriman; isinya tetap aman selama segel di mulut tube utuh. Jika segel rusak atau pasta bocor keluar, jangan dipakai: kirim foto dan kami ganti."),
        "ms": ("Ubat gigi: penutup bocor atau tiub kemek",
               "Tiub ubat gigi kadang-kadang kemek semasa penghantaran; isinya selamat selagi meterai di mulut tiub utuh. Jika meterai rosak atau ubat gigi bocor, jangan guna: hantar gambar dan kami ganti."),
        "en": ("Toothpaste: leaking cap or dented tube",
               "Tubes sometimes get dented in transit; the paste is safe as long as the seal at the tube's mouth is intact. If the seal is broken or the paste leaks, do not use it: send a photo and we replace it.")}),
    ("cara-pakai-rice-cooker", "produk", ["RT-RCK-018"], "published", {
        "id": ("Cara memakai rice cooker 1.8L",
               "## Takaran air\n- Beras putih: air sampai garis sesuai jumlah cup.\n- Beras merah: tambah setengah cup air dan pakai mode Brown Rice.\n\n## Perawatan\nCuci panci dengan spons lembut; jangan pakai sabut kawat agar lapisan anti lengket awet."),
        "ms": ("Cara menggunakan periuk nasi 1.8L",
               "## Sukatan air\n- Beras putih: air hingga garisan mengikut bilangan cawan.\n- Beras perang: tambah setengah cawan air dan guna mod Brown Rice.\n\n## Penjagaan\nBasuh periuk dengan span lembut; jangan guna span besi."),
        "en": ("Using the 1.8L rice cooker",
               "## Water\n- White rice: fill to the line for the number of cups.\n- Brown rice: add half a cup of water and use the Brown Rice mode.\n\n## Care\nWash the pot with a soft sponge; steel wool damages the non-stick coating.")}),
    ("poin-dan-voucher", "akun-poin", [], "published", {
        "id": ("Poin belanja dan voucher",
               "Setiap belanja Rp10.000 memberi 1 poin. Poin masuk setelah pesanan selesai dan bisa ditukar dengan voucher diskon. Voucher tidak bisa dipakai? Periksa masa berlaku dan minimum belanjanya."),
        "ms": ("Mata ganjaran dan baucar",
               "Setiap perbelanjaan RM5 memberi 1 mata. Mata dikreditkan selepas pesanan selesai dan boleh ditukar dengan baucar diskaun. Baucar tidak boleh digunakan? Semak tarikh luput dan belanja minimumnya."),
        "en": ("Points and vouchers",
               "Every Rp10,000 you spend earns 1 point, credited once the order is complete, and points can be exchanged for discount vouchers. Voucher not working? Check its expiry date and minimum spend.")}),
    ("produk-kedaluwarsa", "produk", ["BY-SFR-800"], "review", {
        "id": ("Menerima produk mendekati atau lewat kedaluwarsa",
               "Kami mengirim produk makanan, susu dan perawatan diri dengan masa kedaluwarsa minimal 6 bulan. Jika Anda menerima produk yang sudah lewat atau kurang dari 3 bulan, kirim foto tanggal kedaluwarsanya: kami ganti atau kembalikan dana."),
        "ms": ("Menerima produk hampir atau melepasi tarikh luput",
               "Kami menghantar produk makanan, susu dan penjagaan diri dengan tarikh luput sekurang-kurangnya 6 bulan. Jika anda menerima produk yang sudah luput, hantar gambar tarikh luputnya: kami ganti atau pulangkan wang."),
        "en": ("Received a product near or past its expiry date",
               "We ship food, formula and personal-care products with at least 6 months before expiry. If yours is expired or has less than 3 months left, send a photo of the date: we replace it or refund you.")}),
]
