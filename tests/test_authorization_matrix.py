"""Every route × every role, with other people's objects (docs/architecture.md,
Policies). The table below lists the status each role must get on each route;
a route of `app.url_map` without a row fails the test, so a new route cannot
ship without deciding who may use it.

Requests run in the table's order, reads first, then writes; the world is built
once per test, so a write that succeeds (an organizer archiving cohort A) is
seen by the rows after it, always in the same way.
"""

from __future__ import annotations

import pytest

from lms.extensions import db, limiter
from tests.authz_world import ROLES, build
from tests.conftest import login

A, TA, TB, TR, OR, AD = ROLES  # anonymous, trainee A, trainee B, trainer of A, organizer, admin


def _urls(w) -> dict[tuple[str, str], str]:
    """(endpoint, method) → the URL to request, with objects owned by trainee A
    or by cohort A wherever the route takes one."""
    ca, cb = w["cohort_a"].id, w["cohort_b"].id
    sub, ta = w["submission"].id, w["people"]["trainee_a"].id
    code, post, draft, lib = w["certificate"].code, w["published"].id, w["draft"].id, w["library_a"].id
    act = "/courses/toy-writing/story"
    return {
        ("accounts.login", "GET"): "/login",
        ("accounts.login", "POST"): "/login",
        ("accounts.logout", "POST"): "/logout",
        ("accounts.set_language", "POST"): "/language/en",
        ("accounts.accept_invitation", "GET"): "/invite/not-a-token",
        ("accounts.accept_invitation", "POST"): "/invite/not-a-token",
        ("accounts.forgot_password", "GET"): "/password/forgot",
        ("accounts.forgot_password", "POST"): "/password/forgot",
        ("accounts.profile", "GET"): "/profile",
        ("accounts.profile", "POST"): "/profile",
        ("accounts.change_password", "POST"): "/profile/password",
        ("accounts.create_token", "POST"): "/profile/tokens",
        ("accounts.revoke_token", "POST"): f"/profile/tokens/{w['token'].id}/revoke",
        ("learning.dashboard", "GET"): "/",
        ("learning.catalogue", "GET"): "/courses",
        ("learning.course", "GET"): "/courses/toy-writing",
        ("learning.activity", "GET"): act,
        ("learning.activity", "POST"): "/courses/toy-writing/intro",
        ("learning.course_file", "GET"): "/courses/toy-writing/files/none.png",
        ("learning.resume", "GET"): "/courses/toy-writing/next",
        ("grading.autosave", "POST"): f"{act}/draft",
        ("grading.compare", "GET"): f"{act}/compare?a=1&b=1",
        ("grading.download", "GET"): f"/submissions/{sub}/files/1",
        ("grading.queue", "GET"): "/grading",
        ("grading.grade", "GET"): f"/grading/submissions/{sub}",
        ("grading.grade", "POST"): f"/grading/submissions/{sub}",
        ("grading.bulk_release", "POST"): "/grading/release",
        ("grading.read_notifications", "POST"): "/notifications/read",
        ("cohorts.index", "GET"): "/cohorts/",
        ("cohorts.show", "GET"): f"/cohorts/{ca}",
        ("cohorts.create", "GET"): "/cohorts/new",
        ("cohorts.create", "POST"): "/cohorts/new",
        ("cohorts.edit", "GET"): f"/cohorts/{ca}/edit",
        ("cohorts.edit", "POST"): f"/cohorts/{ca}/edit",
        ("cohorts.dashboard", "GET"): f"/cohorts/{ca}/dashboard",
        ("cohorts.at_risk", "GET"): f"/cohorts/{ca}/at-risk",
        ("cohorts.export", "GET"): f"/cohorts/{ca}/export/completion.csv",
        ("cohorts.import_participants", "GET"): f"/cohorts/{ca}/import",
        ("cohorts.import_participants", "POST"): f"/cohorts/{ca}/import",
        ("cohorts.confirm_import", "POST"): f"/cohorts/{ca}/import/confirm",
        ("cohorts.import_template", "GET"): "/cohorts/import-template.csv",
        ("cohorts.reminder_history", "GET"): f"/cohorts/{ca}/reminders",
        ("cohorts.compose_reminders", "POST"): f"/cohorts/{ca}/reminders/compose",
        ("cohorts.send_reminders", "POST"): f"/cohorts/{ca}/reminders/send",
        ("cohorts.enrol", "POST"): f"/cohorts/{cb}/enrol",
        ("cohorts.assign_trainer", "POST"): f"/cohorts/{cb}/trainers",
        ("cohorts.remove_scope", "POST"): f"/cohorts/{ca}/trainers/scopes/999/remove",
        ("cohorts.set_group", "POST"): f"/cohorts/{ca}/people/{ta}/group",
        ("cohorts.unenrol", "POST"): f"/cohorts/{cb}/unenrol/{w['people']['trainee_b'].id}",
        ("cohorts.archive", "POST"): f"/cohorts/{cb}/archive",
        ("cohorts.create_person", "GET"): "/cohorts/people/new",
        ("cohorts.create_person", "POST"): "/cohorts/people/new",
        ("cohorts.reset_link", "POST"): f"/cohorts/people/{ta}/reset-link",
        ("certificates.verify", "GET"): f"/verify/{code}",
        ("certificates.download", "GET"): f"/certificates/{code}.pdf",
        ("certificates.issue", "POST"): f"/certificates/cohort/{ca}/issue",
        ("certificates.manage", "GET"): f"/certificates/cohort/{ca}",
        ("certificates.issue_all", "POST"): f"/certificates/cohort/{ca}/issue-all",
        ("certificates.revoke", "POST"): f"/certificates/{code}/revoke",
        ("libraries.feed", "GET"): "/libraries/",
        ("libraries.leaderboard", "GET"): "/libraries/leaderboard",
        ("libraries.library", "GET"): f"/libraries/{lib}",
        ("libraries.report", "GET"): f"/libraries/{lib}/report.csv",
        ("libraries.mine", "GET"): "/libraries/mine",
        ("libraries.post", "GET"): f"/libraries/posts/{draft}",
        ("libraries.new_post", "GET"): "/libraries/posts/new",
        ("libraries.new_post", "POST"): "/libraries/posts/new",
        ("libraries.edit_post", "GET"): f"/libraries/posts/{post}/edit",
        ("libraries.edit_post", "POST"): f"/libraries/posts/{post}/edit",
        ("libraries.delete_post", "POST"): f"/libraries/posts/{post}/delete",
        ("libraries.autosave", "POST"): "/libraries/posts/autosave/" + "c" * 32,
        ("libraries.photo", "GET"): "/libraries/photos/999",
        ("libraries.mentoring_list", "GET"): "/libraries/mentoring",
        ("libraries.library_mentoring", "GET"): f"/libraries/{lib}/mentoring",
        ("libraries.library_mentoring", "POST"): f"/libraries/{lib}/mentoring",
        ("libraries.mentors", "GET"): "/libraries/mentors",
        ("libraries.mentor", "GET"): f"/libraries/mentors/{ta}",
        ("libraries.mentor", "POST"): f"/libraries/mentors/{ta}",
        ("libraries.settings", "GET"): "/libraries/settings",
        ("libraries.settings", "POST"): "/libraries/settings",
        ("api.openapi", "GET"): "/api/v1/openapi.json",
        ("api.me", "GET"): "/api/v1/me",
        ("api.courses", "GET"): "/api/v1/courses",
        ("api.my_progress", "GET"): "/api/v1/me/progress",
        ("api.list_submissions", "GET"): "/api/v1/submissions",
        ("api.get_submission", "GET"): f"/api/v1/submissions/{sub}",
        ("api.put_grade", "PUT"): f"/api/v1/submissions/{sub}/grade",
        ("api.list_cohorts", "GET"): "/api/v1/cohorts",
        ("api.cohort_completion", "GET"): f"/api/v1/cohorts/{ca}/completion",
        ("api.import_participants", "POST"): f"/api/v1/cohorts/{ca}/participants",
        ("api.library_leaderboard", "GET"): "/api/v1/libraries/leaderboard",
        ("api.activity_complete", "POST"): "/api/v1/courses/toy-writing/activities/intro/complete",
        ("api.activity_attempts", "POST"): "/api/v1/courses/toy-writing/activities/post-test/attempts",
        ("api.activity_submissions", "POST"): "/api/v1/courses/toy-writing/activities/story/submissions",
    }


