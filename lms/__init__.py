"""Lentera: a training platform for library transformation programmes."""
from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    import os

    app = Flask(
        __name__,
        instance_relative_config=True,
        # Where the SQLite file, uploads and instance/config.py live (default: ./instance).
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="static",
    )
    from lms.config import load_config

    load_config(app, test_config)

    from lms import models  # noqa: F401  (every table, for Alembic and create_all)
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)

    from lms.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories="translations")

    from lms.accounts.auth import init_login

    init_login(app, login_manager)

    from lms.activities import load_activity_types

    load_activity_types()

    from lms.web import init_web

    init_web(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from lms.accounts.views import bp as accounts_bp
    from lms.api import bp as api_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.cohorts.views import bp as cohorts_bp
    from lms.grading.views import bp as grading_bp
    from lms.learning.views import bp as learning_bp
    from lms.libraries.views import bp as libraries_bp

    app.register_blueprint(learning_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(grading_bp)
    app.register_blueprint(libraries_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def _register_commands(app: Flask) -> None:
    from lms.accounts.cli import tokens_cli, users_cli
    from lms.cohorts.demo import demo_command
    from lms.coursepacks.cli import courses_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_command)
