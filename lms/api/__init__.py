"""JSON API v1 (docs/api.md): thin handlers over the same services as the pages.
Bearer tokens only: no session cookie is accepted here, so no CSRF."""

from lms.api import activities_api, cohorts_api, endpoints, libraries_api, openapi
from lms.api.base import bp

__all__ = ["activities_api", "bp", "cohorts_api", "endpoints", "libraries_api", "openapi"]
