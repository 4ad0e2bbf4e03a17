"""Photos of activity posts: checked by content, decoded safely, turned upright,
re-encoded without any metadata (EXIF, GPS, XMP, comments), in two sizes.

Nothing the camera wrote survives: the pixels are copied into a new image, so
no metadata can ride along. A file that is not a photo, a damaged one, or one
with more pixels than LMS_PHOTO_MAX_PIXELS (a decompression bomb, or simply
too big to decode on a small server) is refused with a message that says why.
"""

from __future__ import annotations

import secrets
import struct
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from lms import storage as uploads
from lms.errors import Invalid, TooLarge
from lms.storage import clean_name

FORMATS = {"JPEG", "PNG", "WEBP"}
WEB_SIZE = 1600
THUMB_SIZE = 480
# 50 megapixels: every phone camera of today fits (48 MP is 8000 x 6000).
DEFAULT_MAX_PIXELS = 50_000_000
SUBFOLDER = "library-photos"


@dataclass
class ProcessedPhoto:
    original_name: str
    web: bytes
    thumb: bytes
    width: int
    height: int


def max_pixels() -> int:
    return int(current_app.config.get("LMS_PHOTO_MAX_PIXELS") or DEFAULT_MAX_PIXELS)


def _open(data: bytes, name: str) -> Image.Image:
    """Open and decode, turning every way a file can be wrong into Invalid."""
    limit = max_pixels()
    not_a_photo = _("%(name)s is not a photo we can read. Send a JPEG, PNG or WebP photo.", name=name)
    too_big = _(
        "%(name)s has too many pixels (more than %(mp)s megapixels). Send a smaller photo.",
        name=name,
        mp=limit // 1_000_000,
    )
    damaged = _(
        "%(name)s could not be read: the file is damaged or incomplete. Send it again, or another copy of the photo.",
        name=name,
    )
    with warnings.catch_warnings():
        # Pillow warns, then refuses, past Image.MAX_IMAGE_PIXELS; both are a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Invalid(too_big, {"field": "photos", "file": name}) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise Invalid(not_a_photo, {"field": "photos", "file": name}) from None
        if image.format not in FORMATS:
            raise Invalid(not_a_photo, {"field": "photos", "file": name})
        width, height = image.size
        if width < 1 or height < 1 or width * height > limit:
            raise Invalid(too_big, {"field": "photos", "file": name})
        try:
            if image.format == "JPEG":
                # Let the decoder scale down by 1/2, 1/4 or 1/8 on the way in: a
                # large photo never needs its full size in memory.
                image.draft("RGB", (WEB_SIZE, WEB_SIZE))
            image.load()
            # Upright as the camera held it; the orientation tag goes with the rest.
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Invalid(too_big, {"field": "photos", "file": name}) from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise Invalid(damaged, {"field": "photos", "file": name}) from None
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image with the same pixels and nothing else (transparency on white)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", rgba.size, (255, 255, 255))
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _jpeg(image: Image.Image, longest: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = BytesIO()
    copy.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def process(data: bytes, name: str = "photo") -> ProcessedPhoto:
    image = _open(data, name)
    clean = _pixels_only(image)
    web = _jpeg(clean, WEB_SIZE)
    with Image.open(BytesIO(web)) as check:
        width, height = check.size
    return ProcessedPhoto(name, web, _jpeg(clean, THUMB_SIZE), width, height)


def check_photos(files: list[FileStorage]) -> list[ProcessedPhoto]:
    """Read, check and process every photo before anything is stored: all or nothing."""
    per_file = current_app.config["LMS_UPLOAD_MAX_FILE_MB"] * 1024 * 1024
    processed = []
    for storage in files:
        if storage is None or not storage.filename:
            continue
        name = clean_name(storage.filename)
        data = storage.read(per_file + 1)
        if len(data) > per_file:
            raise TooLarge(
                _("%(name)s is larger than %(mb)s MB.", name=name, mb=per_file // (1024 * 1024)),
                {"field": "photos", "file": name},
            )
        if not data:
            raise Invalid(_("%(name)s is empty.", name=name), {"field": "photos", "file": name})
        processed.append(process(data, name))
    return processed


def folder() -> Path:
    path = uploads.upload_folder() / SUBFOLDER
    path.mkdir(exist_ok=True)
    return path


def store(photo: ProcessedPhoto) -> tuple[str, str]:
    """Write both sizes under generated names; returns (web name, thumbnail name)."""
    token = secrets.token_hex(16)
    names = (f"{token}.jpg", f"{token}-t.jpg")
    for stored_name, data in zip(names, (photo.web, photo.thumb), strict=False):
        with open(folder() / stored_name, "xb") as handle:
            handle.write(data)
    return names


def remove(stored_names: list[str]) -> None:
    uploads.remove([f"{SUBFOLDER}/{name}" for name in stored_names])


def path_of(stored_name: str) -> Path:
    return folder() / stored_name
