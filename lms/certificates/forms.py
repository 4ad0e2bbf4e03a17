"""The certificate forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import Optional


class IssueForm(FlaskForm):
    # Empty: the participant asks for their own; an organizer names someone.
    user_id = IntegerField(validators=[Optional()])


class RevokeForm(FlaskForm):
    reason = StringField(default="")
