"""Pages of activity documentation and the leaderboard."""
from flask import Blueprint

bp = Blueprint("libraries", __name__, url_prefix="/libraries")
