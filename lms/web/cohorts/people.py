"""Organizers' simple pages: cohorts, enrolment, people and their invitation links."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import mail
from lms.accounts import services as accounts
from lms.accounts.auth import user_by_email
from lms.accounts.models import User
from lms.authz import permission_required, require
from lms.cohorts import services
from lms.cohorts.forms import ArchiveForm, CohortForm, EnrolForm, GroupForm, PersonForm, TrainerForm
from lms.coursepacks.models import Course
from lms.errors import Invalid
from lms.extensions import db
from lms.uow import attempt
from lms.web.cohorts.blueprint import bp


def _course_choices() -> list[tuple[int, str]]:
    return [
        (c.id, c.title)
        for c in db.session.scalars(sa.select(Course).where(Course.archived.is_(False)).order_by(Course.order))
    ]


@bp.get("/")
@permission_required("cohorts.open")
def index():
    return render_template("cohorts/index.html", cohorts=services.visible_cohorts(current_user))


def _cohort_fields(form: CohortForm) -> dict:
    return dict(
        name=form.name.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        timezone=form.timezone.data,
        milestone_title=form.milestone_title.data or "",
        milestone_date=form.milestone_date.data,
        organisation=form.organisation.data or "",
        signatories=services.parse_signatories(form.signatories.data or ""),
        courses=list(db.session.scalars(sa.select(Course).where(Course.id.in_(form.courses.data or [0])))),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("cohorts.manage")
def create():
    form = CohortForm()
    form.courses.choices = _course_choices()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(**_cohort_fields(form))
        except Invalid as exc:
            flash(exc.message, "error")
        else:
            flash(_("Cohort created."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@permission_required("cohorts.manage")
def edit(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    form = CohortForm(obj=cohort) if request.method == "GET" else CohortForm()
    form.courses.choices = _course_choices()
    if request.method == "GET":
        form.courses.data = [c.id for c in cohort.courses]
        form.signatories.data = services.format_signatories(cohort.signatories)
    if form.validate_on_submit():
        try:
            with attempt():
                services.update_cohort(cohort, **_cohort_fields(form))
        except Invalid as exc:
            flash(exc.message, "error")
        else:
            flash(_("Cohort saved."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.post("/<int:cohort_id>/archive")
@permission_required("cohorts.manage")
def archive(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    form = ArchiveForm()
    form.validate()
    restore = form.restore.data == "1"
    services.set_archived(cohort, not restore)
    flash(_("Cohort restored.") if restore else _("Cohort archived."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


@bp.get("/<int:cohort_id>")
@permission_required("cohorts.open")
def show(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    trainer_form = TrainerForm()
    trainer_form.trainer.choices = [(u.id, f"{u.name} ({u.email})") for u in services.trainers_available()]
    return render_template(
        "cohorts/show.html",
        cohort=cohort,
        enrol_form=EnrolForm(),
        trainer_form=trainer_form,
        trainees=services.trainees_with_groups(cohort),
        trainers=services.members(cohort, "trainer"),
        scopes=services.trainer_scopes(cohort),
        provinces=services.provinces_of(cohort),
        groups=services.groups_of(cohort),
    )


@bp.post("/<int:cohort_id>/enrol")
@permission_required("cohorts.manage")
def enrol(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    services.require_open(cohort)
    form = EnrolForm()
    if form.validate_on_submit():
        emails = [e.strip() for e in form.emails.data.replace(",", "\n").splitlines() if e.strip()]
        people = [user_by_email(e) for e in emails]
        unknown = [e for e, p in zip(emails, people, strict=False) if p is None]
        if unknown:
            flash(_("Nobody has these emails: %(emails)s. Nothing was changed.", emails=", ".join(unknown)), "error")
        else:
            added = services.enrol(cohort, [p for p in people if p is not None], form.role.data)
            flash(_("%(n)s people enrolled.", n=added), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


@bp.post("/<int:cohort_id>/unenrol/<int:user_id>")
@permission_required("cohorts.manage")
def unenrol(cohort_id: int, user_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    services.require_open(cohort)
    services.unenrol(cohort, user_id)
    flash(_("Removed from the cohort."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


@bp.route("/people/new", methods=["GET", "POST"])
@permission_required("accounts.manage_people")
def create_person():
    form = PersonForm()
    link = None
    if form.validate_on_submit():
        library = None
        if form.library.data:
            library = accounts.find_or_create_library(
                form.library.data.strip(),
                village=form.village.data or "",
                regency=form.regency.data or "",
                province=form.province.data or "",
            )
        try:
            with attempt():
                person = accounts.create_user(
                    name=form.name.data,
                    email=form.email.data,
                    role=form.role.data,
                    participant_type=form.participant_type.data or None,
                    library=library,
                )
                raw = accounts.create_invitation(person, created_by=current_user)
        except Invalid as exc:
            flash(exc.message, "error")
        else:
            link = accounts.invitation_url(raw)
            if mail.send_mail(
                person.email, _("Your Lentera account"), _("Open this link to set your password: %(url)s", url=link)
            ):
                flash(_("The invitation was also sent by email."), "info")
            form = PersonForm(formdata=None)
    return render_template("cohorts/person_form.html", form=form, link=link)


@bp.post("/people/<int:user_id>/reset-link")
@permission_required("accounts.manage_people")
def reset_link(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        return redirect(url_for("cohorts.index"))
    require(current_user, "accounts.reset_password_of", person, hide=False)
    raw = accounts.create_invitation(person, purpose="reset", created_by=current_user)
    return render_template("cohorts/person_form.html", form=None, link=accounts.invitation_url(raw), person=person)


# -- trainers and groups ----------------------------------------------------------


@bp.post("/<int:cohort_id>/trainers")
@permission_required("cohorts.manage")
def assign_trainer(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    services.require_open(cohort)
    form = TrainerForm()
    form.trainer.choices = [(u.id, u.name) for u in services.trainers_available()]
    if form.validate_on_submit():
        try:
            with attempt():
                trainer = db.session.get(User, form.trainer.data)
                if trainer is None:
                    raise Invalid(_("Choose a trainer."))
                services.assign_trainer(cohort, trainer, form.kind.data, form.value.data or "")
        except Invalid as exc:
            flash(exc.message, "error")
        else:
            flash(_("Trainer assigned."), "success")
    else:
        flash(_("Choose a trainer."), "error")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="trainers"))


@bp.post("/<int:cohort_id>/trainers/scopes/<int:scope_id>/remove")
@permission_required("cohorts.manage")
def remove_scope(cohort_id: int, scope_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    services.require_open(cohort)
    services.remove_trainer_scope(cohort, scope_id)
    flash(_("Assignment removed."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="trainers"))


@bp.post("/<int:cohort_id>/people/<int:user_id>/group")
@permission_required("cohorts.manage")
def set_group(cohort_id: int, user_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    form = GroupForm()
    form.validate()
    services.set_group(cohort, user_id, form.group.data or "")
    flash(_("Group saved."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="trainees"))
