"""Activity posts: who may see and change them, saving (drafts, publishing,
photos, autosave), soft deletion, the feed and a library's page."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, fields
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import FileStorage

from lms.accounts.models import Library, User
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db, utcnow
from lms.libraries import photos as photo_files
from lms.libraries import ranking
from lms.libraries.models import AGE_GROUPS, KINDS, MAX_PHOTOS, Post, PostPhoto
from lms.libraries.policy import can_delete, can_edit, can_view, is_colleague, sees_deletions

KEY_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_PARTICIPANTS = 100_000


def visible_post(user: User, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_view(user, post):
        raise NotFound(_("No such activity."))
    return post


def editable_post(user: User, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_edit(user, post):
        raise NotFound(_("No such activity."))
    return post


def new_draft_key() -> str:
    return secrets.token_hex(16)


def post_by_key(user: User, key: str) -> Post | None:
    """The post a form started (by its draft key), if the user may edit it."""
    if not KEY_RE.match(key or ""):
        raise NotFound(_("No such activity."))
    post = db.session.scalar(sa.select(Post).where(Post.draft_key == key))
    if post is not None and not can_edit(user, post):
        raise NotFound(_("No such activity."))
    return post


# -- input -------------------------------------------------------------------------


@dataclass
class PostInput:
    title: str = ""
    activity_date: date | None = None
    kind: str = ""
    place: str = ""
    male: int = 0
    female: int = 0
    age_children: int = 0
    age_teens: int = 0
    age_adults: int = 0
    age_elderly: int = 0
    partners: str = ""
    story: str = ""
    shows_people: bool = False
    consent: bool = False

    NUMBERS = ("male", "female", "age_children", "age_teens", "age_adults", "age_elderly")

    @classmethod
    def from_form(cls, form) -> PostInput:
        """Parse a form (or any mapping of strings); wrong values raise Invalid."""
        data = cls(
            title=form.get("title", ""),
            kind=form.get("kind", ""),
            place=form.get("place", ""),
            partners=form.get("partners", ""),
            story=form.get("text", ""),
            shows_people=bool(form.get("shows_people")),
            consent=bool(form.get("consent")),
        )
        raw_date = (form.get("activity_date") or "").strip()
        if raw_date:
            try:
                data.activity_date = date.fromisoformat(raw_date)
            except ValueError:
                raise Invalid(_("The date must look like 2019-10-28."), {"field": "activity_date"}) from None
        for name in cls.NUMBERS:
            raw = (form.get(name) or "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) > MAX_PARTICIPANTS:
                raise Invalid(
                    _("Participants are counted in whole numbers from 0 to %(max)s.", max=MAX_PARTICIPANTS),
                    {"field": name},
                )
            setattr(data, name, int(raw))
        return data

    def as_form(self) -> dict[str, str]:
        """The values as the form shows them (the inverse of from_form)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["text"] = values.pop("story")
        values["activity_date"] = self.activity_date.isoformat() if self.activity_date else ""
        for name in ("shows_people", "consent"):
            values[name] = "1" if values[name] else ""
        return {key: str(value) for key, value in values.items()}

    @classmethod
    def from_post(cls, post: Post) -> PostInput:
        values = {f.name: getattr(post, f.name) for f in fields(cls)}
        if post.pending_story is not None:
            values["story"] = post.pending_story
        return cls(**values)


def title_key(title: str) -> str:
    return " ".join(title.lower().split())


