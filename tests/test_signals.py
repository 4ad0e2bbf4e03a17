"""The signals of lms/signals.py fire where docs/architecture.md says, with the
payload their docstrings promise, during a real trainee's journey."""

from __future__ import annotations

from collections import defaultdict

import pytest

from lms import signals
from lms.certificates import services as certificates
from lms.extensions import db
from tests.test_cohorts_certificates import complete_course


@pytest.fixture
def heard():
    received: dict[str, list[dict]] = defaultdict(list)
    receivers = []
    for signal in signals.ALL:

        def receiver(_sender, _name=signal.name, **payload):
            received[_name].append(payload)

        signal.connect(receiver, weak=False)
        receivers.append((signal, receiver))
    yield received
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def test_a_journey_sends_every_signal(app, heard, make_user, make_cohort):
    from lms.coursepacks.models import Course
    from tests.conftest import TEST_PACKS, sync_packs

    sync_packs([TEST_PACKS / "toy-writing"])
    course = db.session.scalar(db.select(Course).where(Course.slug == "toy-writing"))
    assert {p["activity"].slug for p in heard["activity-synced"]} == {a.slug for a in course.activities}

    trainer, organizer, trainee = make_user("trainer"), make_user("organizer"), make_user()
    cohort = make_cohort([course], trainees=[trainee], trainers=[trainer])
    assert [(p["cohort"].id, p["user_ids"], p["role"]) for p in heard["participant-enrolled"]] == [
        (cohort.id, [trainee.id], "trainee"),
        (cohort.id, [trainer.id], "trainer"),
    ]

    complete_course(trainee, course, trainer)
    [sent] = heard["submission-sent"]
    assert sent["submission"].user_id == trainee.id
    [released] = heard["grade-released"]
    assert released["submission"].id == sent["submission"].id and released["grade"].score == 9
    assert {p["activity_id"] for p in heard["progress-changed"]} == {a.id for a in course.activities}
    assert heard["module-completed"] == [{"user_id": trainee.id, "course_id": course.id}]

    certificate = certificates.issue(cohort, trainee, organizer)
    assert [p["certificate"].code for p in heard["certificate-issued"]] == [certificate.code]
