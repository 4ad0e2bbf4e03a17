"""Sign-in and out, invitations and password resets, the profile and API tokens."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms import mail
from lms.accounts import services
from lms.accounts.auth import user_by_email
from lms.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    SetPasswordForm,
    TokenForm,
)
from lms.errors import Invalid
from lms.extensions import limiter

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LMS_LOGIN_LIMIT"]


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _failed(_response) -> bool:
    # Only failures count: ten good sign-ins in a row never lock anyone out.
    return bool(getattr(g, "login_failed", False))


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed, scope="login-address")
@limiter.limit(_login_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed, scope="login-account")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            g.login_failed = True
            flash(_("The email or password is not right."), "error")
            return render_template("accounts/login.html", form=form), 401
        # A fresh session at sign-in: nothing from before survives (no fixation).
        language = session.get("lang")
        session.clear()
        session["sid"] = secrets.token_hex(16)
        if language:
            session["lang"] = language
        login_user(user)
        return redirect(_safe_next(request.args.get("next")) or url_for("learning.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/language/<code>")
def set_language(code: str):
    form = LanguageForm()
    form.validate()
    if code in ("id", "en"):
        session["lang"] = code
        if current_user.is_authenticated:
            services.set_language(current_user, code)
    return redirect(_safe_next(form.next.data) or url_for("learning.dashboard"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.valid_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.accept_invitation(token, form.password.data)
        session.clear()
        login_user(user)
        flash(_("Your password is set. Welcome to Lentera!"), "success")
        return redirect(url_for("learning.dashboard"))
    return render_template("accounts/set_password.html", form=form, person=invitation.user, purpose=invitation.purpose)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is not None and user.active and mail.smtp_configured():
            raw = services.create_invitation(user, purpose="reset")
            mail.send_mail(
                user.email,
                _("Reset your Lentera password"),
                _("Open this link to choose a new password: %(url)s", url=services.invitation_url(raw)),
            )
        # The same answer whether or not the address is known.
        flash(
            _(
                "If this address is registered, a link to reset the password is on its way. "
                "No email? Ask your organizer for a reset link."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form, smtp=mail.smtp_configured())


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user, name=form.name.data, language=form.language.data, timezone=form.timezone.data
        )
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        password_form=ChangePasswordForm(prefix="pw"),
        token_form=TokenForm(prefix="tk"),
        tokens=services.user_tokens(current_user),
        new_token=session.pop("new_token", None),
    )


@bp.post("/profile/password")
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except Invalid as exc:
            flash(exc.message, "error")
            return redirect(url_for("accounts.profile"))
        login_user(current_user._get_current_object())  # the session carries the new session token
        flash(_("Your password is changed. Other devices are signed out."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = TokenForm(prefix="tk")
    if form.validate_on_submit():
        _token, raw = services.create_api_token(current_user, form.name.data)
        # Shown once, on the next page, then never again.
        session["new_token"] = raw
    return redirect(url_for("accounts.profile", _anchor="tokens"))


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if services.revoke_api_token(current_user, token_id):
        flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.profile", _anchor="tokens"))
