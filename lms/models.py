"""Imports every model module so that the metadata is complete (Alembic, tests)."""
from lms.accounts.models import ApiToken, Invitation, Library, User  # noqa: F401
from lms.cohorts.models import Cohort, Enrolment, cohort_course  # noqa: F401
from lms.coursepacks.models import Activity, Course, RubricVersion  # noqa: F401
from lms.grading.models import (  # noqa: F401
    Draft, Grade, GradeEvent, Notification, Submission, SubmissionFile,
)
from lms.learning.models import Progress, QuizAttempt  # noqa: F401
from lms.libraries import models as library_models  # noqa: F401,E402
