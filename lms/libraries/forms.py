"""The mentoring forms. The services check the values (and say what is wrong in
the page's language); the forms only read and type what was sent."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Optional


class MentoringNoteForm(FlaskForm):
    visit_date = DateField(validators=[Optional()])
    discussed = TextAreaField(default="")
    follow_up = TextAreaField(default="")


class MentorListForm(FlaskForm):
    library = IntegerField(validators=[Optional()])
    action = SelectField(choices=[("add", "add"), ("remove", "remove")], validate_choice=False)


class LightSettingsForm(FlaskForm):
    green_min = IntegerField(validators=[Optional()])
    yellow_min = IntegerField(validators=[Optional()])
