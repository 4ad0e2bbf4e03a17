"""/api/v1 endpoints of activity documentation (the leaderboard)."""

from __future__ import annotations

from lms.api import schemas
from lms.api.base import bp, parse_query, reply
from lms.api.openapi import operation
from lms.libraries import ranking


@bp.get("/libraries/leaderboard")
@operation(
    summary="Libraries ranked by documented activities in a period (default: the current cohort's); "
    "equal counts share a rank; with a province, ranks are within it",
    who="anyone",
    query=schemas.LeaderboardQuery,
    ok={200: schemas.Leaderboard},
    errors=(422,),
)
def library_leaderboard():
    """The same ranking as the leaderboard page, for the same parameters."""
    args = parse_query(schemas.LeaderboardQuery)
    period = ranking.parse_period(
        args.since.isoformat() if args.since else None, args.until.isoformat() if args.until else None
    )
    ranks = ranking.leaderboard(period, args.province.strip() if args.province else None)
    return reply(schemas.Leaderboard([schemas.LibraryRank.model_validate(rank.as_json()) for rank in ranks]))
