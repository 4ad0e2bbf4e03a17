"""The generated OpenAPI document: it is valid OpenAPI 3.1, it and app.url_map
describe the same routes, and every operation, called with real data, answers
with a status and a body that the document describes (on SQLite, and on
PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from lms.api import schemas
from tests.test_grading_flow import jpeg_bytes
from tests.test_libraries_helpers import add_post

PREFIX = "/api/v1"
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
FULL = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 2, "foto": 1}
CSV_HEADER = "name,email,role,participant_type,province,regency,library"


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    # The schema's "#/components/..." references resolve against the document's components.
    root = {**schema, "components": document["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


class CheckedApi:
    """Calls the API and checks each answer against the document: the status is
    one the operation lists, the body is JSON and valid against its schema. A JSON
    body the API accepted must be valid against the operation's request schema."""

    def __init__(self, client, document: dict[str, Any]):
        self.client, self.document = client, document
        self.seen: set[tuple[str, str, int]] = set()
        self.templates = [
            (re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$"), path) for path in document["paths"]
        ]

    def operation(self, method: str, url: str) -> tuple[str, dict[str, Any]]:
        path = url.split("?", 1)[0].removeprefix(PREFIX)
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        assert matches, f"{method} {url}: no path of the document matches"
        template = min(matches, key=lambda t: t.count("{"))  # a literal segment wins over a parameter
        operations = self.document["paths"][template]
        assert method in operations, f"{method} {template} is not in the document"
        return template, operations[method]

    def __call__(self, method: str, url: str, headers: dict[str, str] | None = None, **kwargs):
        response = self.client.open(url, method=method.upper(), headers=headers or {}, **kwargs)
        template, operation = self.operation(method, url)
        status = response.status_code
        where = f"{method.upper()} {url} answered {status}"
        assert str(status) in operation["responses"], f"{where}, which the document does not list"
        assert response.mimetype == "application/json", f"{where} as {response.mimetype}"
        schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        errors = sorted(_validator(self.document, schema).iter_errors(response.get_json()), key=str)
        assert not errors, f"{where}; the body does not fit the document: {[e.message for e in errors[:3]]}"
        if "json" in kwargs and status < 300:
            request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
            problems = list(_validator(self.document, request_schema).iter_errors(kwargs["json"]))
            assert not problems, f"{where}; the document refuses the body it accepted: {problems[0].message}"
        self.seen.add((template, method, status))
        return response


@pytest.fixture
def api(client, document) -> CheckedApi:
    return CheckedApi(client, document)


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)


def _url_map_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_in_the_document_and_every_operation_is_a_route(app, document):
    documented = {(path, method) for path, item in document["paths"].items() for method in item if method in METHODS}
    routes = _url_map_routes(app)
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "operations of the document that are no route"
    for path, item in document["paths"].items():
        assert set(item) <= METHODS, f"{path}: a path item holds only operations"
        for method, operation in item.items():
            in_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert in_path == set(re.findall(r"{(\w+)}", path)), f"{method} {path}: path parameters"


def test_bodies_are_described_not_just_objects(document):
    """Every success body is a named model: an array with its items, or an object
    with its properties (not a bare {"type": "object"})."""
    arrays = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                schema = response["content"]["application/json"]["schema"]
                assert "$ref" in schema or "anyOf" in schema, f"{method} {path} {status}: {schema}"
                for branch in schema.get("anyOf", [schema]):
                    resolved = _resolve(document, branch)
                    if resolved.get("type") == "array":
                        arrays.add(path)
                        assert "$ref" in resolved["items"], f"{method} {path}: the items of an array"
                    elif "anyOf" not in resolved:
                        assert resolved["type"] == "object" and resolved["properties"], f"{method} {path} {status}"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                assert _resolve(document, body["schema"])["properties"], f"{method} {path}: request body"
    assert arrays == {"/courses", "/submissions", "/cohorts", "/libraries/leaderboard"}


