"""Creating people, invitations (and password resets), API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts.auth import user_by_email
from lms.accounts.models import (
    LANGUAGES,
    PARTICIPANT_TYPES,
    ROLE_LABELS,
    TIMEZONES,
    ApiToken,
    Invitation,
    Library,
    User,
)
from lms.errors import Invalid
from lms.extensions import db, utcnow

EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MIN_PASSWORD = 8


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def valid_email(email: str) -> bool:
    return bool(EMAIL_RE.match(email.strip()))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(_("The password must have at least %(n)s characters.", n=MIN_PASSWORD))


def find_or_create_library(
    name: str, *, village: str = "", regency: str = "", province: str = "", kind: str = "village"
) -> Library:
    library = db.session.scalar(
        sa.select(Library).where(
            Library.name == name,
            Library.village == village,
            Library.regency == regency,
            Library.province == province,
        )
    )
    if library is None:
        library = Library(name=name, village=village, regency=regency, province=province, kind=kind)
        db.session.add(library)
        db.session.flush()
    return library


def create_user(
    *,
    name: str,
    email: str,
    role: str = "trainee",
    password: str | None = None,
    participant_type: str | None = None,
    library: Library | None = None,
    language: str = "id",
    timezone: str = "Asia/Jakarta",
    is_demo: bool = False,
) -> User:
    name, email = name.strip(), User.normalise_email(email)
    if not name:
        raise Invalid(_("A name is required."), {"field": "name"})
    if not valid_email(email):
        raise Invalid(_("%(email)s is not a valid email address.", email=email), {"field": "email"})
    if role not in ROLE_LABELS:
        raise Invalid(_("Unknown role %(role)s.", role=role), {"field": "role"})
    if participant_type is not None and participant_type not in PARTICIPANT_TYPES:
        raise Invalid(_("Unknown participant type %(type)s.", type=participant_type), {"field": "participant_type"})
    if language not in LANGUAGES or timezone not in TIMEZONES:
        raise Invalid(_("Unknown language or time zone."), {"field": "language"})
    if user_by_email(email) is not None:
        raise Invalid(_("Someone with the email %(email)s already exists.", email=email), {"field": "email"})
    user = User(
        name=name,
        email=email,
        role=role,
        participant_type=participant_type,
        library=library,
        language=language,
        timezone=timezone,
        is_demo=is_demo,
        session_token=secrets.token_hex(16),
    )
    if password:
        check_password_rules(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def change_password(user: User, current: str | None, new: str) -> None:
    if current is not None and not user.check_password(current):
        raise Invalid(_("The current password is not right."), {"field": "current_password"})
    check_password_rules(new)
    user.set_password(new)
    db.session.flush()


# -- invitations and resets ---------------------------------------------------


def update_profile(user: User, *, name: str, language: str, timezone: str) -> None:
    user.name, user.language, user.timezone = name.strip(), language, timezone
    db.session.flush()


def set_language(user: User, code: str) -> None:
    user.language = code
    db.session.flush()


def create_invitation(user: User, *, purpose: str = "invite", created_by: User | None = None) -> str:
    """Make a single-use link for `user` to set a password; returns the raw token.

    Older unused links of the same person stop working: only the newest counts."""
    now = utcnow()
    for old in db.session.scalars(
        sa.select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        old.expires_at = min(old.expires_at, now)
    raw = secrets.token_urlsafe(32)
    days = current_app.config["LMS_INVITATION_DAYS"]
    db.session.add(
        Invitation(
            user_id=user.id,
            token_hash=hash_token(raw),
            purpose=purpose,
            expires_at=now + timedelta(days=days),
            created_by_id=created_by.id if created_by else None,
        )
    )
    db.session.flush()
    return raw


def invitation_url(raw: str) -> str:
    # Built from LMS_BASE_URL, not the request: links are also made by commands.
    base = current_app.config["LMS_BASE_URL"].rstrip("/")
    return f"{base}/invite/{raw}"


def valid_invitation(raw: str) -> Invitation | None:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == hash_token(raw)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept_invitation(raw: str, password: str) -> User:
    invitation = valid_invitation(raw)
    if invitation is None:
        raise Invalid(_("This link is no longer valid. Ask the organizer for a new one."))
    check_password_rules(password)
    invitation.used_at = utcnow()
    invitation.user.set_password(password)
    db.session.flush()
    return invitation.user


# -- API tokens ----------------------------------------------------------------

TOKEN_PREFIX = "lnt_"


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip() or "token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], prefix=raw[:10], token_hash=hash_token(raw))
    db.session.add(token)
    db.session.flush()
    return token, raw


def user_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )


def revoke_api_token(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return False
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
    return True


def user_for_token(raw: str) -> User | None:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    # "Last used" needs minutes, not a database write on every API request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return token.user
