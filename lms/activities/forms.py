"""The forms of the built-in activity types' pages. They read and type what was
sent; the grading and quiz services check it and say what is wrong."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, MultipleFileField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional


class AssignmentForm(FlaskForm):
    text = TextAreaField(default="")
    action = StringField(default="draft")  # draft | preview | submit
    submit_key = StringField(default="")
    draft_version = IntegerField(validators=[Optional()])
    files = MultipleFileField()


class _QuizFormBase(FlaskForm):
    def answers(self, questions: list[dict[str, Any]]) -> dict[str, list[int]]:
        """The picked choice indexes per question; a value that is not a number
        counts as no answer (the quiz scores it as wrong)."""
        picked: dict[str, list[int]] = {}
        for question in questions:
            field = self[f"q-{question['id']}"]
            picked[question["id"]] = list(field.data or []) if not field.errors else []
        return picked


def quiz_form(questions: list[dict[str, Any]]) -> _QuizFormBase:
    """A form class with one multiple-choice field per question of this quiz."""
    fields: dict[str, Field] = {
        f"q-{question['id']}": SelectMultipleField(coerce=int, validate_choice=False) for question in questions
    }
    return type("QuizForm", (_QuizFormBase,), fields)()
