"""Sign-in, sign-out, rate limiting, invitations, CSRF, profile and tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import ApiToken, Invitation
from lms.extensions import db, utcnow
from tests.conftest import PASSWORD, login


def test_sign_in_and_out(client, make_user):
    user = make_user(email="Andi@Example.org")
    response = login(client, "andi@EXAMPLE.org")  # emails are case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page
    assert user.email == "andi@example.org"


def test_wrong_password_is_refused(client, make_user):
    user = make_user()
    response = login(client, user, "wrong-password")
    assert response.status_code == 401
    assert client.get("/").headers["Location"].startswith("/login")


def test_unknown_email_gives_same_answer(client):
    response = login(client, "nobody@example.org", "whatever1")
    assert response.status_code == 401


def test_duplicate_email_is_refused(app, make_user):
    make_user(email="a@example.org")
    from lms.errors import Invalid

    with pytest.raises(Invalid) as caught:
        services.create_user(name="Again", email="A@EXAMPLE.ORG")
    assert caught.value.details == {"field": "email"} and "a@example.org" in caught.value.message


def test_session_changes_at_sign_in(client, make_user):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("sid")
        first_sid = session["sid"]
    client.post("/logout")
    login(client, user)
    with client.session_transaction() as session:
        assert session["sid"] != first_sid


def test_rate_limit_after_ten_failures_even_with_right_password(client, make_user):
    user = make_user()
    for _ in range(10):
        assert login(client, user, "wrong-password").status_code == 401
    blocked = login(client, user)  # the right password
    assert blocked.status_code == 429


def test_rate_limit_per_address_across_accounts(client, make_user):
    users = [make_user() for _ in range(3)]
    for index in range(10):
        login(client, users[index % 3], "wrong-password")
    assert login(client, users[0]).status_code == 429


def test_successful_sign_ins_are_not_counted(client, make_user):
    user = make_user()
    for _ in range(12):
        assert login(client, user).status_code == 302
        client.post("/logout")


def test_invitation_sets_password_once(client, make_user, app):
    organizer = make_user("organizer")
    person = services.create_user(name="Siti Rahayu", email="siti@example.org")
    raw = services.create_invitation(person, created_by=organizer)
    db.session.commit()
    url = services.invitation_url(raw)
    path = url.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a-new-password", "confirm": "a-new-password"})
    assert response.status_code == 302
    client.post("/logout")
    assert login(client, "siti@example.org", "a-new-password").status_code == 302
    client.post("/logout")
    # single use
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": "another-one", "confirm": "another-one"}).status_code == 404


def test_expired_invitation_is_refused(client, app):
    person = services.create_user(name="Budi", email="budi@example.org")
    raw = services.create_invitation(person)
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invite/{raw}").status_code == 404


def test_new_invitation_replaces_older_one(client, app):
    person = services.create_user(name="Budi", email="budi@example.org")
    first = services.create_invitation(person)
    second = services.create_invitation(person, purpose="reset")
    db.session.commit()
    assert client.get(f"/invite/{first}").status_code == 404
    assert client.get(f"/invite/{second}").status_code == 200


def test_organizer_makes_invitation_link(client, make_user):
    organizer = make_user("organizer")
    login(client, organizer)
    page = client.post(
        "/cohorts/people/new",
        data={
            "name": "Nur Hasanah",
            "email": "nur@example.org",
            "role": "trainee",
            "participant_type": "village_library_manager",
            "library": "Perpustakaan Desa Sukamaju",
            "village": "Sukamaju",
            "regency": "Bone",
            "province": "Sulawesi Selatan",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "/invite/" in text
    from lms.accounts.auth import user_by_email

    person = user_by_email("nur@example.org")
    assert person.library.regency == "Bone" and person.password_hash is None


def test_trainee_cannot_create_people(client, make_user):
    login(client, make_user())
    assert client.post("/cohorts/people/new", data={"name": "X", "email": "x@example.org"}).status_code == 403


def test_password_change_signs_out_other_sessions(app, make_user):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    response = laptop.post(
        "/profile/password",
        data={"pw-current_password": PASSWORD, "pw-password": "brand-new-pass", "pw-confirm": "brand-new-pass"},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_api_token_shown_once_and_stored_hashed(client, make_user):
    user = make_user()
    login(client, user)
    client.post("/profile/tokens", data={"tk-name": "laptop"})
    page = client.get("/profile").get_data(as_text=True)
    token = db.session.scalar(sa.select(ApiToken))
    raw = page.split('<code class="copyable">', 1)[1].split("<", 1)[0]
    assert raw.startswith("lnt_") and token.token_hash == services.hash_token(raw)
    assert raw not in client.get("/profile").get_data(as_text=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    client.post(f"/profile/tokens/{token.id}/revoke")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client, make_user):
    owner, other = make_user(), make_user()
    token, raw = services.create_api_token(owner, "mine")
    db.session.commit()
    login(client, other)
    client.post(f"/profile/tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is None


def test_cli_creates_user_and_token(runner, app):
    result = runner.invoke(args=["users", "create", "--name", "Ayu", "--email", "ayu@example.org", "--role", "trainer"])
    assert result.exit_code == 0 and "/invite/" in result.output
    result = runner.invoke(args=["tokens", "create", "ayu@example.org"])
    assert result.exit_code == 0 and result.output.strip().startswith("lnt_")
    assert runner.invoke(args=["tokens", "create", "nobody@example.org"]).exit_code == 1


@pytest.fixture
def csrf_app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_forms_without_csrf_token_are_refused(app_config, monkeypatch, tmp_path, make_user):
    from lms import create_app

    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance2"))
    strict = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    with strict.app_context():
        response = client.post("/login", data={"email": "x@example.org", "password": "whatever1"})
        assert response.status_code == 400
        assert "form" in response.get_data(as_text=True).lower()
        page = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in page