def _route_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((rule.endpoint, method))
    return keys


def _clients(app, w):
    from lms.accounts.services import create_api_token

    clients, tokens = {}, {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != A:
            person = w["people"][role]
            login(clients[role], person)
            _token, raw = create_api_token(person, "matrix")
            tokens[role] = {"Authorization": f"Bearer {raw}"}
    db.session.commit()
    return clients, tokens


def _ask(clients, tokens, role, method, url):
    headers = tokens.get(role, {}) if url.startswith("/api/") else {}
    response = clients[role].open(url, method=method, headers=headers, data={} if method != "GET" else None)
    status = response.status_code
    if status == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    return status


# Writes that take something away from the rows after them: deleting the post,
# archiving cohort B, revoking the certificate, signing out, changing passwords.
LAST = (
    ("libraries.delete_post", "POST"),
    ("certificates.revoke", "POST"),
    ("cohorts.unenrol", "POST"),
    ("cohorts.archive", "POST"),
    ("accounts.change_password", "POST"),
    ("accounts.logout", "POST"),
)


def _order(keys):
    """Reads first, then writes, then the writes of LAST in that order."""
    return sorted(keys, key=lambda k: (LAST.index(k) if k in LAST else -1, k[1] != "GET", k))


@pytest.fixture
def world(app, make_user, make_cohort):
    return build(app, make_user, make_cohort)


def test_every_route_has_a_row(app, world):
    from tests.authz_table import EXPECTED

    assert set(_urls(world)) == _route_keys(app), "add the new route to _urls and to EXPECTED"
    assert set(EXPECTED) == _route_keys(app)


def test_every_route_and_role(app, world):
    from tests.authz_table import EXPECTED

    clients, tokens = _clients(app, world)
    urls = _urls(world)
    wrong = []
    for key in _order(urls):
        limiter.reset()  # each row starts with fresh rate limits (sign-in, password reset)
        for role, expected in zip(ROLES, EXPECTED[key], strict=True):
            got = _ask(clients, tokens, role, key[1], urls[key])
            if got != expected:
                wrong.append(f"{key[1]} {urls[key]} as {role}: expected {expected}, got {got}")
    assert wrong == [], "\n".join(wrong)


COHORT_B_PAGES = ("", "/dashboard", "/at-risk", "/export/completion.csv", "/edit", "/reminders")


def test_a_trainer_sees_nothing_of_another_cohort(app, world):
    """The matrix asks about cohort A; trainer A on cohort B's pages and API is a 404."""
    clients, tokens = _clients(app, world)
    cb = world["cohort_b"].id
    got = {suffix: _ask(clients, tokens, TR, "GET", f"/cohorts/{cb}{suffix}") for suffix in COHORT_B_PAGES}
    assert got == {
        "": 404,
        "/dashboard": 404,
        "/at-risk": 404,
        "/export/completion.csv": 404,
        "/edit": 403,
        "/reminders": 403,
    }
    assert _ask(clients, tokens, TR, "GET", f"/api/v1/cohorts/{cb}/completion") == 404
