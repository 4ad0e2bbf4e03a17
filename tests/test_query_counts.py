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

    def hear(_app, **payload):
        sent.append(payload["submission"].id)

    grade_released.connect(hear)
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
        grade_released.disconnect(hear)  # only this test's receiver: the app's own stay connected
    assert db.session.scalar(db.select(db.func.count()).where(Submission.status != "released")) == 0
    assert len(sent) == 6  # one signal per released grade: 2, then 4 more
    assert counts[0] == counts[1], counts


# -- every list page and API list, growing cohorts, modules, participants, submissions ------

FULL_MARKS = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 2, "foto": 1}
PERIOD = "since=2019-10-01&until=2019-12-31"


def _module_copies(tmp_path, count: int):
    """`count` modules: copies of the toy pack under their own slugs, synced once."""
    import shutil

    import sqlalchemy as sa

    from lms.coursepacks.models import Course
    from tests.conftest import TEST_PACKS, sync_packs

    paths = []
    for i in range(1, count + 1):
        copy = tmp_path / f"packs/toy-{i}"
        shutil.copytree(TEST_PACKS / "toy-writing", copy)
        toml = (copy / "course.toml").read_text()
        toml = toml.replace('slug = "toy-writing"', f'slug = "toy-{i}"').replace("order = 1", f"order = {i}")
        (copy / "course.toml").write_text(toml.replace('title = "Toy writing"', f'title = "Toy module {i}"'))
        paths.append(copy)
    sync_packs(paths)
    return list(db.session.scalars(sa.select(Course).order_by(Course.order)))


@pytest.fixture
def world(app, tmp_path, make_user, make_cohort):
    """A world that grows on demand: `to(n)` gives n cohorts, each with the first n
    modules and n trainees besides the one fixed trainee (who is in every cohort);
    every trainee hands in one assignment (some graded, some released, some not),
    the fixed trainee one in every module and has finished some of them; each
    cohort issues certificates; each new library publishes an activity post."""
    from lms.certificates.models import Certificate
    from lms.cohorts import services as cohorts
    from lms.grading import grades
    from lms.learning.progress import record_progress
    from tests.test_libraries_helpers import add_post

    modules = _module_copies(tmp_path, 6)
    organizer, trainer = make_user("organizer"), make_user("trainer")
    trainee = make_user(name="Peserta Tetap")
    made: list = []
    when = datetime(2019, 10, 30, tzinfo=UTC)

    def story(course):
        return _activity(course, "story")

    def to(n: int) -> None:
        current = modules[:n]
        for cohort in made:
            cohort.courses = list(current)
        while len(made) < n:
            made.append(
                make_cohort(
                    current,
                    trainees=[trainee],
                    trainers=[trainer],
                    name=f"Angkatan {len(made) + 1}",
                    start=date(2019, 10, 28) + timedelta(days=len(made)),
                )
            )
        db.session.commit()
        for index, cohort in enumerate(made):
            have = len(cohorts.members(cohort, "trainee")) - 1
            for j in range(have, n):
                person = make_user()
                cohorts.enrol(cohort, [person], "trainee")
                submission = submissions.submit(person, story(current[j % n]), f"Berita {index}-{j}.", now=when)
                db.session.commit()
                if (index + j) % 3:  # some of each status at every size: submitted, graded, released
                    grades.grade_submission(
                        trainer,
                        submission.id,
                        version=submission.version,
                        criteria=FULL_MARKS,
                        outcome="release" if (index + j) % 3 == 2 else "save",
                    )
                db.session.add(
                    Certificate(
                        code=f"C{index:03d}-{j:04d}-TEST",
                        cohort_id=cohort.id,
                        user_id=person.id,
                        data={"name": person.name},
                    )
                )
                db.session.commit()
                add_post(person, f"Kegiatan {index}-{j}", date(2019, 10, 1 + (index * 6 + j) % 28))
        for k, course in enumerate(current):
            if not submissions.attempts_of(trainee.id, story(course).id):
                submissions.submit(trainee, story(course), f"Berita saya {k}.", now=when)
            if k % 2 == 0:
                for activity in course.current_activities:
                    record_progress(trainee.id, activity.id, status="completed", completed=True, score=100.0)
        db.session.commit()

    return {
        "to": to,
        "cohorts": made,
        "modules": modules,
        "organizer": organizer,
        "trainer": trainer,
        "trainee": trainee,
    }


