"""No route, page, export or ledger entry reveals an individual secret ballot.

Two members vote differently on secret ballots, one open and one closed. Every route the
resolver knows is read by every role of the authorization matrix; then the two ballots are
swapped, which leaves every count as it was, and every route is read again. A response that
changes told someone who voted what.
"""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accord.governance import services
from accord.governance.models import Ballot, Decision
from accord.governance.schemas import VoteIn
from accord.ledger.models import Entry
from accord.ledger.services import sign_head
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import make_member
from tests.governance.conftest import decision_in
from tests.test_authorization_matrix import ROLES
from tests.test_small_numbers import _pages

pytestmark = pytest.mark.slow

# What changes from one request to the next whatever the ballots say.
VOLATILE = (
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(nonce=")[^"]+'),
    re.compile(rb'(data-csrf-token=")[^"]+'),
    re.compile(rb"()[^\n]*ledger\.auditor_export[^\n]*"),  # an export logs itself, timed
)


def _read(client: Client, path: str) -> bytes:
    """The page as it reads now; what reading it wrote (an auditor's export is logged in the
    ledger) is undone, so that every read sees the same community."""
    mark = transaction.savepoint_create()
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    transaction.savepoint_rollback(mark)
    return _normal(body)


def _normal(body: bytes) -> bytes:
    for pattern in VOLATILE:
        body = pattern.sub(rb"\1-", body)
    return body


def _ballot_line(body: bytes) -> bytes:
    """The page's "Your ballot" line, or its title when it has none (a refusal)."""
    found = re.search(rb'<p id="my-ballot">.*?</p>', body) or re.search(
        rb"<title>.*?</title>", body
    )
    return found.group(0) if found else body[:200]


def _ballots(first: int, second: int) -> list[tuple[int, int, object]]:
    return list(
        Ballot.objects.filter(voter_id__in=(first, second))
        .order_by("decision_id", "voter_id")
        .values_list("decision_id", "voter_id", "choice")
    )


def _secret(cast: Cast, first: int, second: int, *, close: bool) -> Decision:
    made = services.propose_decision(
        cast.member,
        decision_in(title="Which venue?", poll="single", options=["Library", "Cafe"], secret=True),
    )
    services.open_decision(cast.steward, made.pk)
    for voter, option in ((first, 0), (second, 1)):
        services.cast_vote(
            Member.objects.get(pk=voter),
            made.pk,
            VoteIn.model_validate({"option": option}),
        )
    if close:
        Decision.objects.filter(pk=made.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
        services.close_decision(cast.steward, made.pk)
    return made


def _swap(first: int, second: int) -> None:
    """Exchange the two voters' ballots: the counts stay, who chose what does not."""
    ballots = {b.voter_id: b for b in Ballot.objects.filter(voter_id__in=(first, second))}
    for decision_id in {b.decision_id for b in ballots.values()}:
        mine = Ballot.objects.get(decision_id=decision_id, voter_id=first)
        theirs = Ballot.objects.get(decision_id=decision_id, voter_id=second)
        Ballot.objects.filter(pk=mine.pk).update(choice=theirs.choice)
        Ballot.objects.filter(pk=theirs.pk).update(choice=mine.choice)


@pytest.mark.parametrize("role", ROLES)
def test_no_response_changes_when_two_secret_ballots_are_swapped(cast: Cast, role: str) -> None:
    first = make_member(name="Vera Voter").pk
    second = make_member(name="Wim Voter").pk
    _secret(cast, first, second, close=True)
    still_open = _secret(cast, first, second, close=False)
    sign_head()
    entries = Entry.objects.count()
    client = client_for(cast.by_role(role))
    # the API's schema says nothing of any row, and takes long to build
    pages = sorted(set(_pages(cast)) - {"/api/v1/openapi.json"})

    voter = client_for(Member.objects.get(pk=first))
    own = f"/decisions/{still_open.pk}/"
    before = {path: _read(client, path) for path in pages}
    voter_before = _read(voter, own)
    _swap(first, second)
    after = {path: _read(client, path) for path in pages}

    # the sweep sees a swap where it may be seen: by the voter, on their own ballot
    voter_after = _read(voter, own)
    assert voter_after != voter_before, (
        f"the voter's own ballot reads the same after the swap: {_ballot_line(voter_before)!r}"
        f" then {_ballot_line(voter_after)!r}; ballots now {_ballots(first, second)}"
    )

    changed = [path for path in pages if before[path] != after[path]]
    assert changed == [], f"{role} can tell who voted what from {changed}"
    assert Entry.objects.count() == entries
    assert len(pages) > 200  # the sweep reached the whole site
