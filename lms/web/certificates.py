"""Certificate pages: the public verification, the download, issuing, revoking."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import User
from lms.authz import permission_required
from lms.certificates import pdf, policy, services
from lms.certificates.forms import IssueForm, RevokeForm
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.errors import NotFound, ServiceError
from lms.extensions import db, limiter

bp = Blueprint("certificates", __name__)


@bp.get("/verify")
@bp.get("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str | None = None):
    """Public: anyone holding a certificate's code can check it, without signing in."""
    code = code or request.args.get("code", "")
    certificate = services.find(code) if code else None
    if code and certificate is not None and certificate.code != code:
        return redirect(url_for("certificates.verify", code=certificate.code))
    status = 200 if certificate is not None or not code else 404
    return render_template("certificates/verify.html", code=code, certificate=certificate), status


def _get(code: str):
    certificate = services.find(code)
    if certificate is None or not policy.can_download(current_user, certificate):
        raise NotFound(_("No such certificate."))
    return certificate


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    certificate = _get(code)
    if certificate.revoked:
        flash(_("This certificate was revoked."), "error")
        return redirect(url_for("certificates.verify", code=certificate.code))
    body = pdf.render(certificate, services.verify_url(certificate.code))
    filename = f"sertifikat-{certificate.code}.pdf"
    return Response(
        body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.post("/certificates/cohort/<int:cohort_id>/issue")
@login_required
def issue(cohort_id: int):
    """A participant asks for their own certificate; an organizer issues one
    for a participant (user_id) of a cohort."""

    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("No such cohort."))
    form = IssueForm()
    form.validate()
    person = current_user
    if policy.can_manage(current_user) and form.user_id.data:
        person = db.session.get(User, form.user_id.data)
        if person is None:
            raise NotFound(_("No such person."))
    try:
        certificate = services.issue(cohort, person, current_user)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(
            url_for("learning.dashboard")
            if person.id == current_user.id
            else url_for("certificates.manage", cohort_id=cohort.id)
        )
    if person.id == current_user.id:
        return redirect(url_for("certificates.download", code=certificate.code))
    flash(_("Certificate issued: %(code)s.", code=certificate.code), "success")
    return redirect(url_for("certificates.manage", cohort_id=cohort.id))


@bp.get("/certificates/cohort/<int:cohort_id>")
@permission_required("certificates.manage")
def manage(cohort_id: int):
    cohort = cohorts.get_visible_cohort(current_user, cohort_id)
    return render_template(
        "certificates/manage.html",
        cohort=cohort,
        certificates=services.of_cohort(cohort),
        names={u.id: u.name for u in cohorts.members(cohort, "trainee")},
    )


@bp.post("/certificates/cohort/<int:cohort_id>/issue-all")
@permission_required("certificates.manage")
def issue_all(cohort_id: int):
    cohort = cohorts.get_visible_cohort(current_user, cohort_id)
    issued = services.issue_all(cohort, current_user)
    flash(_("%(n)s certificates issued.", n=issued), "success")
    return redirect(url_for("certificates.manage", cohort_id=cohort.id))


@bp.post("/certificates/<code>/revoke")
@permission_required("certificates.manage")
def revoke(code: str):
    certificate = _get(code)
    form = RevokeForm()
    form.validate()
    services.revoke(certificate, current_user, form.reason.data or "")
    flash(_("Certificate %(code)s revoked.", code=certificate.code), "success")
    return redirect(url_for("certificates.manage", cohort_id=certificate.cohort_id))
