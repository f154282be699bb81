"""Public ledger pages: entries with proofs, signed heads and their feeds, the key; and a
member's own receipts."""

import json
from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from accord.ledger import keys, queries
from accord.ledger.models import Head
from accord.web.rendering import render_page


def listing(request: HttpRequest, template: str, *, owner: int | None = None) -> HttpResponse:
    """A filtered, paged list of entries; `owner` narrows it to one member's own entries."""
    listed = queries.entry_listing(request.GET, owner=owner)
    return render_page(request, template, listed.context, status=400 if listed.bad else 200)


@require_safe
def ledger(request: HttpRequest) -> HttpResponse:
    return listing(request, "ledger/entries.html")


@require_safe
def entry(request: HttpRequest, seq: int) -> HttpResponse:
    receipt = queries.receipt(seq)
    if receipt is None:
        raise Http404("No such entry, or no signed head covers it yet.")
    return render_page(
        request,
        "ledger/entry.html",
        {
            "receipt": receipt,
            "fields": queries.parsed(receipt.entry),
            "raw": bytes(receipt.entry.data).decode("utf-8"),
            "proof": [h.hex() for h in receipt.proof],
        },
    )


@require_safe
def receipt_json(request: HttpRequest, seq: int) -> HttpResponse:
    receipt = queries.receipt(seq)
    if receipt is None:
        raise Http404("No such entry, or no signed head covers it yet.")
    response = JsonResponse(receipt.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="accord-receipt-{seq}.json"'
    return response


@require_safe
def heads(request: HttpRequest) -> HttpResponse:
    page = Paginator(Head.objects.order_by("-size"), 50).get_page(request.GET.get("page"))
    return render_page(
        request,
        "ledger/heads.html",
        {
            "page": page,
            "heads": [queries.head_json(h) for h in page],
            "key_id": keys.key_id(),
            "history": [
                {
                    "key_id": k.key_id,
                    "previous": k.previous,
                    "valid_from": datetime.fromtimestamp(k.valid_from_ms / 1000, tz=UTC),
                }
                for k in keys.history()
            ],
        },
    )


@require_safe
def heads_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "key_id": keys.key_id(),
            "public_key": keys.public_pem().decode(),
            "keys": queries.key_history_json(),
            "heads": [queries.head_json(h) for h in Head.objects.order_by("-size")[:500]],
        }
    )


@require_safe
def heads_atom(request: HttpRequest) -> HttpResponse:
    feed = Atom1Feed(
        title="Accord ledger: signed tree heads",
        link=request.build_absolute_uri(reverse("ledger:heads")),
        description="Each signed head commits the ledger to its first SIZE entries.",
        feed_url=request.build_absolute_uri(reverse("ledger:heads_atom")),
    )
    for head in Head.objects.order_by("-size")[:100]:
        data = queries.head_json(head)
        feed.add_item(
            title=f"Tree head at size {head.size}",
            link=request.build_absolute_uri(reverse("ledger:heads")) + f"#head-{head.size}",
            unique_id=f"accord-head-{head.key_id[:16]}-{head.size}",
            description=json.dumps(data, sort_keys=True),
            updateddate=datetime.fromtimestamp(head.timestamp_ms / 1000, tz=UTC),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(keys.public_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="accord-ledger-key.pem"'
    return response
