"""Who may download, issue and manage certificates (rules registered in lms.authz)."""

from __future__ import annotations

from lms.accounts.models import User
from lms.authz import rule
from lms.certificates.models import Certificate


@rule("certificates.download")
def can_download(user: User, certificate: Certificate) -> bool:
    """Its holder and the organizers; anyone may verify it by its code."""
    return certificate.user_id == user.id or user.has_role("organizer")


@rule("certificates.manage")
def can_manage(user: User, _obj: object = None) -> bool:
    """Issue for others, issue a whole cohort, revoke."""
    return user.has_role("organizer")
