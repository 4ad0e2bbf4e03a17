"""The quiz type: multiple-choice questions from a TOML file.

The score is the percentage of questions answered exactly right. A pre-test is
complete once taken; a post-test or practice quiz once its best score reaches
`pass_percent`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import Field

from lms.activities.forms import quiz_form
from lms.coursepacks.contracts import (
    ONE_OF,
    ActivityTable,
    PackPath,
    PackTable,
    Percent,
    PositiveInt,
    Says,
    Text,
    TextList,
)
from lms.coursepacks.models import Activity
from lms.coursepacks.source import PackSource, check_unique_id
from lms.coursepacks.types import ActivityType, ApiAction, ApiModel, DemoSeed, PackFile
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.learning.models import QuizAttempt
from lms.learning.progress import get_progress, record_progress

if TYPE_CHECKING:  # pragma: no cover
    from flask import Request
    from werkzeug.wrappers import Response

    from lms.accounts.models import User
    from lms.coursepacks.source import LoadedActivity

KINDS = ("pre-test", "post-test", "practice")
Kind = Annotated[Literal["pre-test", "post-test", "practice"], ONE_OF]


# -- the pack -----------------------------------------------------------------------


class QuizTable(ActivityTable):
    """[[activity]] type = "quiz"."""

    questions: PackPath = Field(description="The quiz file (QuizFile).")
    kind: Kind | None = Field(default=None, description='Default "practice".')
    pass_percent: Percent | None = Field(default=None, description="Required unless a pre-test.")
    max_attempts: PositiveInt | None = None


class QuizQuestion(PackTable):
    """A [[question]] of a quiz file."""

    id: Text
    text: Text
    choices: TextList
    explain: Text
    answer: Annotated[
        list[int],
        Field(min_length=1, description="Indexes of the right choices (0-based): one or more."),
        Says("must be a non-empty list of choice indexes (0-based)"),
    ]


class QuizFile(PackTable):
    """A quiz file: its [[question]] tables, each checked as a QuizQuestion."""

    title: Any = None  # allowed, not shown
    question: list[QuizQuestion]


def load_questions(source: PackSource, rel: str, field: str) -> list[dict[str, Any]] | None:
    """The questions of a quiz file, each with its answer sorted."""
    data = source.read_toml(rel, "course.toml", field)
    if data is None:
        return None
    source.check(QuizFile, data, rel, "", skip={"question"})
    questions = []
    seen: set[str] = set()
    for prefix, question in source.tables(data, "question", rel):
        # The answer is judged against the choices, so it is reported after them.
        check = source.check(QuizQuestion, question, rel, prefix, held={"answer"})
        good = check.good
        check_unique_id(good.get("id", ""), seen, source, rel, f"{prefix}id", "question")
        choices = good.get("choices", [])
        if "choices" in good and len(choices) < 2:
            source.problem(rel, f"{prefix}choices", "needs at least two choices")
        if source.report_held(check, "answer", rel, prefix):
            continue
        answer = good["answer"]
        if len(set(answer)) != len(answer) or any(a < 0 or a >= len(choices) for a in answer):
            source.problem(rel, f"{prefix}answer", f"indexes must be distinct and between 0 and {len(choices) - 1}")
            continue
        questions.append({**{k: v for k, v in good.items() if k != "answer"}, "answer": sorted(answer)})
    return questions


# -- the API --------------------------------------------------------------------------


class QuizAnswers(ApiModel):
    """A quiz's answers: the picked choice numbers (0-based) per question id."""

    answers: dict[str, list[int]]


class QuizScore(ApiModel):
    """The score of this attempt."""

    percent: float = Field(description="Of the questions, the share answered exactly right.")
    passed: bool
    correct: int
    total: int


def _api_attempt(activity: Activity, user: User, body: QuizAnswers) -> QuizScore:
    attempt = submit_attempt(activity, user, body.answers)
    return QuizScore(percent=attempt.percent, passed=attempt.passed, correct=attempt.correct, total=attempt.total)


# -- the type ---------------------------------------------------------------------------


