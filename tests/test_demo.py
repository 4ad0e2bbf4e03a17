"""`flask --app app demo`: the demo cohort of api.md, idempotent, careful with real data."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.learning.models import Progress
from tests.conftest import login


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_builds_the_cohort_once(app, runner, real_courses, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    cohort = db.session.scalar(sa.select(Cohort))
    assert cohort.name == "Penguatan Fasilitator 2019" and cohort.milestone_date.isoformat() == "2019-12-03"
    assert count(Enrolment, Enrolment.role == "trainee") == 210
    assert len({u.library.province for u in db.session.scalars(sa.select(User).where(User.role == "trainee"))}) >= 30
    types = {u.participant_type for u in db.session.scalars(sa.select(User).where(User.role == "trainee"))}
    assert len(types) == 5
    progress_rows = count(Progress)
    assert progress_rows > 1000
    for email in ("organizer@example.org", "trainer@example.org", "trainee@example.org"):
        browser = app.test_client()
        assert login(browser, email, "lentera-demo").status_code == 302, email

    people, snapshot = count(User), progress_rows
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and count(User) == people and count(Progress) == snapshot


def test_demo_refuses_a_database_with_real_people(app, runner, real_courses, make_user):
    make_user(email="real.person@perpusnas.go.id")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "--yes" in result.output
    assert count(Cohort) == 0
    assert runner.invoke(args=["demo", "--yes"]).exit_code == 0
    assert count(Cohort) == 1


def test_demo_needs_synced_courses(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "courses sync" in result.output