def test_the_models_name_the_values_the_services_use():
    from lms.accounts.models import Role
    from lms.activities.quiz import KINDS
    from lms.grading.grades import OUTCOMES
    from lms.grading.models import SUBMISSION_STATUSES
    from lms.learning.progress import STATUSES
    from lms.reports.completion import MODULE_STATUSES

    assert get_args(schemas.SubmissionStatus) == SUBMISSION_STATUSES
    assert get_args(schemas.ProgressStatus) == STATUSES
    assert get_args(schemas.Outcome) == OUTCOMES
    assert set(get_args(schemas.Role)) == {r.value for r in Role}
    assert set(get_args(schemas.ModuleStatus)) == set(MODULE_STATUSES)
    assert get_args(schemas.QuizKind) == KINDS


# -- every operation, with real data --------------------------------------------------


@pytest.fixture
def world(app, make_user, toy_course, make_cohort, api_token):
    trainee, other = make_user(name="Trainee One"), make_user(name="Trainee Two")
    trainer, organizer = make_user("trainer"), make_user("organizer")
    cohort = make_cohort([toy_course], [trainee, other], [trainer], start=date.today())
    add_post(trainee, "Kelas membaca", date.today() - timedelta(days=1))
    return {
        "cohort": cohort,
        "trainee": api_token(trainee),
        "other": api_token(other),
        "trainer": api_token(trainer),
        "organizer": api_token(organizer),
    }


