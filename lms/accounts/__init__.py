"""People, roles, the libraries they belong to, sign-in, invitations, API tokens."""
