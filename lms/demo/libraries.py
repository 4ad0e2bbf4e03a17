"""Demo activity documentation: a year of posts from the demo's village
libraries, uneven as real activity is (a few very active libraries, many
steady or quiet ones, some rising, some fading, a dip in Ramadan), photos drawn
in code, some drafts, one duplicate deleted, and mentoring notes. Perpustakaan
Macakka (Tellulimpoe, Soppeng) is among the most active, as it was in 2019.

Called by `flask --app app demo` (lms/cohorts/demo.py) after the progress."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO

from PIL import Image, ImageDraw

from lms.accounts.models import Library, User
from lms.extensions import db
from lms.libraries import photos, ranking, services
from lms.libraries.models import STORY_MIN_CHARS, MentoringNote, Post, PostPhoto
from lms.libraries.services import PostInput

MACAKKA = "Perpustakaan Macakka"
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

TITLES = {
    "reading": [
        "Membaca nyaring untuk anak-anak",
        "Kelas mendongeng bersama orang tua",
        "Pojok baca di posyandu",
        "Klub baca remaja",
        "Perpustakaan keliling ke dusun",
    ],
    "training": [
        "Pelatihan membuat email dan media sosial",
        "Pelatihan internet sehat untuk remaja",
        "Pelatihan pemasaran daring untuk UMKM",
        "Pelatihan mengetik dan mencetak surat",
    ],
    "skills": [
        "Pelatihan membuat keripik pisang",
        "Pelatihan menjahit untuk ibu-ibu PKK",
        "Pelatihan budidaya jamur tiram",
        "Pelatihan kerajinan dari sampah plastik",
        "Pelatihan membuat pupuk kompos",
        "Pelatihan membuat abon ikan",
    ],
    "community_meeting": [
        "Musyawarah desa tentang layanan perpustakaan",
        "Diskusi kelompok tani",
        "Pertemuan pengurus perpustakaan dan karang taruna",
    ],
    "information": [
        "Layanan informasi harga hasil panen",
        "Sosialisasi pendaftaran BPJS Kesehatan",
        "Layanan informasi beasiswa untuk pelajar",
    ],
    "exhibition": ["Pameran hasil kerajinan warga", "Pameran produk UMKM desa"],
    "competition": ["Lomba mewarnai anak", "Festival literasi desa", "Lomba bercerita anak"],
}
KIND_WEIGHTS = {
    "reading": 30,
    "training": 14,
    "skills": 24,
    "community_meeting": 10,
    "information": 10,
    "exhibition": 5,
    "competition": 7,
}
# Participants (total range) and the share of each age group, per kind.
PEOPLE = {
    "reading": ((10, 40), (0.75, 0.15, 0.08, 0.02)),
    "training": ((8, 25), (0.0, 0.45, 0.5, 0.05)),
    "skills": ((10, 35), (0.0, 0.1, 0.75, 0.15)),
    "community_meeting": ((12, 45), (0.0, 0.1, 0.7, 0.2)),
    "information": ((8, 60), (0.0, 0.15, 0.65, 0.2)),
    "exhibition": ((30, 120), (0.2, 0.2, 0.45, 0.15)),
    "competition": ((20, 80), (0.6, 0.3, 0.1, 0.0)),
}
WOMEN_SHARE = {"skills": 0.8, "reading": 0.55, "community_meeting": 0.45}
PLACES = [
    "Ruang baca perpustakaan",
    "Balai desa",
    "Halaman perpustakaan",
    "Posyandu",
    "Aula kantor desa",
    "SD negeri setempat",
    "Rumah ketua RT",
]
PARTNERS = [
    "Pemerintah desa",
    "PKK",
    "Karang taruna",
    "Puskesmas",
    "Kelompok tani",
    "BUMDes",
    "Dinas Perpustakaan Kabupaten",
    "SD negeri",
    "Penyuluh pertanian",
]
OUTCOMES = {
    "reading": "Anak-anak bergantian membacakan cerita, dan beberapa orang tua meminjam buku untuk dibaca di rumah.",
    "training": "Setiap peserta pulang dengan akun dan sudah mencoba mengunggah foto produknya sendiri.",
    "skills": "Peserta langsung mempraktikkan resepnya, dan hasilnya dijual di warung desa minggu berikutnya.",
    "community_meeting": "Warga mengusulkan jadwal layanan sore hari dan sepakat membentuk kelompok relawan.",
    "information": "Petugas menjawab pertanyaan warga satu per satu dan mencetak formulir yang dibutuhkan.",
    "exhibition": "Pengunjung datang dari desa tetangga, dan beberapa produk langsung dipesan.",
    "competition": "Pemenang mendapat buku cerita, dan semua peserta mendapat piagam dari pemerintah desa.",
}
QUOTES = [
    '"Sekarang saya tahu ke mana harus bertanya," kata salah satu peserta.',
    '"Kami ingin kegiatan seperti ini setiap bulan," ujar seorang ibu peserta.',
    '"Ilmunya langsung bisa dipakai," kata seorang peserta sambil tersenyum.',
]
# Activities a month (a mean) by how active a library is, and how many are so.
TIERS = [(7.0, 6), (4.2, 22), (2.6, 30), (1.2, 27), (0.3, 15)]
SEASON = {5: 0.55, 6: 0.8, 12: 0.75}  # Ramadan fell in May 2019, Lebaran in June


@dataclass
class _Plan:
    library: Library
    people: list[User]
    mean: float
    shape: str
    posts: list[Post] = field(default_factory=list)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _factor(shape: str, step: int, months: int, rng: random.Random) -> float:
    progress = step / max(months - 1, 1)
    if shape == "rising":
        return 0.4 + 1.2 * progress
    if shape == "falling":
        return 1.5 - 1.3 * progress
    if shape == "bursty":
        return rng.choice([0.1, 0.3, 1.7, 2.0])
    return 1.0


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def _content(rng: random.Random, library: Library, day: date, short: bool) -> PostInput:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    title = rng.choice(TITLES[kind])
    (low, high), shares = PEOPLE[kind]
    total = rng.randint(low, high)
    ages = [int(total * share) for share in shares]
    ages[2 if kind not in ("reading", "competition") else 0] += total - sum(ages)
    female = round(total * min(0.95, max(0.05, rng.gauss(WOMEN_SHARE.get(kind, 0.5), 0.08))))
    place = rng.choice(PLACES)
    partners = ", ".join(rng.sample(PARTNERS, rng.randint(0, 2)))
    if short:
        story = f"{title} di {place.lower()}."
    else:
        story = (
            f"Pada {_long_date(day)}, {library.name} mengadakan kegiatan {title[0].lower() + title[1:]} "
            f"di {place.lower()}. Kegiatan ini diikuti {total} peserta ({total - female} laki-laki dan "
            f"{female} perempuan){' bersama ' + partners if partners else ''}.\n\n{OUTCOMES[kind]} "
            f"{rng.choice(QUOTES)}"
        )
    return PostInput(
        title=title,
        activity_date=day,
        kind=kind,
        place=place,
        male=total - female,
        female=female,
        age_children=ages[0],
        age_teens=ages[1],
        age_adults=ages[2],
        age_elderly=ages[3],
        partners=partners,
        story=story,
        shows_people=True,
        consent=True,
    )


def _pictures(rng: random.Random, count: int = 6) -> list[photos.ProcessedPhoto]:
    """Small pictures of "a room with people and books", drawn here, processed
    as an upload is (so they are the same kind of file as a real photo)."""
    result = []
    for index in range(count):
        image = Image.new("RGB", (800, 600), (rng.randint(170, 230), rng.randint(170, 220), rng.randint(140, 200)))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 420, 800, 600), fill=(150, 110, 80))  # the floor
        draw.rectangle((60, 120, 260, 400), fill=(120, 80, 50))  # a shelf
        for shelf in range(4):
            for book in range(9):
                x, y = 70 + book * 20, 130 + shelf * 68
                draw.rectangle((x, y, x + 14, y + 55), fill=(rng.randint(40, 220), rng.randint(40, 220), 90))
        for person in range(rng.randint(3, 7)):
            x = 320 + person * 65 + rng.randint(-10, 10)
            colour = (rng.randint(30, 230), rng.randint(30, 200), rng.randint(60, 230))
            draw.ellipse((x, 250, x + 40, 290), fill=(150, 100, 70))
            draw.rectangle((x - 5, 292, x + 45, 420), fill=colour)
        out = BytesIO()
        image.save(out, "JPEG", quality=85)
        result.append(photos.process(out.getvalue(), f"kegiatan-{index + 1}.jpg"))
    return result


def _attach(post: Post, picture: photos.ProcessedPhoto) -> None:
    web, thumb = photos.store(picture)
    post.photos.append(
        PostPhoto(
            stored_name=web,
            thumb_name=thumb,
            width=picture.width,
            height=picture.height,
            size=len(picture.web),
            position=len(post.photos),
        )
    )


def add_library_demo(people: list[User], until: date, seed: int = 2019) -> str:
    """A year of documentation up to `until` (the demo's milestone) for the
    village libraries of `people`."""
    rng = random.Random(seed)
    since = ranking.add_months(ranking.month_start(until), -12)
    libraries: dict[int, _Plan] = {}
    for person in people:
        library = person.library
        if library is None or library.kind != "village":
            continue
        if library.id not in libraries:
            mean = rng.choices([t[0] for t in TIERS], weights=[t[1] for t in TIERS])[0] * rng.uniform(0.8, 1.2)
            shape = rng.choice(["flat", "flat", "rising", "falling", "bursty"])
            libraries[library.id] = _Plan(library, [], mean, shape)
        libraries[library.id].people.append(person)
    for plan in libraries.values():
        if plan.library.name == MACAKKA:
            plan.mean, plan.shape = 6.5, "rising"

    pictures = _pictures(rng)
    months = 13
    recent = ranking.add_months(ranking.month_start(until), -2)
    for plan in libraries.values():
        for step in range(months):
            first = ranking.add_months(since, step)
            last = min(ranking.month_end(first), until)
            if first > until:
                break
            days = (last - first).days + 1
            mean = plan.mean * _factor(plan.shape, step, months, rng) * SEASON.get(first.month, 1.0) * days / 30
            for _ in range(_poisson(rng, mean)):
                _add(rng, plan, first + timedelta(days=rng.randrange(days)), pictures, recent)

    _lift_macakka(rng, libraries, since, until, pictures, recent)
    extras = _drafts_and_duplicates(rng, libraries, until)
    posts = [post for plan in libraries.values() for post in plan.posts]
    db.session.add_all(posts)
    db.session.flush()
    for post, deleter in extras:
        post.deleted_at, post.deleted_by_id = post.published_at, deleter.id
    notes = _notes(rng, libraries, people, until)
    db.session.flush()
    return (
        f"Activity documentation: {len(posts)} posts from {len(libraries)} village libraries, {notes} mentoring notes."
    )


def _add(
    rng: random.Random,
    plan: _Plan,
    day: date,
    pictures,
    recent: date,
    *,
    photo: bool | None = None,
    short: bool | None = None,
) -> Post:
    author = rng.choice(plan.people)
    if short is None:
        short = rng.random() < 0.08
    data = _content(rng, plan.library, day, short)
    post = services.build_post(author, data, library=plan.library)
    post.created_at = post.updated_at = post.published_at = datetime.combine(
        day + timedelta(days=rng.randint(0, 3)), datetime.min.time(), tzinfo=ranking.WIT
    )
    macakka = plan.library.name == MACAKKA
    if photo is None:
        photo = (macakka and day >= recent - timedelta(days=120)) or (day >= recent and rng.random() < 0.35)
    if photo:
        for _ in range(rng.randint(1, 3)):
            _attach(post, rng.choice(pictures))
    plan.posts.append(post)
    return post


def _counted(plan: _Plan, since: date, until: date) -> int:
    return len(
        {
            (p.activity_date, p.title_key)
            for p in plan.posts
            if p.activity_date is not None
            and since <= p.activity_date <= until
            and (p.photos or p.story_chars >= STORY_MIN_CHARS)
        }
    )


def _lift_macakka(rng, libraries, since, until, pictures, recent) -> None:
    """Macakka made the national top 10 in 2019: make sure it does here, in the
    leaderboard's default period (the demo cohort's start to the milestone)."""
    plan = next((p for p in libraries.values() if p.library.name == MACAKKA), None)
    if plan is None:
        return
    start = until - timedelta(days=36)
    others = sorted((_counted(p, start, until) for p in libraries.values() if p is not plan), reverse=True)
    target = (others[2] if len(others) > 2 else 0) + 1
    while _counted(plan, start, until) < target:
        _add(
            rng,
            plan,
            start + timedelta(days=rng.randrange((until - start).days + 1)),
            pictures,
            recent,
            photo=True,
            short=False,
        )


def _drafts_and_duplicates(rng, libraries, until) -> list[tuple[Post, User]]:
    """Drafts left unfinished, and activities posted twice by two colleagues (the
    second copy deleted by one of them for a few)."""
    deleted = []
    for plan in libraries.values():
        if plan.posts and rng.random() < 0.25 or plan.library.name == MACAKKA:
            author = rng.choice(plan.people)
            data = _content(rng, plan.library, until - timedelta(days=rng.randint(0, 6)), short=False)
            data.story = data.story.split("\n\n")[0]
            plan.posts.append(services.build_post(author, data, publish=False, library=plan.library))
        if plan.posts and rng.random() < 0.15:
            original = rng.choice([p for p in plan.posts if p.status == "published"])
            other = next((person for person in plan.people if person.id != original.author_id), plan.people[0])
            data = PostInput.from_post(original)
            copy = services.build_post(other, data, library=plan.library)
            copy.published_at = original.published_at
            plan.posts.append(copy)
            if rng.random() < 0.5:
                deleted.append((copy, other))
    return deleted


NOTE_TEXTS = [
    (
        "Membahas lampu merah dua bulan terakhir. Kegiatan sebenarnya berjalan, tetapi belum didokumentasikan "
        "karena pengelola tidak punya waktu mengunggah foto.",
        "Pengelola mengunggah kegiatan bulan lalu paling lambat akhir pekan ini; relawan karang taruna membantu "
        "memotret setiap kegiatan.",
    ),
    (
        "Membahas turunnya jumlah peserta pelatihan keterampilan setelah musim panen.",
        "Menjadwalkan pelatihan sore hari dan mengajak PKK sebagai mitra. Dicek lagi pada kunjungan berikutnya.",
    ),
    (
        "Perpustakaan stabil hijau. Berbagi praktik baik tentang kelas mendongeng bersama orang tua.",
        "Pengelola diminta membagikan pengalamannya pada pertemuan perpustakaan desa tingkat kabupaten.",
    ),
]


def _notes(rng, libraries, people, until) -> int:
    """Notes by the district facilitators on some libraries of their regency."""
    count = 0
    facilitators = [p for p in people if p.participant_type == "district_facilitator" and p.library]
    for facilitator in facilitators:
        home = facilitator.library
        theirs = [
            plan
            for plan in libraries.values()
            if plan.library.regency == home.regency and plan.library.province == home.province
        ]
        for plan in rng.sample(theirs, min(2, len(theirs))):
            discussed, follow_up = rng.choice(NOTE_TEXTS)
            db.session.add(
                MentoringNote(
                    library_id=plan.library.id,
                    author_id=facilitator.id,
                    visit_date=until - timedelta(days=rng.randint(10, 60)),
                    discussed=discussed,
                    follow_up=follow_up,
                )
            )
            count += 1
    return count
