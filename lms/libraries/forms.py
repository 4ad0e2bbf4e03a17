"""The mentoring forms. The services check the values (and say what is wrong in
the page's language); the forms only read and type what was sent."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
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


class PostForm(FlaskForm):
    """An activity post. Values stay text here: `PostInput.from_form` checks them
    and names the field that is wrong, in the reader's language."""

    title = StringField(default="")
    activity_date = StringField(default="")
    kind = StringField(default="")
    place = StringField(default="")
    male = StringField(default="")
    female = StringField(default="")
    age_children = StringField(default="")
    age_teens = StringField(default="")
    age_adults = StringField(default="")
    age_elderly = StringField(default="")
    partners = StringField(default="")
    text = TextAreaField(default="")
    shows_people = StringField(default="")
    consent = StringField(default="")
    draft_key = StringField(default="")
    draft_version = IntegerField(validators=[Optional()])
    remove_photo = SelectMultipleField(coerce=int, validate_choice=False)
    action = StringField(default="")

    def values(self) -> dict[str, str]:
        """The post's own fields as sent, for PostInput.from_form."""
        names = (
            "title",
            "activity_date",
            "kind",
            "place",
            "male",
            "female",
            "age_children",
            "age_teens",
            "age_adults",
            "age_elderly",
            "partners",
            "text",
            "shows_people",
            "consent",
        )
        return {name: self[name].data or "" for name in names}
