"""Languages: profile, then the visitor's switch, then Accept-Language, then Indonesian;
and the catalogues hold every interface string, translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import ROOT, login

ID_CATALOGUE = ROOT / "lms" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def test_default_is_indonesian(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in page and "Masuk" in page


def test_browser_language_is_used(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in to Lentera" in page


def test_unsupported_browser_language_falls_back_to_indonesian(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="id">' in page


def test_header_switch_for_visitors(client):
    client.post("/language/en", data={"next": "/login"})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    client.post("/language/id")
    assert '<html lang="id">' in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_profile_language_wins(client, make_user):
    user = make_user(language="en")
    login(client, user)
    page = client.get("/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Dashboard" in page


def _catalogue():
    with open(ID_CATALOGUE, "rb") as handle:
        return read_po(handle)


def test_indonesian_catalogue_is_complete(tmp_path):
    """Every string in the code and templates is in the Indonesian catalogue,
    translated and not fuzzy."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    catalogue = {m.id: m for m in _catalogue() if m.id}
    missing = sorted(str(i) for i in extracted if i not in catalogue)
    untranslated = sorted(
        str(i)
        for i, m in catalogue.items()
        if i in extracted and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    )
    assert missing == [], f"not in the Indonesian catalogue (run make i18n): {missing[:20]}"
    assert untranslated == [], f"untranslated or fuzzy: {untranslated[:20]}"


def test_placeholders_survive_translation():
    import re

    for message in _catalogue():
        if message.id and message.string and isinstance(message.id, str):
            assert set(re.findall(r"%\(\w+\)s", message.id)) == set(re.findall(r"%\(\w+\)s", message.string)), (
                message.id
            )
