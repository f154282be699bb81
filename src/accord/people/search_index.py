"""The member search index on SQLite: an FTS5 trigram table over names and expertise,
kept by triggers (migration 0010). It only narrows: the directory still applies its own
`icontains` test to what it returns, so results are exactly those of a full scan.
PostgreSQL needs no help here: its pg_trgm indexes serve `icontains` directly."""

from django.db import connection

TABLE = "people_member_search"
TRIGRAM = 3  # the index finds terms of at least three characters


def candidates(term: str, *, limit: int) -> list[int] | None:
    """Ids of members whose name or expertise may contain `term`, if there are at most
    `limit` of them; None when the index cannot narrow the search (another engine, a term
    too short, or more matches than `limit`: then reading in name order finds a page sooner)."""
    if connection.vendor != "sqlite" or len(term) < TRIGRAM:
        return None
    phrase = '"' + term.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",  # noqa: S608 - a constant
            [phrase, limit + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None
