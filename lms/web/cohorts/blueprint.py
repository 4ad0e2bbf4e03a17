"""The `cohorts` blueprint, shared by the people pages and the report pages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
