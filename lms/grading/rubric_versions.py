"""Rubric versions: a changed rubric in a pack becomes a new version; grades keep
the version they were given with. Grading owns them and keeps them in step with
the packs by reacting to `activity_synced`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from lms.coursepacks.models import Activity
from lms.extensions import db
from lms.grading.models import RubricVersion
from lms.signals import activity_synced


def current_rubric(activity: Activity) -> RubricVersion | None:
    return db.session.scalar(
        sa.select(RubricVersion)
        .where(RubricVersion.activity_id == activity.id)
        .order_by(RubricVersion.version.desc())
        .limit(1)
    )


def require_rubric(activity: Activity) -> RubricVersion:
    """The current rubric of an activity that is graded with one."""
    rubric = current_rubric(activity)
    if rubric is None:
        raise LookupError(f"activity {activity.id} ({activity.slug}) has no rubric")
    return rubric


def current_rubrics(activity_ids: list[int]) -> dict[int, RubricVersion]:
    """The latest version of each activity's rubric, in one query."""
    latest = (
        sa.select(RubricVersion.activity_id, sa.func.max(RubricVersion.version).label("version"))
        .where(RubricVersion.activity_id.in_(activity_ids or [0]))
        .group_by(RubricVersion.activity_id)
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(RubricVersion).join(
            latest,
            sa.and_(RubricVersion.activity_id == latest.c.activity_id, RubricVersion.version == latest.c.version),
        )
    )
    return {row.activity_id: row for row in rows}


@activity_synced.connect
def keep_rubric_version(_sender: Any, *, activity: Activity, loaded: Any, **_: Any) -> None:
    digest = getattr(loaded, "rubric_hash", None)
    if digest is None:
        return
    latest = current_rubric(activity)
    if latest is not None and latest.content_hash == digest:
        return
    db.session.add(
        RubricVersion(
            activity_id=activity.id,
            version=(latest.version + 1) if latest else 1,
            content_hash=digest,
            data=loaded.rubric,
        )
    )
    db.session.flush()