def test_every_operation_answers_as_the_document_says(app, api, world, document):
    trainee, other, trainer, organizer = (world[k] for k in ("trainee", "other", "trainer", "organizer"))
    cohort_id = world["cohort"].id
    activity = f"{PREFIX}/courses/toy-writing/activities"

    assert api("get", f"{PREFIX}/openapi.json").status_code == 200
    assert api("get", f"{PREFIX}/me").status_code == 401
    assert api("get", f"{PREFIX}/me", headers={"Authorization": "Bearer lnt_nope"}).status_code == 401
    assert api("get", f"{PREFIX}/me", trainee).get_json()["cohorts"][0]["id"] == cohort_id
    assert api("get", f"{PREFIX}/me", organizer).status_code == 200

    catalogue = api("get", f"{PREFIX}/courses", trainee).get_json()
    assert {a["type"] for a in catalogue[0]["activities"]} == {"quiz", "lesson", "assignment"}
    assert api("get", f"{PREFIX}/me/progress", trainer).status_code == 403

    # Activities: a lesson read, quizzes answered, assignments handed in.
    assert api("post", f"{activity}/intro/complete", trainee).status_code == 200
    assert api("post", f"{activity}/story/complete", trainee).status_code == 422
    assert api("post", f"{activity}/nope/complete", trainee).status_code == 404
    assert api("post", f"{activity}/pre-test/attempts", trainee, json={"answers": {"where": [0]}}).status_code == 201
    post_test = f"{activity}/post-test/attempts"
    assert api("post", post_test, trainee, json={"answers": {"when": [2], "many": [2, 0]}}).status_code == 201
    assert api("post", post_test, trainee, json={"answers": {"nope": [1]}}).status_code == 422
    assert api("post", post_test, trainee, data="not json", content_type="application/json").status_code == 400
    assert api("post", post_test, trainer, json={"answers": {}}).status_code == 403
    for _ in range(2):
        assert api("post", post_test, trainee, json={"answers": {}}).status_code == 201
    assert api("post", post_test, trainee, json={"answers": {}}).status_code == 409  # max_attempts = 3

    story = f"{activity}/story/submissions"
    created = api("post", story, trainee, json={"text": "Berita desa.", "submit_key": "k1"})
    assert created.status_code == 201
    submission_id = created.get_json()["id"]
    assert api("post", story, trainee, json={"text": "Lagi."}).status_code == 409  # waiting for a grade
    upload = {"text": "Dengan foto.", "files": (io.BytesIO(jpeg_bytes()), "foto.jpg")}
    assert api("post", story, other, data=upload, content_type="multipart/form-data").status_code == 201
    assert api("post", f"{activity}/intro/submissions", trainee, json={"text": "x"}).status_code == 404

    progress = api("get", f"{PREFIX}/me/progress", trainee).get_json()
    assert progress["total_courses"] == 1

    # Submissions and grading.
    listed = api("get", f"{PREFIX}/submissions", trainer).get_json()
    assert {s["id"] for s in listed} >= {submission_id}
    query = f"status=submitted&course=toy-writing&cohort={cohort_id}"
    assert len(api("get", f"{PREFIX}/submissions?{query}", organizer).get_json()) == 2
    assert api("get", f"{PREFIX}/submissions?cohort=abc", trainer).status_code == 400
    assert api("get", f"{PREFIX}/submissions", trainee).status_code == 403
    one = f"{PREFIX}/submissions/{submission_id}"
    version = api("get", one, trainer).get_json()["version"]
    assert api("get", one, other).status_code == 404
    assert api("get", f"{PREFIX}/submissions/999999", trainer).status_code == 404

    grade = f"{one}/grade"
    body = {
        "version": version,
        "criteria": FULL,
        "comments": {"ejaan": "Bagus."},
        "feedback": "Rapi.",
        "outcome": "save",
    }
    assert api("put", grade, trainee, json=body).status_code == 403
    saved = api("put", grade, trainer, json=body)
    assert saved.status_code == 200 and saved.get_json()["status"] == "graded"
    assert api("put", grade, trainer, json=body).status_code == 409  # the version read is stale now
    not_a_level = {**body, "version": version + 1, "criteria": {**FULL, "judul": 5}}
    assert api("put", grade, trainer, json=not_a_level).status_code == 422
    assert api("put", grade, trainer, data="criteria=1", content_type="text/plain").status_code == 400
    assert api("put", f"{PREFIX}/submissions/999999/grade", trainer, json=body).status_code == 404
    assert api("get", one, trainee).get_json()["grade"] is None  # not released yet
    released = api("put", grade, trainer, json={**body, "version": version + 1, "outcome": "release"})
    assert released.get_json()["status"] == "released"
    assert api("get", one, trainee).get_json()["grade"]["score"] == 10.0
    app.config["MAX_CONTENT_LENGTH"] = 100
    assert api("put", grade, trainer, json={**body, "feedback": "x" * 200}).status_code == 413
    app.config["MAX_CONTENT_LENGTH"] = None

    # Cohorts: the list, completion, the import of participants.
    assert api("get", f"{PREFIX}/cohorts", trainer).get_json()[0]["id"] == cohort_id
    assert api("get", f"{PREFIX}/cohorts", trainee).status_code == 403
    completion = api("get", f"{PREFIX}/cohorts/{cohort_id}/completion", organizer).get_json()
    assert completion["participants"] == 2 and completion["at_risk"]
    assert api("get", f"{PREFIX}/cohorts/{cohort_id}/completion", trainer).status_code == 200
    assert api("get", f"{PREFIX}/cohorts/{cohort_id}/completion", trainee).status_code == 403
    assert api("get", f"{PREFIX}/cohorts/999999/completion", organizer).status_code == 404

    participants = f"{PREFIX}/cohorts/{cohort_id}/participants"
    csv = f"{CSV_HEADER}\nRina R.,rina@example.org,,village_library_manager,Lampung,Lampung Tengah,Perpustakaan Desa\n"
    csv_type = {"content_type": "text/csv"}
    preview = api("post", f"{participants}?dry_run=1", organizer, data=csv, **csv_type).get_json()
    assert preview["dry_run"] is True and preview["created"] == 1
    done = api("post", participants, organizer, data=csv, **csv_type).get_json()
    assert done["dry_run"] is False and done["invitations"][0]["email"] == "rina@example.org"
    rejected = api("post", participants, organizer, data=f"{CSV_HEADER}\n,not-an-email,,,,,\n", **csv_type)
    assert rejected.status_code == 422 and rejected.get_json()["errors"][0]["line"] == 2
    assert api("post", participants, organizer, json={"name": "x"}).status_code == 400
    assert api("post", participants, trainer, data=csv, **csv_type).status_code == 403
    assert api("post", f"{PREFIX}/cohorts/999999/participants", organizer, data=csv, **csv_type).status_code == 404

    # Libraries.
    board = f"{PREFIX}/libraries/leaderboard"
    since, until = (date.today() - timedelta(days=7)).isoformat(), date.today().isoformat()
    ranks = api("get", f"{board}?since={since}&until={until}", trainee).get_json()
    assert ranks[0]["rank"] == 1 and ranks[0]["posts"] == 1
    assert api("get", f"{board}?since=&until=&province=", trainee).status_code == 200
    assert api("get", f"{board}?since=kemarin", trainee).status_code == 400
    assert api("get", f"{board}?since={until}&until={since}", trainee).status_code == 422

    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    answered = {(path, method) for path, method, status in api.seen if status < 300}
    assert operations - answered == set(), "operations never called with success"
    documented_ok = {
        (path, method, int(status))
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for status in operation["responses"]
        if int(status) < 300
    }
    assert documented_ok - api.seen == set(), "documented success answers never seen"


