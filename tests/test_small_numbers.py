"""Small numbers are never published: every public and partner page of a small community is
swept for a number that says how many people did something, when that number is 1 to 9.

The pages come from the URL resolver, not from a list kept by hand, so a new page is swept
the day it ships: *public* pages are those that answer an anonymous visitor, *partner* pages
those the partner representative reaches because they represent a partner (what an ordinary
member cannot open, and the partners app's own pages). A member's own pages (their home,
profile, receipts, tokens) are neither, so they are not swept. Every other page a partner
representative can open is swept, including those any signed-in member reaches (groups, the
member directory, pools): partners are outsiders wherever they read.
"""

import html
import json
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from itertools import product
from typing import Any

import pytest
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Payout, Pool, Statement
from accord.benefits.schemas import CloseIn, CommitIn
from accord.contributions.models import Contribution
from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.governance import (
    services as governance,
)
from accord.governance.models import (
    CalendarEvent,
    Concern,
    Decision,
    HandoverItem,
    MemoryEntry,
    MemoryKind,
    PlanPerson,
    PlanRole,
    Position,
    ProposedChange,
    VolunteerCall,
)
from accord.governance.models import (
    Document as LivingDocument,
)
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    ChangeIn,
    HandoverItemIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    ResolutionIn,
    RevisionCommentIn,
    RevisionIn,
)
from accord.governance.schemas import (
    DocumentIn as LivingDocumentIn,
)
from accord.ledger.models import Entry
from accord.ledger.services import sign_head
from accord.partners import services as partner_services
from accord.partners import services as partners
from accord.partners.models import (
    Agreement,
    Commitment,
    Document,
    Goal,
    Offering,
    Partner,
    Update,
    UpdateComment,
)
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    CommentIn,
    OfferingIn,
    ReviewIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
)
from accord.people.models import ConsentSource, Group, Member, Purpose
from accord.people.services import grant_partner_consent
from tests.conftest import Cast, client_for
from tests.factories import (
    funded_pool,
    grant,
    make_member,
    make_policy,
    publish,
    verified_contribution,
)
from tests.governance.escalation_helpers import (
    raised as raised_concern,
)

SMALL = r"(?<![\w.,])[1-9](?!\w|[.,]\d)"  # 1 to 9 on its own, not part of 1.5 or 12
PEOPLE = r"(?:members?|people|persons|contributors?|beneficiaries|gains?|loses?|see\s+no\s+change)"
WORDS = r"(?:\s+[\w'’-]+){0,3}?"  # up to three words, never across punctuation
IN_TEXT = (
    re.compile(rf"{SMALL}{WORDS}\s+{PEOPLE}\b", re.IGNORECASE),  # "2 members", "1 of 2 members"
    re.compile(rf"\b{PEOPLE}{WORDS}\s*:\s*{SMALL}", re.IGNORECASE),  # "Members who gain: 1"
)
PEOPLE_KEY = re.compile(
    r"member|people|person|contributor|beneficiar|gain|lose|same|listed|consent", re.IGNORECASE
)
TODAY = timezone.localdate()


def small_counts_in_text(text: str) -> list[str]:
    return [m.group(0) for pattern in IN_TEXT for m in pattern.finditer(text)]


def small_counts_in_json(value: Any, key: str = "") -> list[str]:
    """Counts of 1 to 9 under a key about people, and any such phrase in a string."""
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in small_counts_in_json(v, str(k))]
    if isinstance(value, list):
        return [f for v in value for f in small_counts_in_json(v, key)]
    if isinstance(value, str):
        return small_counts_in_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return [f"{key}: {value}"] if 0 < value < 10 and PEOPLE_KEY.search(key) else []
    return []


BLOCK = re.compile(
    r"</?(?:p|li|dt|dd|td|th|tr|h[1-6]|div|section|caption|label|option|button)\b[^>]*>",
    re.IGNORECASE,
)


