"""Pages of activity documentation: posts, a library's page, the feed, the
leaderboard, mentoring (lights, notes, mentors' lists, thresholds), reports."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import PARTICIPANT_TYPES, Library, User
from lms.authz import permission_required
from lms.errors import ServiceError
from lms.extensions import db
from lms.libraries import mentoring, photos, policy, ranking, reports, services
from lms.libraries.forms import LightSettingsForm, MentoringNoteForm, MentorListForm, PostForm
from lms.libraries.models import AGE_GROUPS, KINDS, MAX_PHOTOS, PostPhoto
from lms.uow import attempt

bp = Blueprint("libraries", __name__, url_prefix="/libraries")


@bp.app_template_global()
def linked_activity_posts(text: str):
    """For a page showing a submission: the activity posts its text links to
    (see templates/libraries/macros.html, `linked_posts`)."""
    if not current_user.is_authenticated:
        return []
    return services.linked_posts(current_user, text)


@bp.context_processor
def _labels():
    return {"KINDS": KINDS, "AGE_GROUPS": AGE_GROUPS, "LIGHTS": mentoring.LIGHTS, "MAX_PHOTOS": MAX_PHOTOS}


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


# -- feed, leaderboard, library page ----------------------------------------------


@bp.get("/")
@login_required
def feed():
    filters = services.FeedFilter.from_args(request.args)
    return render_template(
        "libraries/feed.html", filters=filters, places=services.places(), posts=services.feed(filters, _page())
    )


@bp.get("/leaderboard")
@login_required
def leaderboard():
    period = ranking.parse_period(request.args.get("since"), request.args.get("until"))
    province = request.args.get("province", "").strip()
    return render_template(
        "libraries/leaderboard.html",
        period=period,
        province=province,
        ranks=ranking.leaderboard(period, province or None),
        places=services.places(),
        top=ranking.TOP,
    )


@bp.get("/mine")
@login_required
def mine():
    if current_user.library_id is None:
        flash(_("Your account is not linked to a library yet. Ask your organizer to add it."), "info")
        return redirect(url_for("libraries.feed"))
    return redirect(url_for("libraries.library", library_id=current_user.library_id))


@bp.get("/<int:library_id>")
@login_required
def library(library_id: int):
    found = services.get_library(library_id)
    period = ranking.current_cohort_period()
    return render_template(
        "libraries/library.html",
        library=found,
        posts=services.timeline(found, _page()),
        totals=services.monthly_totals(found, last=mentoring.last_month(period=period)),
        drafts=services.drafts_of(current_user, found),
        deleted=services.deleted_of(current_user, found),
        colleague=policy.is_colleague(current_user, found.id),
        may_mentor=policy.may_see_mentoring(current_user, found),
        report_month=mentoring.reference_month(period=period),
    )


@bp.get("/<int:library_id>/report.<fmt>")
@login_required
def report(library_id: int, fmt: str):
    if fmt not in ("csv", "pdf"):
        abort(404)
    found = services.get_library(library_id)
    month = ranking.parse_month(request.args.get("month")) or mentoring.reference_month(
        period=ranking.current_cohort_period()
    )
    data = reports.month_report(found, month)
    name = f"kegiatan-{found.id}-{month:%Y-%m}"
    if fmt == "csv":
        body = reports.as_csv(data, lambda p: url_for("libraries.post", post_id=p.id, _external=True))
        mimetype = "text/csv; charset=utf-8"
    else:
        body, mimetype = reports.as_pdf(data), "application/pdf"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# -- posts --------------------------------------------------------------------------


def _form_page(post, values: dict, *, draft_key: str, version: int, status: int = 200, theirs: str | None = None):
    return render_template(
        "libraries/post_form.html", post=post, values=values, draft_key=draft_key, version=version, theirs=theirs
    ), status


def _save(post=None):
    """The post form: 'draft' keeps a draft, 'publish' publishes, 'save' changes a published post."""
    form = PostForm()
    form.validate()
    draft_key = form.draft_key.data or ""
    try:
        with attempt():
            data = services.PostInput.from_form(form.values())
            saved, removed = services.save_post(
                current_user,
                data,
                post=post,
                draft_key=None if post else draft_key,
                base_version=form.draft_version.data,
                new_photos=request.files.getlist("photos"),
                remove_photo_ids=[] if form.remove_photo.errors else list(form.remove_photo.data or []),
                publish=form.action.data == "publish",
            )
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        current = post or (services.post_by_key(current_user, draft_key) if draft_key else None)
        version = form.draft_version.data or 0
        theirs = None
        if exc.status == 409 and current is not None:
            # Keep what was typed on the page and show the colleague's text beside it.
            version, theirs = current.version, current.story
        # What was typed goes back into the form as it was typed (photos must be chosen again).
        return _form_page(
            current, request.form.to_dict(), draft_key=draft_key, version=version, status=exc.status, theirs=theirs
        )
    photos.remove(removed)
    if saved.status == "published":
        flash(_("The activity is published."), "success")
        return redirect(url_for("libraries.post", post_id=saved.id))
    flash(_("Draft saved."), "success")
    return redirect(url_for("libraries.edit_post", post_id=saved.id))


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def new_post():
    if current_user.library_id is None:
        flash(_("Your account is not linked to a library yet. Ask your organizer to add it."), "info")
        return redirect(url_for("libraries.feed"))
    if request.method == "POST":
        return _save()
    values = services.PostInput(shows_people=True).as_form()
    return _form_page(None, values, draft_key=services.new_draft_key(), version=0)


@bp.get("/posts/<int:post_id>")
@login_required
def post(post_id: int):
    found = services.visible_post(current_user, post_id)
    return render_template(
        "libraries/post.html",
        post=found,
        today=ranking.today(),
        may_edit=policy.can_edit(current_user, found),
        may_delete=policy.can_delete(current_user, found),
        link=url_for("libraries.post", post_id=found.id, _external=True),
    )


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    found = services.editable_post(current_user, post_id)
    if request.method == "POST":
        return _save(found)
    return _form_page(
        found, services.PostInput.from_post(found).as_form(), draft_key=found.draft_key or "", version=found.version
    )


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    found = services.delete_post(current_user, post_id)
    flash(_("The activity is deleted."), "success")
    return redirect(url_for("libraries.library", library_id=found.library_id))


@bp.post("/posts/autosave/<key>")
def autosave(key: str):
    """Autosave from the page script (lentera.js initDraft): JSON {text, version}
    in, {version, saved_at} out, like the assignment drafts."""
    if not current_user.is_authenticated:
        return jsonify(
            {"error": {"code": "unauthorized", "message": _("Please sign in again; your text is kept on this device.")}}
        ), 401
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return jsonify({"error": {"code": "bad_request", "message": "expected {text, version}"}}), 400
    version = body.get("version")
    try:
        with attempt():
            saved = services.autosave(current_user, key, body["text"], version if isinstance(version, int) else None)
    except ServiceError as exc:
        return jsonify({"error": {"code": exc.code, "message": exc.message}}), exc.status
    return jsonify({"version": saved.version, "saved_at": saved.updated_at.isoformat()})


@bp.get("/photos/<int:photo_id>")
@bp.get("/photos/<int:photo_id>/<size>")
@login_required
def photo(photo_id: int, size: str = "web"):
    item = db.session.get(PostPhoto, photo_id)
    if item is None or size not in ("web", "thumb") or not services.can_view(current_user, item.post):
        abort(404)
    path = photos.path_of(item.thumb_name if size == "thumb" else item.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -- mentoring -------------------------------------------------------------------------


def _month_arg() -> date:
    return ranking.parse_month(request.args.get("month")) or mentoring.reference_month(
        period=ranking.current_cohort_period()
    )


@bp.get("/mentoring")
@login_required
def mentoring_list():
    province = request.args.get("province", "").strip() if policy.sees_every_province(current_user) else ""
    month = _month_arg()
    libraries = mentoring.mentored_libraries(current_user, province or None)
    if (
        not libraries
        and not policy.sees_every_province(current_user)
        and (current_user.participant_type not in mentoring.FACILITATOR_TYPES)
    ):
        abort(404)
    return render_template(
        "libraries/mentoring.html",
        rows=mentoring.lights_for(libraries, month),
        month=month,
        province=province,
        places=services.places(),
        settings=mentoring.get_settings(),
    )


@bp.route("/<int:library_id>/mentoring", methods=["GET", "POST"])
@login_required
def library_mentoring(library_id: int):
    found = services.get_library(library_id)
    if not policy.may_see_mentoring(current_user, found):
        abort(404)
    status = 200
    if request.method == "POST":
        note = MentoringNoteForm()
        note.validate()  # a date that does not parse is None; add_note says what is missing
        try:
            with attempt():
                mentoring.add_note(
                    current_user, found, note.visit_date.data, note.discussed.data or "", note.follow_up.data or ""
                )
                flash(_("The note is saved."), "success")
                return redirect(url_for("libraries.library_mentoring", library_id=found.id))
        except ServiceError as exc:
            if exc.status == 404:
                abort(404)
            flash(exc.message, "error")
            status = exc.status
    month = _month_arg()
    [row] = mentoring.lights_for([found], month, months=12)
    return render_template(
        "libraries/library_mentoring.html",
        library=found,
        row=row,
        month=month,
        notes=mentoring.notes_of(found),
        mentors=mentoring.mentors_of(found),
        may_write=policy.may_write_notes(current_user, found),
        settings=mentoring.get_settings(),
        form=request.form,
    ), status


@bp.get("/mentors")
@permission_required("libraries.manage_mentors")
def mentors():
    return render_template("libraries/mentors.html", people=mentoring.mentors(), types=PARTICIPANT_TYPES)


@bp.route("/mentors/<int:user_id>", methods=["GET", "POST"])
@permission_required("libraries.manage_mentors")
def mentor(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    if request.method == "POST":
        try:
            with attempt():
                change = MentorListForm()
                change.validate()
                mentoring.set_mentored(current_user, person, change.library.data or 0, change.action.data == "add")
                flash(_("The list is saved."), "success")
        except ServiceError as exc:
            flash(exc.message, "error")
        return redirect(url_for("libraries.mentor", user_id=person.id))
    ids = policy.mentored_library_ids(person)
    everyone = list(
        db.session.scalars(sa.select(Library).where(Library.kind == "village").order_by(Library.province, Library.name))
    )
    return render_template(
        "libraries/mentor.html",
        person=person,
        types=PARTICIPANT_TYPES,
        mine=[lib for lib in everyone if lib.id in ids],
        others=[lib for lib in everyone if lib.id not in ids],
    )


@bp.route("/settings", methods=["GET", "POST"])
@permission_required("libraries.manage_mentors")
def settings():
    status = 200
    if request.method == "POST":
        try:
            with attempt():
                thresholds = LightSettingsForm()
                thresholds.validate()
                mentoring.save_settings(current_user, thresholds.green_min.data, thresholds.yellow_min.data)
                flash(_("The thresholds are saved."), "success")
                return redirect(url_for("libraries.settings"))
        except ServiceError as exc:
            flash(exc.message, "error")
            status = exc.status
    return render_template("libraries/settings.html", settings=mentoring.get_settings()), status
