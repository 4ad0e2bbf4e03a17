"""Photos of activity posts: metadata gone, orientation kept, wrong files and
decompression bombs refused with a clear message, large photos made smaller."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from lms.errors import Invalid
from lms.extensions import db
from lms.libraries import photos
from lms.libraries.models import Post
from tests.conftest import login
from tests.test_libraries_helpers import LONG_STORY, english, jpeg_bytes, people  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


def camera_jpeg() -> bytes:
    """A 'phone photo' held sideways (orientation 6), with a camera model and a
    GPS position, and a red corner to see where it ends up."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F], exif[0x0110] = "Canon", "PowerShot A95"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (4.0, 21.0, 7.5), "E", (119.0, 53.0, 0.0)
    image = Image.new("RGB", (300, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 40, 40))
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    data = out.getvalue()
    assert b"Exif" in data and b"Canon" in data
    return data


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def test_exif_and_gps_are_removed_and_the_orientation_is_kept(app):
    result = photos.process(camera_jpeg(), "IMG_0001.jpg")
    for data in (result.web, result.thumb):
        assert b"Exif" not in data and b"Canon" not in data and b"PowerShot" not in data
        with Image.open(BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert len(image.getexif()) == 0 and "exif" not in image.info
            assert image.size == (200, 300)  # turned upright
            rgb = image.convert("RGB")
            red_corner = rgb.getpixel((image.width - 5, 5))
            assert red_corner[0] > 200 and red_corner[2] < 80
            assert rgb.getpixel((5, 5))[2] > 200  # blue where the red was before turning
    assert (result.width, result.height) == (200, 300)


def test_a_png_with_transparency_becomes_a_jpeg_on_white(app):
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    out = BytesIO()
    image.save(out, "PNG")
    result = photos.process(out.getvalue(), "logo.png")
    with Image.open(BytesIO(result.web)) as done:
        assert done.format == "JPEG" and done.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(
    "data, name",
    [
        (b"This is a text file, not a photo.\n" * 10, "catatan.jpg"),
        (b"%PDF-1.4\n%" + b"\0" * 200, "laporan.png"),
        (b"\xff\xd8\xff\xe0" + b"\x13" * 500, "rusak.jpg"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_clearly(app, data, name):
    with pytest.raises(Invalid) as caught:
        photos.process(data, name)
    assert name in caught.value.message
    assert "not a photo we can read" in caught.value.message or "damaged" in caught.value.message


def test_a_damaged_photo_is_refused_clearly(app):
    noisy = Image.effect_noise((600, 400), 60).convert("RGB")
    out = BytesIO()
    noisy.save(out, "JPEG")
    data = out.getvalue()
    with pytest.raises(Invalid) as caught:
        photos.process(data[: len(data) // 2], "setengah.jpg")
    assert "damaged or incomplete" in caught.value.message and "setengah.jpg" in caught.value.message


def test_a_gif_is_refused(app):
    out = BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(Invalid) as caught:
        photos.process(out.getvalue(), "animasi.gif")
    assert "JPEG, PNG or WebP" in caught.value.message


def test_a_40_megapixel_photo_is_made_smaller(app):
    data = jpeg_bytes((8000, 5000), colour=(90, 140, 60))
    result = photos.process(data, "besar.jpg")
    assert max(result.width, result.height) == photos.WEB_SIZE
    with Image.open(BytesIO(result.thumb)) as thumb:
        assert max(thumb.size) == photos.THUMB_SIZE


def test_a_40_megapixel_photo_over_a_lower_limit_is_refused(app):
    app.config["LMS_PHOTO_MAX_PIXELS"] = 30_000_000
    with pytest.raises(Invalid) as caught:
        photos.process(jpeg_bytes((8000, 5000)), "besar.jpg")
    assert "too many pixels" in caught.value.message and "30 megapixels" in caught.value.message


@pytest.mark.parametrize(
    "width, height",
    [
        (7000, 8000),  # 56 MP: over our limit, under Pillow's
        (10000, 10000),  # 100 MP: Pillow warns (an error here)
        (30000, 30000),  # 900 MP: Pillow refuses
    ],
)
def test_decompression_bombs_are_refused_without_decoding(app, width, height):
    with pytest.raises(Invalid) as caught:
        photos.process(png_header_only(width, height), "bom.png")
    assert "too many pixels" in caught.value.message


def upload(data: bytes, name: str = "foto.jpg") -> tuple[BytesIO, str]:
    return BytesIO(data), name


def test_photos_through_the_form_are_stored_processed_and_served_to_signed_in_people(app, client, people):
    login(client, people["andi"])
    response = client.post(
        "/libraries/posts/new",
        data={
            "title": "Pelatihan membuat keripik",
            "activity_date": "2019-10-10",
            "kind": "skills",
            "text": LONG_STORY,
            "male": "3",
            "female": "9",
            "shows_people": "1",
            "consent": "1",
            "action": "publish",
            "photos": [upload(camera_jpeg(), "IMG_0001.jpg"), upload(jpeg_bytes(), "IMG_0002.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post))
    assert post.status == "published" and len(post.photos) == 2
    stored = photos.path_of(post.photos[0].stored_name)
    assert stored.parent.parent == photos.folder().parent and "IMG_0001" not in stored.name
    assert b"Canon" not in stored.read_bytes()
    served = client.get(f"/libraries/photos/{post.photos[0].id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == stored.read_bytes()
    assert client.get(f"/libraries/photos/{post.photos[0].id}/thumb").status_code == 200
    assert client.get(f"/libraries/photos/{post.photos[0].id}/original").status_code == 404
    client.post("/logout")
    assert client.get(f"/libraries/photos/{post.photos[0].id}").status_code == 302  # to the sign-in page


def test_one_bad_photo_refuses_the_save_and_stores_nothing(app, client, people):
    login(client, people["andi"])
    response = client.post(
        "/libraries/posts/new",
        data={
            "title": "Pameran",
            "activity_date": "2019-10-10",
            "kind": "exhibition",
            "text": "Cerita saya",
            "shows_people": "1",
            "consent": "1",
            "action": "publish",
            "photos": [upload(jpeg_bytes()), upload(b"not an image at all", "catatan.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "catatan.jpg is not a photo we can read" in page
    assert "Cerita saya" in page and "Pameran" in page  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 0
    assert not list(photos.folder().iterdir())


def test_photos_of_people_need_consent_and_at_most_six(app, client, people):
    login(client, people["andi"])
    base = {
        "title": "Lomba",
        "activity_date": "2019-10-10",
        "kind": "competition",
        "text": LONG_STORY,
        "action": "publish",
    }
    response = client.post(
        "/libraries/posts/new",
        data={**base, "shows_people": "1", "photos": [upload(jpeg_bytes())]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "agreed" in response.get_data(as_text=True)
    response = client.post(
        "/libraries/posts/new", data={**base, "photos": [upload(jpeg_bytes())]}, content_type="multipart/form-data"
    )  # no people in the photos
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post))
    response = client.post(
        f"/libraries/posts/{post.id}/edit",
        data={**base, "draft_version": str(post.version), "photos": [upload(jpeg_bytes()) for _ in range(6)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "at most 6 photos" in response.get_data(as_text=True)


def test_removing_a_photo_deletes_its_files(app, client, people):
    login(client, people["andi"])
    client.post(
        "/libraries/posts/new",
        data={
            "title": "Lomba",
            "activity_date": "2019-10-10",
            "kind": "competition",
            "text": LONG_STORY,
            "action": "publish",
            "photos": [upload(jpeg_bytes()), upload(jpeg_bytes())],
        },
        content_type="multipart/form-data",
    )
    post = db.session.scalar(db.select(Post))
    first = post.photos[0]
    names = [first.stored_name, first.thumb_name]
    response = client.post(
        f"/libraries/posts/{post.id}/edit",
        data={
            "title": "Lomba",
            "activity_date": "2019-10-10",
            "kind": "competition",
            "text": LONG_STORY,
            "draft_version": str(post.version),
            "remove_photo": str(first.id),
            "action": "save",
        },
    )
    assert response.status_code == 302
    db.session.refresh(post)
    assert len(post.photos) == 1
    assert not any(photos.path_of(name).exists() for name in names)
