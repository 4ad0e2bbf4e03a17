"""Imports every model module so that the metadata is complete (Alembic, tests)."""

from lms.accounts import models as accounts_models
from lms.certificates import models as certificates_models
from lms.cohorts import models as cohorts_models
from lms.coursepacks import models as coursepacks_models
from lms.grading import models as grading_models
from lms.learning import models as learning_models
from lms.libraries import models as libraries_models
from lms.reports import models as reports_models

MODEL_MODULES = (
    accounts_models,
    certificates_models,
    cohorts_models,
    coursepacks_models,
    grading_models,
    learning_models,
    libraries_models,
    reports_models,
)
