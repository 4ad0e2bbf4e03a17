"""Reminders to at-risk participants: a personal message naming what is
missing and by when, sent by email (when SMTP is configured) or opened in
WhatsApp, and recorded.

The message is written in Indonesian whatever the organizer's interface
language: it goes to the participant, and the programme's participants read
Indonesian. Its wording is here, not in the interface catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app
from flask_babel import gettext as _

from lms import mail
from lms.accounts.models import User
from lms.cohorts.models import Cohort
from lms.coursepacks.models import Activity
from lms.errors import Invalid
from lms.extensions import db
from lms.learning.models import Progress
from lms.reports.completion import Completion, activity_role
from lms.reports.models import Reminder

CHANNELS = ("email", "whatsapp")
MAX_AT_ONCE = 500


@dataclass
class Message:
    user_id: int
    name: str
    email: str
    text: str

    @property
    def whatsapp_url(self) -> str:
        return "https://wa.me/?text=" + quote(self.text, safe="")


def _tanggal(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


def _what(activity: Activity, status: str | None) -> str:
    """What is missing on one activity, in Indonesian."""
    role = activity_role(activity)
    title = f"\u201c{activity.title}\u201d"
    if status in ("submitted", "graded"):
        return f"{title} sudah dikirim dan sedang menunggu nilai dari pelatih"
    if status == "revise":
        return f"{title} dikembalikan untuk direvisi: perbaiki lalu kirim lagi"
    if status == "failed" and role == "graded":
        return f"{title} belum mencapai nilai lulus: kirim perbaikan bila masih ada kesempatan"
    if status == "failed":
        return f"{title} belum lulus: coba lagi"
    if role == "graded":
        return f"{title} belum dikirim"
    if role in ("pre", "post", "quiz"):
        return f"{title} belum dikerjakan"
    return f"{title} belum diselesaikan"


def deadline(cohort: Cohort) -> date | None:
    """Everything is due before the milestone opens: the day before it."""
    return cohort.milestone_date - timedelta(days=1) if cohort.milestone_date else None


def compose(completion: Completion, user_ids: list[int]) -> list[Message]:
    """A message for each chosen participant who is not complete. One query
    for the progress rows of all of them, whatever their number."""
    cohort = completion.cohort
    chosen = [p for p in completion.participants if p.id in set(user_ids) and not p.completed]
    if not chosen:
        return []
    if len(chosen) > MAX_AT_ONCE:
        raise Invalid(_("At most %(n)s reminders at once.", n=MAX_AT_ONCE))
    ids = [a.id for acts in completion.activities.values() for a in acts]
    rows: dict[tuple[int, int], tuple[str, bool]] = {}
    for user_id, activity_id, status, completed_at in db.session.execute(
        sa.select(Progress.user_id, Progress.activity_id, Progress.status, Progress.completed_at).where(
            Progress.user_id.in_([p.id for p in chosen]), Progress.activity_id.in_(ids or [0])
        )
    ):
        rows[(user_id, activity_id)] = (status, completed_at is not None)
    due = deadline(cohort)
    base = current_app.config["LMS_BASE_URL"].rstrip("/")
    messages = []
    for p in chosen:
        lines = []
        for course in completion.missing(p):
            missing = [a for a in completion.activities[course.id] if not rows.get((p.id, a.id), ("", False))[1]]
            items = "; ".join(_what(a, rows.get((p.id, a.id), (None, False))[0]) for a in missing)
            lines.append(f"- Modul {course.title}: {items}.")
        milestone = cohort.milestone_title or "tonggak angkatan"
        when = f" pada {_tanggal(cohort.milestone_date)}" if cohort.milestone_date else ""
        text = (
            f"Halo {p.name},\n\n"
            f"Ini pengingat dari panitia {cohort.name}. Agar siap mengikuti {milestone}{when}, "
            f"masih ada yang perlu diselesaikan di Lentera:\n"
            + "\n".join(lines)
            + (f"\n\nBatas waktu: {_tanggal(due)}." if due else "")
            + f"\n\nBuka Lentera: {base}/\n\nTerima kasih dan tetap semangat!\nPanitia {cohort.name}"
        )
        messages.append(Message(p.id, p.name, p.email, text))
    return messages


def record(cohort: Cohort, messages: list[Message], channel: str, sender: User) -> int:
    """Send (email) or hand out (WhatsApp links) and keep a row for each."""
    if channel not in CHANNELS:
        raise Invalid(_("Unknown channel."))
    if channel == "email" and not mail.smtp_configured():
        raise Invalid(_("Email is not configured on this server."))
    for message in messages:
        db.session.add(
            Reminder(
                cohort_id=cohort.id,
                user_id=message.user_id,
                sent_by_id=sender.id,
                channel=channel,
                message=message.text,
            )
        )
    db.session.flush()
    return len(messages)


def send_emails(cohort: Cohort, messages: list[Message]) -> int:
    """After the commit: the emails themselves."""
    sent = 0
    for message in messages:
        if mail.send_mail(message.email, f"Pengingat: {cohort.name}", message.text):
            sent += 1
    return sent


def history(cohort: Cohort, limit: int = 100) -> list[tuple[Reminder, str]]:
    return list(
        db.session.execute(
            sa.select(Reminder, User.name)
            .join(User, User.id == Reminder.user_id)
            .where(Reminder.cohort_id == cohort.id)
            .order_by(Reminder.created_at.desc())
            .limit(limit)
        ).tuples()
    )
