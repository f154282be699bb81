"""Pages of API lists, each with a maximum: no request lists a whole table.

`Page` is limit and offset for short lists (the member directory, signed heads); `Keyset`
pages a long, append-only list newest first by its key (the ledger), so that a deep page
costs the same as the first: no OFFSET scans past the rows before it.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase

from accord.web.inputs import BIGINT_MAX

PAGE_MAX = 500
PAGE_DEFAULT = 50
_LIMIT = f"How many items, at most {PAGE_MAX} (a larger limit gets {PAGE_MAX})."


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(PAGE_DEFAULT, ge=1, le=BIGINT_MAX, description=_LIMIT)
        offset: int = Field(0, ge=0, le=BIGINT_MAX)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX, **kwargs)


class Keyset(PaginationBase):
    """Newest first by `key` (a unique integer column); `next` is the `before` of the
    following page, null on the last one."""

    key = "seq"

    class Input(Schema):
        before: int | None = Field(
            None,
            ge=1,
            le=BIGINT_MAX,
            description="List items whose key is below this: the `next` of the previous page.",
        )
        limit: int = Field(PAGE_DEFAULT, ge=1, le=BIGINT_MAX, description=_LIMIT)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items match, on every page.")
        next: int | None = Field(
            description="Pass as `before` for the next page; null at the end."
        )

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        limit = min(pagination.limit, PAGE_MAX)
        rows = queryset
        if pagination.before is not None:
            rows = rows.filter(**{f"{self.key}__lt": pagination.before})
        page = list(rows.order_by(f"-{self.key}")[: limit + 1])
        more = len(page) > limit
        page = page[:limit]
        return {
            "items": page,
            "count": self._items_count(queryset),
            "next": getattr(page[-1], self.key) if more else None,
        }
