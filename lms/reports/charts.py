"""Charts drawn on the server as SVG: numbers in, shapes out; the template
writes the markup and lentera.css colours it. No script, no style attributes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEGMENTS = ("completed", "in_progress", "not_started")
WIDTH = 100.0  # the bars run in a viewBox 100 units wide; the SVG scales to the page


@dataclass
class Segment:
    kind: str
    count: int
    x: float
    width: float


@dataclass
class Bar:
    label: str
    total: int
    segments: list[Segment]

    @property
    def percent_completed(self) -> int:
        done = next((s.count for s in self.segments if s.kind == "completed"), 0)
        return round(100 * done / self.total) if self.total else 0


def stacked(label: str, counts: dict[str, int], total: int) -> Bar:
    segments, x = [], 0.0
    for kind in SEGMENTS:
        count = counts.get(kind, 0)
        width = round(WIDTH * count / total, 2) if total else 0.0
        segments.append(Segment(kind, count, round(x, 2), width))
        x += width
    return Bar(label, total, segments)


def module_bars(by_course: list[dict[str, Any]], total: int) -> list[Bar]:
    """One bar per module: completed, in progress, not started."""
    return [stacked(row["title"], row, total) for row in by_course]
