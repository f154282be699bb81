"""Public ledger routes: anyone may read entries, proofs, heads and the key."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from accord.domain.errors import InvalidInput, NotFound
from accord.ledger import keys, queries
from accord.ledger.models import Entry, Head
from accord.web.errors import Error
from accord.web.inputs import Id, Input
from accord.web.paging import Keyset, Page

router = Router(tags=["ledger"], auth=None)


class EntryOut(Schema):
    seq: int
    entry: str = Field(description="The canonical JSON bytes that are hashed, as UTF-8.")
    leaf_hash: str

    @staticmethod
    def resolve_entry(obj: Entry) -> str:
        return bytes(obj.data).decode("utf-8")

    @staticmethod
    def resolve_leaf_hash(obj: Entry) -> str:
        return bytes(obj.leaf_hash).hex()


class HeadOut(Schema):
    size: int
    root: str
    timestamp_ms: int
    signed_at: str
    signature: str
    key_id: str
    reason: str

    @staticmethod
    def resolve_root(obj: Head | dict[str, Any]) -> str:
        return str(obj["root"]) if isinstance(obj, dict) else bytes(obj.root).hex()

    @staticmethod
    def resolve_signed_at(obj: Head | dict[str, Any]) -> str:
        return str(
            obj["signed_at"] if isinstance(obj, dict) else queries.head_json(obj)["signed_at"]
        )

    @staticmethod
    def resolve_signature(obj: Head | dict[str, Any]) -> str:
        return str(
            obj["signature"] if isinstance(obj, dict) else queries.head_json(obj)["signature"]
        )


class ReceiptOut(Schema):
    type: str
    version: int
    seq: int
    entry: str
    leaf_hash: str
    head: HeadOut
    proof: list[str]
    public_key: str


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    proof: list[str]


class EntryFilter(Input):
    kind: str = Field("", max_length=64)
    since: date | None = None
    until: date | None = None


class EntryPages(Keyset):
    """The ledger's pages: the unfiltered count is the ledger's size, read, not counted."""

    def _items_count(self, queryset: QuerySet[Entry]) -> int:
        return queries.count_entries(queryset)


@router.get(
    "/entries",
    response=list[EntryOut],
    url_name="api-ledger-entries",
    operation_id="list_ledger_entries",
)
@paginate(EntryPages)
def list_entries(request: HttpRequest, filters: Query[EntryFilter]) -> QuerySet[Entry]:
    """Entries newest first, a page at a time: a page's `next` is the `before` of the one
    after it, so a deep page costs what the first does."""
    return queries.entries(kind=filters.kind, since=filters.since, until=filters.until)


@router.get(
    "/entries/{seq}",
    response={200: EntryOut, 404: Error},
    url_name="api-ledger-entry",
    operation_id="get_ledger_entry",
)
def get_entry(request: HttpRequest, seq: Id) -> Entry:
    entry = Entry.objects.filter(seq=seq).first()
    if entry is None:
        raise NotFound(f"There is no entry {seq}.")
    return entry


@router.get(
    "/entries/{seq}/receipt",
    response={200: ReceiptOut, 404: Error},
    url_name="api-ledger-receipt",
    operation_id="get_ledger_receipt",
)
def get_receipt(request: HttpRequest, seq: Id) -> dict[str, Any]:
    receipt = queries.receipt(seq)
    if receipt is None:
        raise NotFound(f"There is no entry {seq}, or no signed head covers it yet.")
    return receipt.as_json()


@router.get(
    "/heads", response=list[HeadOut], url_name="api-ledger-heads", operation_id="list_ledger_heads"
)
@paginate(Page)
def list_heads(request: HttpRequest) -> QuerySet[Head]:
    return Head.objects.order_by("-size")


@router.get(
    "/consistency",
    response={200: ConsistencyOut, 404: Error, 422: Error},
    url_name="api-ledger-consistency",
    operation_id="get_ledger_consistency",
)
def get_consistency(request: HttpRequest, old: Id, new: Id) -> dict[str, Any]:
    if not 0 < old <= new:
        raise InvalidInput("Ask for 0 < old <= new.")
    sizes = set(Head.objects.filter(size__in=[old, new]).values_list("size", flat=True))
    if sizes != {old, new}:
        raise NotFound("Both sizes must be those of signed heads.")
    return {
        "old_size": old,
        "new_size": new,
        "proof": [h.hex() for h in queries.consistency(old, new)],
    }


@router.get("/key", response=str, url_name="api-ledger-key", operation_id="get_ledger_key")
def get_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(keys.public_pem(), content_type="application/x-pem-file")
