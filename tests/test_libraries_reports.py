"""The monthly report of a library, as CSV and as PDF."""

from __future__ import annotations

import csv
import io
from datetime import date

from pypdf import PdfReader

from tests.conftest import login
from tests.test_libraries_helpers import add_post, people  # noqa: F401


def test_csv_report_of_a_month(client, people):
    add_post(people["andi"], "Kelas membaca", date(2019, 10, 3))
    add_post(people["andi"], '=HYPERLINK("http://evil")', date(2019, 10, 9), story="pendek")
    add_post(people["andi"], "Bulan lain", date(2019, 11, 1))
    add_post(people["andi"], "Draf", date(2019, 10, 5), publish=False)
    login(client, people["budi"])
    response = client.get(f"/libraries/{people['macakka'].id}/report.csv?month=2019-10")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # a byte-order mark for spreadsheets
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["date"], r["title"], r["counts"]) for r in rows] == [
        ("2019-10-03", "Kelas membaca", "yes"),
        ("2019-10-09", '\'=HYPERLINK("http://evil")', "no"),
    ]
    assert rows[0]["male"] == "3" and rows[0]["female"] == "7" and rows[0]["participants"] == "10"
    assert rows[0]["link"].startswith("http://localhost/libraries/posts/")


def test_pdf_report_without_system_fonts_and_with_any_text(client, people):
    add_post(people["andi"], "Pelatihan — “keripik” pisang 📚 ẞ", date(2019, 10, 3))
    login(client, people["andi"])
    response = client.get(f"/libraries/{people['macakka'].id}/report.pdf?month=2019-10")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Perpustakaan Macakka" in text and "Tellulimpoe" in text
    assert 'Pelatihan - "keripik" pisang' in text
    assert "Activities: 1, of which 1 count" in text
    empty = client.get(f"/libraries/{people['macakka'].id}/report.pdf?month=2019-01")
    assert "No activities were documented" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(empty.data)).pages)
    assert client.get(f"/libraries/{people['macakka'].id}/report.xls").status_code == 404
    assert client.get(f"/libraries/{people['macakka'].id}/report.csv?month=oktober").status_code == 400
