"""axe-core (WCAG 2.2 AA tags) on every page, at desktop and phone widths, per role."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Method, Statement
from accord.benefits.schemas import CommitIn, FundIn, PoolIn
from accord.contributions import services as contributions
from accord.contributions.schemas import VerifyIn
from accord.governance import services as governance
from accord.governance.models import Decision
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    ConcernIn,
    DecisionIn,
    HandoverItemIn,
    LevelIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    VoteIn,
)
from accord.ledger.services import sign_head
from accord.people.models import GroupRole, Purpose, SiteRole
from accord.people.schemas import ConsentIn
from accord.people.services import set_consent
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    a_treasurer,
    add_to_group,
    contribution_in,
    grant,
    make_group,
    make_member,
    make_partner,
    make_partner_rep,
    make_policy,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 740)}

ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/ledger/",
    "/ledger/entries/0/",
    "/ledger/heads/",
    "/criteria/",
    "/partnerships/",
    "/concerns/statistics/",
    "/calendar/",
    "/calendar/?view=list",
    "/documents/",
]


def _serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def community(db: None) -> dict[str, object]:
    parent = make_group(name="Regional Network")
    group = make_group(name="North Chapter", parent=parent)
    member = make_member(name="Mo Member", email="mo@example.org")
    other = make_member(name="Olu Other", email="olu@example.org")
    steward = make_member(name="Sam Steward", email="sam@example.org", role=SiteRole.STEWARD)
    make_member(name="Tia Treasurer", email="tia@example.org", role=SiteRole.TREASURER)
    partner = make_partner(name="Northbridge University")
    make_partner_rep(partner, email="pat@example.org")
    add_to_group(member, group, GroupRole.LEAD)
    add_to_group(other, group)
    grant(other, Purpose.MEMBER_DIRECTORY, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    set_consent(
        member, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source="web"
    )  # a ledger entry
    sign_head()
    statement, contribution = _benefits(member, steward)
    return {
        "group": group,
        "other": other,
        "statement": statement,
        "contribution": contribution,
        "decisions": _decisions(member, other, steward),
        "concern": _concern(member, other, steward),
        "succession": _succession(member, other, steward),
    }


def _succession(member, other, steward) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A position `member` holds with a shadow and a checklist, a call `other` answered, and
    a memory entry."""
    made = governance.create_position(steward, PositionIn(title="Chair"))
    today = timezone.localdate()
    governance.record_position_term(
        steward, made.pk, PositionTermIn(member=member.pseudonym, start=today, end=today)
    )
    governance.add_to_plan(
        steward,
        made.pk,
        PlanPersonIn.model_validate({"member": other.pseudonym, "role": "shadow"}),
    )
    governance.add_handover_item(steward, made.pk, HandoverItemIn(text="Keys"))
    call = governance.open_call(
        steward,
        CallIn(position=made.pk, asks="A chair", backgrounds=["Students"], closes_on=today),
    )
    governance.answer_call(other, call.pk, AnswerIn(backgrounds=["Students"], note="Glad to"))
    governance.add_memory(
        other, MemoryIn.model_validate({"kind": "lesson", "title": "Ask early", "body": "b"})
    )
    return made.pk, call.pk


def _decisions(member, other, steward) -> list[int]:  # type: ignore[no-untyped-def]
    """An open score ballot, and a ranked one closed after a runoff (its rounds shown)."""
    made = []
    for poll in ("score", "ranked"):
        d = governance.propose_decision(
            member,
            DecisionIn.model_validate(
                {
                    "title": f"A {poll} poll",
                    "body": "Which venue?",
                    "poll": poll,
                    "options": ["Library", "Cafe", "Park"],
                    "closes_at": timezone.now() + timedelta(days=3),
                }
            ),
        )
        governance.open_decision(steward, d.pk)
        made.append(d.pk)
    governance.cast_vote(member, made[1], VoteIn.model_validate({"ranking": [0, 1]}))
    governance.cast_vote(other, made[1], VoteIn.model_validate({"ranking": [2, 1]}))
    Decision.objects.filter(pk=made[1]).update(closes_at=timezone.now() - timedelta(seconds=1))
    governance.close_decision(steward, made[1])
    return made


