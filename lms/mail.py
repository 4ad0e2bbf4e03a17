"""Mail, sent only when SMTP is configured and only after the commit of the
unit of work that asked for it (a rolled-back request sends nothing)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from lms.uow import after_commit


def smtp_configured() -> bool:
    return bool(current_app.config.get("LMS_SMTP_HOST"))


def deliver(to: str, subject: str, body: str) -> None:
    """Hand one message to the SMTP server now."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["LMS_SMTP_SENDER"], to, subject
    message.set_content(body)
    with smtplib.SMTP(cfg["LMS_SMTP_HOST"], cfg["LMS_SMTP_PORT"], timeout=10) as smtp:
        if cfg.get("LMS_SMTP_USER"):
            smtp.starttls()
            smtp.login(cfg["LMS_SMTP_USER"], cfg["LMS_SMTP_PASSWORD"])
        smtp.send_message(message)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Queue a message for after the commit; False when no SMTP server is set."""
    if not smtp_configured():
        return False
    after_commit(deliver, to, subject, str(body))
    return True
