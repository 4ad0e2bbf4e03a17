"""The Easy Writing assignment end to end: a trainee writes, autosaves and
submits; a trainer picks levels worth 9 and releases; the trainee sees 9/10."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from lms.coursepacks.models import Activity
from lms.extensions import db
from lms.learning.progress import get_progress
from tests.conftest import login

NINE = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 1, "foto": 1}
STORY = (
    "# Perpustakaan Macakka Latih Warga Membuat Keripik\n\n"
    "Sebanyak 25 warga Desa Tellulimpoe belajar membuat keripik pisang di Perpustakaan Macakka."
)


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def setting(make_user, real_courses, make_cohort):
    easy = next(c for c in real_courses if c.slug == "easy-writing")
    trainee, trainer = make_user(name="Andi Nurhayati"), make_user("trainer", name="Hendra")
    make_cohort(real_courses, [trainee], [trainer], start=date.today())
    activity = db.session.scalar(
        sa.select(Activity).where(Activity.course_id == easy.id, Activity.slug == "tugas-menulis-berita")
    )
    return {"trainee": trainee, "trainer": trainer, "course": easy, "activity": activity}


def test_easy_writing_through_the_pages(app, setting):
    trainee_client, trainer_client = app.test_client(), app.test_client()
    login(trainee_client, setting["trainee"])
    url = "/courses/easy-writing/tugas-menulis-berita"
    page = trainee_client.get(url).get_data(as_text=True)
    assert "Rubrik" in page and "Judul paling banyak 12 kata" in page  # the rubric before submitting

    # autosave, then a stale autosave that must not overwrite the newer draft
    saved = trainee_client.post(f"{url}/draft", json={"text": STORY, "version": 0})
    assert saved.status_code == 200 and saved.get_json()["version"] == 1
    stale = trainee_client.post(f"{url}/draft", json={"text": "old text", "version": 0})
    assert stale.status_code == 409
    assert STORY.split("\n")[0] in trainee_client.get(url).get_data(as_text=True)

    page = trainee_client.get(url).get_data(as_text=True)
    key = page.split('name="submit_key" value="', 1)[1].split('"', 1)[0]
    form = {
        "action": "submit",
        "text": STORY,
        "submit_key": key,
        "draft_version": "1",
        "files": (io.BytesIO(jpeg_bytes()), "foto kegiatan.jpg"),
    }
    assert trainee_client.post(url, data=form, content_type="multipart/form-data").status_code == 302
    # a double click sends the same form again: still one attempt
    form["files"] = (io.BytesIO(jpeg_bytes()), "foto kegiatan.jpg")
    trainee_client.post(url, data=form, content_type="multipart/form-data")
    from lms.grading.models import Submission

    [submission] = db.session.scalars(sa.select(Submission)).all()
    assert submission.status == "submitted" and len(submission.files) == 1
    assert get_progress(setting["trainee"].id, setting["activity"].id).status == "submitted"

    login(trainer_client, setting["trainer"])
    queue = trainer_client.get("/grading").get_data(as_text=True)
    assert "Andi Nurhayati" in queue
    grade_url = f"/grading/submissions/{submission.id}"
    grade_page = trainer_client.get(grade_url).get_data(as_text=True)
    assert "Perpustakaan Macakka Latih Warga" in grade_page and "foto kegiatan.jpg" in grade_page
    form = {f"c-{k}": str(v) for k, v in NINE.items()}
    form.update(
        {
            "version": str(submission.version),
            "outcome": "release",
            "comment-ejaan": "Perhatikan huruf kapital pada nama tempat.",
            "feedback": "Berita yang hidup dan jelas.",
        }
    )
    assert trainer_client.post(grade_url, data=form).status_code == 302

    result = trainee_client.get(url).get_data(as_text=True)
    assert "<strong>9/10</strong>" in result
    assert "Perhatikan huruf kapital pada nama tempat." in result and "Berita yang hidup dan jelas." in result
    assert "Terdapat 4 sampai 8 kesalahan ejaan (1)" in result
    progress = get_progress(setting["trainee"].id, setting["activity"].id)
    assert progress.completed and progress.score == 9.0
    module = trainee_client.get("/courses/easy-writing").get_data(as_text=True)
    assert "Tuntas" in module
    dashboard = trainee_client.get("/").get_data(as_text=True)
    assert "9/10" in dashboard  # the notification


def test_easy_writing_through_the_api(client, setting, api_token):
    trainee_headers, trainer_headers = api_token(setting["trainee"]), api_token(setting["trainer"])
    url = "/api/v1/courses/easy-writing/activities/tugas-menulis-berita/submissions"
    created = client.post(url, json={"text": STORY}, headers=trainee_headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["attempt"] == 1 and body["status"] == "submitted" and body["late"] is False

    listed = client.get("/api/v1/submissions?status=submitted", headers=trainer_headers).get_json()
    assert [s["id"] for s in listed] == [body["id"]]
    submission = client.get(f"/api/v1/submissions/{body['id']}", headers=trainer_headers).get_json()
    graded = client.put(
        f"/api/v1/submissions/{body['id']}/grade",
        headers=trainer_headers,
        json={
            "version": submission["version"],
            "criteria": NINE,
            "comments": {"ejaan": "Perhatikan huruf kapital pada nama tempat."},
            "feedback": "Berita yang hidup dan jelas.",
            "outcome": "release",
        },
    )
    assert graded.status_code == 200
    assert graded.get_json() == {
        "score": 9.0,
        "max_score": 10,
        "status": "released",
        "version": submission["version"] + 1,
    }

    mine = client.get(f"/api/v1/submissions/{body['id']}", headers=trainee_headers).get_json()
    assert mine["grade"]["score"] == 9.0 and mine["grade"]["max_score"] == 10
    assert mine["grade"]["comments"]["ejaan"] == "Perhatikan huruf kapital pada nama tempat."
    assert mine["grade"]["criteria"] == NINE
    progress = client.get("/api/v1/me/progress", headers=trainee_headers).get_json()
    easy = next(c for c in progress["courses"] if c["slug"] == "easy-writing")
    task = next(a for a in easy["activities"] if a["slug"] == "tugas-menulis-berita")
    assert task["completed"] is True and task["score"] == 9.0
