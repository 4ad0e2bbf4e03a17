"""A library's monthly activity report, as CSV (for spreadsheets) and PDF (to
print or send). The PDF uses fpdf2's core fonts, so no system font is needed;
text is made latin-1-safe first (Indonesian needs nothing more)."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from lms.accounts.models import Library
from lms.libraries import ranking, services
from lms.libraries.models import AGE_GROUPS, KINDS, Post

CSV_COLUMNS = [
    "date",
    "title",
    "kind",
    "place",
    "male",
    "female",
    "participants",
    "children",
    "teens",
    "adults",
    "elderly",
    "partners",
    "photos",
    "counts",
    "link",
]


@dataclass
class MonthReport:
    library: Library
    month: date
    posts: list[Post]
    today: date

    @property
    def counted(self) -> int:
        return len({(p.activity_date, p.title_key) for p in self.posts if p.counts_on(self.today)})

    def total(self, name: str) -> int:
        return sum(getattr(p, name) for p in self.posts)


def month_report(library: Library, month: date) -> MonthReport:
    return MonthReport(library, month, services.month_posts(library, month), ranking.today())


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: not ours."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(report: MonthReport, link_for) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in report.posts:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    p.activity_date.isoformat() if p.activity_date else "",
                    p.title,
                    p.kind,
                    p.place,
                    p.male,
                    p.female,
                    p.participants,
                    p.age_children,
                    p.age_teens,
                    p.age_adults,
                    p.age_elderly,
                    p.partners,
                    len(p.photos),
                    "yes" if p.counts_on(report.today) else "no",
                    link_for(p),
                )
            ]
        )
    # With a byte-order mark, spreadsheet programs read UTF-8 correctly.
    return out.getvalue().encode("utf-8-sig")


PUNCTUATION = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
}


def latin1(text) -> str:
    """What the core fonts can print: typographic punctuation made plain, accents
    kept where latin-1 has them, anything else a question mark."""
    text = "".join(PUNCTUATION.get(ch, ch) for ch in str(text))
    text = unicodedata.normalize("NFC", text)
    return text.encode("latin-1", "replace").decode("latin-1")


def as_pdf(report: MonthReport) -> bytes:
    library = report.library
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(latin1(_("Monthly activity report")))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, latin1(_("Monthly activity report")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    place = ", ".join(part for part in (library.village, library.regency, library.province) if part)
    lines = [
        f"{library.name}" + (f" ({place})" if place else ""),
        _("Month: %(month)s", month=format_date(report.month, "MMMM yyyy")),
        _("Activities: %(n)s, of which %(c)s count on the leaderboard", n=len(report.posts), c=report.counted),
        _(
            "Participants: %(total)s (men %(male)s, women %(female)s)",
            total=report.total("male") + report.total("female"),
            male=report.total("male"),
            female=report.total("female"),
        ),
        _(
            "By age group: %(groups)s",
            groups=", ".join(f"{label} {report.total('age_' + key)}" for key, label in AGE_GROUPS.items()),
        ),
    ]
    for line in lines:
        pdf.multi_cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if report.posts:
        pdf.set_font("Helvetica", "", 9)
        headings = [
            _("Date"),
            _("Activity"),
            _("Kind"),
            _("Place"),
            _("Men"),
            _("Women"),
            _("Total"),
            _("Partners"),
            _("Photos"),
        ]
        with pdf.table(
            col_widths=(20, 62, 30, 38, 13, 15, 13, 62, 14),
            text_align="LEFT",
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5,
        ) as table:
            table.row([latin1(h) for h in headings])
            for p in report.posts:
                table.row(
                    [
                        latin1(v)
                        for v in (
                            format_date(p.activity_date, "short"),
                            p.title,
                            KINDS.get(p.kind, p.kind),
                            p.place,
                            p.male,
                            p.female,
                            p.participants,
                            p.partners,
                            len(p.photos),
                        )
                    ]
                )
    else:
        pdf.multi_cell(0, 6, latin1(_("No activities were documented this month.")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        0,
        5,
        latin1(
            _(
                "Made with Lentera on %(day)s. An activity counts on the leaderboard when it "
                "has a title, a date that is not in the future, and a photo or a story of "
                "at least 100 characters.",
                day=format_date(report.today, "long"),
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
