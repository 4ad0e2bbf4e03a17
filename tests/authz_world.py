"""The world the route × role matrix runs in: two cohorts, a trainee in each,
a trainer of cohort A only, an organizer and an admin, and objects that belong
to trainee A (a submission, a certificate, a draft and a published post of
trainee A's library)."""

from __future__ import annotations

from datetime import UTC, datetime

from lms.accounts import services as accounts
from lms.certificates import services as certificates
from lms.extensions import db
from lms.libraries.models import Post
from tests.conftest import TEST_PACKS, login, sync_packs
from tests.test_cohorts_certificates import complete_course
from tests.test_libraries_helpers import LONG_STORY

ROLES = ("anonymous", "trainee_a", "trainee_b", "trainer_a", "organizer", "admin")

POST_FORM = {
    "title": "Kelas membaca nyaring",
    "activity_date": "2019-10-10",
    "kind": "reading",
    "place": "Balai desa",
    "male": "4",
    "female": "8",
    "age_children": "10",
    "age_adults": "2",
    "partners": "PKK",
    "text": LONG_STORY,
}


def build(app, make_user, make_cohort):
    from lms.coursepacks.models import Course

    sync_packs([TEST_PACKS / "toy-writing"])
    course = db.session.scalar(db.select(Course).where(Course.slug == "toy-writing"))
    home_a = accounts.find_or_create_library(
        "Perpustakaan Desa Macakka", village="Macakka", regency="Soppeng", province="Sulawesi Selatan", kind="village"
    )
    home_b = accounts.find_or_create_library(
        "Perpustakaan Desa Sukamaju", village="Sukamaju", regency="Bone", province="Sulawesi Selatan", kind="village"
    )
    people = {
        "trainee_a": make_user(name="Andi A", library=home_a),
        "trainee_b": make_user(name="Budi B", library=home_b),
        "trainer_a": make_user("trainer", name="Pelatih A"),
        "organizer": make_user("organizer", name="Panitia"),
        "admin": make_user("admin", name="Admin"),
    }
    cohort_a = make_cohort([course], trainees=[people["trainee_a"]], trainers=[people["trainer_a"]], name="Angkatan A")
    cohort_b = make_cohort([course], trainees=[people["trainee_b"]], name="Angkatan B")
    complete_course(people["trainee_a"], course, people["trainer_a"])
    certificate = certificates.issue(cohort_a, people["trainee_a"], people["organizer"])
    from lms.grading.models import Submission

    submission = db.session.scalar(db.select(Submission).where(Submission.user_id == people["trainee_a"].id))
    token, _raw = accounts.create_api_token(people["trainee_a"], "phone")
    db.session.commit()

    # Posts of trainee A's library: one published, one draft, through the page.
    client = app.test_client()
    login(client, people["trainee_a"])
    client.post("/libraries/posts/new", data={**POST_FORM, "draft_key": "a" * 32, "action": "publish"})
    client.post("/libraries/posts/new", data={**POST_FORM, "draft_key": "b" * 32, "action": "draft"})
    published = db.session.scalar(db.select(Post).where(Post.status == "published"))
    draft = db.session.scalar(db.select(Post).where(Post.status == "draft"))
    assert published is not None and draft is not None
    return {
        "people": people,
        "course": course,
        "cohort_a": cohort_a,
        "cohort_b": cohort_b,
        "submission": submission,
        "certificate": certificate,
        "token": token,
        "library_a": home_a,
        "published": published,
        "draft": draft,
        "when": datetime(2019, 10, 30, tzinfo=UTC),
    }