def _concern(member, other, steward) -> int:  # type: ignore[no-untyped-def]
    """A two-level path handled by the member, and a concern another member raised."""
    for rank, name in ((1, "Group leads"), (2, "Steering committee")):
        governance.set_escalation_level(
            steward,
            LevelIn(rank=rank, name=name, response_hours=72 * rank, handlers=[member.pseudonym]),
        )
    made = governance.raise_concern(
        other, ConcernIn.model_validate({"kind": "conduct", "summary": "Late", "body": "Late."})
    )
    governance.acknowledge_concern(member, made.pk)
    return made.pk


def _benefits(member, steward):  # type: ignore[no-untyped-def]
    """A policy, a verified contribution and a committed pool with the member's statement."""

    today = timezone.localdate()
    policy = make_policy(steward, effective_from=today - timedelta(days=30), reason="a")
    c = contributions.record_contribution(
        member,
        contribution_in(
            kind="mentoring",
            title="Mentored newcomers",
            date=today - timedelta(days=2),
            level=3,
            hours_h100=250,
        ),
    )
    contributions.verify_contribution(steward, c.pk, VerifyIn(impact=4))
    pending = contributions.record_contribution(
        member,
        contribution_in(
            kind="code", title="Fixed the calendar", date=today - timedelta(days=1), level=2
        ),
    )
    pool = benefits.create_pool(
        steward,
        PoolIn(
            name="Grants",
            unit="EUR",
            method=Method.IMMEDIATE,
            period_start=today - timedelta(days=10),
            period_end=today,
            policy=policy.version,
            formats=["bank transfer", "vouchers"],
        ),
    )
    treasurer = a_treasurer()
    benefits.fund_pool(treasurer, pool.slug, FundIn(amount=50_000, source="Partner", key="a11y"))
    benefits.commit_distribution(treasurer, pool.slug, CommitIn(key="a11y-1"))
    return Statement.objects.get(member=member).pk, pending.pk


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_have_no_serious_accessibility_violations(
    live_server,
    browser,
    community,
    viewport,  # type: ignore[no-untyped-def]
) -> None:
    width, height = VIEWPORTS[viewport]
    group, other = community["group"], community["other"]
    signed_in = {
        "mo@example.org": [
            "/home/",
            "/me/profile/",
            "/me/consents/",
            "/me/tokens/",
            "/groups/",
            f"/groups/{group.slug}/",
            "/members/",
            f"/members/{other.pseudonym}/",
            "/me/receipts/",
            "/contributions/",
            "/benefits/",
            f"/benefits/statements/{community['statement']}/",
            "/decisions/",
            *(f"/decisions/{pk}/" for pk in community["decisions"]),
            "/concerns/",
            "/concerns/queue/",
            "/concerns/levels/",
            f"/concerns/{community['concern']}/",
            "/positions/",
            f"/positions/{community['succession'][0]}/",
            "/calls/",
            f"/calls/{community['succession'][1]}/",
            "/memory/",
            "/calendar/feeds/",
        ],
        "sam@example.org": [
            "/positions/?as=steward",
            "/calls/?as=steward",
            f"/calls/{community['succession'][1]}/?as=steward",
            "/leadership/",
            "/contributions/review/",
            "/contributions/import/",
            f"/contributions/{community['contribution']}/",
            "/pools/",
            "/pools/grants/",
            "/calendar/events/new/",
        ],
        "tia@example.org": ["/treasury/", "/pools/grants/fund/"],
        "pat@example.org": ["/partners/mine/"],
    }
    problems: dict[str, list[str]] = {}
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    for path in ANONYMOUS_PAGES:
        page.goto(live_server.url + path)
        problems[path] = _serious(page)
    for email, paths in signed_in.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, live_server.url, email, PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None
            assert response.status == 200, path
            problems[path] = _serious(page)
        context.close()

    checked = len(problems)
    assert checked == len(ANONYMOUS_PAGES) + sum(len(p) for p in signed_in.values())
    assert {p: v for p, v in problems.items() if v} == {}
