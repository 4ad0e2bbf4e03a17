"""Attachments: checked by content, not only by name; stored under generated
names in the upload folder; never trusted as what they claim to be."""

from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from lms.errors import Invalid, TooLarge

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
}


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _is_mp3(data: bytes) -> bool:
    return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def _is_iso_media(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


SIGNATURES = {
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "pdf": lambda d: d.startswith(b"%PDF-"),
    "docx": _is_docx,
    "mp3": _is_mp3,
    "m4a": _is_iso_media,
    "mp4": _is_iso_media,
}


@dataclass
class CheckedFile:
    original_name: str
    extension: str
    content_type: str
    data: bytes


def clean_name(name: str) -> str:
    """Keep only the last part of a name and drop anything that could be a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')[:200] or "file"


def check_files(files: list[FileStorage], allowed: list[str], max_file_mb: int | None = None) -> list[CheckedFile]:
    """Read and check every file before anything is stored: all or nothing."""
    per_file = (max_file_mb or current_app.config["LMS_UPLOAD_MAX_FILE_MB"]) * 1024 * 1024
    checked: list[CheckedFile] = []
    total = 0
    for storage in files:
        if storage is None or not storage.filename:
            continue
        name = clean_name(storage.filename)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if not allowed:
            raise Invalid(_("This assignment takes text only, no attachments."), {"field": "files"})
        if extension not in allowed:
            raise Invalid(
                _(
                    "%(name)s: this file type is not accepted here (accepted: %(types)s).",
                    name=name,
                    types=", ".join(allowed),
                ),
                {"field": "files", "file": name},
            )
        data = storage.read(per_file + 1)
        if len(data) > per_file:
            raise TooLarge(
                _("%(name)s is larger than %(mb)s MB.", name=name, mb=per_file // (1024 * 1024)),
                {"field": "files", "file": name},
            )
        if not data or not SIGNATURES[extension](data):
            raise Invalid(
                _(
                    "%(name)s is not really a %(ext)s file (its content does not match its name).",
                    name=name,
                    ext=extension.upper(),
                ),
                {"field": "files", "file": name},
            )
        total += len(data)
        checked.append(CheckedFile(name, extension, CONTENT_TYPES[extension], data))
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if total > limit:
        raise TooLarge(
            _("The attachments together are larger than %(mb)s MB.", mb=limit // (1024 * 1024)), {"field": "files"}
        )
    return checked


def upload_folder() -> Path:
    folder = Path(current_app.config["LMS_UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(checked: CheckedFile) -> str:
    """Write the bytes under a generated name; returns that name."""
    stored_name = f"{secrets.token_hex(16)}.{checked.extension}"
    path = upload_folder() / stored_name
    with open(path, "xb") as handle:
        handle.write(checked.data)
    return stored_name


def remove(stored_names: list[str]) -> None:
    for name in stored_names:
        try:
            os.remove(upload_folder() / name)
        except FileNotFoundError:
            pass


def path_of(stored_name: str) -> Path:
    return upload_folder() / stored_name
