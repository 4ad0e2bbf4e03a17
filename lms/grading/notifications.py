"""Notifications inside the app: released or returned work, new submissions."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.extensions import db, utcnow
from lms.grading.models import Notification


def notify(user_id: int, kind: str, message: str, link: str = "") -> None:
    db.session.add(Notification(user_id=user_id, kind=kind, message=message[:300], link=link[:300]))


def notify_many(items: list[tuple[int, str, str, str]]) -> None:
    """Many notifications (user_id, kind, message, link) in one statement."""
    if items:
        db.session.execute(
            sa.insert(Notification),
            [{"user_id": u, "kind": k, "message": m[:300], "link": link[:300]} for u, k, m, link in items],
        )


def unread_notifications(user: User, limit: int = 10) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc())
            .limit(limit)
        )
    )


def mark_read(user: User, notification_id: int | None = None) -> None:
    query = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()))