class QuizType(ActivityType):
    name = "quiz"
    label = _l("Quiz")
    config_model = QuizTable
    files = {"questions": PackFile(load_questions, in_config=True)}
    template = "activities/quiz.html"
    template_folder = "templates"
    api_actions = {
        "attempts": ApiAction(
            run=_api_attempt,
            summary="Answer a quiz: the score of this attempt",
            body=QuizAnswers,
            ok=QuizScore,
            status=201,
            errors=(403, 404, 409, 422),
            not_here="This activity is not a quiz.",
        )
    }
    table_column = "Quizzes (questions)"

    def load(self, loaded: LoadedActivity, source: PackSource, field: str) -> None:
        config = loaded.config
        config.setdefault("kind", "practice")
        if config["kind"] != "pre-test" and "pass_percent" not in config:
            source.problem("course.toml", f"{field}pass_percent", "is required for a post-test or practice quiz")

    # -- taking the quiz ------------------------------------------------------
    def view(self, activity: Activity, user: User) -> dict[str, Any]:
        attempts = attempts_of(user.id, activity.id)
        shown_id = request.args.get("attempt", type=int)
        return {
            "shown": next((a for a in attempts if a.id == shown_id), None),
            "pair_gain": pre_post_gain(activity, user),
            "questions": activity.config["questions"],
            "attempts": attempts,
            "best": best_attempt(attempts),
            "progress": get_progress(user.id, activity.id),
            "attempts_left": attempts_left(activity, attempts),
        }

    def handle(self, activity: Activity, user: User, request: Request) -> Response:
        form = quiz_form(activity.config["questions"])
        form.validate()
        answers = form.answers(activity.config["questions"])
        try:
            attempt = submit_attempt(activity, user, answers)
        except (Conflict, Invalid) as exc:
            flash(exc.message, "error")
            return redirect(url_for("learning.activity", course=activity.course.slug, activity=activity.slug))
        return redirect(
            url_for(
                "learning.activity",
                course=activity.course.slug,
                activity=activity.slug,
                attempt=attempt.id,
                _anchor="result",
            )
        )

    def reporting_role(self, activity: Activity) -> str:
        return {"pre-test": "pre", "post-test": "post"}.get(activity.config.get("kind", "practice"), "quiz")

    def api_fields(self, activity: Activity) -> dict[str, Any]:
        return {"kind": activity.config.get("kind", "practice"), "questions": len(activity.config["questions"])}

    def table_entry(self, loaded: LoadedActivity) -> str:
        return f"{loaded.config['kind']} ({len(loaded.config['questions'])})"

    def seed_demo(self, activity: Activity, user: User, seed: DemoSeed) -> None:
        # Better-prepared people answer more: one skill per person and quiz.
        rng = seed.rng
        skill = rng.random()
        answers = {
            q["id"]: (
                q["answer"] if seed.diligent or rng.random() < 0.45 + skill / 2 else [0 if q["answer"] != [0] else 1]
            )
            for q in activity.config["questions"]
        }
        submit_attempt(activity, user, answers)


def attempts_of(user_id: int, activity_id: int) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.activity_id == activity_id)
            .order_by(QuizAttempt.created_at, QuizAttempt.id)
        )
    )


def best_attempt(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    return max(attempts, key=lambda a: a.percent, default=None)


def attempts_left(activity: Activity, attempts: list[QuizAttempt]) -> int | None:
    limit = activity.config.get("max_attempts")
    return None if limit is None else max(0, limit - len(attempts))


def score_answers(questions: list[dict[str, Any]], answers: dict[str, list[int]]) -> int:
    return sum(1 for q in questions if sorted(set(answers.get(q["id"], []))) == q["answer"])


def submit_attempt(activity: Activity, user: User, answers: dict[str, Any]) -> QuizAttempt:
    """Score a trainee's answers, keep the attempt and update progress."""
    questions = activity.config["questions"]
    known = {q["id"] for q in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise Invalid(_("Unknown question: %(ids)s", ids=", ".join(unknown)), {"questions": unknown})
    for qid, picked in answers.items():
        if not isinstance(picked, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in picked):
            raise Invalid(_("Answers to %(id)s must be a list of choice numbers.", id=qid))
    attempts = attempts_of(user.id, activity.id)
    if attempts_left(activity, attempts) == 0:
        raise Conflict(_("You have used all %(n)s attempts of this quiz.", n=activity.config["max_attempts"]))
    correct = score_answers(questions, answers)
    percent = round(100.0 * correct / len(questions), 1)
    kind = activity.config.get("kind", "practice")
    passed = kind == "pre-test" or percent >= activity.config.get("pass_percent", 0)
    attempt = QuizAttempt(
        user_id=user.id,
        activity_id=activity.id,
        activity_version=activity.version,
        answers={k: sorted(set(v)) for k, v in answers.items()},
        correct=correct,
        total=len(questions),
        percent=percent,
        passed=passed,
    )
    db.session.add(attempt)
    best = max([a.percent for a in attempts] + [percent])
    complete = kind == "pre-test" or best >= activity.config.get("pass_percent", 0)
    record_progress(user.id, activity.id, status="completed" if complete else "failed", completed=complete, score=best)
    db.session.flush()
    return attempt


def pre_post_gain(activity: Activity, user: User) -> dict[str, float] | None:
    """Best pre-test and post-test percent of the trainee in this course, and the gain."""

    pair = {
        a.config.get("kind"): a
        for a in db.session.scalars(
            sa.select(Activity).where(
                Activity.course_id == activity.course_id,
                Activity.type == QuizType.name,
                Activity.archived.is_(False),
            )
        )
    }
    if "pre-test" not in pair or "post-test" not in pair:
        return None
    best = {}
    for kind in ("pre-test", "post-test"):
        top = best_attempt(attempts_of(user.id, pair[kind].id))
        if top is None:
            return None
        best[kind] = top.percent
    return {"pre": best["pre-test"], "post": best["post-test"], "gain": round(best["post-test"] - best["pre-test"], 1)}
