"""Places and names for the demo cohort. Provinces are the 34 of 2019; the first
regencies are real programme places (programme.md), the rest real regencies."""

PROVINCES: dict[str, list[str]] = {
    "Sulawesi Selatan": ["Soppeng", "Bone", "Bantaeng", "Maros", "Pinrang", "Enrekang"],
    "Lampung": ["Tulang Bawang", "Lampung Tengah", "Pringsewu"],
    "Kepulauan Bangka Belitung": ["Bangka", "Belitung"],
    "Maluku Utara": ["Halmahera Barat", "Halmahera Utara"],
    "Aceh": ["Aceh Besar", "Pidie"],
    "Sumatera Utara": ["Deli Serdang", "Simalungun"],
    "Sumatera Barat": ["Agam", "Tanah Datar"],
    "Riau": ["Kampar", "Siak"],
    "Jambi": ["Muaro Jambi", "Kerinci"],
    "Sumatera Selatan": ["Ogan Ilir", "Banyuasin"],
    "Bengkulu": ["Rejang Lebong", "Seluma"],
    "Kepulauan Riau": ["Bintan", "Karimun"],
    "DKI Jakarta": ["Kepulauan Seribu"],
    "Jawa Barat": ["Bandung", "Garut"],
    "Jawa Tengah": ["Kebumen", "Banyumas"],
    "DI Yogyakarta": ["Sleman", "Kulon Progo"],
    "Jawa Timur": ["Ngawi", "Banyuwangi"],
    "Banten": ["Pandeglang", "Lebak"],
    "Bali": ["Gianyar", "Buleleng"],
    "Nusa Tenggara Barat": ["Lombok Timur", "Sumbawa"],
    "Nusa Tenggara Timur": ["Kupang", "Sikka"],
    "Kalimantan Barat": ["Kubu Raya", "Sambas"],
    "Kalimantan Tengah": ["Kotawaringin Timur", "Kapuas"],
    "Kalimantan Selatan": ["Banjar", "Tabalong"],
    "Kalimantan Timur": ["Kutai Kartanegara", "Berau"],
    "Kalimantan Utara": ["Bulungan", "Nunukan"],
    "Sulawesi Utara": ["Minahasa", "Bolaang Mongondow"],
    "Sulawesi Tengah": ["Donggala", "Poso"],
    "Sulawesi Tenggara": ["Konawe", "Kolaka"],
    "Gorontalo": ["Gorontalo", "Boalemo"],
    "Sulawesi Barat": ["Mamuju", "Polewali Mandar"],
    "Maluku": ["Maluku Tengah", "Seram Bagian Barat"],
    "Papua Barat": ["Manokwari", "Sorong"],
    "Papua": ["Jayapura", "Merauke"],
}

# Eastern provinces are in WITA or WIT; the rest in WIB.
WITA = {"Sulawesi Selatan", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Selatan",
        "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Tenggara",
        "Gorontalo", "Sulawesi Barat"}
WIT = {"Maluku", "Maluku Utara", "Papua", "Papua Barat"}

VILLAGES = [
    "Sukamaju", "Mekarsari", "Sidomulyo", "Karya Bakti", "Harapan Jaya", "Suka Damai", "Tanjung Harapan",
    "Bumi Rejo", "Sumber Makmur", "Talang Jaya", "Mulyorejo", "Cinta Karya", "Pematang Baru", "Lubuk Sari",
    "Purwodadi", "Air Putih", "Batu Ampar", "Padang Sari", "Karang Anyar", "Teluk Indah",
]

FIRST_NAMES = [
    "Andi", "Siti", "Muhammad", "Nur", "Dewi", "Agus", "Sri", "Budi", "Rina", "Yusuf", "Wahyuni", "Rahmat",
    "Fitri", "Hendra", "Ayu", "Irwan", "Lestari", "Syamsul", "Ratna", "Darmawan", "Nurul", "Arif", "Intan",
    "Bambang", "Suryani", "Fajar", "Hasanah", "Rudi", "Maria", "Yohanes", "Made", "Ketut", "Putu", "Wayan",
]
LAST_NAMES = [
    "Saputra", "Wulandari", "Hidayat", "Rahayu", "Siregar", "Lubis", "Pratama", "Nasution", "Syahputra",
    "Kurniawan", "Handayani", "Hasibuan", "Setiawan", "Marpaung", "Tanjung", "Latuconsina", "Mandagi",
    "Pattiasina", "Baso", "Daeng", "Suharto", "Anggraini", "Purba", "Gultom", "Susanti", "Wijaya",
]

# How many of each participant type the 210 demo people hold (trainers apart).
TYPE_COUNTS = {
    "provincial_facilitator": 24,
    "district_facilitator": 40,
    "provincial_synergy_team": 16,
    "district_synergy_team": 30,
    "village_library_manager": 100,
}
