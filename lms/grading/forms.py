"""The grading forms: the rubric form is built from the rubric version being
graded, one score field and one comment field per criterion."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

OUTCOMES = ("save", "release", "revise")


class BulkReleaseForm(FlaskForm):
    # The checked rows of the queue (repeated `submission` fields).
    submission = SelectMultipleField(coerce=int, validate_choice=False)


class _GradeFormBase(FlaskForm):
    version = IntegerField(validators=[Optional()])
    feedback = TextAreaField(default="")
    outcome = SelectField(choices=[(o, o) for o in OUTCOMES], default="save", validate_choice=False)
    then = StringField(default="")

    def criteria(self, rubric_criteria: list[dict[str, Any]]) -> dict[str, Any]:
        """The points given per criterion: a number where one was typed, the raw
        text otherwise (the grading service names the criterion that is wrong)."""
        picked: dict[str, Any] = {}
        for criterion in rubric_criteria:
            raw = (self[f"c-{criterion['id']}"].data or "").strip()
            if raw:
                try:
                    picked[criterion["id"]] = float(raw) if "." in raw else int(raw)
                except ValueError:
                    picked[criterion["id"]] = raw
        return picked

    def comments(self, rubric_criteria: list[dict[str, Any]]) -> dict[str, str]:
        return {c["id"]: self[f"comment-{c['id']}"].data or "" for c in rubric_criteria}


def grade_form(rubric_criteria: list[dict[str, Any]]) -> _GradeFormBase:
    """A form class with the fields of this rubric, instantiated on the request."""
    fields: dict[str, Field] = {}
    for criterion in rubric_criteria:
        fields[f"c-{criterion['id']}"] = StringField(default="")
        fields[f"comment-{criterion['id']}"] = TextAreaField(default="")
    form_class = type("GradeForm", (_GradeFormBase,), fields)
    return form_class()
