"""An activity type from outside lms/ (tests/plugins/checklist), end to end: its
pack is validated by its own models, it is shown with its own template, done on
the page and over its own API action, documented in the OpenAPI document, counted
by the cohort's completion, listed by `courses table` and seeded by the demo. Its
registration ends with each test: nothing of it reaches the other tests."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa

from lms import create_app
from lms.coursepacks.models import Activity, Course
from lms.coursepacks.source import load_packs
from lms.coursepacks.types import ACTIVITY_TYPES, ActivityType, load_activity_types, register_activity_type
from lms.extensions import db
from lms.learning.models import Progress
from tests.conftest import TEST_PACKS, login, sync_packs
from tests.plugins.checklist import ChecklistType

PACK = TEST_PACKS / "checklist-course"
TEMPLATE = "checklist/checklist.html"
ACTIVITY_API = "/api/v1/courses/checklist-course/activities"


@contextmanager
def installed(*types: type[ActivityType]) -> Iterator[None]:
    """Register plugin types as an entry point would, and put the registry back
    afterwards (a replaced built-in comes back too). The types' templates are
    found through the registry, so they go with it. The built-ins come first,
    as when an app starts."""
    load_activity_types()
    saved = dict(ACTIVITY_TYPES)
    for cls in types:
        register_activity_type(cls)
    try:
        yield
    finally:
        ACTIVITY_TYPES.clear()
        ACTIVITY_TYPES.update(saved)


@pytest.fixture
def checklist_type() -> Iterator[None]:
    with installed(ChecklistType):
        yield


@pytest.fixture
def app(checklist_type, app):
    """conftest's app, created once the plugin is registered: as in production,
    where create_app loads the installed types before mounting their API actions."""
    return app


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "checklist-course"
    shutil.copytree(PACK, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# -- the pack ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("course.toml", "required = 2", "required = 0", "course.toml:activity[2].required: must be a positive integer"),
        ("course.toml", "required = 2", 'required = 2\ncolour = "red"', "course.toml:activity[2].colour: unknown key"),
        (
            "course.toml",
            '"checklists/before.toml"',
            '"checklists/none.toml"',
            "course.toml:activity[2].items: file not found: checklists/none.toml",
        ),
        (
            "checklists/before.toml",
            'id = "report"',
            'id = "agenda"',
            "checklists/before.toml:item[2].id: duplicate item",
        ),
        (
            "checklists/before.toml",
            'text = "Read the agenda"\n',
            "",
            "checklists/before.toml:item[1].text: is required",
        ),
        ("checklists/before.toml", "[[item]]", "[[items]]", "checklists/before.toml:items: unknown key"),
    ],
)
def test_the_plugin_checks_its_own_keys_and_files(app, tmp_path, file, old, new, expected):
    pack = copy_pack(tmp_path)
    edit(pack / file, old, new)
    packs, problems = load_packs([pack])
    lines = [str(p) for p in problems]
    assert packs == []
    assert any(line.startswith(f"{pack}/{expected}") for line in lines), lines


def test_the_pack_loads_with_the_items_in_its_config(app):
    [pack], problems = load_packs([PACK])
    assert problems == []
    checklist = pack.activities[1]
    assert checklist.config["items_file"] == "checklists/before.toml"
    assert [item["id"] for item in checklist.config["items"]] == ["agenda", "report", "photos"]


def test_without_the_plugin_the_type_is_unknown(tmp_path):
    # No app fixture here, so the plugin is not registered around this test.
    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "LMS_COURSE_PATHS": ""})
    _packs, problems = load_packs([PACK])
    assert [str(p) for p in problems] == [
        f"{PACK}/course.toml:activity[2].type: unknown activity type 'checklist' (known: assignment, lesson, quiz)"
    ]


# -- end to end -------------------------------------------------------------------------


@pytest.fixture
def world(app, make_user, make_cohort, api_token):
    sync_packs([PACK])
    course = db.session.scalar(sa.select(Course).where(Course.slug == "checklist-course"))
    trainee, organizer = make_user(name="Andi"), make_user("organizer")
    cohort = make_cohort([course], [trainee])
    return {
        "cohort": cohort,
        "trainee": trainee,
        "organizer": organizer,
        "token": api_token(trainee),
        "staff": api_token(organizer),
    }


def completion(client, world) -> dict:
    response = client.get(f"/api/v1/cohorts/{world['cohort'].id}/completion", headers=world["staff"])
    assert response.status_code == 200
    return response.get_json()


def test_a_trainee_does_the_plugin_activity_on_the_page_and_over_the_api(app, client, world):
    page_url = "/courses/checklist-course/before-meeting"
    login(client, world["trainee"])
    page = client.get(page_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<div class="checklist" id="checklist">' in html  # the plugin's own template
    assert "Bring the library&#39;s activity report" in html and "2 of 3 items complete this checklist" in html

    # The page: one item ticked is not enough (required = 2).
    response = client.post(page_url, data={"item": ["agenda"]})
    assert response.status_code == 302
    assert "data-checklist-done" not in client.get(page_url).get_data(as_text=True)
    state = completion(client, world)
    assert state["completed"] == 0
    [at_risk] = state["at_risk"]
    assert at_risk["blockers"] == {"checklist-course": {"unfinished": 2}}  # the lesson and the checklist

    # The API: the lesson through the common `complete`, the checklist through its own action.
    headers = world["token"]
    assert client.post(f"{ACTIVITY_API}/welcome/complete", headers=headers).get_json() == {"completed": True}
    assert client.post(f"{ACTIVITY_API}/before-meeting/complete", headers=headers).status_code == 422
    ticks = f"{ACTIVITY_API}/before-meeting/ticks"
    refused = client.post(ticks, json={"ticked": ["nope"]}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid"
    assert client.post(ticks, json={"ticked": "agenda"}, headers=headers).status_code == 400
    assert client.post(ticks, json={"ticked": []}, headers=world["staff"]).status_code == 403
    lesson = client.post(f"{ACTIVITY_API}/welcome/ticks", json={"ticked": []}, headers=headers)
    assert lesson.status_code == 404 and lesson.get_json()["error"]["message"] == "This activity is not a checklist."
    done = client.post(ticks, json={"ticked": ["agenda", "photos"]}, headers=headers)
    assert done.status_code == 200
    assert done.get_json() == {"ticked": 2, "required": 2, "completed": True}

    # Completion: the module and the participant are complete, on the API and the dashboard.
    progress = client.get("/api/v1/me/progress", headers=headers).get_json()
    assert progress["completed_courses"] == 1
    assert [(a["slug"], a["completed"]) for a in progress["courses"][0]["activities"]] == [
        ("welcome", True),
        ("before-meeting", True),
    ]
    state = completion(client, world)
    assert (state["completed"], state["at_risk"]) == (1, [])
    assert state["by_course"] == [
        {"slug": "checklist-course", "title": "Getting ready", "completed": 1, "in_progress": 0, "not_started": 0}
    ]
    assert "data-checklist-done" in client.get(page_url).get_data(as_text=True)
    organizer = app.test_client()
    login(organizer, world["organizer"])
    dashboard = organizer.get(f"/cohorts/{world['cohort'].id}/dashboard").get_data(as_text=True)
    # The headline figures: participants, completed, percent ready for the milestone.
    assert re.findall(r'<p class="figure"><strong>([^<]+)</strong>', dashboard)[:3] == ["1", "1", "100%"]


def test_the_plugin_action_is_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/courses/{course}/activities/{activity}/ticks"]["post"]
    assert operation["summary"] == "Tick the items of a checklist"
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ticks"}
    assert set(document["components"]["schemas"]["ChecklistState"]["properties"]) == {"ticked", "required", "completed"}
    # The built-in actions keep their paths.
    for action in ("complete", "attempts", "submissions"):
        assert f"/courses/{{course}}/activities/{{activity}}/{action}" in document["paths"]


def test_the_plugin_has_a_column_in_the_courses_table(app):
    from lms.coursepacks.cli import courses_table

    [pack], _ = load_packs([PACK])
    table = courses_table([pack])
    assert table.splitlines()[0].endswith("| Checklists (items) |")
    assert table.splitlines()[2].endswith("| Welcome (12) |  |  | Before the meeting (3) |")


def test_the_demo_seeds_the_plugin_activity(app):
    from lms.demo.cohort import build_demo

    sync_packs([PACK])
    course = db.session.scalar(sa.select(Course).where(Course.slug == "checklist-course"))
    build_demo([course], participants=12)
    checklist = db.session.scalar(sa.select(Activity).where(Activity.slug == "before-meeting"))
    rows = db.session.scalars(sa.select(Progress).where(Progress.activity_id == checklist.id)).all()
    assert rows and {row.status for row in rows} <= {"completed", "in_progress"}
    assert any(row.completed for row in rows)


# -- no leaks ---------------------------------------------------------------------------


def test_registration_ends_with_its_scope(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    assert "checklist" not in ACTIVITY_TYPES
    with installed(ChecklistType):
        builtins = {name: type(atype) for name, atype in ACTIVITY_TYPES.items() if name != "checklist"}
        with_plugin = create_app(app_config)
        with with_plugin.app_context():
            assert with_plugin.jinja_env.get_template(TEMPLATE)
    assert {name: type(atype) for name, atype in ACTIVITY_TYPES.items()} == builtins

    with with_plugin.app_context():
        # The app's loader asks the registry: the template has gone with the type.
        env = with_plugin.jinja_env
        assert env.loader is not None
        with pytest.raises(jinja2.TemplateNotFound):
            env.loader.get_source(env, TEMPLATE)
    without = create_app(app_config)
    with without.app_context():
        with pytest.raises(jinja2.TemplateNotFound):
            without.jinja_env.get_template(TEMPLATE)
        assert without.jinja_env.get_template("activities/quiz.html")  # the built-ins' own folder
    rules = {rule.rule for rule in without.url_map.iter_rules()}
    assert "/api/v1/courses/<course>/activities/<activity>/ticks" not in rules
    assert "/api/v1/courses/<course>/activities/<activity>/attempts" in rules
