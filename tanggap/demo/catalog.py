"""The demo store's world: products, people's names, places, couriers, payment methods.

Everything here is plain data; ``plan.py`` draws from it with a seeded ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STORE = "Toko Nusantara"
STORE_DOMAIN = "toko-nusantara.test"


@dataclass(frozen=True)
class ProductDef:
    sku: str
    name: str
    category: str
    price: int  # IDR
    kind: str  # what sort of thing it is: drives defects, how-to questions, damage
    short: tuple[str, str, str]  # how a customer calls it in id / ms / en
    popularity: float = 1.0
    traits: frozenset[str] = frozenset()


def _p(sku, name, category, price, kind, short, popularity=1.0, traits=""):
    return ProductDef(sku, name, category, price, kind, short, popularity, frozenset(traits.split()))


PERSONAL = "Perawatan Diri"
HOUSEHOLD = "Rumah Tangga"
ELECTRONICS = "Aksesori Elektronik"
BABY = "Perlengkapan Bayi"
FOOD = "Makanan & Minuman"

PRODUCTS: list[ProductDef] = [
    # Perawatan diri
    _p("PD-PGH-190", "Pasta Gigi Herbal 190g", PERSONAL, 18500, "toothpaste",
       ("pasta gigi herbal", "ubat gigi herba", "herbal toothpaste"), 3.0, "toothpaste liquid authentic"),
    _p("PD-PGW-160", "Pasta Gigi Whitening Mint 160g", PERSONAL, 24900, "toothpaste",
       ("pasta gigi whitening", "ubat gigi pemutih", "whitening toothpaste"), 2.2, "toothpaste liquid authentic"),
    _p("PD-PGA-050", "Pasta Gigi Anak Rasa Stroberi 50g", PERSONAL, 15900, "toothpaste",
       ("pasta gigi anak", "ubat gigi kanak-kanak", "kids' toothpaste"), 1.4, "toothpaste liquid"),
    _p("PD-SGS-003", "Sikat Gigi Soft isi 3", PERSONAL, 21500, "brush",
       ("sikat gigi", "berus gigi", "toothbrushes"), 1.6),
    _p("PD-SLB-340", "Sampo Lidah Buaya 340ml", PERSONAL, 32900, "liquid",
       ("sampo lidah buaya", "syampu lidah buaya", "aloe vera shampoo"), 1.8, "liquid"),
    _p("PD-SCS-450", "Sabun Cair Sereh 450ml Refill", PERSONAL, 27500, "liquid",
       ("sabun cair sereh", "sabun mandi serai", "lemongrass body wash"), 1.7, "liquid"),
    _p("PD-SRN-030", "Serum Wajah Niacinamide 30ml", PERSONAL, 89000, "skincare",
       ("serum niacinamide", "serum niacinamide", "niacinamide serum"), 1.5, "liquid authentic fragile"),
    _p("PD-SPF-040", "Sunscreen SPF 50 PA++++ 40ml", PERSONAL, 65000, "skincare",
       ("sunscreen", "pelindung matahari", "sunscreen"), 1.4, "authentic"),
    _p("PD-DRO-050", "Deodoran Roll-On 50ml", PERSONAL, 23500, "liquid",
       ("deodoran", "deodoran", "roll-on deodorant"), 1.2, "liquid"),
    _p("PD-OKA-500", "Obat Kumur Antiseptik 500ml", PERSONAL, 38900, "liquid",
       ("obat kumur", "ubat kumur", "mouthwash"), 1.1, "liquid fragile"),
    _p("PD-MKP-060", "Minyak Kayu Putih 60ml", PERSONAL, 29900, "liquid",
       ("minyak kayu putih", "minyak kayu putih", "cajuput oil"), 1.5, "liquid authentic"),
    # Rumah tangga
    _p("RT-RCK-018", "Rice Cooker 1.8L", HOUSEHOLD, 389000, "rice_cooker",
       ("rice cooker", "periuk nasi elektrik", "rice cooker"), 0.9, "electronic howto fragile"),
    _p("RT-BLK-015", "Blender Kaca 1.5L", HOUSEHOLD, 459000, "blender",
       ("blender", "pengisar", "blender"), 0.6, "electronic howto fragile"),
    _p("RT-STU-120", "Setrika Uap 1200W", HOUSEHOLD, 275000, "iron",
       ("setrika uap", "seterika wap", "steam iron"), 0.6, "electronic howto"),
    _p("RT-KLS-017", "Ketel Listrik Stainless 1.7L", HOUSEHOLD, 189000, "kettle",
       ("ketel listrik", "cerek elektrik", "electric kettle"), 0.8, "electronic howto"),
    _p("RT-DTC-800", "Deterjen Cair 800ml", HOUSEHOLD, 22900, "liquid",
       ("deterjen cair", "sabun basuh cecair", "liquid detergent"), 2.4, "liquid"),
    _p("RT-PPL-900", "Pelembut & Pewangi Pakaian 900ml", HOUSEHOLD, 19900, "liquid",
       ("pewangi pakaian", "pelembut pakaian", "fabric softener"), 2.0, "liquid"),
    _p("RT-SCP-800", "Sabun Cuci Piring Jeruk Nipis 800ml", HOUSEHOLD, 16500, "liquid",
       ("sabun cuci piring", "sabun pencuci pinggan", "dish soap"), 2.3, "liquid"),
    _p("RT-WAL-026", "Wajan Anti Lengket 26cm", HOUSEHOLD, 149000, "pan",
       ("wajan anti lengket", "kuali tidak melekat", "non-stick pan"), 0.8, "howto"),
    _p("RT-WKU-003", "Set Wadah Makanan Kedap Udara (3 pcs)", HOUSEHOLD, 99000, "container",
       ("wadah makanan", "bekas makanan kedap udara", "food containers"), 0.9, "fragile"),
    _p("RT-GKC-006", "Gelas Kaca 300ml isi 6", HOUSEHOLD, 69000, "glass",
       ("gelas kaca", "gelas kaca", "drinking glasses"), 0.7, "fragile"),
    _p("RT-APP-001", "Alat Pel Putar (Spin Mop)", HOUSEHOLD, 185000, "mop",
       ("alat pel putar", "mop putar", "spin mop"), 0.7, "howto"),
    _p("RT-LED-012", "Lampu LED 12W Putih", HOUSEHOLD, 32000, "lamp",
       ("lampu LED", "mentol LED", "LED bulb"), 1.6, "electronic fragile"),
    _p("RT-KAD-016", "Kipas Angin Dinding 16 inci", HOUSEHOLD, 259000, "fan",
       ("kipas angin dinding", "kipas dinding", "wall fan"), 0.6, "electronic howto"),
    _p("RT-PGE-001", "Dispenser Pompa Galon Elektrik", HOUSEHOLD, 79000, "dispenser",
       ("pompa galon", "pam galon elektrik", "water gallon pump"), 1.0, "electronic howto"),
    # Aksesori elektronik
    _p("EL-KUC-001", "Kabel Data USB-C 1m", ELECTRONICS, 39000, "cable",
       ("kabel data", "kabel USB-C", "USB-C cable"), 2.2, "electronic"),
    _p("EL-KLT-001", "Kabel Lightning 1m", ELECTRONICS, 59000, "cable",
       ("kabel lightning", "kabel lightning", "Lightning cable"), 1.2, "electronic authentic"),
    _p("EL-CPD-020", "Kepala Charger 20W PD", ELECTRONICS, 119000, "charger",
       ("kepala charger", "pengecas 20W", "20W charger"), 1.3, "electronic howto"),
    _p("EL-PWB-10K", "Power Bank 10000mAh", ELECTRONICS, 219000, "powerbank",
       ("power bank", "power bank", "power bank"), 1.1, "electronic howto"),
    _p("EL-TWS-053", "Earbuds Bluetooth TWS", ELECTRONICS, 249000, "audio",
       ("earbuds", "earbuds", "earbuds"), 1.0, "electronic howto authentic"),
    _p("EL-HMM-001", "Holder HP Mobil Magnetik", ELECTRONICS, 55000, "holder",
       ("holder HP", "pemegang telefon kereta", "car phone holder"), 0.8),
    _p("EL-TGL-065", "Tempered Glass 6.5 inci", ELECTRONICS, 25000, "glass",
       ("tempered glass", "pelindung skrin", "screen protector"), 1.5, "fragile"),
    _p("EL-CSS-001", "Casing HP Silikon", ELECTRONICS, 35000, "case",
       ("casing HP", "sarung telefon", "phone case"), 1.3),
    _p("EL-MSW-001", "Mouse Wireless", ELECTRONICS, 89000, "mouse",
       ("mouse wireless", "tetikus tanpa wayar", "wireless mouse"), 0.9, "electronic howto"),
    _p("EL-SKL-043", "Stop Kontak 4 Lubang 3m", ELECTRONICS, 79000, "power_strip",
       ("stop kontak", "soket sambungan", "extension socket"), 1.0, "electronic"),
    _p("EL-MSD-064", "MicroSD 64GB", ELECTRONICS, 99000, "sdcard",
       ("microSD", "kad microSD", "microSD card"), 0.9, "electronic authentic"),
    # Perlengkapan bayi
    _p("BY-PPM-052", "Popok Bayi Celana M 52", BABY, 129000, "diaper",
       ("popok M", "lampin pakai buang M", "size M diapers"), 2.6),
    _p("BY-PPL-044", "Popok Bayi Celana L 44", BABY, 129000, "diaper",
       ("popok L", "lampin pakai buang L", "size L diapers"), 2.3),
    _p("BY-TBB-050", "Tisu Basah Bayi 50 lembar", BABY, 12500, "wipes",
       ("tisu basah", "tisu basah bayi", "baby wipes"), 2.8),
    _p("BY-SFR-800", "Susu Formula 1-3 Tahun 800g", BABY, 185000, "formula",
       ("susu formula", "susu formula", "formula milk"), 1.6, "food authentic"),
    _p("BY-MTL-060", "Minyak Telon 60ml", BABY, 27900, "liquid",
       ("minyak telon", "minyak telon", "telon oil"), 1.8, "liquid authentic"),
    _p("BY-BSA-250", "Botol Susu Anti Kolik 250ml", BABY, 79000, "bottle",
       ("botol susu", "botol susu", "feeding bottle"), 1.0, "howto"),
    _p("BY-SSB-200", "Sabun & Sampo Bayi 200ml", BABY, 31500, "liquid",
       ("sabun bayi", "sabun dan syampu bayi", "baby wash"), 1.4, "liquid"),
    # Makanan & minuman
    _p("MM-KSS-010", "Kopi Susu Sachet isi 10", FOOD, 18900, "food",
       ("kopi susu sachet", "kopi susu paket", "instant coffee sachets"), 2.5, "food"),
    _p("MM-MGR-005", "Mi Goreng isi 5", FOOD, 15500, "food",
       ("mi goreng", "mi goreng", "instant fried noodles"), 2.7, "food"),
    _p("MM-SBB-150", "Sambal Bawang Botol 150g", FOOD, 28000, "food",
       ("sambal bawang", "sambal bawang", "chili sauce"), 1.6, "food fragile"),
    _p("MM-KSB-250", "Keripik Singkong Balado 250g", FOOD, 22000, "food",
       ("keripik balado", "kerepek ubi balado", "cassava chips"), 1.5, "food"),
    _p("MM-TCM-025", "Teh Celup Melati isi 25", FOOD, 9900, "food",
       ("teh melati", "teh melati", "jasmine tea"), 1.8, "food"),
    _p("MM-MHM-250", "Madu Hutan Murni 250ml", FOOD, 95000, "food",
       ("madu hutan", "madu hutan", "forest honey"), 1.0, "food authentic liquid fragile"),
    _p("MM-BPW-005", "Beras Pandan Wangi 5kg", FOOD, 82000, "food",
       ("beras pandan wangi", "beras wangi", "pandan rice"), 1.4, "food"),
]

# --- Places --------------------------------------------------------------------------

WIB = dt.timezone(dt.timedelta(hours=7))
WITA = dt.timezone(dt.timedelta(hours=8))
MYT = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Region:
    name: str
    country: str
    tz: dt.timezone
    weight: float
    ethnicities: tuple[tuple[str, float], ...]  # (pool, weight)
    streets: tuple[str, ...]
    districts: tuple[str, ...]


REGIONS: list[Region] = [
    Region("Jakarta", "ID", WIB, 26, (("java", 3), ("sunda", 1.5), ("batak", 1), ("chinese_id", 1.5), ("minang", 1),
                                      ("general_id", 3), ("expat", 0.25)),
           ("Jl. Kemang Raya", "Jl. Tebet Barat Dalam", "Jl. Cempaka Putih Tengah", "Jl. Pluit Karang", "Jl. Kelapa Gading Boulevard",
            "Jl. Rawamangun Muka", "Jl. Duren Tiga"), ("Mampang Prapatan", "Tebet", "Cempaka Putih", "Penjaringan", "Kelapa Gading", "Pulo Gadung")),
    Region("Surabaya", "ID", WIB, 13, (("java", 4), ("chinese_id", 1.5), ("general_id", 2)),
           ("Jl. Darmo Permai", "Jl. Raya Gubeng", "Jl. Manyar Kertoarjo", "Jl. Rungkut Asri"), ("Dukuh Pakis", "Gubeng", "Mulyorejo", "Rungkut")),
    Region("Bandung", "ID", WIB, 13, (("sunda", 5), ("chinese_id", 1), ("java", 1), ("general_id", 1)),
           ("Jl. Dago", "Jl. Buah Batu", "Jl. Setiabudi", "Jl. Antapani Lama"), ("Coblong", "Lengkong", "Sukasari", "Antapani")),
    Region("Medan", "ID", WIB, 14, (("batak", 4), ("chinese_id", 2), ("minang", 1.5), ("general_id", 1.5), ("java", 1)),
           ("Jl. Setia Budi", "Jl. Gatot Subroto", "Jl. Sisingamangaraja", "Jl. Dr. Mansyur", "Jl. Asia"),
           ("Medan Sunggal", "Medan Baru", "Medan Amplas", "Medan Selayang", "Medan Area")),
    Region("Makassar", "ID", WITA, 8, (("bugis", 4), ("general_id", 1.5), ("chinese_id", 1)),
           ("Jl. Perintis Kemerdekaan", "Jl. Hertasning", "Jl. Pettarani", "Jl. Boulevard Panakkukang"), ("Tamalanrea", "Rappocini", "Panakkukang")),
    Region("Yogyakarta", "ID", WIB, 9, (("java", 5), ("general_id", 1.5), ("expat", 0.2)),
           ("Jl. Kaliurang", "Jl. Parangtritis", "Jl. Gejayan", "Jl. Godean"), ("Depok", "Mantrijeron", "Caturtunggal", "Kasihan")),
    Region("Denpasar", "ID", WITA, 8, (("bali", 5), ("java", 1.5), ("general_id", 1), ("expat", 0.8)),
           ("Jl. Teuku Umar", "Jl. Gatot Subroto Barat", "Jl. Tukad Badung", "Jl. Raya Sesetan"), ("Denpasar Barat", "Denpasar Selatan", "Denpasar Utara")),
    Region("Kuala Lumpur", "MY", MYT, 10, (("malay", 4), ("chinese_my", 3), ("indian_my", 2)),
           ("Jalan Ampang", "Jalan Tun Razak", "Jalan Bangsar", "Jalan Klang Lama", "Jalan Genting Klang"), ("Ampang", "Bangsar", "Setapak", "Cheras")),
    Region("Penang", "MY", MYT, 5, (("chinese_my", 4), ("malay", 2), ("indian_my", 1.5)),
           ("Jalan Burma", "Jalan Sultan Azlan Shah", "Lebuh Chulia", "Jalan Masjid Negeri"), ("George Town", "Bayan Lepas", "Gelugor")),
    Region("Johor Bahru", "MY", MYT, 5, (("malay", 4), ("chinese_my", 2.5), ("indian_my", 1)),
           ("Jalan Tebrau", "Jalan Skudai", "Jalan Dato Onn", "Jalan Austin Heights"), ("Tebrau", "Skudai", "Larkin")),
]
REGION_BY_NAME = {r.name: r for r in REGIONS}

COURIERS_ID = [("J&T Express", 28), ("JNE", 25), ("SiCepat", 22), ("AnterAja", 15), ("Pos Indonesia", 10)]
COURIERS_MY = [("Pos Laju", 55), ("J&T MY", 45)]
COURIER_TAG = {"J&T Express": "kurir-jnt", "JNE": "kurir-jne", "SiCepat": "kurir-sicepat", "AnterAja": "kurir-anteraja",
               "Pos Indonesia": "kurir-pos", "Pos Laju": "kurir-poslaju", "J&T MY": "kurir-jnt-my"}
# The incident in the making: one courier's hub in one city is stuck.
INCIDENT_COURIER = "SiCepat"
INCIDENT_REGION = "Medan"

PAYMENTS_ID = ["BCA Virtual Account", "Mandiri Virtual Account", "GoPay", "OVO", "DANA", "ShopeePay", "QRIS",
               "kartu kredit BCA", "BRIVA", "transfer BNI"]
PAYMENTS_MY = ["FPX Maybank2u", "Touch 'n Go eWallet", "GrabPay", "FPX CIMB Clicks", "kad kredit Maybank", "Boost"]

VOUCHERS = ["HEMAT20", "ONGKIRGRATIS", "NUSANTARA10", "GAJIAN25", "BELANJA50", "PAYDAY15", "SUPERHEMAT", "BARUGABUNG"]
VOUCHERS_MY = ["JIMAT10", "HANTARPERCUMA", "GAJIRM15", "NUSAMY20"]

# --- Names ---------------------------------------------------------------------------
# (male first names, female first names, family names or second names)

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "java": (
        ("Budi", "Agus", "Joko", "Eko", "Bambang", "Wahyu", "Dwi", "Teguh", "Hadi", "Bayu", "Arif", "Slamet", "Yoga",
         "Anton", "Rudi", "Gilang", "Dimas", "Adi", "Sigit", "Tri"),
        ("Sri", "Siti", "Rina", "Endang", "Wulan", "Dewi", "Ratna", "Ayu", "Retno", "Yuliana", "Sekar", "Lestari",
         "Tri", "Puji", "Indah", "Kartika", "Nining", "Rahayu", "Astuti", "Widya"),
        ("Santoso", "Wibowo", "Setiawan", "Prasetyo", "Nugroho", "Susanto", "Kurniawan", "Saputra", "Purnomo",
         "Utomo", "Suryadi", "Hartono", "Widodo", "Handayani", "Wulandari", "Rahayu", "Susilowati", "Lestari",
         "Pratiwi", "Maryanto", "Sutrisno", "Hidayat"),
    ),
    "sunda": (
        ("Asep", "Dede", "Cecep", "Ujang", "Dadang", "Yayan", "Ade", "Iwan", "Rizal", "Deden", "Engkos", "Jajang", "Aris"),
        ("Euis", "Neneng", "Iis", "Ai", "Lilis", "Nia", "Siti", "Yanti", "Cucu", "Rini", "Tati", "Dewi", "Neng"),
        ("Sunandar", "Kurnia", "Hidayat", "Saepudin", "Suherman", "Permana", "Gunawan", "Sumarna", "Ruhiyat",
         "Komalasari", "Nurhayati", "Rusmana", "Hasanah", "Sopian", "Rohimah", "Hermawan", "Nurjanah"),
    ),
    "batak": (
        ("Roy", "Hotman", "Rudi", "Daniel", "Tigor", "Ferdinan", "Benny", "Parlindungan", "Samuel", "Jonatan",
         "Martua", "Andreas", "Sahat", "Fernando"),
        ("Maria", "Lestari", "Ruth", "Nova", "Sondang", "Yohana", "Rosmawati", "Debora", "Friska", "Tiurma",
         "Elisabeth", "Grace", "Romauli", "Veronika"),
        ("Simanjuntak", "Siregar", "Nainggolan", "Hutapea", "Sitompul", "Situmorang", "Panjaitan", "Simatupang",
         "Lubis", "Hutabarat", "Sinaga", "Manurung", "Pardede", "Nasution", "Harahap", "Tambunan", "Silalahi", "Sihombing"),
    ),
    "chinese_id": (
        ("Hendra", "Steven", "Kevin", "Vincent", "Feliks", "Andreas", "Rudy", "Yohanes", "Wilson", "Jonathan",
         "Ricky", "Edwin", "Hans", "Albert"),
        ("Lina", "Melisa", "Jessica", "Yenny", "Cindy", "Michelle", "Linda", "Evelyn", "Stefani", "Olivia",
         "Felicia", "Veronica", "Jennifer", "Natalia"),
        ("Wijaya", "Halim", "Tanoto", "Gunawan", "Santoso", "Tanuwijaya", "Salim", "Lim", "Hartono", "Susanto",
         "Kusuma", "Tjahjadi", "Hartanto", "Tan", "Wongso", "Setiadi", "Liem", "Sutanto", "Chandra", "Wibisono"),
    ),
    "minang": (
        ("Rizal", "Fadli", "Afdal", "Hendri", "Zulkifli", "Fauzan", "Syafrizal", "Yosrizal", "Erwin", "Ilham", "Dodi"),
        ("Yuliana", "Nurul", "Rahmi", "Desi", "Fitri", "Rahmah", "Yeni", "Mega", "Elsa", "Wirda", "Nofri"),
        ("Chaniago", "Piliang", "Koto", "Tanjung", "Sikumbang", "Jambak", "Caniago", "Syahputra", "Yanti", "Putri",
         "Maulana", "Rahman"),
    ),
    "bugis": (
        ("Andi Rahmat", "Muh. Arif", "Syamsul", "Ahmad", "Hasanuddin", "Irwan", "Andi Baso", "Muh. Fadli", "Akbar",
         "Ridwan", "Sulaiman"),
        ("Andi Nurhaliza", "Rahmawati", "Nurul", "Sitti", "Andi Tenri", "Hasnah", "Nurfadillah", "Hajrah", "Asriani", "Sukmawati"),
        ("Bahri", "Hidayah", "Aminah", "Fauzi", "Saleh", "Rauf", "Amiruddin", "Mappanganro", "Syarif", "Daeng Ngalle",
         "Latief", "Nur"),
    ),
    "bali": (
        ("I Made", "I Wayan", "I Komang", "I Ketut", "I Gede", "I Putu", "I Nyoman", "I Kadek"),
        ("Ni Luh Putu", "Ni Kadek", "Ni Nyoman", "Ni Made", "Ni Wayan", "Ni Komang", "Ni Ketut", "Ni Putu"),
        ("Sudarsana", "Suardana", "Arta", "Wirawan", "Ariani", "Dewi", "Sukerti", "Adnyana", "Astawa", "Widiantari",
         "Purnamasari", "Mahendra", "Suputra", "Antari", "Sanjaya"),
    ),
    "general_id": (
        ("Muhammad Rizky", "Dimas", "Fajar", "Rizki", "Yusuf", "Ahmad", "Reza", "Aditya", "Irfan", "Hafiz", "Bima",
         "Galih", "Ilham", "Raka"),
        ("Nur", "Putri", "Indah", "Anisa", "Dewi", "Fitri", "Nabila", "Aulia", "Salsabila", "Intan", "Rani", "Mega",
         "Citra", "Nadia"),
        ("Ardiansyah", "Ramadhan", "Maulana", "Hakim", "Permatasari", "Fitriani", "Lestari", "Sartika", "Kusumawati",
         "Firmansyah", "Pratama", "Saputri", "Anggraini", "Hidayati", "Syahputra", "Rahmawati"),
    ),
    "expat": (
        ("Daniel", "Thomas", "Lucas", "Mark", "James", "Oliver", "Kenji", "Pieter"),
        ("Emma", "Sophie", "Hannah", "Claire", "Laura", "Yuki", "Charlotte", "Anna"),
        ("Brooks", "Lawson", "Müller", "van Dijk", "Carter", "Bennett", "Nakamura", "Harris", "Fischer", "Walsh"),
    ),
    "malay": (
        ("Ahmad Faizal", "Muhammad Hafiz", "Mohd Azlan", "Amirul Hakim", "Khairul Anuar", "Nik Aiman", "Zulkifli",
         "Syafiq", "Haziq", "Faris", "Mohd Firdaus", "Aizat", "Hakimi", "Shahrul"),
        ("Nur Aisyah", "Siti Nurhaliza", "Nurul Izzah", "Farah Nadia", "Wan Nur Syafiqah", "Hafizah", "Nor Azlina",
         "Aina Sofea", "Nurul Ain", "Syazwani", "Atikah", "Nur Amirah", "Liyana", "Izzati"),
        ("Hassan", "Ismail", "Rahman", "Abdullah", "Yusof", "Kamarudin", "Razak", "Ahmad", "Osman", "Nik Mat",
         "Mohamad", "Salleh", "Aziz", "Ibrahim", "Hamzah", "Zakaria"),
    ),
    "chinese_my": (  # family name first
        ("Wei Ming", "Kar Hoe", "Boon Keat", "Kah Wai", "Soon Huat", "Kean Hin", "Jun Jie", "Chee Keong", "Wai Lun", "Zhi Hao"),
        ("Mei Ling", "Siew Lan", "Jia Hui", "Pei Shan", "Li Ying", "Mei Yee", "Hui Min", "Xin Yi", "Suet Mei", "Yen Ling"),
        ("Tan", "Lim", "Wong", "Ong", "Chan", "Goh", "Teoh", "Ng", "Khoo", "Yap", "Chong", "Loh", "Cheah", "Ooi", "Lee", "Chin"),
    ),
    "indian_my": (
        ("Rajesh", "Suresh Kumar", "Arvind", "Thinesh", "Vikneswaran", "Ganesh", "Prakash", "Kumaresan", "Dinesh", "Saravanan"),
        ("Kavitha", "Priya", "Revathi", "Saraswathy", "Deepa", "Thilagavathy", "Shalini", "Malathi", "Vasanthi", "Nirmala"),
        ("Subramaniam", "Raman", "Muthu", "Ganesan", "Krishnan", "Ramasamy", "Selvaraj", "Pillai", "Murugan", "Nair",
         "Rajendran", "Arumugam"),
    ),
}

EMAIL_DOMAINS_ID = [("gmail.com", 70), ("yahoo.co.id", 10), ("yahoo.com", 8), ("outlook.com", 5), ("hotmail.com", 4), ("ymail.com", 3)]
EMAIL_DOMAINS_MY = [("gmail.com", 65), ("yahoo.com.my", 12), ("hotmail.com", 12), ("outlook.com", 8), ("live.com.my", 3)]
EMAIL_DOMAINS_EXPAT = [("gmail.com", 60), ("outlook.com", 20), ("icloud.com", 10), ("proton.me", 10)]

# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren) and Malaysian ones.
PHONE_PREFIX_ID = ["811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816", "855", "856",
                   "857", "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "881", "882"]
PHONE_PREFIX_MY = ["12", "13", "16", "17", "19", "11", "14", "18"]

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    "ms": ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober", "November", "Disember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "ms": ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}

# Demo agents (the user named "agent" belongs to loader.py and is never touched here).
# (username, first name, last name, role, teams, language)
AGENTS = [
    ("dewi", "Dewi", "Anggraini", "agent", ("Layanan Pelanggan",), "id"),
    ("putri", "Putri", "Maharani", "agent", ("Layanan Pelanggan",), "id"),
    ("nabila", "Nabila", "Azzahra", "agent", ("Layanan Pelanggan", "Pembayaran"), "id"),
    ("nurul", "Nurul", "Aina", "agent", ("Layanan Pelanggan", "Pengiriman"), "ms"),
    ("rizky", "Rizky", "Pratama", "lead", ("Pengiriman",), "id"),
    ("yusuf", "Yusuf", "Maulana", "agent", ("Pengiriman",), "id"),
    ("hendra", "Hendra", "Gunawan", "lead", ("Pembayaran",), "id"),
    ("fikri", "Fikri", "Ramadhan", "agent", ("Pembayaran", "Layanan Pelanggan"), "id"),
]
TEAMS = ["Layanan Pelanggan", "Pengiriman", "Pembayaran"]
TEAM_LEADS = {"Pengiriman": "rizky", "Pembayaran": "hendra"}
