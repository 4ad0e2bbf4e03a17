"""A `checklist` activity type, shipped as a plugin package would ship it.

A checklist names its items in a file of the pack; a trainee ticks them on the
activity page or over the API (`POST .../activities/<activity>/ticks`), and the
activity is complete once `required` items (all, by default) are ticked. The
package brings its own template (templates/checklist/checklist.html) and its own
pack models; lms knows nothing of it until it is registered.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from pydantic import Field

from lms.coursepacks.contracts import ActivityTable, PackPath, PackTable, PositiveInt, Text
from lms.coursepacks.source import PackSource, check_unique_id
from lms.coursepacks.types import ActivityType, ApiAction, ApiModel, DemoSeed, PackFile
from lms.errors import Invalid
from lms.learning.progress import get_progress, record_progress

# -- the pack -----------------------------------------------------------------------


class ChecklistItem(PackTable):
    """An [[item]] of a checklist file."""

    id: Text
    text: Text


class ChecklistFile(PackTable):
    title: Text | None = None
    item: list[ChecklistItem]


class ChecklistTable(ActivityTable):
    """[[activity]] type = "checklist"."""

    items: PackPath = Field(description="The checklist file (ChecklistFile).")
    required: PositiveInt | None = Field(default=None, description="Items to tick to complete it (default: all).")


def load_items(source: PackSource, rel: str, field: str) -> list[dict[str, Any]] | None:
    data = source.read_toml(rel, "course.toml", field)
    if data is None:
        return None
    source.check(ChecklistFile, data, rel, "", skip={"item"})
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for prefix, table in source.tables(data, "item", rel):
        good = source.check(ChecklistItem, table, rel, prefix).good
        check_unique_id(good.get("id", ""), seen, source, rel, f"{prefix}id", "item")
        items.append(good)
    return items


# -- doing it -------------------------------------------------------------------------


def required_of(activity: Any) -> int:
    items = activity.config["items"]
    return min(activity.config.get("required") or len(items), len(items))


def tick(activity: Any, user: Any, ticked: list[str]) -> bool:
    """Record the ticked items; the completion rule of the type. Unticking
    below `required` makes the activity incomplete again."""
    known = {item["id"] for item in activity.config["items"]}
    unknown = sorted(set(ticked) - known)
    if unknown:
        raise Invalid(f"Unknown item: {', '.join(unknown)}", {"items": unknown})
    count = len(set(ticked))
    done = count >= required_of(activity)
    record_progress(user.id, activity.id, status="completed" if done else "in_progress", completed=done, score=count)
    return done


class Ticks(ApiModel):
    """The items ticked now (all of them: an item left out is unticked)."""

    ticked: list[str]


class ChecklistState(ApiModel):
    """Where the trainee stands on the checklist."""

    ticked: int
    required: int
    completed: bool


def _api_ticks(activity: Any, user: Any, body: Ticks) -> ChecklistState:
    done = tick(activity, user, body.ticked)
    return ChecklistState(ticked=len(set(body.ticked)), required=required_of(activity), completed=done)


class ChecklistType(ActivityType):
    name = "checklist"
    label = "Checklist"
    config_model = ChecklistTable
    files = {"items": PackFile(load_items, in_config=True)}
    template = "checklist/checklist.html"
    template_folder = "templates"
    api_actions = {
        "ticks": ApiAction(
            run=_api_ticks,
            summary="Tick the items of a checklist",
            body=Ticks,
            ok=ChecklistState,
            errors=(403, 404, 422),
            not_here="This activity is not a checklist.",
        )
    }
    table_column = "Checklists (items)"

    def view(self, activity: Any, user: Any) -> dict[str, Any]:
        return {
            "items": activity.config["items"],
            "required": required_of(activity),
            "progress": get_progress(user.id, activity.id),
        }

    def handle(self, activity: Any, user: Any, request: Any) -> Any:
        try:
            done = tick(activity, user, request.form.getlist("item"))
        except Invalid as exc:
            flash(exc.message, "error")
        else:
            flash("Checklist complete." if done else "Saved.", "success")
        return redirect(url_for("learning.activity", course=activity.course.slug, activity=activity.slug))

    def reporting_role(self, activity: Any) -> str:
        return "other"  # done by doing it: counted as "activities not done" until then

    def table_entry(self, loaded: Any) -> str:
        return f"{loaded.title} ({len(loaded.config['items'])})"

    def seed_demo(self, activity: Any, user: Any, seed: DemoSeed) -> None:
        items = [item["id"] for item in activity.config["items"]]
        tick(activity, user, items if seed.diligent else seed.rng.sample(items, seed.rng.randint(0, len(items))))
