"""Course packs: the validator (one broken pack per rule), sync idempotence,
archive-not-delete, and activity types from a plugin."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.coursepacks.models import Activity, Course
from lms.coursepacks.source import load_packs
from lms.coursepacks.types import ACTIVITY_TYPES, load_activity_types
from lms.extensions import db
from lms.grading.models import RubricVersion
from lms.learning.progress import record_progress
from tests.conftest import TEST_PACKS, sync_packs


def copy_pack(tmp_path: Path, name: str = "pack") -> Path:
    target = tmp_path / name
    shutil.copytree(TEST_PACKS / "toy-writing", target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if old == "*":  # the whole file
        path.write_text(new)
        return
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


# (id, file to edit, old text, new text, file:field: message prefix of the expected line)
BROKEN = [
    ("invalid-toml", "course.toml", "order = 1", "order = = 1", "course.toml:toml: invalid TOML"),
    ("missing-slug", "course.toml", 'slug = "toy-writing"\n', "", "course.toml:slug: is required"),
    ("bad-slug", "course.toml", 'slug = "toy-writing"', 'slug = "Toy Writing"', "course.toml:slug: use lowercase"),
    ("unknown-key", "course.toml", "hours = 2", 'hours = 2\ncolour = "red"', "course.toml:colour: unknown key"),
    ("order-not-int", "course.toml", "order = 1", 'order = "first"', "course.toml:order: must be an integer"),
    ("negative-hours", "course.toml", "hours = 2", "hours = -2", "course.toml:hours: must be an integer of 0 or more"),
    (
        "unknown-type",
        "course.toml",
        'type = "lesson"',
        'type = "video"',
        "course.toml:activity[2].type: unknown activity type 'video'",
    ),
    (
        "duplicate-activity",
        "course.toml",
        'slug = "intro"',
        'slug = "pre-test"',
        "course.toml:activity[2].slug: duplicate activity slug",
    ),
    (
        "unknown-activity-key",
        "course.toml",
        'body = "lessons/intro.md"',
        'body = "lessons/intro.md"\nvideo = "x"',
        "course.toml:activity[2].video: unknown key",
    ),
    ("missing-title", "course.toml", 'title = "Intro"\n', "", "course.toml:activity[2].title: is required"),
    (
        "missing-body-file",
        "course.toml",
        '"lessons/intro.md"',
        '"lessons/nope.md"',
        "course.toml:activity[2].body: file not found: lessons/nope.md",
    ),
    (
        "body-outside-pack",
        "course.toml",
        '"lessons/intro.md"',
        '"../../../etc/passwd"',
        "course.toml:activity[2].body: ../../../etc/passwd points outside the pack",
    ),
    (
        "broken-image",
        "lessons/intro.md",
        "../assets/pyramid.svg",
        "../assets/missing.svg",
        "lessons/intro.md:link: ../assets/missing.svg does not resolve",
    ),
    (
        "absolute-link",
        "lessons/intro.md",
        "../assets/pyramid.svg",
        "/etc/passwd",
        "lessons/intro.md:link: /etc/passwd: links must be relative",
    ),
    (
        "javascript-link",
        "lessons/intro.md",
        "Read this.",
        "[x](javascript:alert(1))",
        "lessons/intro.md:link: unsafe link javascript:alert(1",
    ),
    (
        "quiz-kind",
        "course.toml",
        'kind = "pre-test"',
        'kind = "exam"',
        "course.toml:activity[1].kind: must be one of pre-test, post-test, practice",
    ),
    (
        "quiz-pass-percent",
        "course.toml",
        "pass_percent = 50\n",
        "",
        "course.toml:activity[4].pass_percent: is required",
    ),
    (
        "quiz-pass-percent-range",
        "course.toml",
        "pass_percent = 50",
        "pass_percent = 150",
        "course.toml:activity[4].pass_percent: must be a number from 0 to 100",
    ),
    (
        "quiz-missing-file",
        "course.toml",
        '"quizzes/pre.toml"',
        '"quizzes/none.toml"',
        "course.toml:activity[1].questions: file not found",
    ),
    ("quiz-no-questions", "quizzes/pre.toml", "*", 'title = "Quiz"\n', "quizzes/pre.toml:question: at least one"),
    (
        "quiz-unknown-key",
        "quizzes/pre.toml",
        "[[question]]",
        "[[questionz]]",
        "quizzes/pre.toml:questionz: unknown key",
    ),
    (
        "quiz-answer-range",
        "quizzes/pre.toml",
        "answer = [1]",
        "answer = [7]",
        "quizzes/pre.toml:question[1].answer: indexes must be distinct and between 0 and 2",
    ),
    (
        "quiz-answer-type",
        "quizzes/pre.toml",
        "answer = [1]",
        'answer = "b"',
        "quizzes/pre.toml:question[1].answer: must be a non-empty list",
    ),
    (
        "quiz-duplicate-id",
        "quizzes/pre.toml",
        'id = "who"',
        'id = "where"',
        "quizzes/pre.toml:question[2].id: duplicate question id",
    ),
    (
        "quiz-one-choice",
        "quizzes/pre.toml",
        'choices = ["who", "where", "when"]\nanswer = [1]',
        'choices = ["who"]\nanswer = [0]',
        "quizzes/pre.toml:question[1].choices: needs at least two choices",
    ),
    (
        "quiz-no-explain",
        "quizzes/pre.toml",
        'explain = "Where is the place."\n',
        "",
        "quizzes/pre.toml:question[1].explain: is required",
    ),
    (
        "rubric-no-criteria",
        "rubrics/story.toml",
        "*",
        'title = "Rubric"\n',
        "rubrics/story.toml:criterion: at least one",
    ),
    (
        "rubric-unknown-key",
        "rubrics/story.toml",
        "[[criterion]]",
        "[[criteria]]",
        "rubrics/story.toml:criteria: unknown key",
    ),
    (
        "rubric-duplicate-id",
        "rubrics/story.toml",
        'id = "struktur"',
        'id = "judul"',
        "rubrics/story.toml:criterion[2].id: duplicate criterion id",
    ),
    (
        "rubric-one-level",
        "rubrics/story.toml",
        'levels = [{ points = 0, label = "none" }, { points = 1, label = "weak" }, { points = 2, label = "strong" }]',
        'levels = [{ points = 0, label = "none" }]',
        "rubrics/story.toml:criterion[1].levels: needs at least two levels",
    ),
    (
        "rubric-not-increasing",
        "rubrics/story.toml",
        '{ points = 1, label = "weak" }',
        '{ points = 0, label = "weak" }',
        "rubrics/story.toml:criterion[1].levels[2].points: level points must increase strictly",
    ),
    (
        "rubric-points-type",
        "rubrics/story.toml",
        '{ points = 1, label = "weak" }',
        '{ points = "one", label = "weak" }',
        "rubrics/story.toml:criterion[1].levels[2].points: must be a number",
    ),
    (
        "rubric-no-label",
        "rubrics/story.toml",
        '{ points = 1, label = "weak" }',
        "{ points = 1 }",
        "rubrics/story.toml:criterion[1].levels[2].label: must be a non-empty string",
    ),
    (
        "assignment-pass-over-max",
        "course.toml",
        "pass_score = 7",
        "pass_score = 11",
        "course.toml:activity[3].pass_score: must be between 0 and max_score",
    ),
    ("assignment-no-max", "course.toml", "max_score = 10\n", "", "course.toml:activity[3].max_score: is required"),
    (
        "assignment-due-twice",
        "course.toml",
        "due_days = 14",
        'due_days = 14\ndue = "milestone"',
        "course.toml:activity[3].due: set either due_days or due",
    ),
    (
        "assignment-bad-due",
        "course.toml",
        "due_days = 14",
        'due = "tomorrow"',
        "course.toml:activity[3].due: must be one of milestone",
    ),
    (
        "assignment-attachment-type",
        "course.toml",
        '["jpg", "png", "pdf"]',
        '["jpg", "exe"]',
        "course.toml:activity[3].attachments: file type 'exe' is not supported",
    ),
    (
        "assignment-cutoff-before-due",
        "course.toml",
        "cutoff_days = 21",
        "cutoff_days = 3",
        "course.toml:activity[3].cutoff_days: must not come before due_days",
    ),
    (
        "assignment-no-rubric-file",
        "course.toml",
        '"rubrics/story.toml"',
        '"rubrics/none.toml"',
        "course.toml:activity[3].rubric: file not found",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_each_validator_rule_names_file_and_field(app, tmp_path, case):
    _id, file, old, new, expected = case
    pack = copy_pack(tmp_path)
    replace(pack / file, old, new)
    packs, problems = load_packs([pack])
    lines = [str(p) for p in problems]
    assert packs == []
    assert any(line.startswith(f"{pack}/{expected}") for line in lines), lines


def test_missing_course_toml(app, tmp_path):
    (tmp_path / "empty").mkdir()
    _packs, problems = load_packs([tmp_path / "empty"])
    assert [str(p) for p in problems] == [f"{tmp_path}/empty/course.toml:course.toml: file not found: course.toml"]


def test_two_packs_with_one_slug_name_both_folders(app, tmp_path):
    first, second = copy_pack(tmp_path, "a"), copy_pack(tmp_path, "b")
    packs, problems = load_packs([first, second])
    assert len(packs) == 1
    [problem] = problems
    assert str(first) in problem.message and str(second) in problem.message


def test_check_command_prints_lines_and_exits_1(app, runner, tmp_path):
    pack = copy_pack(tmp_path)
    result = runner.invoke(args=["courses", "check", str(pack)])
    assert result.exit_code == 0, result.output
    replace(pack / "course.toml", "order = 1", 'order = "x"')
    result = runner.invoke(args=["courses", "check", str(pack)])
    assert result.exit_code == 1
    assert result.output.strip() == f"{pack}/course.toml:order: must be an integer"


def test_shipped_packs_pass_check(app, runner):
    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    for slug in (
        "update-capaian",
        "marketing-media",
        "dokumentasi-online",
        "mentoring-data",
        "public-speaking",
        "easy-writing",
    ):
        assert slug in result.output


def test_invalid_pack_aborts_sync_and_changes_nothing(app, runner, tmp_path):
    pack = copy_pack(tmp_path)
    replace(pack / "course.toml", "order = 1", 'order = "x"')
    app.config["LMS_COURSE_PATHS"] = str(pack)
    result = runner.invoke(args=["courses", "sync"])
    assert result.exit_code == 1
    assert "Nothing was changed." in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_sync_is_idempotent(app, tmp_path):
    pack = copy_pack(tmp_path)
    first = sync_packs([pack])
    assert "toy-writing" in first.created and len(first.created) == 5
    versions = {a.slug: a.version for a in db.session.scalars(sa.select(Activity))}
    second = sync_packs([pack])
    assert (second.created, second.updated, second.archived) == ([], [], [])
    assert second.unchanged == 4
    assert {a.slug: a.version for a in db.session.scalars(sa.select(Activity))} == versions


def test_edit_updates_in_place_and_removal_archives_keeping_progress(app, tmp_path, make_user):
    pack = copy_pack(tmp_path)
    sync_packs([pack])
    trainee = make_user()
    intro = db.session.scalar(sa.select(Activity).where(Activity.slug == "intro"))
    record_progress(trainee.id, intro.id, status="completed", completed=True)
    db.session.commit()

    replace(pack / "lessons" / "intro.md", "Read this.", "Read this carefully.")
    report = sync_packs([pack])
    assert report.updated == ["toy-writing/intro"]
    db.session.refresh(intro)
    assert intro.version == 2 and "carefully" in intro.body_html

    text = (pack / "course.toml").read_text()
    start = text.index('[[activity]]\ntype = "lesson"')
    end = text.index("[[activity]]", start + 5)
    (pack / "course.toml").write_text(text[:start] + text[end:])
    report = sync_packs([pack])
    assert report.archived == ["toy-writing/intro"]
    db.session.refresh(intro)
    assert intro.archived and intro.id is not None
    from lms.learning.progress import get_progress

    assert get_progress(trainee.id, intro.id).completed  # the trainee's record stays


def test_removed_pack_archives_course(app, tmp_path):
    pack = copy_pack(tmp_path)
    sync_packs([pack])
    report = sync_packs([])
    assert report.archived == ["toy-writing"]
    assert db.session.scalar(sa.select(Course)).archived


def test_changed_rubric_makes_a_new_version(app, tmp_path):
    pack = copy_pack(tmp_path)
    sync_packs([pack])
    replace(pack / "rubrics" / "story.toml", 'label = "weak"', 'label = "weak headline"')
    sync_packs([pack])
    versions = db.session.scalars(sa.select(RubricVersion).order_by(RubricVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].criteria[0]["levels"][1]["label"] == "weak headline"


TOY_PLUGIN = """
from lms.coursepacks.contracts import ActivityTable, Text
from lms.coursepacks.types import ActivityType


