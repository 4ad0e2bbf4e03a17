"""Grading rules: transitions, bad bodies, versions, attempts, permissions,
uploads, XSS, late and cut-off, the score formula, rubric versions, history."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from lms.errors import Conflict
from lms.extensions import db
from lms.grading import grades, submissions
from lms.grading.models import GradeEvent, Notification, Submission
from lms.grading.rubric import compute_score
from lms.grading.rubric_versions import current_rubric
from lms.learning.progress import get_progress
from tests.conftest import login
from tests.test_grading_flow import jpeg_bytes

FULL = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 2, "foto": 1}
LOW = {"judul": 0, "struktur": 1, "bahasa": 1, "ejaan": 1, "foto": 0}


@pytest.fixture
def world(make_user, toy_course, make_cohort):
    trainee, other = make_user(name="Trainee One"), make_user(name="Trainee Two")
    trainer, outsider_trainer = make_user("trainer"), make_user("trainer")
    organizer = make_user("organizer")
    cohort = make_cohort([toy_course], [trainee, other], [trainer], start=date.today())
    story = next(a for a in toy_course.activities if a.slug == "story")
    return dict(
        trainee=trainee,
        other=other,
        trainer=trainer,
        outsider=outsider_trainer,
        organizer=organizer,
        cohort=cohort,
        story=story,
    )


def submit(world, who="trainee", text="Berita desa.", **kwargs):
    submission = submissions.submit(world[who], world["story"], text, **kwargs)
    db.session.commit()
    return submission


def grade(world, submission, outcome="save", criteria=None, who="trainer", version=None, **kwargs):
    result = grades.grade_submission(
        world[who],
        submission.id,
        version=submission.version if version is None else version,
        criteria=FULL if criteria is None else criteria,
        outcome=outcome,
        **kwargs,
    )
    db.session.commit()
    return result


# -- the status machine -----------------------------------------------------


@pytest.mark.parametrize(
    "path, outcome, allowed",
    [
        ([], "save", True),
        ([], "release", True),
        ([], "revise", True),
        (["save"], "save", True),
        (["save"], "release", True),
        (["save"], "revise", True),
        (["release"], "release", True),
        (["release"], "save", False),
        (["release"], "revise", False),
        (["revise"], "save", False),
        (["revise"], "release", False),
        (["revise"], "revise", False),
    ],
)
def test_status_transitions(world, path, outcome, allowed):
    submission = submit(world)
    for step in path:
        grade(world, submission, step)
    if allowed:
        result = grade(world, submission, outcome)
        assert result.status == {"save": "graded", "release": "released", "revise": "revise"}[outcome]
    else:
        with pytest.raises(Conflict):
            grade(world, submission, outcome)


def test_revise_then_next_attempt(world):
    first = submit(world)
    grade(world, first, "revise", feedback="Tambahkan foto.")
    assert get_progress(world["trainee"].id, world["story"].id).status == "revise"
    second = submit(world, text="Berita desa dengan foto.")
    assert second.attempt == 2 and second.status == "submitted"
    with pytest.raises(Conflict):  # max_attempts = 2 in the toy pack
        grade(world, second, "revise")
        submit(world, text="third")


def test_attempts_past_max_are_409(world, client, api_token):
    first = submit(world)
    grade(world, first, "revise")
    second = submit(world)
    grade(world, second, "revise")
    with pytest.raises(Conflict):
        submit(world)
    response = client.post(
        "/api/v1/courses/toy-writing/activities/story/submissions",
        json={"text": "again"},
        headers=api_token(world["trainee"]),
    )
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"


def test_cannot_submit_while_waiting_for_a_grade(world):
    submit(world)
    with pytest.raises(Conflict):
        submit(world)


def test_released_fail_allows_another_attempt(world):
    first = submit(world)
    grade(world, first, "release", criteria=LOW)  # 3 of 10 points: fails pass_score 7
    progress = get_progress(world["trainee"].id, world["story"].id)
    assert progress.status == "failed" and not progress.completed
    assert submit(world).attempt == 2


# -- bad grade bodies -------------------------------------------------------


@pytest.mark.parametrize(
    "criteria, field",
    [
        ({**FULL, "extra": 1}, "criteria.extra"),
        ({**FULL, "judul": 5}, "criteria.judul"),
        ({**FULL, "judul": 1.5}, "criteria.judul"),
        ({**FULL, "judul": "2"}, "criteria.judul"),
        ({k: v for k, v in FULL.items() if k != "foto"}, "criteria.foto"),
    ],
)
def test_bad_grade_bodies_are_422(world, client, api_token, criteria, field):
    submission = submit(world)
    response = client.put(
        f"/api/v1/submissions/{submission.id}/grade",
        headers=api_token(world["trainer"]),
        json={"version": submission.version, "criteria": criteria, "outcome": "save"},
    )
    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]
    assert db.session.get(Submission, submission.id).grade is None


def test_grade_body_not_json_is_400(world, client, api_token):
    submission = submit(world)
    response = client.put(
        f"/api/v1/submissions/{submission.id}/grade",
        headers=api_token(world["trainer"]),
        data="criteria=1",
        content_type="text/plain",
    )
    assert response.status_code == 400


def test_stale_version_is_409_and_shows_both_grades(world, client, api_token):
    submission = submit(world)
    version = submission.version
    grade(world, submission, "save", feedback="First grader.")
    response = client.put(
        f"/api/v1/submissions/{submission.id}/grade",
        headers=api_token(world["trainer"]),
        json={"version": version, "criteria": LOW, "feedback": "Second grader.", "outcome": "save"},
    )
    assert response.status_code == 409
    details = response.get_json()["error"]["details"]
    assert details["current"]["feedback"] == "First grader." and details["yours"]["feedback"] == "Second grader."
    assert db.session.get(Submission, submission.id).grade.feedback == "First grader."


def test_stale_version_on_the_page_shows_both(world, client):
    submission = submit(world)
    version = submission.version
    grade(world, submission, "save", feedback="First grader.")
    login(client, world["trainer"])
    form = {f"c-{k}": str(v) for k, v in LOW.items()}
    form.update(version=str(version), outcome="save", feedback="Second grader.")
    page = client.post(f"/grading/submissions/{submission.id}", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "First grader." in text and "Second grader." in text


# -- who may see and grade ----------------------------------------------------


def test_another_trainees_submission_is_404(world, client, api_token):
    submission = submit(world, who="other", files=[])
    response = client.get(f"/api/v1/submissions/{submission.id}", headers=api_token(world["trainee"]))
    assert response.status_code == 404


def test_trainee_grading_is_403(world, client, api_token):
    submission = submit(world)
    response = client.put(
        f"/api/v1/submissions/{submission.id}/grade",
        headers=api_token(world["trainee"]),
        json={"version": 1, "criteria": FULL},
    )
    assert response.status_code == 403
    login(client, world["trainee"])
    assert client.get("/grading").status_code == 403
    assert client.post(f"/grading/submissions/{submission.id}", data={}).status_code == 403


def test_trainer_outside_the_cohort_gets_404(world, client, api_token):
    submission = submit(world)
    headers = api_token(world["outsider"])
    assert client.get(f"/api/v1/submissions/{submission.id}", headers=headers).status_code == 404
    response = client.put(
        f"/api/v1/submissions/{submission.id}/grade",
        headers=headers,
        json={"version": submission.version, "criteria": FULL},
    )
    assert response.status_code == 404
    assert client.get("/api/v1/submissions", headers=headers).get_json() == []
    login(client, world["outsider"])
    assert client.get(f"/grading/submissions/{submission.id}").status_code == 404


def test_owner_sees_grade_only_once_released(world, client, api_token):
    submission = submit(world)
    grade(world, submission, "save")
    headers = api_token(world["trainee"])
    assert client.get(f"/api/v1/submissions/{submission.id}", headers=headers).get_json()["grade"] is None
    grade(world, db.session.get(Submission, submission.id), "release")
    assert client.get(f"/api/v1/submissions/{submission.id}", headers=headers).get_json()["grade"]["score"] == 10.0


def test_organizer_sees_but_cannot_grade(world, client, api_token):
    submission = submit(world)
    headers = api_token(world["organizer"])
    assert client.get(f"/api/v1/submissions/{submission.id}", headers=headers).status_code == 200
    assert (
        client.put(
            f"/api/v1/submissions/{submission.id}/grade", headers=headers, json={"version": 1, "criteria": FULL}
        ).status_code
        == 403
    )


# -- uploads ------------------------------------------------------------------


def api_upload(client, headers, name, data):
    return client.post(
        "/api/v1/courses/toy-writing/activities/story/submissions",
        headers=headers,
        data={"text": "Dengan lampiran.", "files": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_files(app) -> list[str]:
    folder = app.config["LMS_UPLOAD_FOLDER"]
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_oversized_upload_is_413_and_nothing_is_stored(app, world, client, api_token):
    app.config["LMS_UPLOAD_MAX_FILE_MB"] = 1
    big = jpeg_bytes() + b"\0" * (1024 * 1024 + 10)
    response = api_upload(client, api_token(world["trainee"]), "big.jpg", big)
    assert response.status_code == 413
    assert stored_files(app) == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_request_over_max_content_length_is_413(app, world, client, api_token):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = api_upload(client, api_token(world["trainee"]), "a.jpg", jpeg_bytes() + b"\0" * 5000)
    assert response.status_code == 413 and response.is_json


def test_path_in_file_name_is_dropped(app, world, client, api_token):
    response = api_upload(client, api_token(world["trainee"]), "../../etc/evil.jpg", jpeg_bytes())
    assert response.status_code == 201
    submission = db.session.get(Submission, response.get_json()["id"])
    [item] = submission.files
    assert item.original_name == "evil.jpg" and "/" not in item.stored_name and ".." not in item.stored_name
    assert stored_files(app) == [item.stored_name]


@pytest.mark.parametrize(
    "name, data",
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("fake.pdf", jpeg_bytes()),
    ],
)
def test_unsafe_or_mismatched_files_are_refused(app, world, client, api_token, name, data):
    response = api_upload(client, api_token(world["trainee"]), name, data)
    assert response.status_code == 422
    assert name.split("/")[-1] in response.get_json()["error"]["message"]
    assert stored_files(app) == []


def test_files_are_served_as_attachments_only_to_allowed_people(app, world, client, api_token):
    response = api_upload(client, api_token(world["trainee"]), "foto.jpg", jpeg_bytes())
    submission = db.session.get(Submission, response.get_json()["id"])
    url = f"/submissions/{submission.id}/files/{submission.files[0].id}"
    for who, status in (("trainee", 200), ("trainer", 200), ("organizer", 200), ("other", 404), ("outsider", 404)):
        browser = app.test_client()
        login(browser, world[who])
        got = browser.get(url)
        assert got.status_code == status, who
        if status == 200:
            assert got.headers["Content-Disposition"].startswith("attachment")
            assert got.headers["X-Content-Type-Options"] == "nosniff"
        got.close()


# -- escaping -----------------------------------------------------------------


def test_xss_in_text_feedback_and_rubric_labels_is_escaped(app, world, client, toy_course):
    submission = submit(world, text="<script>alert('text')</script> **ok**")
    grade(
        world,
        submission,
        "release",
        feedback="<img src=x onerror=alert('fb')>",
        comments={"judul": "<script>alert('comment')</script>"},
    )
    rubric = current_rubric(world["story"])
    data = dict(rubric.data)
    data["criteria"] = [dict(c) for c in data["criteria"]]
    data["criteria"][0]["title"] = "<script>alert('label')</script>"
    rubric.data = data
    db.session.commit()
    for who, url in (("trainee", "/courses/toy-writing/story"), ("trainer", f"/grading/submissions/{submission.id}")):
        browser = app.test_client()
        login(browser, world[who])
        page = browser.get(url).get_data(as_text=True)
        import re

        assert re.findall(r"<script>alert[^<]*", page) == [], who
        assert "<img src=x" not in page and "&lt;img src=x onerror" in page
        assert "&lt;script&gt;alert(&#39;label&#39;)" in page


# -- dates --------------------------------------------------------------------


def test_late_and_cut_off(world):
    start = world["cohort"].start_date
    jakarta = timezone(timedelta(hours=7))
    before_due = datetime.combine(start + timedelta(days=14), datetime.min.time(), jakarta) + timedelta(hours=23)
    after_due = before_due + timedelta(hours=2)
    after_cutoff = datetime.combine(start + timedelta(days=22), datetime.min.time(), jakarta) + timedelta(hours=1)
    on_time = submissions.submit(world["trainee"], world["story"], "on time", now=before_due)
    assert on_time.late is False
    late = submissions.submit(world["other"], world["story"], "late", now=after_due)
    assert late.late is True
    grades.grade_submission(world["trainer"], on_time.id, version=on_time.version, criteria=LOW, outcome="revise")
    with pytest.raises(Conflict):
        submissions.submit(world["trainee"], world["story"], "too late", now=after_cutoff)


def test_due_date_is_shown_in_the_trainees_time_zone(world, client, make_user):
    login(client, world["trainee"])
    page = client.get("/courses/toy-writing/story").get_data(as_text=True)
    assert "WIB" in page and "Batas waktu" in page


# -- the score ----------------------------------------------------------------


def test_score_formula_scales_level_totals():
    rubric = {
        "criteria": [
            {"id": "a", "levels": [{"points": 0}, {"points": 2}, {"points": 4}]},
            {"id": "b", "levels": [{"points": 0}, {"points": 4}, {"points": 8}]},
        ]
    }
    assert compute_score(rubric, {"a": 4, "b": 8}, 100) == 100.0
    assert compute_score(rubric, {"a": 2, "b": 4}, 100) == 50.0
    assert compute_score(rubric, {"a": 4, "b": 4}, 100) == 66.7  # 8 of 12 points scaled to 100
    shifted = {
        "criteria": [
            {"id": "a", "levels": [{"points": 1}, {"points": 3}]},
            {"id": "b", "levels": [{"points": 1}, {"points": 2}, {"points": 5}]},
        ]
    }
    assert compute_score(shifted, {"a": 1, "b": 1}, 10) == 0.0  # min is 2, not 0
    assert compute_score(shifted, {"a": 3, "b": 2}, 10) == 5.0


# -- rubric versions, history, bulk, notifications ------------------------------


def test_old_grades_keep_their_rubric_version_and_can_be_regraded(world, tmp_path):
    import shutil

    from tests.conftest import TEST_PACKS, sync_packs

    first = submit(world)
    grade(world, first, "release", criteria=LOW)
    pack = tmp_path / "toy"
    shutil.copytree(TEST_PACKS / "toy-writing", pack)
    rubric_file = pack / "rubrics" / "story.toml"
    rubric_file.write_text(rubric_file.read_text().replace('label = "weak"', 'label = "weak headline"'))
    sync_packs([pack])
    submission = db.session.get(Submission, first.id)
    assert submission.grade.rubric_version.version == 1
    assert current_rubric(submission.activity).version == 2
    regraded = grade(world, submission, "release", criteria=FULL)
    assert regraded.grade.rubric_version.version == 2
    events = db.session.scalars(sa.select(GradeEvent).order_by(GradeEvent.id)).all()
    assert [(e.old_score, e.new_score, e.rubric_version) for e in events] == [(None, 3.0, 1), (3.0, 10.0, 2)]


def test_history_is_shown_to_trainers(world, client):
    submission = submit(world)
    grade(world, submission, "save", criteria=LOW)
    grade(world, db.session.get(Submission, submission.id), "release", criteria=FULL)
    login(client, world["trainer"])
    page = client.get(f"/grading/submissions/{submission.id}").get_data(as_text=True)
    assert "v1" in page and "release" in page and ">3<" in page and ">10<" in page


def test_bulk_release(world, client):
    a = submit(world)
    b = submit(world, who="other")
    grade(world, a, "save")
    grade(world, b, "save", criteria=LOW)
    login(client, world["trainer"])
    client.post("/grading/release", data={"submission": [str(a.id), str(b.id)]})
    assert {s.status for s in db.session.scalars(sa.select(Submission))} == {"released"}
    assert get_progress(world["trainee"].id, world["story"].id).completed


def test_notifications(world, client):
    submission = submit(world)
    assert db.session.scalar(sa.select(Notification).where(Notification.user_id == world["trainer"].id))
    grade(world, submission, "revise")
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == world["trainee"].id))
    assert note.kind == "revise"
    login(client, world["trainee"])
    assert note.message in client.get("/").get_data(as_text=True)


def test_queue_filters_and_counts(world, client):
    a = submit(world)
    submit(world, who="other")
    grade(world, a, "save")
    login(client, world["trainer"])
    page = client.get("/grading?status=graded").get_data(as_text=True)
    assert "Trainee One" in page and "Trainee Two" not in page
    page = client.get("/grading").get_data(as_text=True)
    assert "Trainee One" in page and "Trainee Two" in page


def test_trainer_dashboard_counts_new_work(world, client):
    submit(world)
    login(client, world["trainer"])
    page = client.get("/").get_data(as_text=True)
    assert "<strong>1</strong>" in page


def test_draft_is_kept_after_signing_in_again(world, app):
    browser = app.test_client()
    login(browser, world["trainee"])
    url = "/courses/toy-writing/story"
    assert browser.post(f"{url}/draft", json={"text": "kept text", "version": 0}).status_code == 200
    browser.post("/logout")
    assert browser.post(f"{url}/draft", json={"text": "later", "version": 1}).status_code == 401
    login(browser, world["trainee"])
    assert "kept text" in browser.get(url).get_data(as_text=True)


def test_draft_cannot_change_after_submitting(world, client):
    login(client, world["trainee"])
    submit(world)
    assert client.post("/courses/toy-writing/story/draft", json={"text": "x", "version": 5}).status_code == 409


def test_compare_two_attempts(world, client):
    first = submit(world, text="Versi pertama.")
    grade(world, first, "revise", feedback="Perbaiki judul.")
    submit(world, text="Versi kedua.")
    login(client, world["trainee"])
    page = client.get("/courses/toy-writing/story/compare?a=1&b=2").get_data(as_text=True)
    assert "Versi pertama." in page and "Versi kedua." in page and "Perbaiki judul." in page
    client.post("/logout")
    login(client, world["other"])
    assert client.get("/courses/toy-writing/story/compare?a=1&b=2").status_code == 404


def test_queue_is_paginated_oldest_first(world, client, make_user, make_cohort):
    from lms.grading.services import QueueFilter, queue

    first = submit(world)
    submit(world, who="other")
    page_one = queue(world["trainer"], QueueFilter(), page=1, per_page=1)
    page_two = queue(world["trainer"], QueueFilter(), page=2, per_page=1)
    assert page_one.total == 2 and [s.id for s in page_one.items] == [first.id]
    assert page_two.items[0].id != first.id


def test_grader_sees_the_activity_posts_a_submission_links(world, client):
    from lms.libraries.models import Post

    post = Post(
        library_id=world["trainee"].library_id,
        author_id=world["trainee"].id,
        status="published",
        title="Kelas membaca bersama anak",
        activity_date=date.today(),
        kind="reading",
        story="Cerita kegiatan.",
        published_at=datetime.now(UTC),
    )
    db.session.add(post)
    db.session.commit()
    submission = submit(world, text=f"Dokumentasi kegiatan: http://127.0.0.1:5000/libraries/posts/{post.id}")
    login(client, world["trainer"])
    page = client.get(f"/grading/submissions/{submission.id}").get_data(as_text=True)
    assert "Kelas membaca bersama anak" in page and f"/libraries/posts/{post.id}" in page


def test_submission_list_queries_do_not_grow_with_submissions(world, client, api_token, make_user, make_cohort):
    from lms.cohorts.services import enrol
    from tests.conftest import count_queries

    headers = api_token(world["trainer"])
    submit(world)
    client.get("/api/v1/submissions", headers=headers)
    with count_queries() as few:
        assert len(client.get("/api/v1/submissions", headers=headers).get_json()) == 1
    more = [make_user() for _ in range(5)]
    enrol(world["cohort"], more, "trainee")
    db.session.commit()
    for person in more:
        submissions.submit(person, world["story"], "Berita.", files=[])
        db.session.commit()
    grade(world, db.session.scalar(sa.select(Submission).where(Submission.user_id == more[0].id)), "release")
    with count_queries() as many:
        assert len(client.get("/api/v1/submissions", headers=headers).get_json()) == 6
    assert len(many) == len(few)


def test_assignment_page_queries_do_not_grow_with_attempts(world, client):
    from tests.conftest import count_queries

    login(client, world["trainee"])
    first = submit(world)
    client.get("/courses/toy-writing/story")
    with count_queries() as one:
        client.get("/courses/toy-writing/story")
    grade(world, first, "revise", feedback="Lagi.")
    submit(world, text="Kedua.")
    with count_queries() as two:
        client.get("/courses/toy-writing/story")
    assert len(two) == len(one)
