"""The certificate as a PDF (fpdf2), with a QR code of its verification URL (segno).

The text is in Indonesian, the programme's language. Fonts: DejaVu Sans when
its TTF files are on the machine (Debian's fonts-dejavu-core; the setting
LMS_CERTIFICATE_FONT_DIR points elsewhere, "" turns it off), otherwise the
PDF core font Helvetica with the text reduced to Latin-1, so that a machine
without fonts still prints every certificate.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import segno
from babel.dates import format_date
from flask import current_app
from fpdf import FPDF

from lms.certificates.models import Certificate

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
INK = (29, 42, 47)
BRAND = (13, 92, 99)
MUTED = (91, 107, 112)


def _font_dir() -> Path | None:
    configured = current_app.config.get("LMS_CERTIFICATE_FONT_DIR", DEFAULT_FONT_DIR)
    if not configured:
        return None
    folder = Path(configured)
    if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
        return folder
    return None


def latin1(text: str) -> str:
    """Text the core fonts can print: letters outside Latin-1 lose their
    accents where they have one (ā → a), or become "?"."""
    replacements = {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u0131": "i",
    }
    out = []
    for ch in text:
        ch = replacements.get(ch, ch)
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode("latin-1")
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def _tanggal(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "d MMMM y", locale="id")


def _score(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


class _Certificate(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        folder = _font_dir()
        self.unicode = folder is not None
        if folder is not None:
            self.add_font("DejaVu", "", str(folder / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.family_name = "DejaVu"
        else:
            self.family_name = "Helvetica"
        self.set_auto_page_break(False)
        self.set_margins(18, 14, 18)

    def text_of(self, text: str) -> str:
        return text if self.unicode else latin1(text)

    def line_of(
        self, text: str, size: float, *, bold: bool = False, color=INK, height: float | None = None, align: str = "C"
    ) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, height or size * 0.5, self.text_of(text), align=align, new_x="LMARGIN", new_y="NEXT")


def render(certificate: Certificate, url: str) -> bytes:
    data = certificate.data
    pdf = _Certificate()
    pdf.set_title(pdf.text_of(f"Sertifikat {data['name']}"))
    pdf.set_author(pdf.text_of(data.get("organisation") or "Lentera"))
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, 275, 188)

    pdf.set_y(18)
    if data.get("organisation"):
        pdf.line_of(data["organisation"], 13, bold=True, color=BRAND)
    pdf.ln(2)
    pdf.line_of("SERTIFIKAT", 30, bold=True, color=BRAND, height=14)
    pdf.line_of("diberikan kepada", 11, color=MUTED, height=7)
    pdf.line_of(data["name"], 22, bold=True, height=11)
    where = ", ".join(x for x in (data.get("library"), data.get("regency"), data.get("province")) if x)
    if where:
        pdf.line_of(where, 11, color=MUTED, height=6)
    pdf.ln(2)
    pdf.line_of(f"telah menyelesaikan seluruh modul pelatihan {data['cohort']}", 12, height=6)
    pdf.line_of(f"{_tanggal(data['start_date'])} - {_tanggal(data['end_date'])}", 10, color=MUTED, height=6)
    pdf.ln(3)

    # The modules, their lesson hours (JP) and scores.
    widths = (150, 25, 25)
    left = (297 - sum(widths)) / 2
    pdf.set_font(pdf.family_name, "B", 10)
    pdf.set_fill_color(230, 240, 240)
    pdf.set_text_color(*INK)
    pdf.set_x(left)
    for text, width, align in zip(("Modul", "JP", "Nilai"), widths, ("L", "C", "C"), strict=False):
        pdf.cell(width, 7, text, border="B", align=align, fill=True)
    pdf.ln(7)
    pdf.set_font(pdf.family_name, "", 10)
    for module in data["modules"]:
        pdf.set_x(left)
        pdf.cell(widths[0], 6.2, pdf.text_of(module["title"])[:90], border="B")
        pdf.cell(widths[1], 6.2, str(module["hours"]), border="B", align="C")
        pdf.cell(widths[2], 6.2, _score(module.get("score")), border="B", align="C")
        pdf.ln(6.2)
    pdf.set_font(pdf.family_name, "B", 10)
    pdf.set_x(left)
    pdf.cell(widths[0], 7, "Jumlah", align="R")
    pdf.cell(widths[1], 7, f"{data['total_hours']} JP", align="C")
    pdf.ln(9)

    pdf.line_of(f"Diterbitkan {_tanggal(certificate.issued_at.date().isoformat())}", 10, color=MUTED, height=5)

    # Signatories, side by side at the foot of the page.
    signatories = data.get("signatories") or []
    if signatories:
        column = 190 / len(signatories)
        top = 160
        for index, person in enumerate(signatories):
            x = 90 + index * column
            pdf.set_xy(x, top + 14)
            pdf.set_draw_color(*MUTED)
            pdf.line(x + 6, top + 13, x + column - 6, top + 13)
            pdf.set_font(pdf.family_name, "B", 10)
            pdf.set_text_color(*INK)
            pdf.multi_cell(column, 5, pdf.text_of(person.get("name", "")), align="C")
            pdf.set_x(x)
            pdf.set_font(pdf.family_name, "", 8.5)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(column, 4.2, pdf.text_of(person.get("title", "")), align="C")

    # The verification code, its URL and a QR code of it.
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=1)
    qr.seek(0)
    pdf.image(qr, x=18, y=158, w=30, h=30)
    pdf.set_xy(50, 172)
    pdf.set_font(pdf.family_name, "B", 9)
    pdf.set_text_color(*INK)
    pdf.cell(40, 5, f"Kode: {certificate.code}")
    pdf.set_xy(50, 177)
    pdf.set_font(pdf.family_name, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(40, 3.5, "Periksa keaslian:\n" + url)
    return bytes(pdf.output())