# -- a body or query of the wrong shape names the field -----------------------------------


def test_a_grade_of_the_wrong_shape_is_422_naming_the_field(api, world):
    submission = api("post", f"{PREFIX}/courses/toy-writing/activities/story/submissions", world["trainee"], json={})
    assert submission.status_code == 422  # no text and no file: a rule of the service
    created = api(
        "post", f"{PREFIX}/courses/toy-writing/activities/story/submissions", world["trainee"], json={"text": "Ada."}
    ).get_json()
    grade = f"{PREFIX}/submissions/{created['id']}/grade"
    for body, field in (
        ({"criteria": FULL}, "version"),
        ({"version": "1", "criteria": FULL}, "version"),
        ({"version": True, "criteria": FULL}, "version"),
        ({"version": 1, "criteria": [2, 3]}, "criteria"),
        ({"version": 1, "criteria": {**FULL, "judul": "2"}}, "criteria.judul"),
        ({"version": 1, "criteria": {**FULL, "judul": False}}, "criteria.judul"),
        ({"version": 1, "criteria": FULL, "comments": {"ejaan": 3}}, "comments.ejaan"),
        ({"version": 1, "criteria": FULL, "feedback": None}, "feedback"),
        ({"version": 1, "criteria": FULL, "outcome": "publish"}, "outcome"),
        ({"version": 1, "criteria": FULL, "feedbak": "typo"}, "feedbak"),
    ):
        response = api("put", grade, world["trainer"], json=body)
        assert response.status_code == 422, body
        error = response.get_json()["error"]
        assert error["code"] == "invalid" and field in error["message"], body
        assert field in [d["field"] for d in error["details"]], body


def test_bodies_and_queries_of_the_wrong_shape_are_400_naming_the_field(api, world):
    story = f"{PREFIX}/courses/toy-writing/activities/story/submissions"
    board = f"{PREFIX}/libraries/leaderboard"
    for response, field in (
        (api("get", f"{board}?since=kemarin", world["trainee"]), "since"),
        (api("get", f"{PREFIX}/submissions?status=done", world["trainer"]), "status"),
        (api("get", f"{PREFIX}/submissions?cohort=satu", world["trainer"]), "cohort"),
        (
            api(
                "post",
                f"{PREFIX}/cohorts/{world['cohort'].id}/participants?dry_run=maybe",
                world["organizer"],
                data=f"{CSV_HEADER}\n",
                content_type="text/csv",
            ),
            "dry_run",
        ),
    ):
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == "bad_request" and field in [d["field"] for d in error["details"]]
    # The submission action validates its body with the assignment type's own model.
    assert api("post", story, world["trainee"], json={"text": 5}).status_code == 400
