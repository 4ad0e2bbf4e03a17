"""/api/v1 endpoints of activity documentation (the leaderboard)."""

from __future__ import annotations

from flask import jsonify, request

from lms.api.base import bp
from lms.api.openapi import _op, _query, register_paths
from lms.libraries import ranking


@bp.get("/libraries/leaderboard")
def library_leaderboard():
    """The same ranking as the leaderboard page, for the same parameters."""
    period = ranking.parse_period(request.args.get("since"), request.args.get("until"))
    province = request.args.get("province", "").strip() or None
    return jsonify([rank.as_json() for rank in ranking.leaderboard(period, province)])


register_paths(
    {
        "/libraries/leaderboard": {
            "get": _op(
                "Libraries ranked by documented activities in a period (default: the current cohort's); "
                "equal counts share a rank; with a province, ranks are within it",
                "anyone",
                params=[_query("since"), _query("until"), _query("province")],
                errors=(400, 401, 422),
            )
        },
    }
)
