"""Configuration: defaults, then LMS_* environment, then instance/config.py, then the test mapping."""

from __future__ import annotations

import pytest

from lms import create_app
from lms.config import ConfigurationError


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "inst"
    folder.mkdir()
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(folder))
    for name in ("LMS_SECRET_KEY", "LMS_DATABASE_URL", "LMS_ENV", "LMS_COURSE_PATHS", "LMS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_defaults(instance):
    app = create_app()
    assert app.config["LMS_ENV"] == "development"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'lentera.sqlite3'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_environment_beats_defaults(instance, monkeypatch):
    monkeypatch.setenv("LMS_BASE_URL", "https://lentera.example.org")
    monkeypatch.setenv("LMS_DATABASE_URL", "sqlite:///:memory:")
    app = create_app()
    assert app.config["LMS_BASE_URL"] == "https://lentera.example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///:memory:"


def test_instance_config_beats_environment(instance, monkeypatch):
    monkeypatch.setenv("LMS_BASE_URL", "https://from-env.example.org")
    (instance / "config.py").write_text('LMS_BASE_URL = "https://from-instance.example.org"\n')
    assert create_app().config["LMS_BASE_URL"] == "https://from-instance.example.org"


def test_test_mapping_beats_everything(instance, monkeypatch):
    monkeypatch.setenv("LMS_BASE_URL", "https://from-env.example.org")
    (instance / "config.py").write_text('LMS_BASE_URL = "https://from-instance.example.org"\n')
    app = create_app({"LMS_BASE_URL": "https://from-test.example.org"})
    assert app.config["LMS_BASE_URL"] == "https://from-test.example.org"


def test_production_without_secret_stops_with_a_clear_message(instance, monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    with pytest.raises(ConfigurationError, match="LMS_SECRET_KEY is not set"):
        create_app()


def test_production_with_secret_has_secure_cookies(instance, monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_SECRET_KEY", "s3cret" * 8)
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cret" * 8
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True


def test_development_secret_is_made_once_and_kept(instance):
    first = create_app().config["SECRET_KEY"]
    assert len(first) == 64 and (instance / "secret_key").read_text() == first
    assert create_app().config["SECRET_KEY"] == first


def test_unknown_environment_name_is_refused(instance, monkeypatch):
    monkeypatch.setenv("LMS_ENV", "staging")
    with pytest.raises(ConfigurationError, match="LMS_ENV"):
        create_app()


def test_sqlite_pragmas(app):
    import sqlalchemy as sa

    from lms.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000


def test_timestamps_are_aware_utc(app, make_user):
    from lms.extensions import db

    user = make_user()
    db.session.expire_all()
    assert user.created_at.tzinfo is not None and user.created_at.utcoffset().total_seconds() == 0