class PollTable(ActivityTable):
    question: Text


class PollType(ActivityType):
    name = "poll"
    label = "Poll"
    config_model = PollTable
    template = "toy_poll.html"
    template_folder = "templates"

    def load(self, loaded, source, field):
        loaded.body = loaded.config["question"] if "question" in loaded.config else ""

    def view(self, activity, user):
        return {"poll_question": activity.config["question"]}
"""


@pytest.fixture
def toy_plugin(tmp_path, monkeypatch, app):
    """An installed package (a dist-info with an entry point) that adds a `poll` type."""
    site = tmp_path / "site"
    (site / "toy_poll").mkdir(parents=True)
    (site / "toy_poll" / "__init__.py").write_text(TOY_PLUGIN)
    dist = site / "toy_poll-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-poll\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[lms.activities]\npoll = toy_poll:PollType\n")
    monkeypatch.syspath_prepend(str(site))
    # The package ships its template; the type's template_folder makes it visible.
    (site / "toy_poll" / "templates").mkdir()
    (site / "toy_poll" / "templates" / "toy_poll.html").write_text('<p class="poll">{{ poll_question }}</p>')
    load_activity_types()
    yield
    ACTIVITY_TYPES.pop("poll", None)
    sys.modules.pop("toy_poll", None)


def test_activity_type_from_a_plugin_is_validated_and_shown(app, client, tmp_path, toy_plugin, make_user, make_cohort):
    from tests.conftest import login

    assert "poll" in ACTIVITY_TYPES
    pack = copy_pack(tmp_path)
    with open(pack / "course.toml", "a") as handle:
        handle.write(
            textwrap.dedent("""
            [[activity]]
            type = "poll"
            slug = "favourite"
            title = "Favourite book"
        """)
        )
    _packs, problems = load_packs([pack])
    assert [str(p) for p in problems] == [f"{pack}/course.toml:activity[5].question: is required"]
    with open(pack / "course.toml", "a") as handle:
        handle.write('question = "Which book do you like best?"\n')
    sync_packs([pack])
    course = db.session.scalar(sa.select(Course))
    trainee = make_user()
    make_cohort([course], [trainee])
    login(client, trainee)
    page = client.get("/courses/toy-writing/favourite")
    assert page.status_code == 200
    assert '<p class="poll">Which book do you like best?</p>' in page.get_data(as_text=True)


def test_packs_from_an_installed_package_entry_point(app, tmp_path, monkeypatch, runner):
    """A distribution that declares `lms.courses` brings its packs along."""
    site = tmp_path / "site"
    (site / "extra_packs").mkdir(parents=True)
    shutil.copytree(TEST_PACKS / "toy-writing", site / "extra_packs" / "toy-writing")
    (site / "extra_packs" / "__init__.py").write_text(
        "from pathlib import Path\n\ndef folder():\n    return Path(__file__).parent\n"
    )
    dist = site / "extra_packs-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extra-packs\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[lms.courses]\nextra = extra_packs:folder\n")
    monkeypatch.syspath_prepend(str(site))
    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    assert "toy-writing" in result.output and "easy-writing" in result.output
    sys.modules.pop("extra_packs", None)


def test_course_paths_setting_adds_packs(app, tmp_path, runner):
    pack = copy_pack(tmp_path, "elsewhere")
    app.config["LMS_COURSE_PATHS"] = str(tmp_path)
    result = runner.invoke(args=["courses", "sync"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Course).where(Course.slug == "toy-writing")).source_path == str(pack.resolve())
