"""A cohort of 210 from a spreadsheet to the milestone: import, progress through
the real services, and the dashboard, the at-risk list, the API and both
exports checked against a computation of the test's own."""

from __future__ import annotations

import csv
import io
import random
import shutil
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lms.extensions import db
from tests.conftest import TEST_PACKS, login, sync_packs
from tests.english import make_user  # noqa: F401  (people who read English)

SUBMIT_AT = datetime(2019, 10, 29, 9, tzinfo=UTC)
PROVINCES = ["Sulawesi Selatan", "Lampung", "Kepulauan Bangka Belitung", "Maluku Utara", "Jawa Timur"]
TYPES = [
    "village_library_manager",
    "Pengelola Perpustakaan Desa",
    "district_facilitator",
    "FASILITATOR PROVINSI",
    "tim sinergi kabupaten",
    "provincial_synergy_team",
]


@pytest.fixture
def two_modules(app, tmp_path):
    """The toy pack and a copy of it under another slug: two modules of 4 activities."""
    from lms.coursepacks.models import Course

    copy = tmp_path / "toy-speaking"
    shutil.copytree(TEST_PACKS / "toy-writing", copy)
    toml = (copy / "course.toml").read_text()
    toml = (
        toml.replace('slug = "toy-writing"', 'slug = "toy-speaking"')
        .replace('title = "Toy writing"', 'title = "Toy speaking"')
        .replace("order = 1", "order = 2")
        .replace("hours = 2", "hours = 3")
    )
    (copy / "course.toml").write_text(toml)
    sync_packs([TEST_PACKS / "toy-writing", copy])
    return list(db.session.scalars(sa.select(Course).order_by(Course.order)))


def participants_csv(count: int, *, bom: bool = True, delimiter: str = ";") -> bytes:
    lines = [delimiter.join(["name", "email", "role", "participant_type", "province", "regency", "library", "group"])]
    for i in range(count):
        province = PROVINCES[i % len(PROVINCES)]
        lines.append(
            delimiter.join(
                [
                    f"Peserta Ke-{i:03d}",
                    f"Peserta{i:03d}@Example.org",
                    "",
                    TYPES[i % len(TYPES)],
                    province,
                    f"Kabupaten {i % 7}",
                    f"Perpustakaan Desa {i % 40}",
                    f"Kelas {'AB'[i % 2]}",
                ]
            )
        )
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def drive_progress(cohort, courses, trainer, people):
    """Ten kinds of participant, through the services that trainees and trainers use."""
    from lms.activities.quiz import submit_attempt
    from lms.grading import grades, submissions
    from lms.learning.progress import record_progress

    rng = random.Random(5)
    full = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 2, "foto": 1}  # 10/10
    weak = {"judul": 1, "struktur": 1, "bahasa": 1, "ejaan": 1, "foto": 0}  # 4/10
    right = {"when": [2], "many": [0, 2]}
    wrong = {"when": [0], "many": [1]}
    for index, person in enumerate(people):
        kind = index % 10
        for course in courses:
            acts = {a.slug: a for a in course.current_activities}
            if kind == 9 or (kind == 8 and course.order == 2):
                continue  # not started (at all, or the second module)
            submit_attempt(acts["pre-test"], person, {"where": [rng.choice([0, 1])], "who": [0]})
            if kind == 7 and course.order == 2:
                continue  # only the pre-test: the rest not started
            record_progress(person.id, acts["intro"].id, status="completed", completed=True)
            if kind == 6 and course.order == 1:
                continue  # nothing submitted in module 1
            submission = submissions.submit(person, acts["story"], "Berita kegiatan", now=SUBMIT_AT)
            if kind == 5 and course.order == 1:
                pass  # waiting for a grade
            elif kind == 4 and course.order == 1:
                grades.grade_submission(
                    trainer, submission.id, version=submission.version, criteria=weak, outcome="revise"
                )
            elif kind == 3 and course.order == 2:
                grades.grade_submission(
                    trainer, submission.id, version=submission.version, criteria=weak, outcome="release"
                )  # failed
            elif kind == 2 and course.order == 1:
                grades.grade_submission(
                    trainer, submission.id, version=submission.version, criteria=full, outcome="save"
                )  # graded, not released: still waiting
            else:
                grades.grade_submission(
                    trainer, submission.id, version=submission.version, criteria=full, outcome="release"
                )
            submit_attempt(acts["post-test"], person, wrong if kind == 1 and course.order == 2 else right)
    db.session.commit()


