"""Erasure: from the member's settings or by a steward on request; money still adds up and
the ledger still verifies; the auditor export is for auditors and each download recorded."""

import json

from accord.benefits import services as benefits
from accord.benefits.models import Payout, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn, PaidIn
from accord.ledger.models import Entry, Note, Opening
from accord.ledger.services import sign_head
from accord.ledger.verify import verify_ledger
from accord.people.models import Member, User
from tests.benefits import conftest as benefits_fixtures
from tests.benefits.conftest import Community
from tests.conftest import Cast, client_for

community = benefits_fixtures.community


def _with_a_payout(community: Community) -> Member:
    cast = community.cast
    benefits.commit_distribution(cast.treasurer, community.pool.slug, CommitIn(key="erase-1"))
    st = Statement.objects.filter(member=cast.member).get()
    benefits.choose(cast.member, st.pk, ChoiceIn(choice="take"))
    benefits.mark_paid(cast.treasurer, Payout.objects.get(statement=st).pk, PaidIn())
    return cast.member


def test_a_member_with_payouts_erases_their_account_and_the_ledger_verifies(
    community: Community,
) -> None:
    member = _with_a_payout(community)
    balances = list(Statement.objects.values_list("payout", flat=True))
    client = client_for(member)

    refused = client.post("/me/erase/", {"confirm": "no"})
    erased = client.post("/me/erase/", {"confirm": "ERASE"})
    sign_head()

    assert refused.status_code == 422
    assert erased.status_code == 302
    tombstone = Member.objects.get(pk=member.pk)
    assert (tombstone.user, tombstone.ledger_secret) == (None, None)
    assert not User.objects.filter(pk=member.user_id).exists()
    assert not Opening.objects.filter(owner=member.pk).exists()
    assert not Note.objects.filter(owner=member.pk).exists()
    assert list(Statement.objects.values_list("payout", flat=True)) == balances
    assert verify_ledger().ok
    assert client.get("/home/").status_code == 302  # signed out


def test_a_steward_erases_on_request_with_a_reason_kept_off_the_ledger(cast: Cast) -> None:
    steward = client_for(cast.steward)
    path = f"/members/{cast.other.pseudonym}/erase/"

    no_reason = steward.post(path, {"reason": "  "})
    done = steward.post(path, {"reason": "Asked at the annual meeting"})

    assert no_reason.status_code == 422
    assert done.status_code == 302
    assert Member.objects.get(pk=cast.other.pk).erased_at is not None
    entry = Entry.objects.get(kind="member.erased")
    assert entry.actor == cast.steward.pseudonym
    assert b"annual meeting" not in bytes(entry.data)
    assert Note.objects.get(digest=json.loads(bytes(entry.data))["payload"]["reason_sha256"])
    assert client_for(cast.member).get(path).status_code == 404  # members cannot


def test_the_auditor_export_is_for_auditors_and_each_download_is_recorded(cast: Cast) -> None:
    cast.member.refresh_from_db()

    refused = client_for(cast.steward).get("/audit/ledger.jsonl")
    served = client_for(cast.auditor).get("/audit/ledger.jsonl")
    body = b"".join(served.streaming_content).decode()  # type: ignore[attr-defined]

    assert refused.status_code == 404
    assert served.status_code == 200
    assert served["Cache-Control"] == "no-store"
    assert body.splitlines()[0].startswith('{"type": "ledger"')
    recorded = Entry.objects.get(kind="ledger.auditor_export")
    assert recorded.actor == cast.auditor.pseudonym
