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


@rule("accounts.reset_password_of")
def can_reset_password_of(user: User, person: User) -> bool:
    """Organizers hand out reset links to trainees and trainers; only an admin
    may do it for an organizer or an admin (else an organizer could take over
    the admin's account)."""
    if user.role == "admin":
        return True
    return can_manage_people(user) and person.role in ("trainee", "trainer")


@rule("accounts.revoke_token")
def can_revoke_token(user: User, token: ApiToken) -> bool:
    return token.user_id == user.id
