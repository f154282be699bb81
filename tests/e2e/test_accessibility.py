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
from accord.governance.schemas import DecisionIn, VoteIn
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
    }


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
        ],
        "sam@example.org": [
            "/leadership/",
            "/contributions/review/",
            "/contributions/import/",
            f"/contributions/{community['contribution']}/",
            "/pools/",
            "/pools/grants/",
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