def _check(data: PostInput, photo_count: int, publish: bool) -> None:
    """Checks for every save; `publish` adds what a published post must have."""
    limits = {"title": 200, "place": 200, "partners": 500, "story": 20_000}
    for name, limit in limits.items():
        if len(getattr(data, name)) > limit:
            raise Invalid(_("This field holds at most %(n)s characters.", n=limit), {"field": name})
    if data.kind and data.kind not in KINDS:
        raise Invalid(_("Choose a kind of activity from the list."), {"field": "kind"})
    if photo_count > MAX_PHOTOS:
        raise Invalid(_("A post holds at most %(n)s photos.", n=MAX_PHOTOS), {"field": "photos"})
    if photo_count and data.shows_people and not data.consent:
        raise Invalid(
            _(
                "These photos show people: confirm that they (or, for children, a parent) agreed "
                "to be photographed and published, or remove the photos."
            ),
            {"field": "consent"},
        )
    if not publish:
        return
    if not data.title:
        raise Invalid(_("A title is required to publish."), {"field": "title"})
    if data.activity_date is None:
        raise Invalid(_("The date of the activity is required to publish."), {"field": "activity_date"})
    if not data.kind:
        raise Invalid(_("Choose a kind of activity from the list."), {"field": "kind"})
    ages = sum(getattr(data, f"age_{key}") for key in AGE_GROUPS)
    if ages and ages != data.male + data.female:
        raise Invalid(
            _(
                "The age groups add up to %(ages)s participants, men and women to %(people)s: "
                "the two totals must be equal.",
                ages=ages,
                people=data.male + data.female,
            ),
            {"field": "age_children"},
        )


def _clean(data: PostInput) -> PostInput:
    for name in ("title", "place", "partners", "kind"):
        setattr(data, name, " ".join(getattr(data, name).split()))
    data.story = data.story.replace("\r\n", "\n").strip()
    return data


def _apply(post: Post, data: PostInput, user: User) -> None:
    for item in fields(PostInput):
        setattr(post, item.name, getattr(data, item.name))
    post.title_key = title_key(data.title)
    post.story_chars = len(data.story)
    post.pending_story = None
    post.updated_at, post.updated_by_id = utcnow(), user.id


# -- saving -------------------------------------------------------------------------


def build_post(user: User, data: PostInput, *, publish: bool = True, library: Library | None = None) -> Post:
    """A new post of the user's library, checked, not yet added (the demo adds many at once)."""
    library = library or user.library
    if library is None:
        raise Invalid(_("Your account is not linked to a library yet. Ask your organizer to add it."))
    data = _clean(data)
    _check(data, 0, publish)
    post = Post(
        library=library,
        author_id=user.id,
        status="published" if publish else "draft",
        draft_key=new_draft_key(),
        version=1,
    )
    _apply(post, data, user)
    if publish:
        post.published_at = utcnow()
    return post


def save_post(
    user: User,
    data: PostInput,
    *,
    post: Post | None = None,
    draft_key: str | None = None,
    base_version: int | None = None,
    new_photos: list[FileStorage] | None = None,
    remove_photo_ids: list[int] | None = None,
    publish: bool = False,
) -> tuple[Post, list[str]]:
    """Create or change a post. A post that is published stays published; a
    draft becomes published with `publish`. `base_version` is the version the
    form was opened on: an older one is refused (409) and nothing is written.
    Photos are all checked before any is stored. Returns the post and the files
    of removed photos, for the caller to delete once the change is committed."""
    if post is None and draft_key:
        post = post_by_key(user, draft_key)
    if post is not None:
        if not can_edit(user, post):
            raise NotFound(_("No such activity."))
        if base_version is not None and base_version < post.version:
            raise Conflict(
                _(
                    "A colleague saved this activity while you were editing. Your text is below: "
                    "check it against theirs and save again."
                ),
                {"reason": "stale", "version": post.version},
            )
    elif user.library is None:
        raise Invalid(_("Your account is not linked to a library yet. Ask your organizer to add it."))
    publish = publish or (post is not None and post.status == "published")
    data = _clean(data)
    removing = set(remove_photo_ids or [])
    kept = [photo for photo in (post.photos if post is not None else []) if photo.id not in removing]
    files = [f for f in (new_photos or []) if f is not None and f.filename]
    _check(data, len(kept) + len(files), publish)
    processed = photo_files.check_photos(files)

    if post is None:
        post = Post(
            library_id=user.library_id,
            author_id=user.id,
            status="draft",
            draft_key=draft_key if draft_key and KEY_RE.match(draft_key) else new_draft_key(),
            version=0,
        )
        db.session.add(post)
    gone = [photo for photo in post.photos if photo.id in removing]
    for photo in gone:
        post.photos.remove(photo)
    stored: list[str] = []
    try:
        position = max((p.position for p in kept), default=-1)
        for item in processed:
            web, thumb = photo_files.store(item)
            stored += [web, thumb]
            position += 1
            post.photos.append(
                PostPhoto(
                    stored_name=web,
                    thumb_name=thumb,
                    width=item.width,
                    height=item.height,
                    size=len(item.web),
                    position=position,
                )
            )
        _apply(post, data, user)
        post.version += 1
        if publish and post.status != "published":
            post.status, post.published_at = "published", utcnow()
        _flush_new(post)
    except Exception:
        photo_files.remove(stored)
        raise
    return post, [name for photo in gone for name in (photo.stored_name, photo.thumb_name)]