def expected(courses, people):
    """The test's own view, per person and module, from the progress rows and
    the completion rules of course-format.md."""
    from lms.learning.models import Progress
    from lms.learning.services import course_progress

    rows = {(r.user_id, r.activity_id): r for r in db.session.scalars(sa.select(Progress))}
    result = {}
    for person in people:
        entry = {}
        for cp in course_progress(person, courses):
            blockers = set()
            for activity in cp.activities:
                row = rows.get((person.id, activity.id))
                if row is not None and row.completed:
                    continue
                status = row.status if row else None
                if status in ("submitted", "graded"):
                    blockers.add("waiting_grade")
                elif status == "revise":
                    blockers.add("revise")
                elif status == "failed":
                    blockers.add("failed" if activity.type == "assignment" else "quiz_not_passed")
                elif activity.type == "assignment":
                    blockers.add("not_submitted")
                else:
                    blockers.add("unfinished")
            if not cp.started:
                blockers = {"not_started"}
            scores = []
            for activity in cp.activities:
                row = rows.get((person.id, activity.id))
                if row is None or row.score is None:
                    continue
                if activity.type == "assignment":
                    scores.append(row.score * 100 / activity.config["max_score"])
                elif activity.config.get("kind") == "post-test":
                    scores.append(row.score)
            entry[cp.course.slug] = {
                "completed": cp.completed,
                "status": "completed" if cp.completed else "in_progress" if cp.started else "not_started",
                "blockers": blockers,
                "score": round(sum(scores) / len(scores), 1) if scores else None,
            }
        result[person.id] = entry
    return result


