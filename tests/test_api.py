"""API v1: authentication, errors, the OpenAPI document, catalogue and progress."""

from __future__ import annotations

import re

from lms.accounts import services
from lms.extensions import db


def test_missing_token_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_unknown_token_is_401_json(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer lnt_nope"})
    assert response.status_code == 401 and response.is_json


def test_revoked_token_is_401_json(client, make_user, api_token):
    user = make_user()
    headers = api_token(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = services.user_tokens(user)[0]
    services.revoke_api_token(user, token.id)
    db.session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["message"]


def test_session_cookie_is_not_accepted(client, make_user):
    from tests.conftest import login

    login(client, make_user())
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_json_404(client, make_user, api_token):
    response = client.get("/api/v1/nothing-here", headers=api_token(make_user()))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_me(client, make_user, api_token, toy_course, make_cohort):
    user = make_user(name="Andi")
    cohort = make_cohort([toy_course], [user])
    body = client.get("/api/v1/me", headers=api_token(user)).get_json()
    assert body["name"] == "Andi" and body["role"] == "trainee"
    assert body["cohorts"] == [{"id": cohort.id, "name": cohort.name}]


def test_catalogue_shows_only_my_cohorts_courses(client, make_user, api_token, toy_course, make_cohort):
    enrolled, outsider = make_user(), make_user()
    make_cohort([toy_course], [enrolled])
    courses = client.get("/api/v1/courses", headers=api_token(enrolled)).get_json()
    assert [c["slug"] for c in courses] == ["toy-writing"]
    story = next(a for a in courses[0]["activities"] if a["slug"] == "story")
    assert story == {"slug": "story", "type": "assignment", "title": "Write a story", "max_score": 10}
    assert client.get("/api/v1/courses", headers=api_token(outsider)).get_json() == []


def test_progress_moves_when_a_lesson_is_completed(client, make_user, api_token, toy_course, make_cohort):
    user = make_user()
    make_cohort([toy_course], [user])
    headers = api_token(user)
    before = client.get("/api/v1/me/progress", headers=headers).get_json()
    intro = next(a for a in before["courses"][0]["activities"] if a["slug"] == "intro")
    assert intro["completed"] is False and before["total_courses"] == 1
    response = client.post("/api/v1/courses/toy-writing/activities/intro/complete", headers=headers)
    assert response.status_code == 200 and response.get_json() == {"completed": True}
    after = client.get("/api/v1/me/progress", headers=headers).get_json()
    intro = next(a for a in after["courses"][0]["activities"] if a["slug"] == "intro")
    assert intro["completed"] is True and after["courses"][0]["percent"] == 25


def test_complete_refuses_non_lessons_and_unknown(client, make_user, api_token, toy_course, make_cohort):
    user = make_user()
    make_cohort([toy_course], [user])
    headers = api_token(user)
    assert client.post("/api/v1/courses/toy-writing/activities/story/complete", headers=headers).status_code == 422
    assert client.post("/api/v1/courses/toy-writing/activities/nope/complete", headers=headers).status_code == 404
    assert client.post("/api/v1/courses/other/activities/intro/complete", headers=headers).status_code == 404


def test_course_outside_my_cohorts_is_404(client, make_user, api_token, toy_course):
    headers = api_token(make_user())
    assert client.post("/api/v1/courses/toy-writing/activities/intro/complete", headers=headers).status_code == 404


def test_progress_is_for_trainees(client, make_user, api_token):
    response = client.get("/api/v1/me/progress", headers=api_token(make_user("trainer")))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_quiz_attempt_through_api(client, make_user, api_token, toy_course, make_cohort):
    user = make_user()
    make_cohort([toy_course], [user])
    headers = api_token(user)
    url = "/api/v1/courses/toy-writing/activities/post-test/attempts"
    wrong = client.post(url, json={"answers": {"when": [0], "many": [0]}}, headers=headers)
    assert wrong.status_code == 201 and wrong.get_json()["percent"] == 0 and not wrong.get_json()["passed"]
    right = client.post(url, json={"answers": {"when": [2], "many": [2, 0]}}, headers=headers)
    assert right.get_json() == {"percent": 100.0, "passed": True, "correct": 2, "total": 2}
    assert client.post(url, json={"answers": {"nope": [1]}}, headers=headers).status_code == 422
    assert client.post(url, data="not json", headers={**headers, "Content-Type": "application/json"}).status_code == 400
    client.post(url, json={"answers": {}}, headers=headers)
    assert client.post(url, json={"answers": {}}, headers=headers).status_code == 409  # max_attempts = 3


def _flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def test_openapi_document_and_routes_agree(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert documented == _flask_routes(app)


def test_errors_have_the_documented_shape(client, make_user, api_token):
    body = client.get("/api/v1/submissions/999999", headers=api_token(make_user())).get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])


def test_token_use_is_recorded_without_a_write_per_request(client, make_user, api_token):
    import sqlalchemy as sa

    from lms.accounts.models import ApiToken

    headers = api_token(make_user())
    client.get("/api/v1/me", headers=headers)
    first = db.session.scalar(sa.select(ApiToken)).last_used_at
    assert first is not None
    client.get("/api/v1/me", headers=headers)
    assert db.session.scalar(sa.select(ApiToken)).last_used_at == first
