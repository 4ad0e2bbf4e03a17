"""The HTML pages: one blueprint per area. This is the top layer: a page parses
the request, calls the areas' services and policies, and renders. It never
commits (lms.uow does) and never queries another area's models for itself."""

from __future__ import annotations

from flask import Flask

from lms.web import accounts, certificates, cohorts, grading, learning, libraries


def register_blueprints(app: Flask) -> None:
    for module in (learning, accounts, cohorts, grading, libraries, certificates):
        app.register_blueprint(module.bp)
