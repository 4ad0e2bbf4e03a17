"""The organizers' working pages of a cohort: completion dashboard, at-risk list,
exports, participant import, reminders. Routes of the `cohorts` blueprint."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import mail
from lms.accounts.models import PARTICIPANT_TYPES
from lms.authz import permission_required
from lms.cohorts import importing, services
from lms.cohorts.forms import ChosenParticipantsForm, ConfirmImportForm, ImportForm
from lms.errors import Invalid, NotFound
from lms.reports import charts, completion, exports, reminders
from lms.uow import after_commit, attempt
from lms.web.cohorts.blueprint import bp

AT_RISK_ON_DASHBOARD = 10


def _choices(result: completion.Completion) -> dict:
    """What the filters of a participant table offer."""
    return {
        "provinces": sorted({p.province for p in result.participants if p.province}),
        "groups": sorted({p.group for p in result.participants if p.group}),
        "types": PARTICIPANT_TYPES,
    }


@bp.get("/<int:cohort_id>/dashboard")
@permission_required("cohorts.see_reports")
def dashboard(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    result = completion.compute(cohort, viewer=current_user)
    query = completion.TableQuery.from_args(request.args)
    page = completion.paginate(completion.filter_participants(result.participants, query), query.page)
    at_risk = result.at_risk()
    return render_template(
        "cohorts/dashboard.html",
        cohort=cohort,
        result=result,
        query=query,
        page=page,
        by_course=result.by_course(),
        chart=charts.module_bars(result.by_course(), result.total),
        by_province=result.by_province(),
        by_type=result.by_type(),
        gain=result.gain(),
        at_risk=at_risk[:AT_RISK_ON_DASHBOARD],
        at_risk_total=len(at_risk),
        **_choices(result),
        blockers=completion.BLOCKERS,
        statuses=completion.MODULE_STATUSES,
    )


@bp.get("/<int:cohort_id>/at-risk")
@permission_required("cohorts.see_reports")
def at_risk(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    result = completion.compute(cohort, viewer=current_user)
    query = completion.TableQuery.from_args(request.args)
    course_slug, blocker = request.args.get("module", ""), request.args.get("blocker", "")
    query.extra = {"module": course_slug, "blocker": blocker}
    people = completion.filter_participants(result.at_risk(), query)
    if course_slug or blocker:
        ids = [c.id for c in result.courses if not course_slug or c.slug == course_slug]
        people = [
            p
            for p in people
            if any(not p.cells[cid].completed and (not blocker or blocker in p.cells[cid].blockers) for cid in ids)
        ]
    page = completion.paginate(people, query.page, size=100)
    return render_template(
        "cohorts/at_risk.html",
        cohort=cohort,
        result=result,
        query=query,
        page=page,
        module=course_slug,
        blocker=blocker,
        blockers=completion.BLOCKERS,
        **_choices(result),
    )


@bp.get("/<int:cohort_id>/export/<kind>.<fmt>")
@permission_required("cohorts.see_reports")
def export(cohort_id: int, kind: str, fmt: str):
    if kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise NotFound(_("No such export."))
    cohort = services.get_visible_cohort(current_user, cohort_id)
    table = exports.build(kind, completion.compute(cohort, viewer=current_user, with_progress=kind != "gradebook"))
    name = f"{_slug(cohort.name)}-{kind}.{fmt}"
    if fmt == "csv":
        body = exports.to_csv(table, ";" if request.args.get("delimiter") == "semicolon" else ",")
        mimetype = "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60] or "cohort"


# -- import ------------------------------------------------------------------------


def _pending_dir() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):  # previews left unconfirmed for a day
        if old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    return folder


def _keep_pending(cohort_id: int, filename: str, rows: list[importing.Row]) -> str:
    token = secrets.token_urlsafe(24)
    (_pending_dir() / f"{token}.json").write_text(
        json.dumps(
            {
                "user_id": current_user.id,
                "cohort_id": cohort_id,
                "filename": filename,
                "rows": [[r.line, r.values] for r in rows],
            }
        ),
        encoding="utf-8",
    )
    return token


def _load_pending(cohort_id: int, token: str) -> tuple[str, list[importing.Row]] | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _pending_dir() / f"{token}.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["user_id"] != current_user.id or data["cohort_id"] != cohort_id:
        return None
    return data["filename"], [importing.Row(line, values) for line, values in data["rows"]]


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@permission_required("cohorts.manage")
def import_participants(cohort_id: int):
    """Upload → preview (nothing written) → confirm."""
    cohort = services.get_visible_cohort(current_user, cohort_id)
    form = ImportForm()
    errors, plan, token, filename = [], None, None, ""
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or ""
        data = upload.stream.read(importing.MAX_BYTES + 1)
        try:
            rows = importing.read_rows(data, filename)
            plan = importing.plan_import(cohort, rows)
        except importing.ImportRejected as exc:
            errors = exc.errors
        else:
            token = _keep_pending(cohort.id, filename, rows)
    return render_template(
        "cohorts/import.html",
        cohort=cohort,
        form=form,
        errors=errors,
        plan=plan,
        token=token,
        filename=filename,
        columns=importing.COLUMNS,
        types=PARTICIPANT_TYPES,
    )


@bp.post("/<int:cohort_id>/import/confirm")
@permission_required("cohorts.manage")
def confirm_import(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    confirm = ConfirmImportForm()
    confirm.validate()
    token = confirm.token.data or ""
    pending = _load_pending(cohort.id, token)
    if pending is None:
        flash(_("This preview has expired. Please upload the file again."), "error")
        return redirect(url_for("cohorts.import_participants", cohort_id=cohort.id))
    filename, rows = pending
    try:
        with attempt():
            plan = importing.plan_import(cohort, rows)
            invitations = importing.apply_import(plan, current_user)
    except importing.ImportRejected as exc:
        return render_template(
            "cohorts/import.html",
            cohort=cohort,
            form=ImportForm(),
            errors=exc.errors,
            plan=None,
            token=None,
            filename=filename,
            columns=importing.COLUMNS,
            types=PARTICIPANT_TYPES,
        )
    after_commit((_pending_dir() / f"{token}.json").unlink, missing_ok=True)
    emailed = importing.send_invitations(invitations)
    return render_template(
        "cohorts/import_done.html", cohort=cohort, report=plan.report(), invitations=invitations, emailed=emailed
    )


@bp.get("/import-template.<fmt>")
@permission_required("cohorts.manage")
def import_template(fmt: str):
    if fmt == "csv":
        return Response(
            importing.template_csv(),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="lentera-peserta.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            importing.template_xlsx(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="lentera-peserta.xlsx"'},
        )
    raise NotFound(_("No such template."))


# -- reminders -------------------------------------------------------------------------


def _chosen() -> ChosenParticipantsForm:
    form = ChosenParticipantsForm()
    form.validate()
    return form


def _chosen_ids() -> list[int]:
    return list(_chosen().user_id.data or [])


@bp.post("/<int:cohort_id>/reminders/compose")
@permission_required("cohorts.manage")
def compose_reminders(cohort_id: int):
    """Show the personal messages for the chosen participants (nothing is sent yet)."""
    cohort = services.get_visible_cohort(current_user, cohort_id)
    ids = _chosen_ids()
    if not ids:
        flash(_("Choose at least one participant."), "error")
        return redirect(url_for("cohorts.at_risk", cohort_id=cohort.id))
    messages = reminders.compose(completion.compute(cohort, user_ids=ids), ids)
    return render_template(
        "cohorts/reminders_compose.html", cohort=cohort, messages=messages, sent=None, smtp=mail.smtp_configured()
    )


@bp.post("/<int:cohort_id>/reminders/send")
@permission_required("cohorts.manage")
def send_reminders(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    chosen = _chosen()
    ids, channel = list(chosen.user_id.data or []), chosen.channel.data or ""
    messages = reminders.compose(completion.compute(cohort, user_ids=ids), ids)
    try:
        count = reminders.record(cohort, messages, channel, current_user)
    except Invalid as exc:
        flash(exc.message, "error")
        return redirect(url_for("cohorts.at_risk", cohort_id=cohort.id))
    if channel == "email":
        sent = reminders.send_emails(cohort, messages)
        flash(_("%(n)s reminders sent by email.", n=sent), "success")
        return redirect(url_for("cohorts.reminder_history", cohort_id=cohort.id))
    flash(_("%(n)s reminders recorded. Open each link to send it in WhatsApp.", n=count), "success")
    return render_template(
        "cohorts/reminders_compose.html", cohort=cohort, messages=messages, sent="whatsapp", smtp=mail.smtp_configured()
    )


@bp.get("/<int:cohort_id>/reminders")
@permission_required("cohorts.manage")
def reminder_history(cohort_id: int):
    cohort = services.get_visible_cohort(current_user, cohort_id)
    return render_template("cohorts/reminders.html", cohort=cohort, items=reminders.history(cohort))
