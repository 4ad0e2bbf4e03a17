"""The six shipped programme modules: structure, lengths, links, no placeholders."""

from __future__ import annotations

import re

import pytest

from lms.coursepacks.source import LINK_RE, discover, load_packs
from lms.coursepacks.types import load_activity_types
from lms.markup import word_count
from tests.conftest import ROOT

EXPECTED = [
    "update-capaian",
    "marketing-media",
    "dokumentasi-online",
    "mentoring-data",
    "public-speaking",
    "easy-writing",
]
PLACEHOLDERS = re.compile(r"\b(lorem|ipsum|todo|tbd|xxx|fixme)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def packs():
    load_activity_types()
    loaded, problems = load_packs(discover(ROOT / "courses", "", []))
    assert problems == []
    return {p.slug: p for p in loaded}


def test_all_six_modules_in_order(packs):
    assert sorted(packs, key=lambda s: packs[s].order) == EXPECTED
    assert [packs[s].order for s in EXPECTED] == [1, 2, 3, 4, 5, 6]
    assert all(packs[s].hours > 0 and packs[s].language == "id" for s in EXPECTED)


@pytest.mark.parametrize("slug", EXPECTED)
def test_pack_structure(packs, slug):
    pack = packs[slug]
    first, last = pack.activities[0], pack.activities[-1]
    assert first.type == "quiz" and first.config["kind"] == "pre-test"
    assert last.type == "quiz" and last.config["kind"] == "post-test" and last.config["pass_percent"] > 0
    pre_ids = {q["id"] for q in first.config["questions"]}
    post_texts = {q["text"] for q in last.config["questions"]}
    assert {q["text"] for q in first.config["questions"]}.isdisjoint(post_texts)  # different questions
    for quiz in (first, last):
        assert 6 <= len(quiz.config["questions"]) <= 10
        assert all(q["explain"].strip() for q in quiz.config["questions"])
    assert pre_ids
    lessons = [a for a in pack.activities if a.type == "lesson"]
    assert 3 <= len(lessons) <= 6
    for lesson in lessons:
        assert 400 <= word_count(lesson.body) <= 1200, (lesson.slug, word_count(lesson.body))
    assignments = [a for a in pack.activities if a.type == "assignment"]
    assert assignments
    for assignment in assignments:
        assert 3 <= len(assignment.rubric["criteria"]) <= 6
        assert word_count(assignment.body) >= 80  # a real brief


def test_easy_writing_rubric_adds_up_to_ten(packs):
    [task] = [a for a in packs["easy-writing"].activities if a.slug == "tugas-menulis-berita"]
    assert task.config["max_score"] == 10
    criteria = task.rubric["criteria"]
    assert sum(c["levels"][-1]["points"] for c in criteria) == 10
    assert sum(c["levels"][0]["points"] for c in criteria) == 0
    assert [c["id"] for c in criteria] == ["judul", "struktur", "bahasa", "ejaan", "foto"]


def test_update_capaian_has_summary_and_rtl_due_at_milestone(packs):
    tasks = {a.slug: a for a in packs["update-capaian"].activities if a.type == "assignment"}
    assert len(tasks) == 2
    assert any(
        t.config.get("due") == "milestone" and "Rencana Tindak Lanjut" in t.title + t.body for t in tasks.values()
    )


def test_mentoring_pack_ships_its_data_and_uses_it(packs):
    pack = packs["mentoring-data"]
    csvs = list(pack.path.rglob("*.csv"))
    assert csvs
    rows = csvs[0].read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) > 12 and "," in rows[0]
    libraries = {r.split(",")[0] for r in rows[1:]}
    assert len(libraries) == 3
    linked = [a for a in pack.activities if a.type == "lesson" and csvs[0].name in a.body]
    assert linked


@pytest.mark.parametrize("slug", EXPECTED)
def test_links_and_images_resolve_and_no_placeholders(packs, slug):
    pack = packs[slug]
    for path in pack.path.rglob("*"):
        if path.suffix in {".md", ".toml", ".svg", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert not PLACEHOLDERS.search(text), (path, PLACEHOLDERS.search(text).group(0))
        if path.suffix == ".md":
            for target in LINK_RE.findall(path.read_text(encoding="utf-8")):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                assert (path.parent / target.split("#")[0]).resolve().is_file(), (path, target)


def test_svg_assets_have_no_script(packs):
    for pack in packs.values():
        for svg in pack.path.rglob("*.svg"):
            text = svg.read_text(encoding="utf-8").lower()
            assert "<script" not in text and "onload" not in text and 'href="http' not in text, svg


def test_docs_courses_table_is_current(packs):
    from lms.coursepacks.cli import courses_table

    assert courses_table(list(packs.values())) in (ROOT / "docs" / "courses.md").read_text()
