"""Many rows at once, without model instances: for the ledger's imports and a distribution's
100,000 statements, where building and reading ORM objects one by one costs more than the
database work itself."""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows whose values are already in database form: COPY on PostgreSQL,
    executemany elsewhere. Database errors are Django's, as from any other query."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor, so errors are translated here as Django's would.
            sql = f"COPY {quote(table)} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - model table
            cursor.executemany(sql, rows)


def fetch_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as the database returns them: the ORM's SQL
    without its per-row work (no converters, so dates stay as the engine gives them)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
