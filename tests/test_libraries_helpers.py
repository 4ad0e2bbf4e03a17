"""Factories shared by the tests of activity documentation (tests/test_libraries_*.py)."""

from __future__ import annotations

import secrets
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from PIL import Image

from lms.accounts import services as accounts
from lms.extensions import db, utcnow
from lms.libraries import services
from lms.libraries.models import Post, PostPhoto

LONG_STORY = (
    "Pelatihan membuat keripik pisang untuk ibu-ibu PKK di balai desa, diikuti dua puluh lima peserta "
    "dan didukung pemerintah desa."
)
assert len(LONG_STORY) >= 100


def make_library(
    name: str,
    *,
    regency: str = "Soppeng",
    province: str = "Sulawesi Selatan",
    village: str | None = None,
    kind: str = "village",
):
    return accounts.find_or_create_library(
        name,
        village=village if village is not None else name.split()[-1],
        regency=regency,
        province=province,
        kind=kind,
    )


def add_post(
    author,
    title: str = "Kelas membaca nyaring",
    day: date | None = date(2019, 10, 10),
    *,
    story: str = LONG_STORY,
    photo: bool = False,
    publish: bool = True,
    library=None,
    deleted_by=None,
) -> Post:
    """A post straight through the service that builds posts (no files: a photo
    here is a row, which is all the ranking looks at)."""
    data = services.PostInput(
        title=title, activity_date=day, kind="reading", story=story, male=3, female=7, shows_people=True, consent=True
    )
    post = services.build_post(author, data, publish=publish, library=library)
    if photo:
        token = secrets.token_hex(8)
        post.photos.append(
            PostPhoto(stored_name=f"{token}.jpg", thumb_name=f"{token}-t.jpg", width=10, height=10, size=10)
        )
    db.session.add(post)
    db.session.flush()
    if deleted_by is not None:
        post.deleted_at, post.deleted_by_id = utcnow(), deleted_by.id
    db.session.commit()
    return post


def jpeg_bytes(size=(300, 200), colour=(40, 120, 200), exif: Image.Exif | None = None, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, colour)
    out = BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


@pytest.fixture
def english(app):
    """Messages in English (outside a request the interface speaks Indonesian);
    the people of `people` read English through their profile."""
    with force_locale("en"):
        yield


@pytest.fixture
def people(make_user):
    """Two village libraries in Soppeng and one in Bone, a manager in each
    (two in the first), an organizer."""
    macakka = make_library("Perpustakaan Macakka", village="Tellulimpoe")
    other = make_library("Perpustakaan Desa Sukamaju")
    bone = make_library("Perpustakaan Desa Mekarsari", regency="Bone")
    db.session.commit()
    return {
        "andi": make_user(name="Andi", language="en", library=macakka),
        "siti": make_user(name="Siti", language="en", library=macakka),
        "budi": make_user(name="Budi", language="en", library=other),
        "rina": make_user(name="Rina", language="en", library=bone),
        "organizer": make_user("organizer", language="en"),
        "macakka": macakka,
        "other": other,
        "bone": bone,
    }
