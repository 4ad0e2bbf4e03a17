"""Managing a cohort (edit, archive, trainers by province or group), reminders,
and who may do what: trainees 403, trainers only their cohorts (404), CSRF."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from tests.conftest import login as first_login
from tests.english import make_user  # noqa: F401  (people who read English)
from tests.test_cohorts_certificates import complete_course


def login(client, user):
    client.post("/logout")
    return first_login(client, user)


@pytest.fixture
def world(app, toy_course, make_user, make_cohort):
    organizer, trainer, outsider = make_user("organizer"), make_user("trainer"), make_user("trainer")
    trainee = make_user(name="Siti Aminah")
    cohort = make_cohort([toy_course], trainees=[trainee], trainers=[trainer])
    other = make_cohort([toy_course], trainers=[outsider], name="Angkatan Lain")
    return {
        "organizer": organizer,
        "trainer": trainer,
        "outsider": outsider,
        "trainee": trainee,
        "cohort": cohort,
        "other": other,
        "course": toy_course,
    }


def test_edit_and_archive_a_cohort(client, world):
    from lms.cohorts.models import Cohort

    cohort = world["cohort"]
    login(client, world["organizer"])
    form = client.get(f"/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert "Peer Learning Meeting Nasional" in form
    response = client.post(
        f"/cohorts/{cohort.id}/edit",
        data={
            "name": "Angkatan Baru",
            "start_date": "2019-10-28",
            "end_date": "2019-10-31",
            "timezone": "Asia/Makassar",
            "milestone_title": "PLM Nasional",
            "milestone_date": "2019-12-03",
            "courses": [world["course"].id],
            "organisation": "Perpusnas",
            "signatories": "Dra. Ratna | Ketua Panitia\nHendra",
        },
    )
    assert response.status_code == 302
    saved = db.session.get(Cohort, cohort.id)
    assert (saved.name, saved.timezone, saved.organisation) == ("Angkatan Baru", "Asia/Makassar", "Perpusnas")
    assert saved.signatories == [{"name": "Dra. Ratna", "title": "Ketua Panitia"}, {"name": "Hendra", "title": ""}]
    bad = client.post(
        f"/cohorts/{cohort.id}/edit",
        data={
            "name": "Angkatan Lain",
            "start_date": "2019-10-28",
            "end_date": "2019-10-31",
            "timezone": "Asia/Jakarta",
        },
    )
    assert bad.status_code == 200 and db.session.get(Cohort, cohort.id).name == "Angkatan Baru"
    client.post(f"/cohorts/{cohort.id}/archive")
    assert db.session.get(Cohort, cohort.id).archived
    refused = client.post(f"/api/v1/cohorts/{cohort.id}/participants", data=b"name,email\nA,a@example.org\n")
    assert refused.status_code == 401  # no session cookie on the API
    page = client.post(f"/cohorts/{cohort.id}/enrol", data={"emails": "x@example.org", "role": "trainee"})
    assert page.status_code == 409
    client.post(f"/cohorts/{cohort.id}/archive", data={"restore": "1"})
    assert not db.session.get(Cohort, cohort.id).archived


def test_trainer_scopes_limit_the_grading_queue(client, world, make_user):
    from lms.accounts import services as accounts
    from lms.cohorts import services
    from lms.grading import policy

    cohort, trainer = world["cohort"], world["trainer"]
    lampung = accounts.find_or_create_library("Perpustakaan Desa Purworejo", province="Lampung")
    in_lampung = make_user(name="Di Lampung", library=lampung)
    in_group = make_user(name="Di Kelas B")
    services.enrol(cohort, [in_lampung, in_group])
    db.session.commit()

    from lms.cohorts import policy as cohorts_policy

    def seen(user):
        return set(db.session.scalars(cohorts_policy.trainer_trainee_ids(user)))

    everyone = {world["trainee"].id, in_lampung.id, in_group.id}
    assert seen(trainer) == everyone  # the whole cohort
    login(client, world["organizer"])
    client.post(f"/cohorts/{cohort.id}/trainers", data={"trainer": trainer.id, "kind": "province", "value": "Lampung"})
    assert seen(trainer) == {in_lampung.id}
    client.post(f"/cohorts/{cohort.id}/people/{in_group.id}/group", data={"group": "Kelas B"})
    client.post(f"/cohorts/{cohort.id}/trainers", data={"trainer": trainer.id, "kind": "group", "value": "Kelas B"})
    assert seen(trainer) == {in_lampung.id, in_group.id}
    assert seen(world["outsider"]) == set()
    query = policy.gradable_submissions(trainer).with_only_columns(sa.literal(1))
    assert db.session.execute(query).all() == []  # the policy uses the same scope (no submissions yet)
    client.post(f"/cohorts/{cohort.id}/trainers", data={"trainer": trainer.id, "kind": "cohort"})
    assert seen(trainer) == everyone
    # a new trainer assigned to a group only
    second = make_user("trainer")
    client.post(f"/cohorts/{cohort.id}/trainers", data={"trainer": second.id, "kind": "group", "value": "Kelas B"})
    assert seen(second) == {in_group.id}
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Kelas B" in page and "the whole cohort" in page


ORGANIZER_ONLY = [
    ("get", "/cohorts/{id}/import"),
    ("get", "/cohorts/{id}/edit"),
    ("post", "/cohorts/{id}/archive"),
    ("post", "/cohorts/{id}/reminders/compose"),
    ("get", "/cohorts/{id}/reminders"),
    ("get", "/certificates/cohort/{id}"),
    ("post", "/cohorts/{id}/trainers"),
    ("get", "/cohorts/import-template.csv"),
]
STAFF = [
    ("get", "/cohorts/{id}/dashboard"),
    ("get", "/cohorts/{id}/at-risk"),
    ("get", "/cohorts/{id}/export/completion.csv"),
    ("get", "/cohorts/{id}/export/gradebook.xlsx"),
]


def test_who_may_see_what(client, world, api_token):
    cohort, other = world["cohort"], world["other"]
    login(client, world["trainee"])
    for method, url in ORGANIZER_ONLY + STAFF:
        assert getattr(client, method)(url.format(id=cohort.id)).status_code == 403, url
    login(client, world["trainer"])
    for method, url in ORGANIZER_ONLY:
        assert getattr(client, method)(url.format(id=cohort.id)).status_code == 403, url
    for method, url in STAFF:
        assert getattr(client, method)(url.format(id=cohort.id)).status_code == 200, url
        assert getattr(client, method)(url.format(id=other.id)).status_code == 404, url
    assert client.get(f"/cohorts/{other.id}").status_code == 404
    # the API
    trainee_h, trainer_h = api_token(world["trainee"]), api_token(world["trainer"])
    assert client.get(f"/api/v1/cohorts/{cohort.id}/completion", headers=trainee_h).status_code == 403
    assert client.get(f"/api/v1/cohorts/{cohort.id}/completion", headers=trainer_h).status_code == 200
    missing = client.get(f"/api/v1/cohorts/{other.id}/completion", headers=trainer_h)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    for headers in (trainee_h, trainer_h):
        refused = client.post(
            f"/api/v1/cohorts/{cohort.id}/participants",
            data=b"name,email\nA,a@example.org\n",
            headers={**headers, "Content-Type": "text/csv"},
        )
        assert refused.status_code == 403
    assert client.get(f"/api/v1/cohorts/{cohort.id}/completion").status_code == 401


def test_forms_are_csrf_protected(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    cohort = world["cohort"]
    client.get("/login")
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": world["organizer"].email, "password": "correct-horse-1", "csrf_token": token})
    show = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert show.count('name="csrf_token"') >= 4
    for url in (
        f"/cohorts/{cohort.id}/archive",
        f"/cohorts/{cohort.id}/reminders/send",
        f"/cohorts/{cohort.id}/import/confirm",
        f"/cohorts/{cohort.id}/trainers",
        "/certificates/XXXX-XXXX-XXXX/revoke",
        f"/certificates/cohort/{cohort.id}/issue-all",
    ):
        assert client.post(url, data={}).status_code == 400, url
    token = show.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/cohorts/{cohort.id}/archive", data={"csrf_token": token}).status_code == 302


def test_reminders_name_what_is_missing_and_are_recorded(app, client, world, make_user, monkeypatch):
    from urllib.parse import unquote

    from lms.reports.models import Reminder

    cohort, trainee = world["cohort"], world["trainee"]
    done = make_user(name="Sudah Tuntas")
    from lms.cohorts import services

    services.enrol(cohort, [done])
    db.session.commit()
    complete_course(done, world["course"], world["trainer"])
    login(client, world["organizer"])
    at_risk = client.get(f"/cohorts/{cohort.id}/at-risk").get_data(as_text=True)
    assert "Siti Aminah" in at_risk and "Sudah Tuntas" not in at_risk
    compose = client.post(f"/cohorts/{cohort.id}/reminders/compose", data={"user_id": [trainee.id, done.id]})
    html = compose.get_data(as_text=True)
    assert "Halo Siti Aminah" in html and "Sudah Tuntas" not in html  # nothing is missing for them
    assert "Peer Learning Meeting Nasional pada 3 Desember 2019" in html and "Batas waktu: 2 Desember 2019" in html
    assert "Write a story" in html and "belum dikirim" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 0
    sent = client.post(f"/cohorts/{cohort.id}/reminders/send", data={"user_id": [trainee.id], "channel": "whatsapp"})
    html = sent.get_data(as_text=True)
    link = html.split('href="https://wa.me/?text=')[1].split('"')[0]
    assert "Halo Siti Aminah" in unquote(link.replace("&amp;", "&"))
    rows = list(db.session.scalars(sa.select(Reminder)))
    assert [(r.user_id, r.channel) for r in rows] == [(trainee.id, "whatsapp")] and "Halo" in rows[0].message
    # email needs SMTP: refused without it
    refused = client.post(f"/cohorts/{cohort.id}/reminders/send", data={"user_id": [trainee.id], "channel": "email"})
    assert refused.status_code == 302 and db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 1
    # with SMTP configured the message goes out by email (the SMTP server is faked)
    outbox = []

    class FakeSMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            outbox.append(message)

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config["LMS_SMTP_HOST"] = "smtp.example.org"
    client.post(f"/cohorts/{cohort.id}/reminders/send", data={"user_id": [trainee.id], "channel": "email"})
    assert len(outbox) == 1 and outbox[0]["To"] == trainee.email and "Write a story" in outbox[0].get_content()
    history = client.get(f"/cohorts/{cohort.id}/reminders").get_data(as_text=True)
    assert history.count("Siti Aminah") >= 2
    assert "Last reminder" in client.get(f"/cohorts/{cohort.id}/at-risk").get_data(as_text=True)