def autosave(user: User, key: str, text: str, base_version: int | None) -> Post:
    """The page script's autosave of the story. A draft keeps the text as its
    story (a first autosave starts the draft); a published post keeps it aside
    in pending_story until the form is saved, so readers never see half a text."""
    post = post_by_key(user, key)
    if post is None:
        if user.library_id is None:
            raise Invalid(_("Your account is not linked to a library yet. Ask your organizer to add it."))
        post = Post(
            library_id=user.library_id,
            author_id=user.id,
            status="draft",
            draft_key=key,
            version=0,
            updated_by_id=user.id,
        )
        db.session.add(post)
    elif base_version is not None and base_version < post.version:
        raise Conflict(
            _("A colleague saved this activity in the meantime; your text is kept on this device."),
            {"reason": "stale", "version": post.version},
        )
    if len(text) > 20_000:
        raise Invalid(_("This field holds at most %(n)s characters.", n=20_000), {"field": "text"})
    if post.status == "published":
        post.pending_story = text
    else:
        post.story = text.replace("\r\n", "\n").strip()
        post.story_chars = len(post.story)
    post.version += 1
    post.updated_at, post.updated_by_id = utcnow(), user.id
    _flush_new(post)
    return post


def _flush_new(post: Post) -> None:
    """Flush; two requests starting the same post at once (a double click, an
    autosave crossing a save) meet on the unique draft key: the second is a 409."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(
            _("This activity was just saved from another window. Reload the page to see it."),
            {"reason": "stale", "version": post.version},
        ) from None


def delete_post(user: User, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_delete(user, post):
        raise NotFound(_("No such activity."))
    post.deleted_at, post.deleted_by_id = utcnow(), user.id
    db.session.flush()
    return post


# -- reading ----------------------------------------------------------------------------


def _listing(query: sa.Select) -> sa.Select:
    return query.options(joinedload(Post.library), joinedload(Post.author), selectinload(Post.photos))


def published() -> sa.Select:
    return sa.select(Post).where(Post.status == "published", Post.deleted_at.is_(None), Post.activity_date.is_not(None))


@dataclass
class FeedFilter:
    province: str = ""
    regency: str = ""
    kind: str = ""
    month: date | None = None

    @classmethod
    def from_args(cls, args) -> FeedFilter:
        kind = args.get("kind", "")
        return cls(
            province=args.get("province", "").strip(),
            regency=args.get("regency", "").strip(),
            kind=kind if kind in KINDS else "",
            month=ranking.parse_month(args.get("month")),
        )


def feed(filters: FeedFilter, page: int = 1, per_page: int = 20):
    """The latest activities that have happened (none dated in the future), newest first."""
    query = published().join(Library, Library.id == Post.library_id).where(Post.activity_date <= ranking.today())
    if filters.province:
        query = query.where(Library.province == filters.province)
    if filters.regency:
        query = query.where(Library.regency == filters.regency)
    if filters.kind:
        query = query.where(Post.kind == filters.kind)
    if filters.month:
        query = query.where(Post.activity_date.between(filters.month, ranking.month_end(filters.month)))
    query = _listing(query.order_by(Post.activity_date.desc(), Post.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def places() -> dict[str, list[str]]:
    """{province: [regencies]} of the libraries that have published posts (for filters)."""
    rows = db.session.execute(
        sa.select(Library.province, Library.regency)
        .distinct()
        .where(Library.id.in_(sa.select(Post.library_id).where(Post.status == "published")))
        .order_by(Library.province, Library.regency)
    )
    result: dict[str, list[str]] = {}
    for province, regency in rows:
        result.setdefault(province, [])
        if regency:
            result[province].append(regency)
    return result


def get_library(library_id: int) -> Library:
    library = db.session.get(Library, library_id)
    if library is None:
        raise NotFound(_("No such library."))
    return library


def timeline(library: Library, page: int = 1, per_page: int = 20):
    query = published().where(Post.library_id == library.id).order_by(Post.activity_date.desc(), Post.id.desc())
    return db.paginate(_listing(query), page=page, per_page=per_page, error_out=False)


def drafts_of(user: User, library: Library) -> list[Post]:
    if not is_colleague(user, library.id):
        return []
    return list(
        db.session.scalars(
            _listing(
                sa.select(Post)
                .where(Post.library_id == library.id, Post.status == "draft", Post.deleted_at.is_(None))
                .order_by(Post.updated_at.desc())
            )
        )
    )


def deleted_of(user: User, library: Library) -> list[Post]:
    """The record of deletions, for the library's people and organizers."""
    if not sees_deletions(user, library):
        return []
    return list(
        db.session.scalars(
            sa.select(Post)
            .options(joinedload(Post.deleted_by))
            .where(Post.library_id == library.id, Post.deleted_at.is_not(None))
            .order_by(Post.deleted_at.desc())
        )
    )


