"""`flask --app app users create` and `flask --app app tokens create EMAIL`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from lms import uow
from lms.accounts import services
from lms.accounts.auth import user_by_email
from lms.accounts.models import PARTICIPANT_TYPES, ROLE_LABELS
from lms.errors import Invalid

users_cli = AppGroup("users", help="Manage people.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


@users_cli.command("create")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(sorted(ROLE_LABELS)), default="trainee")
@click.option("--participant-type", type=click.Choice(sorted(PARTICIPANT_TYPES)))
@click.option("--password", help="Leave out to print an invitation link instead.")
@uow.command
def create_user_command(name, email, role, participant_type, password):
    """Create a person; prints an invitation link unless --password is given."""
    try:
        user = services.create_user(
            name=name, email=email, role=role, password=password, participant_type=participant_type
        )
        link = None if password else services.invitation_url(services.create_invitation(user))
    except Invalid as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"created {user.email} ({user.role})")
    if link:
        click.echo(f"invitation: {link}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="cli")
@uow.command
def create_token_command(email, name):
    """Print a new API token for EMAIL (shown once)."""
    user = user_by_email(email)
    if user is None:
        click.echo(f"error: no person with email {email}", err=True)
        sys.exit(1)
    _token, raw = services.create_api_token(user, name)
    click.echo(raw)
