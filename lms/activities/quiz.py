"""The quiz type: multiple-choice questions from a TOML file.

The score is the percentage of questions answered exactly right. A pre-test is
complete once taken; a post-test or practice quiz once its best score reaches
`pass_percent`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.coursepacks.models import Activity
from lms.coursepacks.source import array_of_tables, check_keys, check_unique_id
from lms.coursepacks.types import ActivityType
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.learning.models import QuizAttempt
from lms.learning.progress import get_progress, record_progress

KINDS = ("pre-test", "post-test", "practice")
QUESTION_KEYS = {
    "id": ("str", True),
    "text": ("str", True),
    "choices": ("strlist", True),
    "explain": ("str", True),
}


class QuizType(ActivityType):
    name = "quiz"
    label = _l("Quiz")
    keys = {
        "questions": ("path", True),
        "kind": ("enum:" + "|".join(KINDS), False),
        "pass_percent": ("percent", False),
        "max_attempts": ("posint", False),
    }
    template = "activities/quiz.html"

    def load(self, loaded, source, field):
        config = loaded.config
        config.setdefault("kind", "practice")
        if config["kind"] != "pre-test" and "pass_percent" not in config:
            source.problem("course.toml", f"{field}pass_percent", "is required for a post-test or practice quiz")
        rel = config.get("questions")
        data = source.read_toml(rel, "course.toml", f"{field}questions") if rel else None
        if data is None:
            return
        questions = []
        seen: set[str] = set()
        for prefix, question in array_of_tables(data, "question", source, rel):
            # `answer` is checked below, against the choices.
            good = check_keys({k: v for k, v in question.items() if k != "answer"}, QUESTION_KEYS, source, rel, prefix)
            check_unique_id(good.get("id", ""), seen, source, rel, f"{prefix}id", "question")
            choices = good.get("choices", [])
            if "choices" in good and len(choices) < 2:
                source.problem(rel, f"{prefix}choices", "needs at least two choices")
            answer = question.get("answer")
            if answer is None:
                source.problem(rel, f"{prefix}answer", "is required")
                continue
            if (
                not isinstance(answer, list)
                or not answer
                or not all(isinstance(a, int) and not isinstance(a, bool) for a in answer)
            ):
                source.problem(rel, f"{prefix}answer", "must be a non-empty list of choice indexes (0-based)")
                continue
            if len(set(answer)) != len(answer) or any(a < 0 or a >= len(choices) for a in answer):
                source.problem(rel, f"{prefix}answer", f"indexes must be distinct and between 0 and {len(choices) - 1}")
                continue
            questions.append({**good, "answer": sorted(answer)})
        config["questions_file"] = rel
        config["questions"] = questions

    # -- taking the quiz ------------------------------------------------------
    def view(self, activity, user):
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

    def handle(self, activity, user, request):
        answers: dict[str, list[int]] = {}
        for question in activity.config["questions"]:
            picked = request.form.getlist(f"q-{question['id']}")
            try:
                answers[question["id"]] = [int(p) for p in picked]
            except ValueError:
                answers[question["id"]] = []
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

    def reporting_role(self, activity) -> str:
        return {"pre-test": "pre", "post-test": "post"}.get(activity.config.get("kind", "practice"), "quiz")

    def api_fields(self, activity) -> dict[str, Any]:
        return {"kind": activity.config.get("kind", "practice"), "questions": len(activity.config["questions"])}


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


def attempts_left(activity, attempts: list[QuizAttempt]) -> int | None:
    limit = activity.config.get("max_attempts")
    return None if limit is None else max(0, limit - len(attempts))


def score_answers(questions: list[dict[str, Any]], answers: dict[str, list[int]]) -> int:
    return sum(1 for q in questions if sorted(set(answers.get(q["id"], []))) == q["answer"])


def submit_attempt(activity, user, answers: dict[str, Any]) -> QuizAttempt:
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


def pre_post_gain(activity, user) -> dict[str, float] | None:
    """Best pre-test and post-test percent of the trainee in this course, and the gain."""

    pair = {
        a.config.get("kind"): a
        for a in db.session.scalars(
            sa.select(Activity).where(
                Activity.course_id == activity.course_id, Activity.type == "quiz", Activity.archived.is_(False)
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