def visible_text(page: str) -> str:
    """The page's text, with a bar between blocks so a phrase never runs from one cell or
    line into the next ("version 1 | Eligible: every member")."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = BLOCK.sub(" | ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def small_counts(response: HttpResponseBase) -> list[str]:
    assert isinstance(response, HttpResponse | StreamingHttpResponse)
    body = response.getvalue().decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return small_counts_in_json(json.loads(body))
    if response.get("Content-Type", "").startswith("text/html"):
        return small_counts_in_text(visible_text(body))
    return small_counts_in_text(body)


def test_the_sweep_finds_small_counts_in_pages_and_json() -> None:
    assert small_counts_in_text("1 of 2 members gain points (the most: +12.00 points);")
    assert small_counts_in_text("The community has 5 members.")
    assert small_counts_in_text("Members who lose points: 3")
    assert small_counts_in_json({"partner": {"slug": "x"}, "member_count": 5})
    assert not small_counts_in_text("Fewer than 10 of 23 members gain points (the most: +4.00)")
    assert not small_counts_in_text("at most 8 hours per contribution. One member counts")
    assert not small_counts_in_text("12 members; level 3 ×1.5; 4.00 points")
    assert not small_counts_in_json({"member_count": None, "version": 2, "seq": 3})


# A small community ---------------------------------------------------------------------


@pytest.fixture
def small_community(cast: Cast) -> Cast:
    """Five members, two of whom had work verified; a committed distribution; two policy
    versions, so /criteria/ says what changed for whom; two members who share with partners;
    a partnership update both members commented on."""
    first = make_policy(cast.steward, effective_from=TODAY - timedelta(days=60), reason="1")
    verified_contribution(cast.member, cast.steward, days_ago=10)
    verified_contribution(cast.member, cast.steward, days_ago=11)
    verified_contribution(cast.other, cast.steward, kind="code", days_ago=5)
    pool = funded_pool(cast.steward, first, name="Small pool", amount=10_000, days=30)
    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="small-round"))
    # A new version may not take effect inside an open pool's period: the round is done.
    benefits.close_pool(cast.treasurer, pool.slug, CloseIn(reason="The round is shared."))
    publish(
        cast.steward,
        PolicyIn(
            document=policies.version(2), effective_from=TODAY, reason="care work counts more"
        ),
    )
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    grant(cast.other, Purpose.PARTNER_CONTACT)
    agreement = _partnership_being_evaluated(cast)
    update = partners.post_update(cast.partner_rep, agreement, UpdateIn(body="News"))
    for member in (cast.member, cast.other):
        partners.comment_on_update(member, update.pk, CommentIn(body="Thanks"))
    _take_up_an_offering(cast)  # offerings
    _concerns_at_each_stage(cast)  # escalations
    _volunteer(cast)  # succession
    _living_document(cast)  # living documents
    sign_head()
    assert Member.objects.count() < 10
    return cast


def _concerns_at_each_stage(cast: Cast) -> None:
    """Concerns from three members, one resolved and one escalated, so the public
    statistics have small counts to withhold."""
    for who in (cast.member, cast.other, cast.treasurer):
        raised_concern(cast, by=who, kind="benefit")
    first, second = Concern.objects.order_by("pk")[:2]
    governance.resolve_concern(cast.group_lead, first.pk, ResolutionIn(resolution="Done."))
    governance.escalate_concern(cast.group_lead, second.pk)


def _volunteer(cast: Cast) -> None:
    """A position held by `cast.member` with someone in its plan and a step to hand over,
    and a call for volunteers three members answered."""
    made = governance.create_position(cast.steward, PositionIn(title="Chair"))
    governance.record_position_term(
        cast.steward, made.pk, PositionTermIn(member=cast.member.pseudonym, start=TODAY, end=TODAY)
    )
    governance.add_to_plan(
        cast.steward, made.pk, PlanPersonIn(member=cast.other.pseudonym, role=PlanRole.SHADOW)
    )
    governance.add_handover_item(cast.steward, made.pk, HandoverItemIn(text="Keys"))
    call = governance.open_call(
        cast.steward,
        CallIn(
            position=made.pk, asks="A chair", backgrounds=["Students", "Retirees"], closes_on=TODAY
        ),
    )
    for member in (cast.member, cast.other, cast.group_lead):
        governance.answer_call(member, call.pk, AnswerIn(backgrounds=["Students"]))
    governance.add_memory(cast.member, MemoryIn(kind=MemoryKind.LESSON, title="M", body="b"))


def _living_document(cast: Cast) -> None:
    """A document with two revisions, a comment and two members' proposed changes."""
    made = governance.create_document(
        cast.steward,
        LivingDocumentIn.model_validate(
            {"title": "Small guideline", "kind": "plan", "body": "A."}
        ),
    )
    governance.revise_document(cast.steward, made.slug, RevisionIn(body="A. B.", summary="B."))
    governance.comment_on_revision(cast.member, made.slug, 2, RevisionCommentIn(body="Good."))
    for member in (cast.member, cast.other):
        governance.propose_change(member, made.slug, ChangeIn(body="A. C.", summary="C."))