@pytest.fixture
def cohort_of_210(app, client, two_modules, make_user, make_cohort, api_token):
    from lms.accounts.models import User

    organizer = make_user("organizer", email="panitia@example.org")
    trainer = make_user("trainer", email="pelatih@example.org", name="Pelatih Satu")
    cohort = make_cohort(two_modules, trainers=[trainer], name="Penguatan Fasilitator 2019")
    response = client.post(
        f"/api/v1/cohorts/{cohort.id}/participants",
        data=participants_csv(210),
        headers={**api_token(organizer), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["created"], report["updated"], report["enrolled"]) == (210, 0, 210)
    assert len(report["invitations"]) == 210 and "/invite/" in report["invitations"][0]["url"]
    people = list(db.session.scalars(sa.select(User).where(User.email.like("peserta%")).order_by(User.email)))
    drive_progress(cohort, two_modules, trainer, people)
    return cohort, two_modules, people, organizer, trainer


def test_import_of_210_then_dashboard_at_risk_api_and_exports_agree(client, cohort_of_210, api_token):
    from lms.reports import completion

    cohort, courses, people, organizer, trainer = cohort_of_210
    own = expected(courses, people)
    complete = {pid for pid, entry in own.items() if all(e["completed"] for e in entry.values())}
    assert 0 < len(complete) < 210  # the data has both kinds

    # the service
    result = completion.compute(cohort)
    assert result.total == 210 and result.completed == len(complete)
    assert {p.id for p in result.at_risk()} == set(own) - complete
    for p in result.participants:
        for course in courses:
            cell, mine = p.cells[course.id], own[p.id][course.slug]
            assert (cell.status, cell.score) == (mine["status"], mine["score"]), (p.name, course.slug)
            assert set(cell.blockers) == mine["blockers"], (p.name, course.slug, cell.blockers)
    by_course = {row["slug"]: row for row in result.by_course()}
    for course in courses:
        statuses = [own[pid][course.slug]["status"] for pid in own]
        assert by_course[course.slug]["completed"] == statuses.count("completed")
        assert by_course[course.slug]["in_progress"] == statuses.count("in_progress")
        assert by_course[course.slug]["not_started"] == statuses.count("not_started")
    province_of = {p.id: PROVINCES[int(p.name[-3:]) % len(PROVINCES)] for p in people}
    for row in result.by_province():
        mine = [pid for pid in own if province_of[pid] == row["province"]]
        assert (row["participants"], row["completed"]) == (len(mine), len(set(mine) & complete))
    # kinds 5 (submitted) and 2 (graded, not released) wait for a grade in module 1
    assert result.grading_backlog == sum(1 for i in range(210) if i % 10 in (5, 2))
    assert result.days_to_milestone == (date(2019, 12, 3) - result.today).days
    assert all(p.trainers == ["Pelatih Satu"] for p in result.at_risk())

    # the API
    body = client.get(f"/api/v1/cohorts/{cohort.id}/completion", headers=api_token(organizer)).get_json()
    assert body["cohort"] == {"id": cohort.id, "name": "Penguatan Fasilitator 2019"}
    assert body["milestone"] == {"title": "Peer Learning Meeting Nasional", "date": "2019-12-03"}
    assert (body["participants"], body["completed"]) == (210, len(complete))
    assert {c["slug"]: c["completed"] for c in body["by_course"]} == {
        s: [own[pid][s]["completed"] for pid in own].count(True) for s in ("toy-writing", "toy-speaking")
    }
    assert {r["province"] for r in body["by_province"]} == set(PROVINCES)
    assert {a["id"]: sorted(a["missing"]) for a in body["at_risk"]} == {
        pid: sorted(s for s, e in entry.items() if not e["completed"])
        for pid, entry in own.items()
        if pid not in complete
    }

    # the pages
    login(client, organizer)
    page = client.get(f"/cohorts/{cohort.id}/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"<strong>{len(complete)}</strong>" in html and "<svg" in html and "seg-completed" in html
    assert "style=" not in html and "<script>" not in html
    assert (
        client.get(f"/cohorts/{cohort.id}/dashboard?status=incomplete&sort=progress&desc=1&page=2").status_code == 200
    )
    at_risk_page = client.get(f"/cohorts/{cohort.id}/at-risk?blocker=waiting_grade").get_data(as_text=True)
    waiting = [p for p in result.at_risk() if any("waiting_grade" in p.cells[c.id].blockers for c in courses)]
    assert f"{len(waiting)} participants" in at_risk_page

    # the completion export, both formats, equals the test's own computation
    header, *rows = _csv(client.get(f"/cohorts/{cohort.id}/export/completion.csv").data)
    xlsx = _xlsx(client.get(f"/cohorts/{cohort.id}/export/completion.xlsx").data)
    assert xlsx[0] == header and len(rows) == len(xlsx) - 1 == 210
    col = {name: i for i, name in enumerate(header)}
    for row, xrow in zip(rows, xlsx[1:]):
        pid = int(row[col["id"]])
        assert int(xrow[col["id"]]) == pid
        for course in courses:
            mine = own[pid][course.slug]
            assert row[col[f"{course.slug} status"]] == xrow[col[f"{course.slug} status"]] == mine["status"]
            score = row[col[f"{course.slug} score"]]
            assert (float(score) if score else None) == mine["score"]
            assert xrow[col[f"{course.slug} score"]] == mine["score"]
        assert row[col["completed"]] == ("yes" if pid in complete else "no")

    # the at-risk export
    header, *rows = _csv(client.get(f"/cohorts/{cohort.id}/export/at-risk.csv").data)
    assert {int(r[0]) for r in rows} == set(own) - complete
    assert len(_xlsx(client.get(f"/cohorts/{cohort.id}/export/at-risk.xlsx").data)) == len(rows) + 1

    # the gradebook: every criterion of the latest graded attempt, as Grade.points
    from lms.grading.models import Grade, Submission

    header, *rows = _csv(
        client.get(
            f"/cohorts/{cohort.id}/export/gradebook.csv",
        ).data
    )
    xlsx = _xlsx(client.get(f"/cohorts/{cohort.id}/export/gradebook.xlsx").data)
    assert xlsx[0] == header
    col = {name: i for i, name in enumerate(header)}
    for criterion in ("judul", "struktur", "bahasa", "ejaan", "foto"):
        assert f"toy-writing/story {criterion}" in col and f"toy-speaking/story {criterion}" in col
    graded = {
        (s.user_id, s.activity.course.slug): g
        for s, g in db.session.execute(sa.select(Submission, Grade).join(Grade, Grade.submission_id == Submission.id))
    }
    by_id = {int(r[0]): r for r in rows}
    for (user_id, slug), grade in graded.items():
        row = by_id[user_id]
        for criterion, points in grade.points.items():
            assert float(row[col[f"{slug}/story {criterion}"]]) == points
        assert float(row[col[f"{slug}/story score"]]) == grade.score
    ungraded = [pid for pid in own if all((pid, s) not in graded for s in ("toy-writing", "toy-speaking"))]
    assert ungraded and all(by_id[pid][col["toy-writing/story judul"]] == "" for pid in ungraded)


def test_exports_neutralise_formulas(client, two_modules, make_user, make_cohort):
    organizer = make_user("organizer")
    trainee = make_user(name='=HYPERLINK("http://evil","x")')
    cohort = make_cohort(two_modules, trainees=[trainee])
    login(client, organizer)
    header, row = _csv(client.get(f"/cohorts/{cohort.id}/export/completion.csv").data)
    assert row[1].startswith("'=HYPERLINK")
    sheet = _xlsx(client.get(f"/cohorts/{cohort.id}/export/completion.xlsx").data)
    assert sheet[1][1].startswith("'=HYPERLINK")
    semicolons = client.get(f"/cohorts/{cohort.id}/export/at-risk.csv?delimiter=semicolon").data
    assert semicolons.startswith(b"\xef\xbb\xbfid;name;")
    from lms.reports.exports import safe

    assert [safe(v) for v in ("+1", "-2", "@x", "ok", 3, -4.5)] == ["'+1", "'-2", "'@x", "ok", 3, -4.5]


def test_trainer_sees_only_their_trainees_on_the_dashboard(client, two_modules, make_user, make_cohort, api_token):
    from lms.cohorts import services

    trainer = make_user("trainer")
    north, south = make_user(name="Utara"), make_user(name="Selatan")
    cohort = make_cohort(two_modules, trainees=[north, south], trainers=[trainer])
    services.set_group(cohort, north.id, "Kelas A")
    services.assign_trainer(cohort, trainer, "group", "Kelas A")
    db.session.commit()
    body = client.get(f"/api/v1/cohorts/{cohort.id}/completion", headers=api_token(trainer)).get_json()
    assert body["participants"] == 1 and body["at_risk"][0]["name"] == "Utara"


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
