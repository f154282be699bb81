"""The public record names no member and links none of their entries, for every role.

A community goes through everything the ledger records about members: consents, plain and
leading group roles, contributions recorded, verified, rejected and disputed, two
distributions (IMMEDIATE and BALANCED), choices, a payout and an erasure. Then every
identifier each role can see of a member (handles, profile URLs, CSV cells, API fields,
e-mails, contribution ids) is gathered, and the public export, the public pages and the
public API are searched for them.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Payout, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn, PaidIn
from accord.contributions import services as contributions
from accord.contributions.models import Contribution
from accord.contributions.schemas import ReasonIn, VerifyIn
from accord.ledger import queries as ledger_queries
from accord.ledger.services import sign_head
from accord.ledger.verify import verify_ledger
from accord.people import services as people
from accord.people.models import ConsentSource, GroupRole, Member, Purpose
from accord.people.schemas import ConsentIn, ErasureIn, GroupRoleIn
from tests.benefits import conftest as benefits_fixtures
from tests.benefits.conftest import Community, make_pool
from tests.conftest import client_for
from tests.factories import contribution_in

ROLES = (
    *("anonymous", "member", "other", "group_lead"),
    *("steward", "treasurer", "partner_rep", "auditor"),
)
MEMBER_KINDS = {
    "consent.changed",
    "contribution.recorded",
    "contribution.verified",
    "contribution.rejected",
    "contribution.disputed",
    "distribution.statement",
    "statement.choice",
    "payout.paid",
    "member.erased",
}
PUBLIC_KEYS = {"commitment", "distribution", "weight", "amount", "reason_sha256"}
community = benefits_fixtures.community
HANDLE = re.compile(r"m-[0-9a-f]{16}")


def _everything_happens(community: Community) -> None:
    cast = community.cast
    for m in community.members:
        people.set_consent(
            m, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
        )
        people.set_consent(
            m,
            Purpose.SHARE_PROFILE_WITH_PARTNERS,
            ConsentIn(granted=True),
            source=ConsentSource.API,
        )
    people.set_group_role(
        cast.steward,
        cast.group.slug,
        GroupRoleIn(member=community.members[2].pseudonym, role=GroupRole.SHADOW),
    )
    people.set_group_role(
        cast.steward,
        cast.group.slug,
        GroupRoleIn(member=community.members[3].pseudonym, role=GroupRole.LEAD),
    )
    today = timezone.localdate()
    c = contributions.record_contribution(
        cast.member,
        contribution_in(
            kind="code",
            title="Rejected",
            date=today - timedelta(days=3),
            level=2,
            group=cast.group,
        ),
    )
    contributions.reject_contribution(cast.steward, c.pk, ReasonIn(reason="Mo forgot the link"))
    contributions.dispute_rejection(cast.member, c.pk, ReasonIn(reason="Here it is, Mo"))
    contributions.verify_contribution(community.members[3], c.pk, VerifyIn(impact=2))
    benefits.commit_distribution(cast.treasurer, community.pool.slug, CommitIn(key="public-1"))
    balanced = make_pool(cast, community.policy, name="Balanced", method="balanced")
    benefits.commit_distribution(cast.treasurer, balanced.slug, CommitIn(key="public-2"))
    for st in Statement.objects.filter(payout__gt=0).order_by("pk")[:3]:
        benefits.choose(st.member, st.pk, ChoiceIn(choice="take"))
    benefits.mark_paid(cast.treasurer, Payout.objects.order_by("pk").first().pk, PaidIn())
    people.erase_member(
        cast.steward, community.members[5].pseudonym, ErasureIn(reason="Asked by e-mail")
    )
    sign_head()


def _seen_by(role: str, community: Community) -> set[str]:
    """Every identifier of a member that `role` can see through pages, exports and the API."""
    cast = community.cast
    viewer = None if role == "anonymous" else getattr(cast, role)
    client = client_for(viewer)
    seen: set[str] = set()
    for path in ("/members/", "/members/export.csv", f"/groups/{cast.group.slug}/"):
        seen |= set(HANDLE.findall(client.get(path).content.decode()))
    export = client.get("/members/export.csv")
    if export.status_code == 200:
        for row in csv.reader(io.StringIO(export.content.decode())):
            seen |= {cell for cell in row[:1] if HANDLE.fullmatch(cell)}
    for path in ("/api/v1/members", f"/api/v1/partners/{cast.partner.slug}/members"):
        body = client.get(path).content.decode()
        seen |= set(HANDLE.findall(body))
        seen |= set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", body))
    return seen


def _api_ledger_pages(client) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every page of the API's ledger, as served (a page holds at most 500 entries)."""
    url = "/api/v1/ledger/entries?limit=500"
    while url:
        response = client.get(url)
        yield response.content.decode()
        after = response.json()["next"]
        url = f"/api/v1/ledger/entries?limit=500&before={after}" if after else ""


@pytest.mark.parametrize("role", ROLES)
def test_no_reader_can_tell_whom_an_entry_is_about(community: Community, role: str) -> None:
    _everything_happens(community)
    cast = community.cast
    # Office holders acting in office: the steward, the treasurer, the group's lead.
    offices = {cast.steward.pseudonym, cast.treasurer.pseudonym, community.members[3].pseudonym}
    members = Member.objects.exclude(pk__in=[cast.steward.pk, cast.treasurer.pk])
    everyone = {m.pseudonym for m in members} | {
        m.user.email for m in members if m.user is not None
    }
    ids = set(Contribution.objects.values_list("pk", flat=True))

    seen = _seen_by(role, community) - offices
    export = "\n".join(ledger_queries.export_lines())
    client = client_for(None if role == "anonymous" else getattr(cast, role))
    public = export + "".join(
        client.get(path).content.decode() for path in ("/ledger/", "/criteria/")
    )
    public += "".join(_api_ledger_pages(client))

    assert seen or role == "anonymous", "the role sees someone: the search means something"
    for identifier in seen | (everyone - offices):
        assert identifier not in public, identifier
    lines = [json.loads(line) for line in export.splitlines()]
    entries = [json.loads(x["entry"]) for x in lines if x["type"] == "entry"]
    about_members = [e for e in entries if e.get("kind") in MEMBER_KINDS]
    assert len(about_members) > 40
    for e in about_members:
        assert e["actor"] in {"member", "system"} | offices
        assert set(e["payload"]) <= PUBLIC_KEYS, e
        assert not re.search(r'"contribution":\s*(\d+)', json.dumps(e["payload"]))
    assert not ids & {e["payload"].get("contribution") for e in entries}


def test_no_two_entries_about_members_share_a_value_derived_from_a_member(
    community: Community,
) -> None:
    _everything_happens(community)
    entries = [
        json.loads(json.loads(line)["entry"])
        for line in ledger_queries.export_lines()
        if '"type": "entry"' in line
    ]
    about_members = [e for e in entries if e["kind"] in MEMBER_KINDS]

    subjects = [e["subject"] for e in about_members]
    commitments = [e["payload"]["commitment"] for e in about_members]

    assert all(s.startswith("b-") for s in subjects)
    assert len(set(subjects)) == len(subjects)
    assert len(set(commitments)) == len(commitments)
    assert verify_ledger().ok


def test_the_erased_member_cannot_be_opened_by_anyone(community: Community) -> None:
    _everything_happens(community)
    erased = community.members[5]

    auditor = "\n".join(ledger_queries.auditor_export_lines())

    assert ledger_queries.receipt_bundle(erased.pk)["entries"] == []  # type: ignore[index]
    assert erased.pseudonym not in auditor
    assert Statement.objects.filter(member=erased).exists()  # the money still adds up