def _partnership_being_evaluated(cast: Cast) -> int:
    """An agreement with the cast's partner that two office holders have scored, so its
    page (evaluation included, for the partner's representative) is swept too."""
    made = partners.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title="Small", purpose="P", reasons=["networks"]),
    )
    partners.change_agreement_status(
        cast.steward, made.pk, StatusIn(status="evaluating", reason="Go.")
    )
    for evaluator in (cast.steward, cast.auditor):
        partners.score_agreement(evaluator, made.pk, ScoreIn(criterion="vision", score=4))
    return made.pk


# Every page the resolver knows --------------------------------------------------------


def _routes() -> Iterator[tuple[str, str, list[str]]]:
    """(name, namespace, parameter names) of every named route but the Django admin's."""

    def walk(
        resolver: URLResolver, namespace: str | None, outer: list[str]
    ) -> Iterator[tuple[str, str, list[str]]]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                inner = [*outer, *p.pattern.regex.groupindex]  # an include may take some
                yield from walk(p, p.namespace or namespace, inner)
            elif isinstance(p, URLPattern) and p.name and namespace != "admin":
                params = [*outer, *p.pattern.regex.groupindex]
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield name, namespace or "", params

    yield from walk(get_resolver(), None, [])


def _pages(cast: Cast) -> dict[str, str]:
    """path -> namespace for every route, with each parameter filled from this community."""
    values: dict[str, list[object]] = {
        "slug": [
            *Partner.objects.values_list("slug", flat=True),
            *Group.objects.values_list("slug", flat=True),
            *Pool.objects.values_list("slug", flat=True),
            *LivingDocument.objects.values_list("slug", flat=True),
        ],
        "number": [1, 2],  # revisions of a living document
        "proposal_id": list(ProposedChange.objects.values_list("pk", flat=True)) or [1],
        "seq": list(Entry.objects.values_list("seq", flat=True)),
        "version": [1, 2],
        "pk": [
            *Contribution.objects.values_list("pk", flat=True),
            *Statement.objects.values_list("pk", flat=True),
            *Payout.objects.values_list("pk", flat=True),
        ],
        "pseudonym": list(Member.objects.values_list("pseudonym", flat=True)),
        "purpose": [Purpose.PARTNER_CONTACT],
        "token_id": [1],
        "agreement_id": list(Agreement.objects.values_list("pk", flat=True)) or [1],
        "update_id": list(Update.objects.values_list("pk", flat=True)) or [1],
        "comment_id": list(UpdateComment.objects.values_list("pk", flat=True)) or [1],
        "risk_id": [1],  # risks and disclosures: changed by POST/PATCH only, not read
        "disclosure_id": [1],
        "offering_id": list(Offering.objects.values_list("pk", flat=True)) or [1],  # offerings
        "goal_id": list(Goal.objects.values_list("pk", flat=True)) or [1],
        "commitment_id": list(Commitment.objects.values_list("pk", flat=True)) or [1],
        "document_id": list(Document.objects.values_list("pk", flat=True)) or [1],
        "decision_id": list(Decision.objects.values_list("pk", flat=True)) or [1],
        "concern_id": list(Concern.objects.values_list("pk", flat=True)) or [1],  # escalations
        "contact_id": [1],  # partner contacts: changed by POST/PATCH/DELETE only, not read
        "position_id": list(Position.objects.values_list("pk", flat=True)) or [1],  # succession
        "call_id": list(VolunteerCall.objects.values_list("pk", flat=True)) or [1],
        "person_id": list(PlanPerson.objects.values_list("pk", flat=True)) or [1],
        "item_id": list(HandoverItem.objects.values_list("pk", flat=True)) or [1],
        "entry_id": list(MemoryEntry.objects.values_list("pk", flat=True)) or [1],
        "key": ["not-a-key"],
        "event_id": list(CalendarEvent.objects.values_list("pk", flat=True)) or [1],  # calendar
        "secret": ["cal_not-a-secret"],  # a private feed: unknown links are not found
        "uidb36": ["1"],
    }
    pages: dict[str, str] = {}
    for name, namespace, params in _routes():
        unknown = [p for p in params if p not in values]
        assert not unknown, f"{name}: say which values to sweep {unknown} with"
        for combo in product(*(values[p] for p in params)):
            pages[reverse(name, kwargs=dict(zip(params, combo, strict=True)))] = namespace
    return pages