PAGES = {
    "trainee": [
        "/",
        "/courses",
        "/courses/toy-1",
        "/libraries/",
        "/libraries/leaderboard?" + PERIOD,
        "/api/v1/me/progress",
        "/api/v1/courses",
        "/api/v1/libraries/leaderboard?" + PERIOD,
    ],
    "trainer": [
        "/",
        "/courses",
        "/grading",
        "/grading?status=graded",
        "/grading?status=released",
        "/cohorts/",
        "/cohorts/{id}",
        "/cohorts/{id}/dashboard",
        "/cohorts/{id}/at-risk",
        "/api/v1/cohorts",
        "/api/v1/submissions",
        "/api/v1/submissions?status=graded",
        "/api/v1/cohorts/{id}/completion",
    ],
    "organizer": [
        "/",
        "/courses",
        "/grading",
        "/cohorts/",
        "/cohorts/{id}",
        "/cohorts/{id}/dashboard",
        "/cohorts/{id}/at-risk",
        "/certificates/cohort/{id}",
        "/libraries/",
        "/libraries/leaderboard?" + PERIOD,
        "/libraries/mentoring",
        "/libraries/mentors",
        "/api/v1/cohorts",
        "/api/v1/submissions",
        "/api/v1/cohorts/{id}/completion",
        "/api/v1/courses",
        "/api/v1/libraries/leaderboard?" + PERIOD,
    ],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_list_grows_with_cohorts_modules_and_submissions(client, world, api_token, role):
    person = world[role]
    headers = api_token(person)
    login(client, person)
    counts: dict[str, list[int]] = {}
    for size in (2, 6):
        world["to"](size)
        first = world["cohorts"][0]
        for url in PAGES[role]:
            target = url.format(id=first.id)
            counts.setdefault(url, []).append(_queries(client, target, headers if target.startswith("/api/") else None))
    grown = {url: c for url, c in counts.items() if c[0] != c[1]}
    assert grown == {}, f"{role}: queries with 2 and with 6 cohorts, modules, trainees per cohort: {grown}"


def test_dashboard_offers_agree_with_the_completion_report(client, world):
    """The dashboard reads one trainee's completion in a few queries; it must say
    what reports.completion says, for the whole cohort or for that one trainee,
    also with an archived module and an archived activity."""
    from lms.certificates import services as certificates
    from lms.cohorts import services as cohorts
    from lms.reports import completion

    world["to"](3)
    modules = world["modules"]
    a, b, c = world["cohorts"]
    modules[1].archived = True  # its pack was removed: no longer a module of any cohort
    _activity(modules[2], "intro").archived = True  # an activity dropped from a pack
    c.courses = [modules[1]]  # only an archived module: nobody completes it
    db.session.commit()
    people = [world["trainee"]] + [p for cohort in (a, b) for p in cohorts.members(cohort, "trainee")]
    checked = 0
    for person in people:
        offers = {o["cohort"].id: o["complete"] for o in certificates.offers_for(person)}
        for cohort_id, complete in offers.items():
            cohort = db.session.get(type(a), cohort_id)
            whole = {p.id: p.completed for p in completion.compute(cohort).participants}
            [alone] = completion.compute(cohort, user_ids=[person.id]).participants
            assert complete == whole[person.id] == alone.completed, (person.name, cohort.name)
            checked += 1
    assert checked > 3
    offers = {o["cohort"].id: o["complete"] for o in certificates.offers_for(world["trainee"])}
    assert offers == {a.id: True, b.id: True, c.id: False}  # modules 1 and 3 done; module 2 archived


def test_bulk_release_leaves_what_releasing_one_by_one_leaves(app, toy_course, make_user, make_cohort):
    """The same grades released in bulk and one at a time give the same rows
    (submissions, grades, history, notifications, progress) and the same signals."""
    import sqlalchemy as sa

    from lms.grading import grades
    from lms.grading.models import GradeEvent, Notification, Submission
    from lms.learning.models import Progress
    from lms.learning.progress import record_progress
    from lms.signals import grade_released, module_completed, progress_changed

    low = {"judul": 0, "struktur": 1, "bahasa": 1, "ejaan": 1, "foto": 0}
    story = _activity(toy_course, "story")
    trainer = make_user("trainer")
    sets = {"bulk": [make_user() for _ in range(3)], "single": [make_user() for _ in range(3)]}
    make_cohort([toy_course], trainees=[p for people in sets.values() for p in people], trainers=[trainer])
    graded: dict[str, list[int]] = {}
    for key, people in sets.items():
        for i, person in enumerate(people):
            if i == 0:  # everything else done: a passing grade completes the module
                for activity in toy_course.current_activities:
                    if activity.id != story.id:
                        record_progress(person.id, activity.id, status="completed", completed=True, score=80.0)
            submission = submissions.submit(person, story, "Berita.", now=datetime(2019, 10, 30, tzinfo=UTC))
            db.session.commit()
            grades.grade_submission(
                trainer,
                submission.id,
                version=submission.version,
                criteria=low if i == 2 else FULL_MARKS,
                comments={"judul": " Bagus "},
                feedback=" Terima kasih. ",
            )
            graded.setdefault(key, []).append(submission.id)
        db.session.commit()

    heard: list[tuple] = []
    receivers = {
        progress_changed: lambda _app, **kw: heard.append(("progress", kw["user_id"], kw["progress"].status)),
        module_completed: lambda _app, **kw: heard.append(("module", kw["user_id"], kw["course_id"])),
        grade_released: lambda _app, **kw: heard.append(("grade", kw["submission"].user_id, kw["grade"].score)),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    try:
        with app.test_request_context():
            assert grades.release_many(trainer, graded["bulk"]) == 3
            for submission_id in graded["single"]:
                submission = db.session.get(Submission, submission_id)
                grade = submission.grade
                grades.grade_submission(
                    trainer,
                    submission_id,
                    version=submission.version,
                    criteria=grade.points,
                    comments=grade.comments,
                    feedback=grade.feedback,
                    outcome="release",
                )
            db.session.commit()
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver)

    def state(people):
        ids = [p.id for p in people]
        rank = {uid: i for i, uid in enumerate(ids)}

        def rows(query, shape):
            return sorted(shape(row) for row in db.session.scalars(query))

        submitted = sa.select(Submission).where(Submission.user_id.in_(ids))
        return {
            "submissions": rows(
                submitted,
                lambda s: (
                    rank[s.user_id],
                    s.status,
                    s.version,
                    s.grade.score,
                    s.grade.max_score,
                    s.grade.rubric_version_id,
                    s.grade.grader_id,
                    s.grade.comments,
                    s.grade.feedback,
                    s.grade.released_at is not None,
                ),
            ),
            "history": sorted(
                (rank[uid], e.action, e.actor_id, e.old_score, e.new_score, e.rubric_version, e.status)
                for e, uid in db.session.execute(
                    sa.select(GradeEvent, Submission.user_id).join(Submission).where(Submission.user_id.in_(ids))
                ).tuples()
            ),
            "notifications": rows(
                sa.select(Notification).where(Notification.user_id.in_(ids)),
                lambda n: (rank[n.user_id], n.kind, n.message, n.link, n.read_at),
            ),
            "progress": rows(
                sa.select(Progress).where(Progress.user_id.in_(ids)),
                lambda p: (rank[p.user_id], p.activity_id, p.status, p.score, p.completed_at is not None),
            ),
            "signals": sorted((kind, rank[uid], value) for kind, uid, value in heard if uid in rank),
        }

    bulk, single = state(sets["bulk"]), state(sets["single"])
    assert bulk == single
    assert [s for s in bulk["signals"] if s[0] != "progress"] == [
        ("grade", 0, 10.0),
        ("grade", 1, 10.0),
        ("grade", 2, 3.0),
        ("module", 0, toy_course.id),
    ]
