"""Lentera: a training platform for library transformation programmes.

`create_app` wires the layers together (docs/architecture.md): the root package
is the only module that may import every area.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from lms import models
from lms.accounts import policy as accounts_policy
from lms.accounts.auth import init_login
from lms.accounts.cli import tokens_cli, users_cli
from lms.activities import load_activity_types
from lms.api import bp as api_bp
from lms.authz import init_authz
from lms.certificates import policy as certificates_policy
from lms.cohorts import policy as cohorts_policy
from lms.config import load_config
from lms.coursepacks.cli import courses_cli
from lms.coursepacks.types import install_template_loader
from lms.demo import demo_command
from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
from lms.grading import policy as grading_policy
from lms.grading import rubric_versions
from lms.http import init_web
from lms.i18n import select_locale, select_timezone
from lms.libraries import policy as libraries_policy
from lms.uow import init_unit_of_work
from lms.web import register_blueprints

__all__ = ["create_app", "models"]

# Modules whose `@signal.connect` functions must be connected (lms.signals).
SUBSCRIBERS = (rubric_versions,)
# Modules whose `@rule` functions make up the authorization rules (lms.authz).
POLICIES = (accounts_policy, certificates_policy, cohorts_policy, grading_policy, libraries_policy)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        # Where the SQLite file, uploads and instance/config.py live (default: ./instance).
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="static",
    )
    load_config(app, test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )
    init_login(app, login_manager)
    load_activity_types()
    install_template_loader(app)  # each activity type's own template folder
    init_unit_of_work(app)
    init_authz(app)
    init_web(app)
    register_blueprints(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    for command in (courses_cli, users_cli, tokens_cli, demo_command):
        app.cli.add_command(command)
    return app
