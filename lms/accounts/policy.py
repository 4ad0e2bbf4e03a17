"""Rules about people and their accounts (registered in lms.authz)."""

from __future__ import annotations

from lms.accounts.models import ApiToken, User
from lms.authz import rule


@rule("accounts.staff")
def is_staff(user: User, _obj: object = None) -> bool:
    """Trainers, organizers and admins: the staff menu and dashboard."""
    return bool(user.is_staff)


@rule("accounts.manage_people")
def can_manage_people(user: User, _obj: object = None) -> bool:
    """Create people and hand out invitation and reset links."""
    return user.has_role("organizer")


@rule("accounts.revoke_token")
def can_revoke_token(user: User, token: ApiToken) -> bool:
    return token.user_id == user.id
