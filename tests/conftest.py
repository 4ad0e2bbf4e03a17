"""Fixtures: an app on SQLite (or on PostgreSQL when TEST_DATABASE_URL is set),
a client, factories for people and cohorts, a login helper, a query counter."""

from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from lms import create_app
from lms.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
TEST_PACKS = Path(__file__).parent / "packs"
PASSWORD = "correct-horse-1"


def database_url(tmp_path: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _drop_everything() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def app_config(tmp_path):
    return {
        "LMS_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "LMS_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LMS_COURSE_PATHS": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        # One round of PBKDF2 instead of scrypt: the suite signs in hundreds of times.
        "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1",
    }


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as on a real server: `g`, the
    signed-in user and the database session do not leak between requests or
    into the test's own session (which is expired afterwards, to read fresh)."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(app_config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        _drop_everything()
        db.create_all()
        limiter.reset()
        yield application
        _drop_everything()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- factories ---------------------------------------------------------------


@pytest.fixture
def make_user(app):
    from lms.accounts import services

    counter = {"n": 0}

    def factory(
        role: str = "trainee",
        *,
        email: str | None = None,
        name: str | None = None,
        participant_type: str | None = "__default__",
        library=None,
        **extra,
    ):
        counter["n"] += 1
        if participant_type == "__default__":
            participant_type = "village_library_manager" if role == "trainee" else None
        if library is None and role == "trainee":
            library = services.find_or_create_library(
                f"Perpustakaan Desa Uji {counter['n']}", village="Uji", regency="Soppeng", province="Sulawesi Selatan"
            )
        user = services.create_user(
            name=name or f"{role.title()} {counter['n']}",
            email=email or f"{role}{counter['n']}@example.org",
            role=role,
            password=PASSWORD,
            participant_type=participant_type,
            library=library,
            **extra,
        )
        db.session.commit()
        return user

    return factory


def sync_packs(paths: list[Path]):
    from lms.coursepacks.services import check_packs
    from lms.coursepacks.sync import sync_packs as do_sync

    packs, problems = check_packs(paths)
    assert not problems, [str(p) for p in problems]
    report = do_sync(packs)
    db.session.commit()
    return report


@pytest.fixture
def toy_course(app):
    from lms.coursepacks.models import Course

    sync_packs([TEST_PACKS / "toy-writing"])
    return db.session.scalar(sa.select(Course).where(Course.slug == "toy-writing"))


@pytest.fixture
def real_courses(app):
    from lms.coursepacks.models import Course
    from lms.coursepacks.source import discover

    sync_packs(discover(ROOT / "courses", "", []))
    return list(db.session.scalars(sa.select(Course).order_by(Course.order)))


@pytest.fixture
def make_cohort(app):
    from lms.cohorts import services

    def factory(
        courses, trainees=(), trainers=(), *, name: str = "Angkatan Uji", start=date(2019, 10, 28), milestone=None
    ):
        from datetime import timedelta

        milestone = milestone or start + timedelta(days=36)
        cohort = services.create_cohort(
            name=name,
            start_date=start,
            end_date=start + timedelta(days=3),
            milestone_title="Peer Learning Meeting Nasional",
            milestone_date=milestone,
            courses=list(courses),
        )
        services.enrol(cohort, list(trainees), "trainee")
        services.enrol(cohort, list(trainers), "trainer")
        db.session.commit()
        return cohort

    return factory


def login(client, user_or_email, password: str = PASSWORD):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def api_token(app):
    from lms.accounts.services import create_api_token

    def factory(user) -> dict[str, str]:
        _token, raw = create_api_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return factory


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
