"""Configuration, in order of precedence (later wins):

1. the defaults below;
2. environment variables `LMS_*` (see ENVIRONMENT);
3. `instance/config.py` (secrets and site settings that stay out of git);
4. the `test_config` mapping given to `create_app`.

Nothing is read at import time: `load_config` runs inside `create_app`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "LMS_ENV": "development",
    "SECRET_KEY": None,
    "SQLALCHEMY_DATABASE_URI": None,  # None: SQLite file in the instance folder
    "LMS_COURSE_PATHS": "",
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
    "LMS_UPLOAD_MAX_FILE_MB": 10,
    "LMS_UPLOAD_FOLDER": None,  # None: instance/uploads
    "LMS_INVITATION_DAYS": 7,
    "LMS_AUTOSAVE_SECONDS": 20,
    "LMS_PHOTO_MAX_PIXELS": 50_000_000,
    "LMS_BASE_URL": "http://127.0.0.1:5000",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "LMS_LOGIN_LIMIT": "10 per 15 minutes",
    "LMS_PASSWORD_METHOD": "scrypt",  # werkzeug's method; tests use a cheap one
    "LMS_SMTP_HOST": "",
    "LMS_SMTP_PORT": 587,
    "LMS_SMTP_USER": "",
    "LMS_SMTP_PASSWORD": "",
    "LMS_SMTP_SENDER": "lentera@localhost",
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open all evening must still submit
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,  # None: secure outside development and testing
    "REMEMBER_COOKIE_SECURE": None,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
}


def _int(value: str) -> int:
    return int(value)


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# environment variable -> (config key, parser)
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "LMS_ENV": ("LMS_ENV", str),
    "LMS_SECRET_KEY": ("SECRET_KEY", str),
    "LMS_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "LMS_COURSE_PATHS": ("LMS_COURSE_PATHS", str),
    "LMS_MAX_CONTENT_MB": ("MAX_CONTENT_LENGTH", lambda v: int(v) * 1024 * 1024),
    "LMS_UPLOAD_MAX_FILE_MB": ("LMS_UPLOAD_MAX_FILE_MB", _int),
    "LMS_UPLOAD_FOLDER": ("LMS_UPLOAD_FOLDER", str),
    "LMS_INVITATION_DAYS": ("LMS_INVITATION_DAYS", _int),
    "LMS_AUTOSAVE_SECONDS": ("LMS_AUTOSAVE_SECONDS", _int),
    "LMS_PHOTO_MAX_PIXELS": ("LMS_PHOTO_MAX_PIXELS", _int),
    "LMS_BASE_URL": ("LMS_BASE_URL", str),
    "LMS_RATELIMIT_STORAGE_URL": ("RATELIMIT_STORAGE_URI", str),
    "LMS_RATELIMIT_ENABLED": ("RATELIMIT_ENABLED", _bool),
    "LMS_SMTP_HOST": ("LMS_SMTP_HOST", str),
    "LMS_SMTP_PORT": ("LMS_SMTP_PORT", _int),
    "LMS_SMTP_USER": ("LMS_SMTP_USER", str),
    "LMS_SMTP_PASSWORD": ("LMS_SMTP_PASSWORD", str),
    "LMS_SMTP_SENDER": ("LMS_SMTP_SENDER", str),
}


class ConfigurationError(RuntimeError):
    """Start-up cannot go on: the message says what to set."""


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    for variable, (key, parse) in ENVIRONMENT.items():
        if variable in os.environ:
            app.config[key] = parse(os.environ[variable])
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)
    _finish(app)


def _finish(app: Flask) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = app.config["LMS_ENV"]
    if env not in {"development", "production", "testing"}:
        raise ConfigurationError(f"LMS_ENV must be development, production or testing, not {env!r}.")
    app.config["TESTING"] = app.config.get("TESTING") or env == "testing"
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise ConfigurationError(
                "LMS_SECRET_KEY is not set. In production Lentera needs a fixed secret "
                "key: set the environment variable LMS_SECRET_KEY or SECRET_KEY in "
                f"{instance / 'config.py'} (for example: python -c "
                "'import secrets; print(secrets.token_hex(32))')."
            )
        app.config["SECRET_KEY"] = _development_secret(instance)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'lentera.sqlite3'}"
    if not app.config.get("LMS_UPLOAD_FOLDER"):
        app.config["LMS_UPLOAD_FOLDER"] = str(instance / "uploads")
    secure = env == "production"
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[key] is None:
            app.config[key] = secure


def _development_secret(instance: Path) -> str:
    """A random key made once and kept, so sessions survive a restart."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
