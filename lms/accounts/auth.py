"""Flask-Login wiring and the role checks used by views."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required

from lms.accounts.models import User
from lms.extensions import db


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "accounts.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "info"
    # "strong": a session whose browser fingerprint changes is dropped.
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(user_key: str) -> User | None:
        user_id, _, token = user_key.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # A password change rotates session_token, which signs out old sessions.
        if user is None or not user.active or user.session_token != token:
            return None
        return user


def roles_required(*roles: str):
    """Only signed-in people with one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalise_email(email)))