# The reader's own data: what it says about them is not published to anyone else.
OWN = (
    "/home/",
    "/me/",
    "/accounts/",
    "/contributions/",
    "/benefits/",
    "/api/v1/me",
    "/api/v1/tokens",
    "/api/v1/consents",
    "/api/v1/memberships",
    "/api/v1/statements",
    "/api/v1/contributions",
)


def _found(pages: Mapping[str, HttpResponseBase]) -> dict[str, list[str]]:
    found = {path: small_counts(response) for path, response in pages.items()}
    return {path: counts for path, counts in found.items() if counts}


def test_no_public_page_publishes_a_count_of_1_to_9_people(small_community: Cast) -> None:
    public = {}
    anonymous = client_for(None)
    for path in _pages(small_community):
        response = anonymous.get(path)
        if response.status_code == 200:
            public[path] = response

    assert {"/", "/criteria/", "/criteria.json", "/ledger/", "/api/v1/criteria"} <= set(public)
    assert {"/concerns/statistics/", "/api/v1/concerns/statistics"} <= set(public)
    assert _found(public) == {}


def test_no_partner_page_publishes_a_count_of_1_to_9_people(small_community: Cast) -> None:
    cast = small_community
    rep = client_for(cast.partner_rep)
    partner = {}
    for path in _pages(cast):
        if path.startswith(OWN):
            continue
        response = rep.get(path)
        if response.status_code == 200:
            partner[path] = response

    assert {
        "/partners/mine/",
        f"/partners/{cast.partner.slug}/",
        f"/api/v1/partners/{cast.partner.slug}/members",
        "/members/",
        f"/groups/{cast.group.slug}/",
        f"/api/v1/groups/{cast.group.slug}",
    } <= set(partner)
    assert _found(partner) == {}


def test_a_partner_is_told_the_community_size_only_when_it_reveals_no_small_group(
    cast: Cast,
) -> None:
    for _ in range(10):
        make_member()
    total = Member.objects.count()
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    rep = client_for(cast.partner_rep)

    # one member named: the others are not a small group
    shown = rep.get("/partners/mine/").content.decode()
    api_shown = rep.get(f"/api/v1/partners/{cast.partner.slug}/members").json()
    for m in Member.objects.exclude(pk=cast.member.pk)[: total - 5 - 1]:
        grant(m, Purpose.PARTNER_CONTACT)
    # all but 5 named: the size would say that 5 members did not share
    withheld = rep.get("/partners/mine/").content.decode()
    api_withheld = rep.get(f"/api/v1/partners/{cast.partner.slug}/members").json()

    assert f"The community has {total} members." in shown
    assert api_shown["member_count"] == total
    assert "The community's size is not shown here" in withheld
    assert api_withheld["member_count"] is None
    assert len(api_withheld["contactable"]) + len(api_withheld["shared_profiles"]) == total - 5


# -- offerings ---------------------------------------------------------------------------


def _take_up_an_offering(cast: Cast) -> None:
    """An offering of the cast's partner, claimed by a member who shares with the partner
    and by one who does not, and reviewed: its page and uptake are swept with the rest."""
    offering = partner_services.create_offering(
        cast.steward,
        OfferingIn(
            partner=cast.partner.slug, kind="event", title="Day", eligibility="All", value="3"
        ),
    )
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    partner_services.claim_offering(cast.member, offering.pk, ClaimIn(kind="claim"))
    partner_services.claim_offering(cast.other, offering.pk, ClaimIn(kind="interest"))
    partner_services.review_offering(cast.member, offering.pk, ReviewIn(rating=4))


def test_the_uptake_of_a_partners_offerings_is_swept(small_community: Cast) -> None:
    cast = small_community
    rep = client_for(cast.partner_rep)
    paths = [
        f"/partners/{cast.partner.slug}/uptake/",
        f"/api/v1/partners/{cast.partner.slug}/uptake",
    ]

    responses = {path: rep.get(path) for path in paths}

    assert {path: r.status_code for path, r in responses.items()} == dict.fromkeys(paths, 200)
    assert cast.member.display_name in responses[paths[0]].content.decode()
    assert _found(responses) == {}
