"""Who may see and change a library's posts and its mentoring (rules registered
in lms.authz), and the scoped query of the libraries a mentor looks after."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import Library, User
from lms.authz import rule
from lms.extensions import db
from lms.libraries.models import MentorLibrary, Post


def is_colleague(user: User, library_id: int) -> bool:
    return user.library_id is not None and user.library_id == library_id


@rule("libraries.view_post")
def can_view(user: User, post: Post) -> bool:
    """Published posts: every signed-in person. Drafts: the library's people.
    Deleted posts: nobody (the library page keeps a record of who deleted what)."""
    if post.deleted_at is not None:
        return False
    return post.status == "published" or is_colleague(user, post.library_id)


@rule("libraries.edit_post")
def can_edit(user: User, post: Post) -> bool:
    return post.deleted_at is None and is_colleague(user, post.library_id)


@rule("libraries.delete_post")
def can_delete(user: User, post: Post) -> bool:
    """Colleagues, and organizers (to take down a published post that should not
    be there; a draft is not public, so there is nothing of it to take down)."""
    if post.deleted_at is not None:
        return False
    return is_colleague(user, post.library_id) or (user.has_role("organizer") and post.status == "published")


def default_library_ids(mentor: User) -> sa.Select | None:
    """Village libraries of the mentor's regency (district facilitator) or
    province (provincial facilitator), from the mentor's own library."""
    home = mentor.library
    if home is None:
        return None
    village = sa.select(Library.id).where(Library.kind == "village")
    if mentor.participant_type == "district_facilitator" and home.regency:
        return village.where(Library.regency == home.regency, Library.province == home.province)
    if mentor.participant_type == "provincial_facilitator" and home.province:
        return village.where(Library.province == home.province)
    return None


def mentored_library_ids(mentor: User) -> set[int]:
    query = default_library_ids(mentor)
    ids = set(db.session.scalars(query)) if query is not None else set()
    for change in db.session.scalars(sa.select(MentorLibrary).where(MentorLibrary.mentor_id == mentor.id)):
        (ids.add if change.included else ids.discard)(change.library_id)
    return ids


@rule("libraries.see_mentoring")
def may_see_mentoring(user: User, library: Library) -> bool:
    return user.has_role("organizer") or user.library_id == library.id or library.id in mentored_library_ids(user)


@rule("libraries.mentor")
def may_mentor(user: User, _obj: object = None) -> bool:
    """The mentoring pages: organizers and facilitators."""
    return user.has_role("organizer") or user.participant_type in ("district_facilitator", "provincial_facilitator")


@rule("libraries.manage_mentors")
def may_manage_mentors(user: User, _obj: object = None) -> bool:
    return user.has_role("organizer")


@rule("libraries.see_every_province")
def sees_every_province(user: User, _obj: object = None) -> bool:
    return user.has_role("organizer")


@rule("libraries.write_notes")
def may_write_notes(user: User, library: Library) -> bool:
    return user.has_role("organizer") or library.id in mentored_library_ids(user)


@rule("libraries.see_deletions")
def sees_deletions(user: User, library: Library) -> bool:
    """The record of deleted posts: the library's people and organizers."""
    return is_colleague(user, library.id) or user.has_role("organizer")
