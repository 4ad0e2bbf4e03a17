"""Activity documentation: a library's posts and their photos, the mentors'
lists and notes, and the organizers' traffic-light thresholds."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import Library, User

# Kinds of activity, one list for everyone so that the numbers add up
# (course 03, lesson "unsur-catatan": agree on one list and keep to it).
KINDS = {
    "reading": _l("Reading and literacy"),
    "training": _l("Training (ICT and other)"),
    "skills": _l("Skills training"),
    "community_meeting": _l("Community meeting"),
    "information": _l("Information service"),
    "exhibition": _l("Exhibition"),
    "competition": _l("Competition or festival"),
    "other": _l("Other"),
}

# The example age groups of course 03 (children < 13, teenagers 13-18, adults
# 19-59, older people 60+): the column on Post is "age_" + the key.
AGE_GROUPS = {
    "children": _l("Children (under 13)"),
    "teens": _l("Teenagers (13-18)"),
    "adults": _l("Adults (19-59)"),
    "elderly": _l("Older people (60 and over)"),
}

MAX_PHOTOS = 6
# A story this long counts a post on the leaderboard even without a photo.
STORY_MIN_CHARS = 100


class Post(Model):
    """One documented activity of a library. `status` is draft or published;
    deleting sets `deleted_at`/`deleted_by_id` and keeps the row."""

    __tablename__ = "library_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(sa.ForeignKey("library.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    # The title lower-cased with its spaces collapsed: one activity posted twice
    # (same library, date and title_key) counts once.
    title_key: Mapped[str] = mapped_column(sa.String(200), default="")
    activity_date: Mapped[date | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(sa.String(40), default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    male: Mapped[int] = mapped_column(default=0)
    female: Mapped[int] = mapped_column(default=0)
    age_children: Mapped[int] = mapped_column(default=0)
    age_teens: Mapped[int] = mapped_column(default=0)
    age_adults: Mapped[int] = mapped_column(default=0)
    age_elderly: Mapped[int] = mapped_column(default=0)
    partners: Mapped[str] = mapped_column(sa.String(500), default="")
    story: Mapped[str] = mapped_column(sa.Text, default="")
    story_chars: Mapped[int] = mapped_column(default=0)
    # Text autosaved while a published post is being edited, until it is saved.
    pending_story: Mapped[str | None] = mapped_column(sa.Text)
    shows_people: Mapped[bool] = mapped_column(default=True)
    consent: Mapped[bool] = mapped_column(default=False)
    # Rises with every save; a save made from an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    # Made by the form that started the post: autosaves and a double click
    # find the same post again instead of making a second one.
    draft_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    library: Mapped[Library] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])
    photos: Mapped[list[PostPhoto]] = relationship(
        back_populates="post", order_by="PostPhoto.position, PostPhoto.id", cascade="all, delete-orphan"
    )

    @property
    def participants(self) -> int:
        return self.male + self.female

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def ages(self) -> dict[str, int]:
        return {key: getattr(self, f"age_{key}") for key in AGE_GROUPS}

    def counts_on(self, today: date) -> bool:
        """The leaderboard's rule for one post (ranking.counted_posts is the same in SQL)."""
        return (
            self.status == "published"
            and self.deleted_at is None
            and bool(self.title_key)
            and self.activity_date is not None
            and self.activity_date <= today
            and (bool(self.photos) or self.story_chars >= STORY_MIN_CHARS)
        )


class PostPhoto(Model):
    """A processed photo: a web size and a thumbnail, JPEG, without metadata."""

    __tablename__ = "library_post_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("library_post.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    thumb_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="photos")


class MentorLibrary(Model):
    """An organizer's change to a mentor's default list: a library added
    (`included`) or taken away (not `included`)."""

    __tablename__ = "mentor_library"

    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    library_id: Mapped[int] = mapped_column(sa.ForeignKey("library.id", ondelete="CASCADE"), primary_key=True)
    included: Mapped[bool] = mapped_column(default=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentoringNote(Model):
    """What a mentor discussed with a library, and the follow-up (RTL)."""

    __tablename__ = "mentoring_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(sa.ForeignKey("library.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    visit_date: Mapped[date]
    discussed: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class LightSettings(Model):
    """The organizers' traffic-light thresholds (one row; defaults until saved)."""

    __tablename__ = "library_light_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    green_min: Mapped[int] = mapped_column(default=4)
    yellow_min: Mapped[int] = mapped_column(default=2)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
