"""Sync validated packs into the database, in the caller's transaction.

Activities are keyed by (course slug, activity slug): edited text updates in place
and bumps the version; progress and submissions stay. What vanished from the packs
is archived, never deleted. Other areas keep their own data in step (grading's
rubric versions) by subscribing to `activity_synced`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.coursepacks.models import Activity, Course
from lms.coursepacks.source import LoadedActivity, LoadedPack
from lms.extensions import db, utcnow
from lms.markup import render_markdown
from lms.signals import activity_synced, app_sender


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: int = 0

    def lines(self) -> list[str]:
        out = [f"created {k}" for k in self.created]
        out += [f"updated {k}" for k in self.updated]
        out += [f"archived {k}" for k in self.archived]
        out.append(
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.archived)} archived, {self.unchanged} unchanged"
        )
        return out


def asset_base(course_slug: str) -> str:
    return f"/courses/{course_slug}/files"


LEADING_H1 = re.compile(r"\A\s*#(?!#)[^\n]*\n")


def render_body(course_slug: str, loaded: LoadedActivity) -> str:
    if not loaded.body:
        return ""
    doc_dir = posixpath.dirname(loaded.config.get("body", ""))
    # The page already shows the activity title as its heading: drop a leading "# Title".
    body = LEADING_H1.sub("", loaded.body, count=1)
    return str(render_markdown(body, asset_base=asset_base(course_slug), doc_dir=doc_dir))


def sync_packs(packs: list[LoadedPack]) -> SyncReport:
    report = SyncReport()
    courses = {c.slug: c for c in db.session.scalars(sa.select(Course))}
    seen: set[str] = set()
    for pack in packs:
        seen.add(pack.slug)
        course = courses.get(pack.slug)
        if course is None:
            course = Course(slug=pack.slug)
            db.session.add(course)
            report.created.append(pack.slug)
        elif (course.title, course.summary, course.order, course.hours, course.language, course.archived) != (
            pack.title,
            pack.summary,
            pack.order,
            pack.hours,
            pack.language,
            False,
        ):
            report.updated.append(pack.slug)
        course.title, course.summary, course.order = pack.title, pack.summary, pack.order
        course.hours, course.language, course.archived = pack.hours, pack.language, False
        course.source_path = str(pack.path.resolve())
        course.synced_at = utcnow()
        db.session.flush()
        _sync_activities(course, pack, report)
    for slug, course in courses.items():
        if slug not in seen and not course.archived:
            course.archived = True
            report.archived.append(slug)
    db.session.flush()
    return report


def _sync_activities(course: Course, pack: LoadedPack, report: SyncReport) -> None:
    existing = {a.slug: a for a in course.activities}
    current: set[str] = set()
    for loaded in pack.activities:
        current.add(loaded.slug)
        key = f"{course.slug}/{loaded.slug}"
        activity = existing.get(loaded.slug)
        digest = loaded.content_hash
        if activity is None:
            activity = Activity(course=course, slug=loaded.slug, version=1)
            db.session.add(activity)
            report.created.append(key)
        elif activity.content_hash != digest or activity.archived or activity.position != loaded.position:
            if activity.content_hash != digest:
                activity.version += 1
            report.updated.append(key)
        else:
            report.unchanged += 1
        activity.type, activity.title, activity.position = loaded.type, loaded.title, loaded.position
        activity.config, activity.body = loaded.config, loaded.body
        activity.body_html = render_body(course.slug, loaded)
        activity.content_hash, activity.archived = digest, False
        activity.updated_at = utcnow()
        db.session.flush()
        activity_synced.send(app_sender(), activity=activity, loaded=loaded)
    for slug, activity in existing.items():
        if slug not in current and not activity.archived:
            activity.archived = True
            report.archived.append(f"{course.slug}/{slug}")
