from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from lms.accounts.models import PARTICIPANT_TYPES, TIMEZONES
from lms.accounts.services import EMAIL_RE as EMAIL_PATTERN


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=list(TIMEZONES.items()))
    milestone_title = StringField(_l("Milestone"), validators=[Optional(), Length(max=200)])
    milestone_date = DateField(_l("Milestone date"), validators=[Optional()])
    courses = SelectMultipleField(_l("Modules"), coerce=int)
    organisation = StringField(_l("Organisation (printed on certificates)"), validators=[Optional(), Length(max=200)])
    signatories = TextAreaField(
        _l("Signatories of certificates, one per line: Name | Title"), validators=[Optional(), Length(max=1000)]
    )


class EnrolForm(FlaskForm):
    emails = TextAreaField(_l("Emails, one per line"), validators=[DataRequired()])
    role = SelectField(_l("Role in the cohort"), choices=[("trainee", _l("Trainee")), ("trainer", _l("Trainer"))])


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address."))]
    )
    role = SelectField(
        _l("Role"), choices=[("trainee", _l("Trainee")), ("trainer", _l("Trainer")), ("organizer", _l("Organizer"))]
    )
    participant_type = SelectField(
        _l("Participant type"), choices=[("", "–")] + list(PARTICIPANT_TYPES.items()), validators=[Optional()]
    )
    library = StringField(_l("Library"), validators=[Optional(), Length(max=200)])
    village = StringField(_l("Village"), validators=[Optional(), Length(max=120)])
    regency = StringField(_l("Regency/City"), validators=[Optional(), Length(max=120)])
    province = StringField(_l("Province"), validators=[Optional(), Length(max=120)])


class TrainerForm(FlaskForm):
    trainer = SelectField(_l("Trainer"), coerce=int)
    kind = SelectField(
        _l("Looks after"),
        choices=[("cohort", _l("The whole cohort")), ("province", _l("A province")), ("group", _l("A named group"))],
    )
    value = StringField(_l("Province or group"), validators=[Optional(), Length(max=120)])


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.csv or .xlsx)"), validators=[FileRequired()])


class ArchiveForm(FlaskForm):
    restore = StringField(default="")


class GroupForm(FlaskForm):
    group = StringField(default="")  # cut to 100 characters by the service


class ChosenParticipantsForm(FlaskForm):
    """The participants ticked on the at-risk list, and how to remind them."""

    user_id = SelectMultipleField(coerce=int, validate_choice=False)
    channel = StringField(default="")


class ConfirmImportForm(FlaskForm):
    token = StringField(default="")