@dataclass
class MonthTotal:
    month: date
    activities: int
    counted: int
    male: int
    female: int

    @property
    def participants(self) -> int:
        return self.male + self.female


def monthly_totals(library: Library, months: int = 12, last: date | None = None) -> list[MonthTotal]:
    """The last `months` months up to `last` (default: this month), newest first:
    published activities, those that count, participants by gender. Two queries."""
    last = last or ranking.month_start(ranking.today())
    first = ranking.add_months(last, -(months - 1))
    year, month = sa.extract("year", Post.activity_date), sa.extract("month", Post.activity_date)
    rows = db.session.execute(
        sa.select(
            year.label("y"),
            month.label("m"),
            sa.func.count().label("n"),
            sa.func.coalesce(sa.func.sum(Post.male), 0).label("male"),
            sa.func.coalesce(sa.func.sum(Post.female), 0).label("female"),
        )
        .where(
            Post.library_id == library.id,
            Post.status == "published",
            Post.deleted_at.is_(None),
            Post.activity_date.between(first, ranking.month_end(last)),
        )
        .group_by(year, month)
    )
    by_month = {date(int(r.y), int(r.m), 1): r for r in rows}
    counted = ranking.monthly_counts(first, last, [library.id])
    totals = []
    for step in range(months):
        day = ranking.add_months(last, -step)
        row = by_month.get(day)
        totals.append(
            MonthTotal(
                day,
                row.n if row else 0,
                counted.get((library.id, day), 0),
                int(row.male) if row else 0,
                int(row.female) if row else 0,
            )
        )
    return totals


def month_posts(library: Library, month: date) -> list[Post]:
    """A library's published activities of one month, oldest first (the report)."""
    return list(
        db.session.scalars(
            _listing(
                published().where(
                    Post.library_id == library.id, Post.activity_date.between(month, ranking.month_end(month))
                )
            ).order_by(Post.activity_date, Post.id)
        )
    )


POST_LINK_RE = re.compile(r"/libraries/posts/(\d+)\b")


def linked_posts(user: User, text: str) -> list[Post]:
    """The posts a text links to (a submission pasting post links), in the order
    of the text, that the reader may see. One query."""
    ids = list(dict.fromkeys(int(n) for n in POST_LINK_RE.findall(text or "")))[:50]
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(_listing(sa.select(Post).where(Post.id.in_(ids)))).unique()}
    return [found[i] for i in ids if i in found and can_view(user, found[i])]
