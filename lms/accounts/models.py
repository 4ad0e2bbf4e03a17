"""People, the libraries they work in, invitations and API tokens."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import Model, UTCDateTime, utcnow


class Role(str, enum.Enum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    ORGANIZER = "organizer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.TRAINEE.value: _l("Trainee"),
    Role.TRAINER.value: _l("Trainer"),
    Role.ORGANIZER.value: _l("Organizer"),
    Role.ADMIN.value: _l("Administrator"),
}

PARTICIPANT_TYPES = {
    "provincial_facilitator": _l("Provincial facilitator"),
    "district_facilitator": _l("District facilitator"),
    "provincial_synergy_team": _l("Provincial synergy team"),
    "district_synergy_team": _l("District synergy team"),
    "village_library_manager": _l("Village library manager"),
}

# Indonesian names accepted in imports, whatever the letter case (glossary.md).
PARTICIPANT_TYPES_ID = {
    "fasilitator provinsi": "provincial_facilitator",
    "fasilitator kabupaten": "district_facilitator",
    "fasilitator kabupaten/kota": "district_facilitator",
    "tim sinergi provinsi": "provincial_synergy_team",
    "tim sinergi kabupaten": "district_synergy_team",
    "tim sinergi kabupaten/kota": "district_synergy_team",
    "pengelola perpustakaan desa": "village_library_manager",
}

# Indonesia's three time zones, by their everyday names.
TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

LIBRARY_KINDS = {
    "village": _l("Village library"),
    "regency": _l("Regency library"),
    "province": _l("Province library"),
}


class Library(Model):
    __tablename__ = "library"
    __table_args__ = (sa.UniqueConstraint("name", "village", "regency", "province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20), default="village")
    village: Mapped[str] = mapped_column(sa.String(120), default="")
    regency: Mapped[str] = mapped_column(sa.String(120), default="")
    province: Mapped[str] = mapped_column(sa.String(120), index=True, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    people: Mapped[list[User]] = relationship(back_populates="library")


class User(UserMixin, Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Stored lower-cased: the unique index then makes emails case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.TRAINEE.value)
    language: Mapped[str] = mapped_column(sa.String(5), default="id")
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Jakarta")
    participant_type: Mapped[str | None] = mapped_column(sa.String(40))
    library_id: Mapped[int | None] = mapped_column(sa.ForeignKey("library.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Changes whenever the password changes: old sessions stop working.
    session_token: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    library: Mapped[Library | None] = relationship(back_populates="people")

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        # scrypt by default; the tests choose a cheap method (LMS_PASSWORD_METHOD).
        self.password_hash = generate_password_hash(password, method=current_app.config["LMS_PASSWORD_METHOD"])
        self.session_token = secrets.token_hex(16)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or self.role == Role.ADMIN.value

    @property
    def is_staff(self) -> bool:
        """Trainers, organizers and admins: people who look at others' work."""
        return self.role != Role.TRAINEE.value

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def participant_type_label(self) -> str:
        return str(PARTICIPANT_TYPES.get(self.participant_type or "", ""))

    @property
    def timezone_label(self) -> str:
        return TIMEZONES.get(self.timezone, self.timezone)


class Invitation(Model):
    """A single-use, expiring link to set a password: for new people and resets."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), default="invite")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
