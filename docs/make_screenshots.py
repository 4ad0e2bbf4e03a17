"""Screenshots for the README, taken with a real headless Chromium (Playwright).

Usage: start Lentera with the demo data (`make run`), then
    .venv/bin/python docs/make_screenshots.py [BASE_URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
OUT = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    ("login", None, "/login"),
    ("dashboard", "trainee@example.org", "/"),
    ("lesson", "trainee@example.org", "/courses/easy-writing/piramida-terbalik"),
    ("assignment", "trainee@example.org", "/courses/easy-writing/tugas-menulis-berita"),
    ("grading-queue", "trainer@example.org", "/grading"),
    ("cohort-dashboard", "organizer@example.org", "/cohorts/1/dashboard"),
    ("leaderboard", "trainee@example.org", "/libraries/leaderboard"),
]


def sign_in(page, email: str) -> None:
    page.goto(f"{BASE}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "lentera-demo")
    page.click("main form button[type=submit]")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (360, 1280):
            for name, email, path in PAGES:
                context = browser.new_context(
                    viewport={"width": width, "height": 800 if width > 400 else 740}, locale="id-ID"
                )
                page = context.new_page()
                if email:
                    sign_in(page, email)
                page.goto(BASE + path)
                page.screenshot(
                    path=str(OUT / f"{name}-{width}.png"), full_page=width > 400 and name != "grading-queue"
                )
                context.close()
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
