"""List pages and API lists cost a fixed number of queries whatever the number
of cohorts and submissions (participants are covered in test_cohorts_scale.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.extensions import db
from lms.grading import submissions
from tests.conftest import count_queries, login


def _activity(course, slug):
    return next(a for a in course.activities if a.slug == slug)


def _queries(client, url, headers=None):
    client.get(url, headers=headers or {})  # warm caches (translations, templates)
    with count_queries() as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


@pytest.fixture
def grow(app, toy_course, make_user, make_cohort):
    """Adds cohorts (each with a trainee who hands in the toy assignment) on demand."""
    trainer, organizer = make_user("trainer"), make_user("organizer")
    trainee = make_user(name="Peserta Tetap")
    story = _activity(toy_course, "story")
    made = {"n": 0}

    def to(n: int) -> None:
        while made["n"] < n:
            made["n"] += 1
            other = make_user()
            start = date(2019, 10, 28) + timedelta(days=made["n"])
            make_cohort(
                [toy_course], trainees=[trainee, other], trainers=[trainer], name=f"Angkatan {made['n']}", start=start
            )
            submissions.submit(
                other, story, f"Berita kegiatan nomor {made['n']}.", now=datetime(2019, 10, 30, tzinfo=UTC)
            )
            db.session.commit()

    return {"to": to, "trainer": trainer, "organizer": organizer, "trainee": trainee}


STAFF_PAGES = ["/", "/cohorts/", "/grading", "/grading?status=submitted"]
STAFF_API = ["/api/v1/cohorts", "/api/v1/submissions"]
TRAINEE_PAGES = ["/", "/courses", "/courses/toy-writing"]
TRAINEE_API = ["/api/v1/me/progress", "/api/v1/courses"]


@pytest.mark.parametrize("role", ["trainer", "organizer"])
def test_staff_lists_do_not_grow_with_cohorts_and_submissions(client, grow, api_token, role):
    person = grow[role]
    headers = api_token(person)
    login(client, person)
    counts = {}
    for size in (1, 4):
        grow["to"](size)
        for url in STAFF_PAGES:
            counts.setdefault(url, []).append(_queries(client, url))
        for url in STAFF_API:
            counts.setdefault(url, []).append(_queries(client, url, headers))
    grown = {url: c for url, c in counts.items() if c[0] != c[1]}
    assert grown == {}, f"queries at 1 and 4 cohorts: {grown}"


def test_trainee_pages_do_not_grow_with_cohorts(client, grow, api_token):
    trainee = grow["trainee"]
    headers = api_token(trainee)
    login(client, trainee)
    counts = {}
    for size in (1, 4):
        grow["to"](size)
        for url in TRAINEE_PAGES:
            counts.setdefault(url, []).append(_queries(client, url))
        for url in TRAINEE_API:
            counts.setdefault(url, []).append(_queries(client, url, headers))
    grown = {url: c for url, c in counts.items() if c[0] != c[1]}
    assert grown == {}, f"queries at 1 and 4 cohorts: {grown}"


def test_bulk_release_is_a_fixed_number_of_statements(client, grow):
    from lms.grading import grades
    from lms.grading.models import Submission
    from lms.signals import grade_released

    trainer = grow["trainer"]
    full = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 2, "foto": 1}
    login(client, trainer)
    counts, sent = [], []
    grade_released.connect(lambda _app, **payload: sent.append(payload["submission"].id), weak=False)
    try:
        for size in (2, 6):
            grow["to"](size)
            graded = []
            for submission in db.session.scalars(db.select(Submission).where(Submission.status == "submitted")):
                grades.grade_submission(trainer, submission.id, version=submission.version, criteria=full)
                graded.append(submission.id)
            db.session.commit()
            with count_queries() as statements:
                response = client.post("/grading/release", data={"submission": [str(i) for i in graded]})
            assert response.status_code == 302
            counts.append(len(statements))
    finally:
        grade_released.receivers.clear()
    assert db.session.scalar(db.select(db.func.count()).where(Submission.status != "released")) == 0
    assert len(sent) == 6  # one signal per released grade: 2, then 4 more
    assert counts[0] == counts[1], counts
