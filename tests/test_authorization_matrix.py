"""Every (route, method) x every role x own/other's object -> the status it must give.

The test fails when a route exists that the matrix does not list, or has no name, so a new
page or endpoint cannot ship without its authorization being decided here. The admin's
views are enumerated per registered model. Members shown to a viewer are checked with the
member's consent for the viewer's audience on and off.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Payout, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn
from accord.contributions import services as contributions
from accord.contributions.schemas import ReasonIn
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.governance import services as governance
from accord.governance.models import (
    Decision,
    PlanRole,
)
from accord.governance.schemas import (
    AnswerIn,
    CalendarEventIn,
    CallIn,
    ChangeDecisionIn,
    ChangeIn,
    DecisionIn,
    HandoverItemIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    RightIn,
    VoteIn,
)
from accord.governance.schemas import (
    DocumentIn as LivingDocumentIn,
)
from accord.ledger.services import sign_head
from accord.partners import services as partners
from accord.partners.models import Commitment, Goal, Partner
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    CommentIn,
    CommitmentIn,
    DisclosureIn,
    DocumentIn,
    GoalIn,
    OfferingIn,
    PartnerContactIn,
    ReviewIn,
    RiskIn,
    StatusIn,
    UpdateIn,
)
from accord.people.models import AccessToken, LeadershipTerm, Purpose
from accord.people.schemas import ConsentIn, TokenIn
from accord.people.services import create_token, set_consent
from tests.conftest import Cast, client_for
from tests.factories import (
    add_to_group,
    contribution_in,
    funded_pool,
    grant,
    make_member,
    make_policy,
    verified_contribution,
)
from tests.governance.escalation_helpers import ladder as concern_ladder
from tests.governance.escalation_helpers import raised as raised_concern

TODAY = timezone.localdate()

# member: the owner of the objects in "own" cases; other: another plain member;
# group_lead: leads the group both of them are in.
ROLES = (
    *("anonymous", "member", "other", "group_lead"),
    *("steward", "treasurer", "partner_rep", "auditor"),
)


@dataclass(frozen=True)
class Case:
    path: Callable[[Cast], str]
    expect: dict[str, int]  # role -> status
    # the body, or what makes it once the path has made its objects (a row's id in a form)
    data: dict[str, str] | Callable[[Cast], dict[str, str]] | None = None

    def body(self, cast: Cast) -> dict[str, str] | None:
        return self.data(cast) if callable(self.data) else self.data


def every(status: int, **overrides: int) -> dict[str, int]:
    statuses = dict.fromkeys(ROLES, status)
    statuses.update(overrides)
    return statuses


def signed_in(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    return every(status, anonymous=anonymous, **overrides)


def api(status: int, **overrides: int) -> dict[str, int]:
    return every(status, anonymous=401, **overrides)


def _token_of(member_attr: str) -> Callable[[Cast], str]:
    def path(cast: Cast) -> str:
        token = create_token(getattr(cast, member_attr), TokenIn(name="matrix"))
        return f"/me/tokens/{token.token.pk}/revoke/"

    return path


def _api_token_of(member_attr: str) -> Callable[[Cast], str]:
    def path(cast: Cast) -> str:
        token = create_token(getattr(cast, member_attr), TokenIn(name="matrix"))
        return f"/api/v1/tokens/{token.token.pk}"

    return path


def _contribution(cast: Cast, *, rejected: bool = False) -> int:
    c = contributions.record_contribution(
        cast.member,
        contribution_in(kind="code", title="Matrix", date=TODAY - timedelta(days=2), level=2),
    )
    if rejected:
        contributions.reject_contribution(cast.steward, c.pk, ReasonIn(reason="matrix"))
    return c.pk


def _statement(cast: Cast) -> int:
    """A committed distribution with a statement for `cast.member` (pays something)."""
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=60), reason="m")
    verified_contribution(cast.member, cast.steward, days_ago=2)
    pool = funded_pool(cast.steward, policy, name="Matrix pool", amount=10_000, days=30)
    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="matrix-round"))
    return Statement.objects.get(member=cast.member).pk


def _payout(cast: Cast) -> int:
    st = _statement(cast)
    benefits.choose(cast.member, st, ChoiceIn(choice="take"))
    return Payout.objects.get().pk


def _goal(cast: Cast, partner: Partner) -> int:
    """A goal of an agreement with `partner`."""
    made = partners.create_agreement(
        cast.steward,
        AgreementIn(partner=partner.slug, title="Goals", purpose="P", reasons=["networks"]),
    )
    goal = partners.add_goal(
        cast.steward,
        made.pk,
        GoalIn(name="G", metric="m", unit="u", target="5", due_on=TODAY + timedelta(days=90)),
    )
    return goal.pk


def _commitment(cast: Cast, kind: str) -> int:
    """A commitment of the cast's partner: financial (100.00) or not."""
    amount = "100.00" if kind == "financial" else ""
    made = partners.add_commitment(
        cast.steward,
        _agreement(cast),
        CommitmentIn(party="partner", kind=kind, description="d", amount=amount, due_on=TODAY),
    )
    return made.pk


def _document(cast: Cast, partner: Partner) -> int:
    """A text file attached to an agreement with `partner`."""
    made = partners.create_agreement(
        cast.steward,
        AgreementIn(partner=partner.slug, title="Docs", purpose="P", reasons=["networks"]),
    )
    doc = partners.attach_document(
        cast.steward, made.pk, DocumentIn(name="terms.txt", content=b"The terms.")
    )
    return doc.pk


def _target(purpose: str | None) -> Callable[[Cast], str]:
    """A member of the group with one consent on (or none), as a profile URL's handle."""

    def handle(cast: Cast) -> str:
        person = make_member(name="Tess Target")
        add_to_group(person, cast.group)
        if purpose is not None:
            grant(person, purpose)
        return person.pseudonym

    return handle


SHOWN_TO_MEMBERS = _target(Purpose.MEMBER_DIRECTORY)
SHOWN_TO_PARTNERS = _target(Purpose.SHARE_PROFILE_WITH_PARTNERS)
SHOWN_TO_NOBODY = _target(None)


def _contact(cast: Cast) -> int:
    """A contact at the cast's partner."""
    return partners.add_partner_contact(
        cast.steward,
        cast.partner.slug,
        PartnerContactIn(name="Dana", role="Manager", email="dana@partner.example"),
    ).pk


def _partner_slug(cast: Cast, slug: str) -> None:
    """Give the cast's partner a slug a case's fixed body can name."""
    cast.partner.slug = slug
    cast.partner.save(update_fields=["slug"])


def _agreement(cast: Cast, *, evaluating: bool = False, partner: str = "partner") -> int:
    """A partnership agreement with the cast's partner (a prospect, or being evaluated)."""
    made = partners.create_agreement(
        cast.steward,
        AgreementIn(
            partner=getattr(cast, partner).slug, title="Matrix", purpose="p", reasons=["networks"]
        ),
    )
    if evaluating:
        partners.change_agreement_status(
            cast.steward, made.pk, StatusIn(status="evaluating", reason="m")
        )
    return made.pk


def _update(cast: Cast) -> int:
    """A steward's update on an agreement with the cast's partner."""
    return partners.post_update(cast.steward, _agreement(cast), UpdateIn(body="matrix")).pk


def _comment_path(cast: Cast) -> str:
    """A plain member's comment on an update, to withdraw."""
    update = _update(cast)
    made = partners.comment_on_update(cast.member, update, CommentIn(body="mine"))
    return f"/api/v1/updates/{update}/comments/{made.pk}"


def _update_page(cast: Cast) -> str:
    """A steward's update, as the partnership page's address for its comments."""
    agreement = _agreement(cast)
    update = partners.post_update(cast.steward, agreement, UpdateIn(body="matrix")).pk
    return f"/partnerships/{agreement}/updates/{update}/comments/"


def _comment_page(cast: Cast) -> str:
    """A plain member's comment on an update, to withdraw on the partnership page."""
    agreement = _agreement(cast)
    update = partners.post_update(cast.steward, agreement, UpdateIn(body="matrix")).pk
    made = partners.comment_on_update(cast.member, update, CommentIn(body="mine"))
    return f"/partnerships/{agreement}/updates/{update}/comments/{made.pk}/withdraw/"


def _risk_of(owner: str) -> Callable[[Cast], str]:
    """A risk in an agreement's register, owned by the cast's `owner`."""

    def path(cast: Cast) -> str:
        pk = _agreement(cast)
        risk = partners.add_risk(
            cast.steward,
            pk,
            RiskIn(
                category="financial",
                title="Matrix",
                likelihood=2,
                impact=3,
                owner=getattr(cast, owner).pseudonym,
            ),
        )
        return f"/api/v1/agreements/{pk}/risks/{risk.pk}"

    return path


def _disclosure_of(discloser: str) -> Callable[[Cast], str]:
    """An open disclosure by the cast's `discloser` on an agreement."""

    def path(cast: Cast) -> str:
        pk = _agreement(cast)
        made = partners.disclose_interest(
            getattr(cast, discloser), pk, DisclosureIn(interest="matrix")
        )
        return f"/api/v1/agreements/{pk}/disclosures/{made.pk}/close"

    return path


def _pool(cast: Cast) -> str:
    _statement(cast)
    return "matrix-pool"


def _on_the_page(api_path: Callable[[Cast], str]) -> Callable[[Cast], str]:
    """The partnership page's address for what `api_path` makes (a risk, a disclosure)."""
    return lambda c: api_path(c).replace("/api/v1/agreements/", "/partnerships/") + "/"


def _reading_page(partner: str) -> Callable[[Cast], str]:
    """A goal of an agreement with the cast's `partner`: that partnership's readings form."""

    def path(cast: Cast) -> str:
        goal = Goal.objects.get(pk=_goal(cast, getattr(cast, partner)))
        return f"/partnerships/{goal.agreement_id}/readings/"

    return path


def _fulfilment_page(kind: str) -> Callable[[Cast], str]:
    """A commitment of the cast's partner: its partnership's deliveries form."""

    def path(cast: Cast) -> str:
        made = Commitment.objects.get(pk=_commitment(cast, kind))
        return f"/partnerships/{made.agreement_id}/fulfilments/"

    return path


def _latest_goal(cast: Cast) -> dict[str, str]:
    return {"goal": str(Goal.objects.latest("pk").pk), "value": "3"}


def _latest_commitment(fields: dict[str, str]) -> Callable[[Cast], dict[str, str]]:
    return lambda c: {"commitment": str(Commitment.objects.latest("pk").pk), **fields}


# route name -> cases (a route with an object has an "own" and an "other's" case)

# -- offerings ---------------------------------------------------------------------------
OWN, OTHERS = "matrix-own", "matrix-others"  # the cast's partner, another partner


def _slugs(cast: Cast) -> None:
    _partner_slug(cast, OWN)
    cast.other_partner.slug = OTHERS
    cast.other_partner.save(update_fields=["slug"])


def _new(slug: str) -> dict[str, str]:
    return {"partner": slug, "kind": "discount", "title": "T", "eligibility": "E", "value": "5"}


def _offer(cast: Cast, slug: str = OWN) -> int:
    """An open offering of the cast's partner (or of the other partner)."""
    _slugs(cast)
    made = partners.create_offering(cast.steward, OfferingIn(**_new(slug)))
    return made.pk


def _claimed(cast: Cast) -> int:
    """An offering of the cast's partner that `cast.member` claimed."""
    offering = _offer(cast)
    partners.claim_offering(cast.member, offering, ClaimIn(kind="claim"))
    return offering


def _reviewed(cast: Cast) -> int:
    offering = _claimed(cast)
    partners.review_offering(cast.member, offering, ReviewIn(rating=4))
    return offering


# -- decisions ---------------------------------------------------------------------------
FUTURE = "2099-01-01T00:00:00Z"


def _draft(cast: Cast, *, group: bool = False) -> int:
    """A consent proposal `cast.member` drafted (for the cast's group, or everyone)."""
    made = governance.propose_decision(
        cast.member,
        DecisionIn(
            title="Matrix",
            body="b",
            poll="consent",
            group=cast.group.slug if group else None,
            closes_at=timezone.now() + timedelta(days=7),
        ),
    )
    return made.pk


def _opened(cast: Cast, *, group: bool = False) -> int:
    pk = _draft(cast, group=group)
    governance.open_decision(cast.group_lead if group else cast.steward, pk)
    return pk


def _in_matrix_group(cast: Cast) -> str:
    """The proposals route, with the cast's group given a slug a case's body can name."""
    cast.group.slug = "matrix-group"
    cast.group.save(update_fields=["slug"])
    return "/api/v1/decisions"


def _due(cast: Cast, *, group: bool = False) -> int:
    """An open decision whose closing time has passed."""
    pk = _opened(cast, group=group)
    Decision.objects.filter(pk=pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return pk


def _closed(cast: Cast) -> int:
    pk = _due(cast)
    governance.close_decision(cast.steward, pk)
    return pk


def _passed(cast: Cast) -> int:
    """A passed decision of the whole community to change who activates partnerships."""
    right = RightIn(action=Gated.ACTIVATE_PARTNERSHIP, threshold="2/3")
    return pass_decision(cast.steward, Gated.CHANGE_DECISION_RIGHT, right=right).pk


# -- living documents ----------------------------------------------------------------------
DOC = "/documents/matrix-guideline"
API_DOC = "/api/v1/documents/matrix-guideline"
NEW_TEXT = {"body": "A new text.", "summary": "Matrix."}


def _living_document(cast: Cast, *, governed: bool = False) -> str:
    governance.create_document(
        cast.steward,
        LivingDocumentIn.model_validate(
            {"title": "Matrix guideline", "kind": "funding", "governed": governed, "body": "Text."}
        ),
    )
    return "matrix-guideline"


def _doc_change(cast: Cast, *, governed: bool = False, state: str = "open") -> int:
    """A change `cast.member` proposed; for a governed document, put to a decision that
    passed when `state` is "passed"."""
    slug = _living_document(cast, governed=governed)
    made = governance.propose_change(cast.member, slug, ChangeIn(**NEW_TEXT))
    if state == "passed":
        governance.put_change_to_decision(
            cast.steward,
            slug,
            made.pk,
            ChangeDecisionIn(closes_at=timezone.now() + timedelta(days=7)),
        )
        made.refresh_from_db()
        assert made.decision_id is not None
        governance.open_decision(cast.steward, made.decision_id)
        governance.cast_vote(cast.member, made.decision_id, VoteIn(stance="agree"))  # type: ignore[arg-type]
        Decision.objects.filter(pk=made.decision_id).update(
            closes_at=timezone.now() - timedelta(seconds=1)
        )
        governance.close_decision(cast.steward, made.decision_id)
    return made.pk


MATRIX: dict[tuple[str, str], list[Case]] = {
    ("web:landing", "get"): [Case(lambda c: "/", signed_in(302, anonymous=200))],
    ("web:healthz", "get"): [Case(lambda c: "/healthz", every(200))],
    ("people:home", "get"): [Case(lambda c: "/home/", signed_in(200))],
    ("people:profile", "get"): [Case(lambda c: "/me/profile/", signed_in(200))],
    ("people:profile", "post"): [Case(lambda c: "/me/profile/", signed_in(422), {})],
    ("people:consents", "get"): [Case(lambda c: "/me/consents/", signed_in(200))],
    ("people:toggle_consent", "post"): [
        Case(lambda c: "/me/consents/partner_contact/", signed_in(302), {"granted": "yes"})
    ],
    ("people:groups", "get"): [Case(lambda c: "/groups/", signed_in(200))],
    ("people:group", "get"): [Case(lambda c: f"/groups/{c.group.slug}/", signed_in(200))],
    ("people:join_group", "post"): [
        Case(lambda c: f"/groups/{c.group.slug}/join/", signed_in(302))
    ],
    ("people:leave_group", "post"): [
        Case(lambda c: f"/groups/{c.group.slug}/leave/", signed_in(302))
    ],
    ("people:members", "get"): [Case(lambda c: "/members/", signed_in(200))],
    ("people:members_export", "get"): [Case(lambda c: "/members/export.csv", signed_in(200))],
    ("people:member", "get"): [
        # own profile: always visible to oneself
        Case(lambda c: f"/members/{c.member.pseudonym}/", signed_in(404, member=200, steward=200)),
        # consent off for every audience (a steward reaches the page for their office only:
        # name, site role, erasure; the profile stays hidden)
        Case(lambda c: f"/members/{SHOWN_TO_NOBODY(c)}/", signed_in(404, steward=200)),
        # shown to members, not to partners
        Case(lambda c: f"/members/{SHOWN_TO_MEMBERS(c)}/", signed_in(200, partner_rep=404)),
        # shown to partners, not to members
        Case(
            lambda c: f"/members/{SHOWN_TO_PARTNERS(c)}/",
            signed_in(404, partner_rep=200, steward=200),
        ),
    ],
    ("people:leadership", "get"): [Case(lambda c: "/leadership/", signed_in(404, steward=200))],
    ("partners:list", "get"): [Case(lambda c: "/partners/", every(200))],
    ("partners:partners_csv", "get"): [Case(lambda c: "/partners/export.csv", every(200))],
    ("partners:mine", "get"): [Case(lambda c: "/partners/mine/", signed_in(404, partner_rep=200))],
    ("partners:detail", "get"): [
        Case(
            lambda c: f"/partners/{c.partner.slug}/",
            signed_in(404, steward=200, partner_rep=200),
        ),
        Case(lambda c: f"/partners/{c.other_partner.slug}/", signed_in(404, steward=200)),
    ],
    ("people:receipts", "get"): [Case(lambda c: "/me/receipts/", signed_in(200))],
    ("people:receipt_bundle", "get"): [Case(lambda c: "/me/receipts/bundle.json", signed_in(200))],
    ("people:auditor_export", "get"): [
        Case(lambda c: "/audit/ledger.jsonl", signed_in(404, auditor=200))
    ],
    ("people:erase_me", "get"): [Case(lambda c: "/me/erase/", signed_in(200))],
    # without the typed confirmation nothing is erased
    ("people:erase_me", "post"): [Case(lambda c: "/me/erase/", signed_in(422), {})],
    ("people:erase_member", "post"): [
        Case(lambda c: f"/members/{c.other.pseudonym}/erase/", signed_in(404, steward=422), {})
    ],
    ("people:erase_member", "get"): [
        Case(lambda c: f"/members/{c.other.pseudonym}/erase/", signed_in(404, steward=200))
    ],
    # people: groups, group roles, leadership terms, site roles (issue 10)
    ("people:start_group", "get"): [Case(lambda c: "/groups/new/", signed_in(200))],
    ("people:start_group", "post"): [Case(lambda c: "/groups/new/", signed_in(422), {})],
    ("people:edit_group", "get"): [
        Case(
            lambda c: f"/groups/{c.group.slug}/edit/", signed_in(404, group_lead=200, steward=200)
        )
    ],
    ("people:edit_group", "post"): [
        Case(
            lambda c: f"/groups/{c.group.slug}/edit/",
            signed_in(404, group_lead=302, steward=302),
            {},
        )
    ],
    ("people:archive_group", "post"): [
        Case(lambda c: f"/groups/{c.group.slug}/archive/", signed_in(403, steward=302), {})
    ],
    ("people:merge_group", "post"): [
        Case(
            lambda c: f"/groups/{c.group.slug}/merge/",
            signed_in(403, steward=422),
            {"into": "nowhere"},
        )
    ],
    ("people:set_group_role", "post"): [
        Case(
            lambda c: f"/groups/{c.group.slug}/roles/",
            signed_in(403, group_lead=404, steward=404),  # allowed: then no such member
            {"member": "", "role": "shadow"},
        )
    ],
    ("people:set_site_role", "post"): [
        Case(
            lambda c: f"/members/{c.other.pseudonym}/role/",
            signed_in(404, steward=302),
            {"role": "auditor"},
        )
    ],
    ("people:record_term", "post"): [
        Case(
            lambda c: "/leadership/terms/",
            signed_in(404, steward=422),  # allowed: then the dates are refused
            {"group": "", "member": "", "start": "2026-12-31", "end": "2026-01-01"},
        )
    ],
    ("api:api-group-create", "post"): [
        Case(lambda c: "/api/v1/groups", api(201), {"name": "Matrix group", "kind": "chapter"})
    ],
    ("api:api-group-update", "patch"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}",
            api(403, group_lead=200, steward=200),
            {"term_limit": "3"},
        )
    ],
    ("api:api-group-archive", "post"): [
        Case(lambda c: f"/api/v1/groups/{c.group.slug}/archive", api(403, steward=200), {})
    ],
    ("api:api-group-merge", "post"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}/merge",
            api(403, steward=422),
            {"into": "nowhere"},
        )
    ],
    ("api:api-group-role", "put"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}/roles",
            api(403, group_lead=404, steward=404),  # allowed: then no such member
            {"member": "", "role": "shadow"},
        )
    ],
    ("api:api-group-terms", "post"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}/terms",
            api(403, steward=422),  # allowed: then no such member
            {"member": "", "start": "2026-01-01", "end": "2026-12-31"},
        )
    ],
    ("api:api-member-role", "put"): [
        Case(
            lambda c: f"/api/v1/members/{c.other.pseudonym}/role",
            api(403, steward=200),
            {"role": "auditor"},
        )
    ],
    ("api:api-member-erase", "post"): [
        Case(
            lambda c: f"/api/v1/members/{c.other.pseudonym}/erasure",
            api(403, other=200, steward=200),  # a member may erase themself
            {"reason": "asked"},
        )
    ],
    # the public ledger: anyone, signed in or not, may read and verify it
    ("ledger:entries", "get"): [Case(lambda c: "/ledger/", every(200))],
    ("ledger:entry", "get"): [Case(lambda c: "/ledger/entries/0/", every(200))],
    ("ledger:receipt", "get"): [Case(lambda c: "/ledger/entries/0/receipt.json", every(200))],
    ("ledger:heads", "get"): [Case(lambda c: "/ledger/heads/", every(200))],
    ("ledger:heads_json", "get"): [Case(lambda c: "/ledger/heads.json", every(200))],
    ("ledger:heads_atom", "get"): [Case(lambda c: "/ledger/heads.atom", every(200))],
    ("ledger:key", "get"): [Case(lambda c: "/ledger/key", every(200))],
    ("api:api-ledger-entries", "get"): [Case(lambda c: "/api/v1/ledger/entries", every(200))],
    ("api:api-ledger-entry", "get"): [Case(lambda c: "/api/v1/ledger/entries/0", every(200))],
    ("api:api-ledger-receipt", "get"): [
        Case(lambda c: "/api/v1/ledger/entries/0/receipt", every(200))
    ],
    ("api:api-ledger-heads", "get"): [Case(lambda c: "/api/v1/ledger/heads", every(200))],
    ("api:api-ledger-consistency", "get"): [
        Case(lambda c: "/api/v1/ledger/consistency?old=1&new=1", every(200))
    ],
    ("api:api-ledger-key", "get"): [Case(lambda c: "/api/v1/ledger/key", every(200))],
    # contributions: own work is the member's; reviewing is for stewards and group leads
    ("contributions:mine", "get"): [Case(lambda c: "/contributions/", signed_in(200))],
    ("contributions:mine", "post"): [Case(lambda c: "/contributions/", signed_in(422), {})],
    ("contributions:import", "post"): [
        Case(lambda c: "/contributions/import/", signed_in(404, steward=422), {})
    ],
    ("contributions:queue", "get"): [Case(lambda c: "/contributions/review/", signed_in(200))],
    ("contributions:import", "get"): [
        Case(lambda c: "/contributions/import/", signed_in(404, steward=200))
    ],
    ("contributions:detail", "get"): [
        Case(
            lambda c: f"/contributions/{_contribution(c)}/",
            signed_in(404, member=200, steward=200),
        ),
    ],
    ("contributions:review", "post"): [
        Case(
            lambda c: f"/contributions/{_contribution(c)}/review/",
            signed_in(404, member=302, steward=302),
            {"decision": "verify", "impact": "3"},
        ),
    ],
    ("contributions:dispute", "post"): [
        Case(
            lambda c: f"/contributions/{_contribution(c, rejected=True)}/dispute/",
            # only its maker disputes it: anyone else is told it is not found, as in the API
            signed_in(404, member=302),
            {"reason": "please"},
        ),
    ],
    ("contributions:criteria", "get"): [Case(lambda c: "/criteria/", every(200))],
    ("contributions:criteria_json", "get"): [
        Case(lambda c: (_statement(c), "/criteria.json")[1], every(200))
    ],
    ("contributions:criteria_version_json", "get"): [
        Case(lambda c: (_statement(c), "/criteria/v1.json")[1], every(200))
    ],
    # benefits: a statement is its member's (and the stewards' and treasurers'); stewards set
    # pools up, treasurers move the money, any office holder may preview and approve a round
    ("benefits:mine", "get"): [Case(lambda c: "/benefits/", signed_in(200))],
    ("benefits:statement", "get"): [
        Case(
            lambda c: f"/benefits/statements/{_statement(c)}/",
            signed_in(404, member=200, steward=200, treasurer=200),
        ),
    ],
    ("benefits:choose", "post"): [
        Case(
            lambda c: f"/benefits/statements/{_statement(c)}/choose/",
            signed_in(404, member=302),
            {"choice": "take"},
        ),
    ],
    ("benefits:pools", "get"): [Case(lambda c: "/pools/", signed_in(200))],
    ("benefits:pool", "get"): [Case(lambda c: f"/pools/{_pool(c)}/", signed_in(200))],
    ("benefits:commit", "post"): [
        Case(lambda c: f"/pools/{_pool(c)}/commit/", signed_in(404, treasurer=302))
    ],
    ("benefits:approve", "post"): [
        # the matrix pool's round is spent: there is nothing left to approve (a message)
        Case(
            lambda c: f"/pools/{_pool(c)}/approve/",
            signed_in(404, steward=302, treasurer=302, auditor=302),
        )
    ],
    # benefits, stewards' pool forms: create, edit, fund, close (empty forms are refused)
    ("benefits:new_pool", "get"): [Case(lambda c: "/pools/new/", signed_in(404, steward=200))],
    ("benefits:new_pool", "post"): [
        Case(lambda c: "/pools/new/", signed_in(404, steward=422), {})
    ],
    ("benefits:edit_pool", "get"): [
        Case(lambda c: f"/pools/{_pool(c)}/edit/", signed_in(404, steward=200))
    ],
    ("benefits:edit_pool", "post"): [
        Case(lambda c: f"/pools/{_pool(c)}/edit/", signed_in(404, steward=422), {})
    ],
    ("benefits:fund", "get"): [
        Case(lambda c: f"/pools/{_pool(c)}/fund/", signed_in(404, treasurer=200))
    ],
    ("benefits:fund", "post"): [
        Case(lambda c: f"/pools/{_pool(c)}/fund/", signed_in(404, treasurer=422), {})
    ],
    ("benefits:close", "get"): [
        Case(lambda c: f"/pools/{_pool(c)}/close/", signed_in(404, treasurer=200))
    ],
    ("benefits:close", "post"): [
        Case(lambda c: f"/pools/{_pool(c)}/close/", signed_in(404, treasurer=422), {})
    ],
    ("benefits:treasury", "get"): [Case(lambda c: "/treasury/", signed_in(404, treasurer=200))],
    ("benefits:payouts_csv", "get"): [
        Case(lambda c: "/treasury/payouts.csv", signed_in(404, treasurer=200))
    ],
    ("benefits:mark_paid", "post"): [
        Case(lambda c: f"/treasury/payouts/{_payout(c)}/paid/", signed_in(404, treasurer=302)),
    ],
    ("api:api-contributions", "get"): [Case(lambda c: "/api/v1/contributions", api(200))],
    ("api:api-contribution-create", "post"): [
        Case(
            lambda c: "/api/v1/contributions",
            api(201),
            {"kind": "code", "title": "x", "date": "2026-01-02", "level": "2"},
        ),
    ],
    ("api:api-review-queue", "get"): [
        Case(lambda c: "/api/v1/contributions/review-queue", api(200))
    ],
    ("api:api-contribution", "get"): [
        Case(
            lambda c: f"/api/v1/contributions/{_contribution(c)}",
            api(404, member=200, steward=200),
        ),
    ],
    ("api:api-contribution-verify", "post"): [
        Case(
            lambda c: f"/api/v1/contributions/{_contribution(c)}/verify",
            api(404, member=403, steward=200),
            {"impact": "3"},
        ),
    ],
    ("api:api-contribution-reject", "post"): [
        Case(
            lambda c: f"/api/v1/contributions/{_contribution(c)}/reject",
            api(404, member=403, steward=200),
            {"reason": "no"},
        ),
    ],
    ("api:api-contribution-dispute", "post"): [
        Case(
            lambda c: f"/api/v1/contributions/{_contribution(c, rejected=True)}/dispute",
            api(404, member=200),
            {"reason": "please"},
        ),
    ],
    ("api:api-criteria", "get"): [Case(lambda c: "/api/v1/criteria", every(200))],
    ("api:api-statements", "get"): [Case(lambda c: "/api/v1/statements", api(200))],
    ("api:api-statement", "get"): [
        Case(
            lambda c: f"/api/v1/statements/{_statement(c)}",
            api(404, member=200, steward=200, treasurer=200),
        ),
    ],
    ("api:api-statement-choice", "post"): [
        Case(
            lambda c: f"/api/v1/statements/{_statement(c)}/choice",
            api(404, member=200),
            {"choice": "donate"},
        ),
    ],
    ("api:api-pools", "get"): [Case(lambda c: "/api/v1/pools", api(200))],
    ("api:api-pool-preview", "get"): [
        Case(
            lambda c: f"/api/v1/pools/{_pool(c)}/preview",
            api(403, steward=200, treasurer=200, auditor=200),
        )
    ],
    ("api:api-pool-commit", "post"): [
        Case(
            lambda c: f"/api/v1/pools/{_pool(c)}/distributions",
            api(403, treasurer=409),
            {"key": "matrix-second-round"},
        ),
    ],
    # benefits, stewards' pool actions through the API
    ("api:api-pool-create", "post"): [
        Case(
            lambda c: (_pool(c), "/api/v1/pools")[1],
            api(403, steward=201),
            {
                "name": "Matrix new pool",
                "unit": "EUR",
                "method": "immediate",
                "period_start": (TODAY - timedelta(days=30)).isoformat(),
                "period_end": TODAY.isoformat(),
                "policy": "1",
            },
        )
    ],
    ("api:api-pool-edit", "patch"): [
        Case(lambda c: f"/api/v1/pools/{_pool(c)}", api(403, steward=200), {"choice_days": "20"})
    ],
    ("api:api-pool-fund", "post"): [
        Case(
            lambda c: f"/api/v1/pools/{_pool(c)}/funding",
            api(403, treasurer=201),
            {"amount": "500", "source": "Matrix Foundation"},
        )
    ],
    ("api:api-pool-close", "post"): [
        Case(
            lambda c: f"/api/v1/pools/{_pool(c)}/close",
            api(403, treasurer=200),
            {"reason": "the season ended"},
        )
    ],
    ("api:api-payouts", "get"): [Case(lambda c: "/api/v1/payouts", api(403, treasurer=200))],
    ("api:api-pool-approve", "post"): [
        Case(
            lambda c: f"/api/v1/pools/{_pool(c)}/approvals",
            api(403, steward=409, treasurer=409, auditor=409),
            {},
        )
    ],
    ("api:api-payout-paid", "post"): [
        Case(lambda c: f"/api/v1/payouts/{_payout(c)}/paid", api(403, treasurer=200), {}),
    ],
    ("people:tokens", "get"): [Case(lambda c: "/me/tokens/", signed_in(200))],
    ("people:tokens", "post"): [Case(lambda c: "/me/tokens/", signed_in(422), {})],
    ("people:revoke_token", "post"): [
        # own token is revoked; another member's is refused (checked below)
        Case(_token_of("member"), signed_in(302)),
        Case(_token_of("other"), signed_in(302)),
    ],
    # django-allauth's account pages
    ("account_login", "get"): [Case(lambda c: "/accounts/login/", signed_in(302, anonymous=200))],
    # two-factor authentication (allauth.mfa): each member's own; changes need a fresh sign-in
    ("mfa_index", "get"): [Case(lambda c: "/accounts/2fa/", signed_in(200))],
    ("mfa_authenticate", "get"): [Case(lambda c: "/accounts/2fa/authenticate/", every(302))],
    ("mfa_reauthenticate", "get"): [
        Case(
            lambda c: "/accounts/2fa/reauthenticate/",
            every(302, steward=200, treasurer=200, auditor=200),
        )
    ],
    ("mfa_activate_totp", "get"): [Case(lambda c: "/accounts/2fa/totp/activate/", every(302))],
    ("mfa_deactivate_totp", "get"): [
        Case(
            lambda c: "/accounts/2fa/totp/deactivate/",
            signed_in(404, steward=302, treasurer=302, auditor=302),
        )
    ],
    ("mfa_list_webauthn", "get"): [Case(lambda c: "/accounts/2fa/webauthn/", signed_in(200))],
    ("mfa_add_webauthn", "get"): [Case(lambda c: "/accounts/2fa/webauthn/add/", every(302))],
    ("mfa_reauthenticate_webauthn", "get"): [
        Case(lambda c: "/accounts/2fa/webauthn/reauthenticate/", every(302))
    ],
    ("mfa_edit_webauthn", "get"): [
        Case(lambda c: "/accounts/2fa/webauthn/keys/1/edit/", every(302))
    ],
    ("mfa_remove_webauthn", "get"): [
        Case(lambda c: "/accounts/2fa/webauthn/keys/1/remove/", every(302))
    ],
    ("mfa_generate_recovery_codes", "get"): [
        Case(lambda c: "/accounts/2fa/recovery-codes/generate/", every(302))
    ],
    ("mfa_view_recovery_codes", "get"): [
        Case(lambda c: "/accounts/2fa/recovery-codes/", signed_in(404))
    ],
    ("mfa_download_recovery_codes", "get"): [
        Case(lambda c: "/accounts/2fa/recovery-codes/download/", signed_in(404))
    ],
    ("account_logout", "post"): [Case(lambda c: "/accounts/logout/", every(302))],
    ("account_inactive", "get"): [Case(lambda c: "/accounts/inactive/", every(200))],
    ("account_signup", "get"): [
        Case(lambda c: "/accounts/signup/", signed_in(302, anonymous=200))
    ],
    ("account_reauthenticate", "get"): [
        Case(lambda c: "/accounts/reauthenticate/", signed_in(200))
    ],
    ("account_request_reauthentication_code", "get"): [
        Case(lambda c: "/accounts/reauthenticate/code/", signed_in(200))
    ],
    ("account_confirm_reauthentication_code", "get"): [
        Case(lambda c: "/accounts/reauthenticate/code/confirm/", signed_in(302))
    ],
    ("account_email", "get"): [Case(lambda c: "/accounts/email/", signed_in(200))],
    ("account_email_verification_sent", "get"): [
        Case(lambda c: "/accounts/confirm-email/", every(200))
    ],
    ("account_change_password", "get"): [
        Case(lambda c: "/accounts/password/change/", signed_in(200))
    ],
    ("account_set_password", "get"): [Case(lambda c: "/accounts/password/set/", signed_in(302))],
    ("account_reset_password", "get"): [Case(lambda c: "/accounts/password/reset/", every(200))],
    ("account_confirm_login_code", "get"): [
        Case(lambda c: "/accounts/login/code/confirm/", every(302))
    ],
    ("account_confirm_email", "get"): [
        Case(lambda c: "/accounts/confirm-email/not-a-key/", every(200))
    ],
    ("account_reset_password_from_key_done", "get"): [
        Case(lambda c: "/accounts/password/reset/key/done/", every(200))
    ],
    ("account_reset_password_from_key", "get"): [
        Case(lambda c: "/accounts/password/reset/key/1-bad-key/", every(200))
    ],
    ("account_reset_password_done", "get"): [
        Case(lambda c: "/accounts/password/reset/done/", every(200))
    ],
    # the Django admin: stewards only (every admin view is guarded by the site's permission)
    ("admin:index", "get"): [Case(lambda c: "/admin/", every(302, steward=200))],
    ("admin:app_list", "get"): [Case(lambda c: "/admin/people/", every(302, steward=200))],
    # the admin signs in through allauth's form (its lockout): others are sent there
    ("admin:login", "get"): [
        Case(lambda c: "/admin/login/", every(403, anonymous=302, steward=302))
    ],
    ("admin:logout", "post"): [Case(lambda c: "/admin/logout/", every(302, steward=200))],
    ("admin:password_change", "get"): [
        Case(lambda c: "/admin/password_change/", every(302, steward=200))
    ],
    ("admin:password_change_done", "get"): [
        Case(lambda c: "/admin/password_change/done/", every(302, steward=200))
    ],
    ("admin:jsi18n", "get"): [Case(lambda c: "/admin/jsi18n/", every(302, steward=200))],
    ("admin:autocomplete", "get"): [
        Case(lambda c: "/admin/autocomplete/", every(302, steward=403))
    ],
    ("admin:view_on_site", "get"): [Case(lambda c: "/admin/r/1/1/", every(302, steward=404))],
    # the API
    ("api:api-root", "get"): [Case(lambda c: "/api/v1/", every(404))],
    ("api:openapi-json", "get"): [Case(lambda c: "/api/v1/openapi.json", every(200))],
    ("api:openapi-view", "get"): [Case(lambda c: "/api/v1/docs", every(200))],
    ("api:api-me", "get"): [Case(lambda c: "/api/v1/me", api(200))],
    ("api:api-me-update", "patch"): [Case(lambda c: "/api/v1/me", api(200), {"pronouns": "they"})],
    ("api:api-members", "get"): [Case(lambda c: "/api/v1/members", api(200))],
    ("api:api-member", "get"): [
        Case(lambda c: f"/api/v1/members/{c.member.pseudonym}", api(404, member=200)),
        Case(lambda c: f"/api/v1/members/{SHOWN_TO_NOBODY(c)}", api(404)),
        Case(lambda c: f"/api/v1/members/{SHOWN_TO_MEMBERS(c)}", api(200, partner_rep=404)),
        Case(lambda c: f"/api/v1/members/{SHOWN_TO_PARTNERS(c)}", api(404, partner_rep=200)),
    ],
    ("api:api-groups", "get"): [Case(lambda c: "/api/v1/groups", api(200))],
    ("api:api-group", "get"): [Case(lambda c: f"/api/v1/groups/{c.group.slug}", api(200))],
    ("api:api-memberships", "get"): [Case(lambda c: "/api/v1/memberships", api(200))],
    ("api:api-join-group", "post"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}/membership",
            api(201, member=409, other=409, group_lead=409),
        )
    ],
    ("api:api-leave-group", "delete"): [
        Case(
            lambda c: f"/api/v1/groups/{c.group.slug}/membership",
            api(404, member=200, other=200, group_lead=200),
        )
    ],
    ("api:api-consents", "get"): [Case(lambda c: "/api/v1/consents", api(200))],
    ("api:api-consent", "put"): [
        Case(lambda c: "/api/v1/consents/partner_contact", api(200), {"granted": "true"})
    ],
    ("api:api-tokens", "get"): [Case(lambda c: "/api/v1/tokens", api(200))],
    ("api:api-token-create", "post"): [
        Case(lambda c: "/api/v1/tokens", api(201), {"name": "matrix"})
    ],
    ("api:api-token-revoke", "delete"): [
        Case(_api_token_of("member"), api(404, member=200)),
        Case(_api_token_of("other"), api(404, other=200)),
    ],
    ("api:api-partners", "get"): [Case(lambda c: "/api/v1/partners/", api(200))],
    # partnership agreements: public facts; stewards manage them, office holders evaluate
    ("api:api-agreements", "get"): [Case(lambda c: "/api/v1/agreements", api(200))],
    ("api:api-revenue", "get"): [Case(lambda c: "/api/v1/revenue", api(200))],
    ("api:api-agreement", "get"): [
        Case(lambda c: f"/api/v1/agreements/{_agreement(c)}", api(200))
    ],
    ("api:api-agreement-create", "post"): [
        Case(
            lambda c: (_partner_slug(c, "matrix-partner"), "/api/v1/agreements")[1],
            api(403, steward=201),
            {"partner": "matrix-partner", "title": "T", "purpose": "P", "reasons": ["networks"]},
        )
    ],
    ("api:api-agreement-status", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/status",
            api(403, steward=200),
            {"status": "evaluating", "reason": "matrix"},
        )
    ],
    ("api:api-agreement-maturity", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/maturity",
            api(403, steward=200),
            {"level": "2", "reason": "matrix"},
        )
    ],
    ("api:api-agreement-score", "put"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c, evaluating=True)}/scores",
            api(403, steward=200, treasurer=200, auditor=200),
            {"criterion": "vision", "score": "4"},
        )
    ],
    # the updates channel: anyone signed in reads and comments; stewards and the partner's
    # own representatives post; a comment is withdrawn by its author or a steward
    ("api:api-agreement-updates", "get"): [
        Case(lambda c: f"/api/v1/agreements/{_agreement(c)}/updates", api(200))
    ],
    ("api:api-agreement-update-post", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/updates",
            api(403, steward=201, partner_rep=201),
            {"body": "matrix"},
        ),
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c, partner='other_partner')}/updates",
            api(403, steward=201),
            {"body": "matrix"},
        ),
    ],
    ("api:api-update-comment", "post"): [
        Case(lambda c: f"/api/v1/updates/{_update(c)}/comments", api(201), {"body": "matrix"})
    ],
    ("api:api-update-comment-withdraw", "delete"): [
        Case(_comment_path, api(403, member=204, steward=204))
    ],
    # reciprocity: public figures; stewards record the inputs
    ("api:api-agreement-reciprocity", "get"): [
        Case(lambda c: f"/api/v1/agreements/{_agreement(c)}/reciprocity", api(200))
    ],
    ("api:api-agreement-value", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/values",
            api(403, steward=201),
            {"kind": "training", "amount": "100", "on": "2026-01-05", "basis": "2 hours"},
        )
    ],
    # partnership registers: risks for office holders and the partner's own representatives,
    # stewards add them (and change them, as does their owner); disclosures are public and
    # made by those in a decision role, closed by their discloser or a steward
    ("api:api-agreement-risks", "get"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/risks",
            api(403, steward=200, treasurer=200, auditor=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c, partner='other_partner')}/risks",
            api(403, steward=200, treasurer=200, auditor=200),
        ),
    ],
    ("api:api-agreement-risk-create", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/risks",
            api(403, steward=201),
            {
                "category": "financial",
                "title": "T",
                "likelihood": "2",
                "impact": "3",
                "owner_label": "matrix",
            },
        )
    ],
    ("api:api-agreement-risk-update", "patch"): [
        Case(_risk_of("treasurer"), api(403, steward=200, treasurer=200), {"status": "mitigated"}),
        Case(_risk_of("auditor"), api(403, steward=200, auditor=200), {"status": "mitigated"}),
    ],
    ("api:api-agreement-disclosures", "get"): [
        Case(lambda c: f"/api/v1/agreements/{_agreement(c)}/disclosures", api(200))
    ],
    ("api:api-agreement-disclosure-create", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/disclosures",
            api(403, steward=201, treasurer=201, auditor=201),
            {"interest": "matrix"},
        )
    ],
    ("api:api-agreement-disclosure-close", "post"): [
        Case(_disclosure_of("treasurer"), api(403, steward=200, treasurer=200), {"reason": "m"}),
        Case(_disclosure_of("auditor"), api(403, steward=200, auditor=200), {"reason": "m"}),
    ],
    # the body of an agreement: public to read; stewards add goals and commitments, the
    # partner's own representatives record readings and deliveries, treasurers money
    ("api:api-agreement-body", "get"): [
        Case(lambda c: f"/api/v1/agreements/{_agreement(c)}/body", api(200))
    ],
    ("api:api-agreement-goals", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/goals",
            api(403, steward=201),
            {"name": "G", "metric": "m", "unit": "u", "target": "5", "due_on": "2099-01-01"},
        )
    ],
    ("api:api-goal-readings", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/goals/{_goal(c, c.partner)}/readings",
            api(403, steward=201, partner_rep=201),
            {"value": "3"},
        ),
        Case(
            lambda c: f"/api/v1/agreements/goals/{_goal(c, c.other_partner)}/readings",
            api(403, steward=201),
            {"value": "3"},
        ),
    ],
    ("api:api-agreement-commitments", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/commitments",
            api(403, steward=201),
            {"party": "partner", "kind": "staff", "description": "d", "due_on": "2099-01-01"},
        )
    ],
    ("api:api-commitment-fulfilments", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/commitments/{_commitment(c, 'financial')}/fulfilments",
            api(403, treasurer=201),
            {"amount": "1.00"},
        ),
        Case(
            lambda c: f"/api/v1/agreements/commitments/{_commitment(c, 'staff')}/fulfilments",
            api(403, steward=201, partner_rep=201),
            {"note": "matrix"},
        ),
    ],
    ("api:api-agreement-review", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/review",
            api(403, steward=200),
            {"every_months": "6"},
        )
    ],
    ("api:api-agreement-amendments", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/amendments",
            api(403, steward=201),
            {"purpose": "A new purpose", "summary": "matrix"},
        )
    ],
    ("api:api-agreement-roles", "put"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/roles",
            api(403, steward=200),
            {"party": "partner", "area": "Content", "leads": "Its lab", "decides": "Both"},
        )
    ],
    ("api:api-agreement-documents", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement(c)}/documents",
            api(403, steward=201),
            {"upload:file:terms.txt": "The terms."},
        )
    ],
    ("api:api-agreement-document", "get"): [
        Case(
            lambda c: f"/api/v1/agreements/documents/{_document(c, c.partner)}",
            api(403, steward=200, treasurer=200, auditor=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/api/v1/agreements/documents/{_document(c, c.other_partner)}",
            api(403, steward=200, treasurer=200, auditor=200),
        ),
    ],
    ("api:api-partner-members", "get"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/members",
            api(403, steward=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/api/v1/partners/{c.other_partner.slug}/members",
            api(403, steward=200),
        ),
    ],
    # partnership pages: the list, its export and each page are public; stewards record,
    # move and mature agreements, office holders score them (a refusal is said with 403)
    ("partners:agreements", "get"): [Case(lambda c: "/partnerships/", every(200))],
    ("partners:agreements", "post"): [
        Case(lambda c: "/partnerships/", signed_in(403, steward=422), {})
    ],
    ("partners:agreements_csv", "get"): [Case(lambda c: "/partnerships/export.csv", every(200))],
    # revenue diversification: public facts about organisations
    ("partners:revenue", "get"): [Case(lambda c: "/partnerships/revenue/", every(200))],
    ("partners:revenue_csv", "get"): [Case(lambda c: "/partnerships/revenue.csv", every(200))],
    ("partners:agreement", "get"): [
        Case(lambda c: f"/partnerships/{_agreement(c)}/", every(200)),
        Case(lambda c: f"/partnerships/{_agreement(c, evaluating=True)}/", every(200)),
    ],
    ("partners:agreement_status", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/status/",
            signed_in(403, steward=302),
            {"status": "evaluating", "reason": "matrix"},
        )
    ],
    ("partners:agreement_maturity", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/maturity/",
            signed_in(403, steward=302),
            {"level": "2", "reason": "matrix"},
        )
    ],
    ("partners:agreement_scores", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c, evaluating=True)}/scores/",
            signed_in(403, steward=302, treasurer=302, auditor=302),
            {"score-vision": "4", "note-vision": "matrix"},
        )
    ],
    # the page's reciprocity and updates: stewards record values; stewards and the partner's
    # own representatives post; any member comments; its author or a steward withdraws
    ("partners:agreement_value", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/values/",
            signed_in(403, steward=302),
            {"kind": "training", "amount": "100", "on": TODAY.isoformat(), "basis": "m"},
        )
    ],
    ("partners:agreement_update", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/updates/",
            signed_in(403, steward=302, partner_rep=302),
            {"body": "matrix"},
        ),
        Case(
            lambda c: f"/partnerships/{_agreement(c, partner='other_partner')}/updates/",
            signed_in(403, steward=302),
            {"body": "matrix"},
        ),
    ],
    ("partners:update_comment", "post"): [Case(_update_page, signed_in(302), {"body": "matrix"})],
    ("partners:update_comment_withdraw", "post"): [
        Case(_comment_page, signed_in(403, member=302, steward=302))
    ],
    # the page's body: stewards shape it; stewards and the partner's own representatives
    # record readings and deliveries, treasurers money received
    ("partners:agreement_goal", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/goals/",
            signed_in(403, steward=302),
            {"name": "G", "metric": "m", "unit": "u", "target": "5", "due_on": "2099-01-01"},
        )
    ],
    ("partners:agreement_reading", "post"): [
        Case(_reading_page("partner"), signed_in(403, steward=302, partner_rep=302), _latest_goal),
        Case(_reading_page("other_partner"), signed_in(403, steward=302), _latest_goal),
    ],
    ("partners:agreement_commitment", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/commitments/",
            signed_in(403, steward=302),
            {"party": "partner", "kind": "staff", "description": "d", "due_on": "2099-01-01"},
        )
    ],
    ("partners:agreement_fulfilment", "post"): [
        Case(
            _fulfilment_page("financial"),
            signed_in(403, treasurer=302),
            _latest_commitment({"amount": "1.00"}),
        ),
        Case(
            _fulfilment_page("staff"),
            signed_in(403, steward=302, partner_rep=302),
            _latest_commitment({"note": "matrix"}),
        ),
    ],
    ("partners:agreement_review", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/review/",
            signed_in(403, steward=302),
            {"every_months": "6"},
        )
    ],
    ("partners:agreement_amend", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/amendments/",
            signed_in(403, steward=302),
            {"purpose": "A new purpose", "member_needs": "", "summary": "matrix"},
        )
    ],
    ("partners:agreement_role", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/roles/",
            signed_in(403, steward=302),
            {"party": "partner", "area": "Content", "leads": "Its lab", "decides": "Both"},
        )
    ],
    ("partners:agreement_document", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/documents/",
            signed_in(403, steward=302),
            {"upload:file:terms.txt": "The terms."},
        )
    ],
    # the page's registers: as their API routes, with a CSV of each (the risks' for whom may
    # see them; the declared interests' for anyone)
    ("partners:agreement_risk", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/risks/",
            signed_in(403, steward=302),
            {
                "category": "financial",
                "title": "T",
                "likelihood": "2",
                "impact": "3",
                "owner_label": "matrix",
            },
        )
    ],
    ("partners:agreement_risk_update", "post"): [
        Case(
            _on_the_page(_risk_of("treasurer")),
            signed_in(403, steward=302, treasurer=302),
            {"status": "mitigated"},
        ),
        Case(
            _on_the_page(_risk_of("auditor")),
            signed_in(403, steward=302, auditor=302),
            {"status": "mitigated"},
        ),
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/risks/999999/",
            signed_in(404),
            {"status": "mitigated"},
        ),
    ],
    ("partners:agreement_risks_csv", "get"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/risks.csv",
            signed_in(403, steward=200, treasurer=200, auditor=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/partnerships/{_agreement(c, partner='other_partner')}/risks.csv",
            signed_in(403, steward=200, treasurer=200, auditor=200),
        ),
    ],
    ("partners:agreement_disclosure", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement(c)}/disclosures/",
            signed_in(403, steward=302, treasurer=302, auditor=302),
            {"interest": "matrix"},
        )
    ],
    ("partners:agreement_disclosure_close", "post"): [
        Case(
            _on_the_page(_disclosure_of("treasurer")),
            signed_in(403, steward=302, treasurer=302),
            {"reason": "m"},
        ),
        Case(
            _on_the_page(_disclosure_of("auditor")),
            signed_in(403, steward=302, auditor=302),
            {"reason": "m"},
        ),
    ],
    ("partners:agreement_disclosures_csv", "get"): [
        Case(lambda c: f"/partnerships/{_agreement(c)}/disclosures.csv", every(200))
    ],
    # partners and policies (partners and contributions apps): stewards add and edit
    # partners, appoint and remove representatives, publish policy versions and import
    ("partners:list", "post"): [Case(lambda c: "/partners/", signed_in(403, steward=422), {})],
    ("partners:manage", "get"): [
        Case(lambda c: f"/partners/{c.partner.slug}/manage/", signed_in(404, steward=200))
    ],
    ("partners:manage", "post"): [
        Case(lambda c: f"/partners/{c.partner.slug}/manage/", signed_in(404, steward=422), {})
    ],
    ("partners:appoint", "post"): [
        Case(
            lambda c: f"/partners/{c.partner.slug}/representatives/",
            signed_in(404, steward=422),  # the steward is told there is no such member
            {"member": "nobody"},
        )
    ],
    ("partners:remove_representative", "post"): [
        Case(
            lambda c: (
                f"/partners/{c.partner.slug}/representatives/{c.partner_rep.pseudonym}/remove/"
            ),
            signed_in(404, steward=302),
        )
    ],
    ("contributions:publish", "get"): [
        Case(lambda c: "/criteria/publish/", signed_in(404, steward=200))
    ],
    ("contributions:publish", "post"): [
        Case(lambda c: "/criteria/publish/", signed_in(404, steward=422), {})
    ],
    ("api:api-partner-create", "post"): [
        Case(lambda c: "/api/v1/partners/", api(403, steward=201), {"name": "M", "kind": "ngo"})
    ],
    ("api:api-partner-update", "patch"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}",
            api(403, steward=200),
            {"website": "https://matrix.example"},
        )
    ],
    ("api:api-partner-representatives", "post"): [
        Case(
            lambda c: f"/api/v1/partners/{c.other_partner.slug}/representatives",
            api(403, steward=404),  # the steward is told there is no such member
            {"member": "nobody"},
        )
    ],
    ("api:api-partner-representative", "delete"): [
        Case(
            lambda c: (
                f"/api/v1/partners/{c.partner.slug}/representatives/{c.partner_rep.pseudonym}"
            ),
            api(403, steward=204),
        )
    ],
    ("api:api-criteria-publish", "post"): [
        Case(
            lambda c: "/api/v1/criteria",
            api(403, steward=201),
            lambda c: {
                "document": policies.version(1),  # type: ignore[dict-item]
                "effective_from": TODAY.isoformat(),
                "reason": "matrix",
                "decision": pass_decision(
                    c.steward,
                    Gated.PUBLISH_POLICY,
                    policy=policies.version(1),
                    effective_from=TODAY,
                ).pk,  # type: ignore[dict-item]
            },
        )
    ],
    ("api:api-contribution-import", "post"): [
        Case(
            lambda c: "/api/v1/contributions/import",
            api(403, steward=422),
            {"csv": "source_key\n"},
        )
    ],
}


# -- offerings ---------------------------------------------------------------------------
# Consent to share with one partner: each member answers only for themself; a partner that
# does not exist is 404 for everyone.
MATRIX |= {
    ("people:partner_consent", "post"): [
        Case(
            lambda c: f"/me/consents/partners/{c.partner.slug}/",
            signed_in(302),
            {"granted": "yes"},
        ),
        Case(
            lambda c: "/me/consents/partners/no-such-partner/", signed_in(404), {"granted": "yes"}
        ),
    ],
    ("api:api-partner-consents", "get"): [Case(lambda c: "/api/v1/partner-consents", api(200))],
    ("api:api-partner-consent", "post"): [
        Case(lambda c: f"/api/v1/partner-consents/{c.partner.slug}", api(200)),
        Case(lambda c: "/api/v1/partner-consents/no-such-partner", api(404)),
    ],
    ("api:api-partner-consent-withdraw", "delete"): [
        Case(lambda c: f"/api/v1/partner-consents/{c.partner.slug}", api(200)),
    ],
    # Offerings: public to read; stewards and the partner's own representatives manage
    # them; members (not representatives) take them up; uptake is the partner's own.
    ("partners:offerings", "get"): [Case(lambda c: (_slugs(c), "/offerings/")[1], every(200))],
    ("partners:offerings_csv", "get"): [
        Case(lambda c: (_offer(c), "/offerings/export.csv")[1], every(200))
    ],
    ("partners:offerings", "post"): [
        Case(
            lambda c: (_slugs(c), "/offerings/")[1],
            signed_in(403, steward=302, partner_rep=302),
            _new(OWN),
        ),
        Case(lambda c: (_slugs(c), "/offerings/")[1], signed_in(403, steward=302), _new(OTHERS)),
    ],
    ("partners:offering", "get"): [
        Case(lambda c: f"/offerings/{_offer(c)}/", every(200)),
        Case(lambda c: "/offerings/999999/", every(404)),
    ],
    ("partners:claim_offering", "post"): [
        Case(
            lambda c: f"/offerings/{_offer(c)}/claim/",
            signed_in(302, partner_rep=403),
            {"kind": "claim"},
        ),
        Case(
            lambda c: "/offerings/999999/claim/",
            signed_in(404),
            {"kind": "claim"},
        ),
    ],
    ("partners:withdraw_claim", "post"): [
        Case(lambda c: f"/offerings/{_offer(c)}/claim/withdraw/", signed_in(404)),
        Case(lambda c: f"/offerings/{_claimed(c)}/claim/withdraw/", signed_in(404, member=302)),
    ],
    ("partners:review_offering", "post"): [
        Case(
            lambda c: f"/offerings/{_offer(c)}/review/",
            signed_in(409, partner_rep=403),
            {"rating": "4"},
        ),
        Case(
            lambda c: f"/offerings/{_claimed(c)}/review/",
            signed_in(409, member=302, partner_rep=403),
            {"rating": "4"},
        ),
    ],
    ("partners:withdraw_review", "post"): [
        Case(lambda c: f"/offerings/{_offer(c)}/review/withdraw/", signed_in(404)),
        Case(lambda c: f"/offerings/{_reviewed(c)}/review/withdraw/", signed_in(404, member=302)),
    ],
    ("partners:close_offering", "post"): [
        Case(
            lambda c: f"/offerings/{_offer(c)}/close/",
            signed_in(403, steward=302, partner_rep=302),
        ),
        Case(lambda c: f"/offerings/{_offer(c, OTHERS)}/close/", signed_in(403, steward=302)),
    ],
    ("partners:uptake", "get"): [
        Case(
            lambda c: f"/partners/{c.partner.slug}/uptake/",
            signed_in(404, steward=200, partner_rep=200),
        ),
        Case(lambda c: f"/partners/{c.other_partner.slug}/uptake/", signed_in(404, steward=200)),
    ],
    ("api:api-offerings", "get"): [Case(lambda c: "/api/v1/offerings", api(200))],
    ("api:api-offering-create", "post"): [
        Case(
            lambda c: (_slugs(c), "/api/v1/offerings")[1],
            api(403, steward=201, partner_rep=201),
            _new(OWN),
        ),
        Case(lambda c: (_slugs(c), "/api/v1/offerings")[1], api(403, steward=201), _new(OTHERS)),
    ],
    ("api:api-offering", "get"): [
        Case(lambda c: f"/api/v1/offerings/{_offer(c)}", api(200)),
        Case(lambda c: "/api/v1/offerings/999999", api(404)),
    ],
    ("api:api-offering-close", "post"): [
        Case(
            lambda c: f"/api/v1/offerings/{_offer(c)}/close",
            api(403, steward=200, partner_rep=200),
        ),
        Case(lambda c: f"/api/v1/offerings/{_offer(c, OTHERS)}/close", api(403, steward=200)),
    ],
    ("api:api-offering-claim", "put"): [
        Case(
            lambda c: f"/api/v1/offerings/{_offer(c)}/claim",
            api(200, partner_rep=403),
            {"kind": "claim"},
        ),
    ],
    ("api:api-offering-claim-withdraw", "delete"): [
        Case(lambda c: f"/api/v1/offerings/{_offer(c)}/claim", api(404)),
        Case(lambda c: f"/api/v1/offerings/{_claimed(c)}/claim", api(404, member=204)),
    ],
    ("api:api-offering-review", "put"): [
        Case(
            lambda c: f"/api/v1/offerings/{_offer(c)}/review",
            api(409, partner_rep=403),
            {"rating": "4"},
        ),
        Case(
            lambda c: f"/api/v1/offerings/{_claimed(c)}/review",
            api(409, member=200, partner_rep=403),
            {"rating": "4"},
        ),
    ],
    ("api:api-offering-review-withdraw", "delete"): [
        Case(lambda c: f"/api/v1/offerings/{_offer(c)}/review", api(404)),
        Case(lambda c: f"/api/v1/offerings/{_reviewed(c)}/review", api(404, member=204)),
    ],
    ("api:api-partner-uptake", "get"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/uptake",
            api(404, steward=200, partner_rep=200),
        ),
        Case(lambda c: f"/api/v1/partners/{c.other_partner.slug}/uptake", api(404, steward=200)),
    ],
    # decisions: members read and discuss them, and any member proposes; stewards (a
    # group's leads for the group) open, close and record outcomes; the electorate votes.
    # Partner representatives are outsiders: no decision is theirs to read.
    ("api:api-decisions", "get"): [Case(lambda c: "/api/v1/decisions", api(200, partner_rep=403))],
    ("api:api-decision-create", "post"): [
        Case(
            lambda c: "/api/v1/decisions",
            api(201, partner_rep=403),
            {"title": "T", "body": "B", "poll": "consent", "closes_at": FUTURE},
        ),
        Case(
            _in_matrix_group,
            api(403, member=201, other=201, group_lead=201, steward=201),
            {
                "title": "T",
                "body": "B",
                "poll": "consent",
                "closes_at": FUTURE,
                "group": "matrix-group",
            },
        ),
    ],
    ("api:api-decision", "get"): [
        Case(lambda c: f"/api/v1/decisions/{_draft(c)}", api(404, member=200, steward=200)),
        Case(
            lambda c: f"/api/v1/decisions/{_draft(c, group=True)}",
            api(404, member=200, group_lead=200, steward=200),
        ),
        Case(lambda c: f"/api/v1/decisions/{_opened(c)}", api(200, partner_rep=404)),
    ],
    ("api:api-decision-open", "post"): [
        Case(lambda c: f"/api/v1/decisions/{_draft(c)}/open", api(404, member=403, steward=200)),
        Case(
            lambda c: f"/api/v1/decisions/{_draft(c, group=True)}/open",
            api(404, member=403, group_lead=200, steward=200),
        ),
    ],
    ("api:api-decision-vote", "put"): [
        # the whole community's electorate: every member but partners' representatives
        Case(
            lambda c: f"/api/v1/decisions/{_opened(c)}/vote",
            api(200, partner_rep=404),
            {"stance": "agree"},
        ),
        # a group's: its members only
        Case(
            lambda c: f"/api/v1/decisions/{_opened(c, group=True)}/vote",
            api(403, member=200, other=200, group_lead=200, partner_rep=404),
            {"stance": "agree"},
        ),
    ],
    ("api:api-decision-close", "post"): [
        Case(
            lambda c: f"/api/v1/decisions/{_due(c)}/close", api(403, steward=200, partner_rep=404)
        ),
        Case(
            lambda c: f"/api/v1/decisions/{_due(c, group=True)}/close",
            api(403, steward=200, group_lead=200, partner_rep=404),
        ),
    ],
    ("api:api-decision-outcome", "post"): [
        Case(
            lambda c: f"/api/v1/decisions/{_closed(c)}/outcome",
            api(403, steward=200, partner_rep=404),
            {"statement": "Adopted."},
        )
    ],
    ("api:api-decision-comments", "get"): [
        Case(lambda c: f"/api/v1/decisions/{_opened(c)}/comments", api(200, partner_rep=404))
    ],
    ("api:api-decision-comment", "post"): [
        Case(
            lambda c: f"/api/v1/decisions/{_opened(c)}/comments",
            api(201, partner_rep=404),
            {"body": "matrix"},
        )
    ],
    # A partner's contacts (its staff): office holders and its own representatives see them;
    # stewards add, change and remove them; the manage page's forms are stewards' only.
    ("partners:add_contact", "post"): [
        Case(lambda c: f"/partners/{c.partner.slug}/contacts/", signed_in(404, steward=422), {})
    ],
    ("partners:remove_contact", "post"): [
        Case(
            lambda c: f"/partners/{c.partner.slug}/contacts/{_contact(c)}/remove/",
            signed_in(404, steward=302),
            {},
        )
    ],
    ("api:api-partner-contacts", "get"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/contacts",
            api(403, steward=200, treasurer=200, auditor=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/api/v1/partners/{c.other_partner.slug}/contacts",
            api(403, steward=200, treasurer=200, auditor=200),
        ),
    ],
    ("api:api-partner-contact-create", "post"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/contacts",
            api(403, steward=201),
            {"name": "Dana", "role": "Manager", "email": "dana@partner.example"},
        )
    ],
    ("api:api-partner-contact", "patch"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/contacts/{_contact(c)}",
            api(403, steward=200),
            {"role": "Director"},
        )
    ],
    ("api:api-partner-contact-remove", "delete"): [
        Case(
            lambda c: f"/api/v1/partners/{c.partner.slug}/contacts/{_contact(c)}",
            api(403, steward=204),
        )
    ],
    # the decision pages: the same rules as their routes; visitors are asked to sign in
    ("governance:decisions", "get"): [
        Case(lambda c: "/decisions/", signed_in(200, partner_rep=403))
    ],
    ("governance:decisions", "post"): [
        Case(
            lambda c: "/decisions/",
            signed_in(302, partner_rep=403),
            {"title": "T", "body": "B", "poll": "consent", "closes_at": FUTURE},
        ),
        Case(
            lambda c: "/decisions/",
            signed_in(403, member=302, other=302, group_lead=302, steward=302),
            lambda c: {
                "title": "T",
                "body": "B",
                "poll": "consent",
                "closes_at": FUTURE,
                "group": c.group.slug,
            },
        ),
    ],
    ("governance:decisions_csv", "get"): [
        Case(lambda c: (_closed(c), "/decisions/export.csv")[1], signed_in(200, partner_rep=403))
    ],
    ("governance:decision", "get"): [
        Case(lambda c: f"/decisions/{_draft(c)}/", signed_in(404, member=200, steward=200)),
        Case(
            lambda c: f"/decisions/{_draft(c, group=True)}/",
            signed_in(404, member=200, group_lead=200, steward=200),
        ),
        Case(lambda c: f"/decisions/{_opened(c)}/", signed_in(200, partner_rep=404)),
        Case(lambda c: f"/decisions/{_closed(c)}/", signed_in(200, partner_rep=404)),
    ],
    ("governance:decision_open", "post"): [
        Case(lambda c: f"/decisions/{_draft(c)}/open/", signed_in(404, member=403, steward=302)),
        Case(
            lambda c: f"/decisions/{_draft(c, group=True)}/open/",
            signed_in(404, member=403, group_lead=302, steward=302),
        ),
    ],
    ("governance:decision_vote", "post"): [
        Case(
            lambda c: f"/decisions/{_opened(c)}/vote/",
            signed_in(302, partner_rep=404),
            {"stance": "agree"},
        ),
        Case(
            lambda c: f"/decisions/{_opened(c, group=True)}/vote/",
            signed_in(403, member=302, other=302, group_lead=302, partner_rep=404),
            {"stance": "agree"},
        ),
    ],
    ("governance:decision_close", "post"): [
        Case(
            lambda c: f"/decisions/{_due(c)}/close/", signed_in(403, steward=302, partner_rep=404)
        ),
        Case(
            lambda c: f"/decisions/{_due(c, group=True)}/close/",
            signed_in(403, steward=302, group_lead=302, partner_rep=404),
        ),
    ],
    ("governance:decision_outcome", "post"): [
        Case(
            lambda c: f"/decisions/{_closed(c)}/outcome/",
            signed_in(403, steward=302, partner_rep=404),
            {"statement": "Adopted."},
        )
    ],
    ("governance:decision_comment", "post"): [
        Case(
            lambda c: f"/decisions/{_opened(c)}/comments/",
            signed_in(302, partner_rep=404),
            {"body": "matrix"},
        )
    ],
    # decision rights are public; carrying out a passed decision is a steward's
    ("governance:decision_rights", "get"): [Case(lambda c: "/decisions/rights/", every(200))],
    ("api:api-decision-rights", "get"): [Case(lambda c: "/api/v1/decisions/rights", every(200))],
    ("governance:decision_carry_out", "post"): [
        Case(
            lambda c: f"/decisions/{_passed(c)}/carry-out/",
            signed_in(403, steward=302, partner_rep=404),
        )
    ],
    ("api:api-decision-carry-out", "post"): [
        Case(
            lambda c: f"/api/v1/decisions/{_passed(c)}/carry-out",
            api(403, steward=200, partner_rep=404),
        )
    ],
    # escalations: members raise and follow their concerns; the handlers of a concern's
    # level (the cast's ladder: the group lead, then the auditor) act on it; stewards read
    # every concern and set up paths, a group's leads their group's; statistics are public.
    ("governance:concerns", "get"): [
        Case(lambda c: "/concerns/", signed_in(200, partner_rep=403))
    ],
    ("governance:concerns", "post"): [
        Case(
            lambda c: (concern_ladder(c), "/concerns/")[1],
            signed_in(302, partner_rep=403),
            {"kind": "conduct", "summary": "S", "body": "B"},
        )
    ],
    ("governance:concern_queue", "get"): [
        Case(lambda c: "/concerns/queue/", signed_in(200, partner_rep=403))
    ],
    ("governance:escalation_levels", "get"): [
        Case(lambda c: "/concerns/levels/", signed_in(200, partner_rep=403))
    ],
    ("governance:escalation_levels", "post"): [
        Case(
            lambda c: "/concerns/levels/",
            signed_in(403, steward=302),
            lambda c: {
                "rank": "1",
                "name": "L",
                "response_hours": "72",
                "handlers": c.other.pseudonym,
            },
        ),
        Case(
            lambda c: "/concerns/levels/",
            signed_in(403, steward=302, group_lead=302),
            lambda c: {
                "group": c.group.slug,
                "rank": "1",
                "name": "L",
                "response_hours": "72",
                "handlers": c.other.pseudonym,
            },
        ),
    ],
    ("governance:concern_stats", "get"): [Case(lambda c: "/concerns/statistics/", every(200))],
    ("governance:concern_stats_csv", "get"): [
        Case(lambda c: "/concerns/statistics.csv", every(200))
    ],
    ("governance:concern", "get"): [
        Case(
            lambda c: f"/concerns/{raised_concern(c).pk}/",
            signed_in(404, member=200, group_lead=200, steward=200),
        )
    ],
    ("governance:concern_acknowledge", "post"): [
        Case(
            lambda c: f"/concerns/{raised_concern(c).pk}/acknowledge/",
            signed_in(404, member=403, steward=403, group_lead=302),
        )
    ],
    ("governance:concern_escalate", "post"): [
        Case(
            lambda c: f"/concerns/{raised_concern(c).pk}/escalate/",
            signed_in(404, member=403, steward=403, group_lead=302),
        )
    ],
    ("governance:concern_resolve", "post"): [
        Case(
            lambda c: f"/concerns/{raised_concern(c).pk}/resolve/",
            signed_in(404, member=403, steward=403, group_lead=302),
            {"resolution": "Done."},
        )
    ],
    ("api:api-concerns", "get"): [Case(lambda c: "/api/v1/concerns", api(200, partner_rep=403))],
    ("api:api-concern-raise", "post"): [
        Case(
            lambda c: (concern_ladder(c), "/api/v1/concerns")[1],
            api(201, partner_rep=403),
            {"kind": "conduct", "summary": "S", "body": "B"},
        )
    ],
    ("api:api-concern-queue", "get"): [
        Case(lambda c: "/api/v1/concerns/queue", api(200, partner_rep=403))
    ],
    ("api:api-escalation-levels", "get"): [
        Case(lambda c: "/api/v1/concerns/levels", api(200, partner_rep=403))
    ],
    ("api:api-escalation-level-set", "put"): [
        Case(
            lambda c: "/api/v1/concerns/levels",
            api(403, steward=200),
            lambda c: {
                "rank": 1,
                "name": "L",
                "response_hours": 72,
                "handlers": [c.other.pseudonym],
            },
        )
    ],
    ("api:api-concern-stats", "get"): [Case(lambda c: "/api/v1/concerns/statistics", every(200))],
    ("api:api-concern", "get"): [
        Case(
            lambda c: f"/api/v1/concerns/{raised_concern(c).pk}",
            api(404, member=200, group_lead=200, steward=200),
        )
    ],
    ("api:api-concern-acknowledge", "post"): [
        Case(
            lambda c: f"/api/v1/concerns/{raised_concern(c).pk}/acknowledge",
            api(404, member=403, steward=403, group_lead=200),
        )
    ],
    ("api:api-concern-escalate", "post"): [
        Case(
            lambda c: f"/api/v1/concerns/{raised_concern(c).pk}/escalate",
            api(404, member=403, steward=403, group_lead=200),
        )
    ],
    ("api:api-concern-resolve", "post"): [
        Case(
            lambda c: f"/api/v1/concerns/{raised_concern(c).pk}/resolve",
            api(404, member=403, steward=403, group_lead=200),
            {"resolution": "Done."},
        )
    ],
}


# -- succession: positions, calls for volunteers, institutional memory --------------------
def _held(cast: Cast) -> int:
    """A position `cast.member` holds today."""
    made = governance.create_position(cast.steward, PositionIn(title="Matrix"))
    governance.record_position_term(
        cast.steward,
        made.pk,
        PositionTermIn(member=cast.member.pseudonym, start=TODAY, end=TODAY + timedelta(days=9)),
    )
    return made.pk


def _planned(cast: Cast) -> str:
    pk = _held(cast)
    person = governance.add_to_plan(
        cast.steward, pk, PlanPersonIn(member=cast.other.pseudonym, role=PlanRole.SHADOW)
    )
    return f"{pk}/plan/{person.pk}"


def _step(cast: Cast) -> str:
    pk = _held(cast)
    item = governance.add_handover_item(cast.steward, pk, HandoverItemIn(text="Keys"))
    return f"{pk}/checklist/{item.pk}"


def _call(cast: Cast) -> int:
    return governance.open_call(
        cast.steward,
        CallIn(position=_held(cast), asks="m", backgrounds=["A"], closes_on=TODAY),
    ).pk


def _answered(cast: Cast) -> int:
    pk = _call(cast)
    governance.answer_call(cast.member, pk, AnswerIn())
    return pk


def _memory(cast: Cast) -> int:
    return governance.add_memory(cast.member, MemoryIn(kind="lesson", title="M", body="b")).pk


def _term(cast: Cast) -> dict[str, str]:
    return {"member": cast.other.pseudonym, "start": "2020-01-01", "end": "2020-12-31"}


def _plan_body(cast: Cast) -> dict[str, str]:
    return {"member": cast.other.pseudonym, "role": "successor"}


POSITION = {"title": "Chair", "seats": "1", "term_months": "12", "term_limit": "2"}
MEMORY = {"kind": "lesson", "title": "T", "body": "B"}
KEEPERS = {"member": 302, "steward": 302}  # the position's holder and stewards keep its plan

MATRIX |= {
    ("governance:positions", "get"): [Case(lambda c: "/positions/", every(200))],
    ("governance:positions", "post"): [
        Case(lambda c: "/positions/", signed_in(403, steward=302), POSITION)
    ],
    ("governance:position", "get"): [Case(lambda c: f"/positions/{_held(c)}/", every(200))],
    ("governance:position_term", "post"): [
        Case(lambda c: f"/positions/{_held(c)}/terms/", signed_in(403, steward=302), _term)
    ],
    ("governance:position_plan_add", "post"): [
        Case(lambda c: f"/positions/{_held(c)}/plan/", signed_in(403, **KEEPERS), _plan_body)
    ],
    ("governance:position_plan_remove", "post"): [
        Case(lambda c: f"/positions/{_planned(c)}/remove/", signed_in(403, **KEEPERS))
    ],
    ("governance:position_checklist_add", "post"): [
        Case(
            lambda c: f"/positions/{_held(c)}/checklist/",
            signed_in(403, **KEEPERS),
            {"text": "Keys"},
        )
    ],
    ("governance:position_checklist_tick", "post"): [
        Case(lambda c: f"/positions/{_step(c)}/", signed_in(403, **KEEPERS), {"done": "on"})
    ],
    ("governance:position_notes", "post"): [
        Case(lambda c: f"/positions/{_held(c)}/notes/", signed_in(403, **KEEPERS), {"notes": "n"})
    ],
    ("governance:calls", "get"): [Case(lambda c: "/calls/", every(200))],
    ("governance:calls", "post"): [
        Case(
            lambda c: "/calls/",
            signed_in(403, steward=302),
            lambda c: {"position": str(_held(c)), "asks": "m", "closes_on": "2099-01-01"},
        )
    ],
    ("governance:call", "get"): [Case(lambda c: f"/calls/{_call(c)}/", every(200))],
    ("governance:call_answer", "post"): [
        Case(lambda c: f"/calls/{_call(c)}/answer/", signed_in(302, partner_rep=403), {})
    ],
    ("governance:call_withdraw", "post"): [
        Case(lambda c: f"/calls/{_answered(c)}/withdraw/", signed_in(422, member=302))
    ],
    ("governance:call_close", "post"): [
        Case(lambda c: f"/calls/{_call(c)}/close/", signed_in(403, steward=302))
    ],
    ("governance:memory", "get"): [Case(lambda c: "/memory/", signed_in(200, partner_rep=403))],
    ("governance:memory", "post"): [
        Case(lambda c: "/memory/", signed_in(302, partner_rep=403), MEMORY)
    ],
    ("governance:memory_hide", "post"): [
        Case(lambda c: f"/memory/{_memory(c)}/hide/", signed_in(403, steward=302), {"reason": "r"})
    ],
    ("api:api-positions", "get"): [Case(lambda c: "/api/v1/positions", api(200))],
    ("api:api-position-create", "post"): [
        Case(lambda c: "/api/v1/positions", api(403, steward=201), POSITION)
    ],
    ("api:api-position", "get"): [Case(lambda c: f"/api/v1/positions/{_held(c)}", api(200))],
    ("api:api-position-term", "post"): [
        Case(lambda c: f"/api/v1/positions/{_held(c)}/terms", api(403, steward=201), _term)
    ],
    ("api:api-position-plan-add", "post"): [
        Case(
            lambda c: f"/api/v1/positions/{_held(c)}/plan",
            api(403, member=201, steward=201),
            _plan_body,
        )
    ],
    ("api:api-position-plan-remove", "delete"): [
        Case(lambda c: f"/api/v1/positions/{_planned(c)}", api(403, member=204, steward=204))
    ],
    ("api:api-position-checklist-add", "post"): [
        Case(
            lambda c: f"/api/v1/positions/{_held(c)}/checklist",
            api(403, member=201, steward=201),
            {"text": "Keys"},
        )
    ],
    ("api:api-position-checklist-tick", "put"): [
        Case(
            lambda c: f"/api/v1/positions/{_step(c)}",
            api(403, member=200, steward=200),
            {"done": "true"},
        )
    ],
    ("api:api-position-notes", "put"): [
        Case(
            lambda c: f"/api/v1/positions/{_held(c)}/notes",
            api(403, member=200, steward=200),
            {"notes": "n"},
        )
    ],
    ("api:api-calls", "get"): [Case(lambda c: "/api/v1/calls", api(200))],
    ("api:api-call-create", "post"): [
        Case(
            lambda c: "/api/v1/calls",
            api(403, steward=201),
            lambda c: {"position": str(_held(c)), "asks": "m", "closes_on": "2099-01-01"},
        )
    ],
    ("api:api-call", "get"): [Case(lambda c: f"/api/v1/calls/{_call(c)}", api(200))],
    ("api:api-call-answer", "put"): [
        Case(lambda c: f"/api/v1/calls/{_call(c)}/answer", api(200, partner_rep=403), {})
    ],
    ("api:api-call-withdraw", "delete"): [
        Case(lambda c: f"/api/v1/calls/{_answered(c)}/answer", api(404, member=200))
    ],
    ("api:api-call-close", "post"): [
        Case(lambda c: f"/api/v1/calls/{_call(c)}/close", api(403, steward=200))
    ],
    ("api:api-memory", "get"): [Case(lambda c: "/api/v1/memory", api(200, partner_rep=403))],
    ("api:api-memory-create", "post"): [
        Case(lambda c: "/api/v1/memory", api(201, partner_rep=403), MEMORY)
    ],
    ("api:api-memory-hide", "post"): [
        Case(
            lambda c: f"/api/v1/memory/{_memory(c)}/hide",
            api(403, steward=200),
            {"reason": "r"},
        )
    ],
}


# -- calendar --------------------------------------------------------------------------------
# Anyone reads the public calendar and its feeds; members-only events are for members (a
# group's, for its members and the stewards); stewards (a group's leads for the group) add,
# change and cancel events; each member keeps their own private feed links.
CALENDAR_FORM = {
    "title": "Matrix",
    "kind": "ritual",
    "starts_at": "2099-01-05T18:00",
    "time_zone": "Europe/Paris",
    "rule": "FREQ=MONTHLY;BYDAY=1TU",
    "visibility": "public",
}


def _event(cast: Cast, *, group: bool = False, members: bool = False) -> int:
    data = CalendarEventIn(
        **CALENDAR_FORM,  # type: ignore[arg-type]
        group=cast.group.slug if group else None,
    )
    if members:
        data = data.model_copy(update={"visibility": "members"})
    return governance.add_event(cast.steward, data).pk


def _feed_link(cast: Cast, *, revoked: bool = False) -> tuple[int, str]:
    made = governance.create_feed_link(cast.member)
    if revoked:
        governance.revoke_feed_link(cast.member, made.token.pk)
    return made.token.pk, made.secret


def _group_form(cast: Cast) -> dict[str, str]:
    return {**CALENDAR_FORM, "group": cast.group.slug}


GROUP_ONLY = {"anonymous": 404, "treasurer": 404, "partner_rep": 404, "auditor": 404}
MATRIX |= {
    ("governance:calendar", "get"): [
        Case(lambda c: (_event(c), "/calendar/")[1], every(200)),
        Case(lambda c: f"/calendar/?view=list&group={c.group.slug}&month=2099-01", every(200)),
    ],
    ("governance:calendar_ics", "get"): [Case(lambda c: "/calendar.ics", every(200))],
    ("governance:calendar_group_ics", "get"): [
        Case(lambda c: f"/calendar/groups/{c.group.slug}.ics", every(200)),
        Case(lambda c: "/calendar/groups/nowhere.ics", every(404)),
    ],
    ("governance:calendar_private_ics", "get"): [
        Case(lambda c: f"/calendar/private/{_feed_link(c)[1]}.ics", every(200)),
        Case(lambda c: f"/calendar/private/{_feed_link(c, revoked=True)[1]}.ics", every(404)),
    ],
    ("governance:calendar_new", "get"): [
        Case(lambda c: "/calendar/events/new/", signed_in(403, steward=200, group_lead=200))
    ],
    ("governance:calendar_new", "post"): [
        Case(lambda c: "/calendar/events/new/", signed_in(403, steward=302), CALENDAR_FORM),
        Case(
            lambda c: "/calendar/events/new/",
            signed_in(403, steward=302, group_lead=302),
            _group_form,
        ),
    ],
    ("governance:calendar_event", "get"): [
        Case(lambda c: f"/calendar/events/{_event(c)}/", every(200)),
        Case(
            lambda c: f"/calendar/events/{_event(c, group=True, members=True)}/",
            every(200, **GROUP_ONLY),
        ),
    ],
    ("governance:calendar_edit", "get"): [
        Case(lambda c: f"/calendar/events/{_event(c)}/edit/", signed_in(403, steward=200)),
        Case(
            lambda c: f"/calendar/events/{_event(c, group=True, members=True)}/edit/",
            signed_in(
                403, steward=200, group_lead=200, treasurer=404, partner_rep=404, auditor=404
            ),
        ),
    ],
    ("governance:calendar_edit", "post"): [
        Case(
            lambda c: f"/calendar/events/{_event(c)}/edit/",
            signed_in(403, steward=302),
            CALENDAR_FORM,
        ),
        Case(
            lambda c: f"/calendar/events/{_event(c, group=True)}/edit/",
            signed_in(403, steward=302, group_lead=302),
            _group_form,
        ),
    ],
    ("governance:calendar_cancel", "post"): [
        Case(lambda c: f"/calendar/events/{_event(c)}/cancel/", signed_in(403, steward=302)),
        Case(
            lambda c: f"/calendar/events/{_event(c, group=True, members=True)}/cancel/",
            signed_in(
                403, steward=302, group_lead=302, treasurer=404, partner_rep=404, auditor=404
            ),
        ),
    ],
    ("governance:calendar_feeds", "get"): [Case(lambda c: "/calendar/feeds/", signed_in(200))],
    ("governance:calendar_feeds", "post"): [
        Case(lambda c: "/calendar/feeds/", signed_in(201, partner_rep=403))
    ],
    ("governance:calendar_feed_revoke", "post"): [
        Case(lambda c: f"/calendar/feeds/{_feed_link(c)[0]}/revoke/", signed_in(404, member=302))
    ],
    ("api:api-calendar-events", "get"): [Case(lambda c: "/api/v1/calendar/events", api(200))],
    ("api:api-calendar-event-create", "post"): [
        Case(lambda c: "/api/v1/calendar/events", api(403, steward=201), CALENDAR_FORM),
        Case(
            lambda c: "/api/v1/calendar/events",
            api(403, steward=201, group_lead=201),
            _group_form,
        ),
    ],
    ("api:api-calendar-event", "get"): [
        Case(lambda c: f"/api/v1/calendar/events/{_event(c)}", api(200)),
        Case(
            lambda c: f"/api/v1/calendar/events/{_event(c, group=True, members=True)}",
            api(200, treasurer=404, partner_rep=404, auditor=404),
        ),
    ],
    ("api:api-calendar-event-update", "put"): [
        Case(
            lambda c: f"/api/v1/calendar/events/{_event(c)}",
            api(403, steward=200),
            CALENDAR_FORM,
        ),
        Case(
            lambda c: f"/api/v1/calendar/events/{_event(c, group=True)}",
            api(403, steward=200, group_lead=200),
            _group_form,
        ),
    ],
    ("api:api-calendar-event-cancel", "post"): [
        Case(lambda c: f"/api/v1/calendar/events/{_event(c)}/cancel", api(403, steward=200)),
        Case(
            lambda c: f"/api/v1/calendar/events/{_event(c, group=True, members=True)}/cancel",
            api(403, steward=200, group_lead=200, treasurer=404, partner_rep=404, auditor=404),
        ),
    ],
    ("api:api-calendar-occurrences", "get"): [
        Case(
            lambda c: "/api/v1/calendar/occurrences?start=2099-01-01T00:00Z&end=2099-02-01T00:00Z",
            api(200),
        )
    ],
    ("api:api-calendar-feed-links", "get"): [
        Case(lambda c: "/api/v1/calendar/feed-links", api(200))
    ],
    ("api:api-calendar-feed-link-create", "post"): [
        Case(lambda c: "/api/v1/calendar/feed-links", api(201, partner_rep=403))
    ],
    ("api:api-calendar-feed-link-revoke", "post"): [
        Case(
            lambda c: f"/api/v1/calendar/feed-links/{_feed_link(c)[0]}/revoke",
            api(404, member=200),
        )
    ],
}


# -- a partner funding a pool directly: treasurers only (they move money)
def _agreement_and_pool(cast: Cast) -> int:
    """A partnership, and the open matrix pool its partner may fund."""
    _pool(cast)
    return _agreement(cast)


MATRIX |= {
    ("partners:agreement_pool_funding", "post"): [
        Case(
            lambda c: f"/partnerships/{_agreement_and_pool(c)}/pool-fundings/",
            signed_in(403, treasurer=302),
            {"pool": "matrix-pool", "amount": "1.00"},
        )
    ],
    ("api:api-agreement-pool-fundings", "post"): [
        Case(
            lambda c: f"/api/v1/agreements/{_agreement_and_pool(c)}/pool-fundings",
            api(403, treasurer=201),
            {"pool": "matrix-pool", "amount": "1.00"},
        )
    ],
}

# -- a partner's uptake as CSV: as its page, its own representatives and the stewards
MATRIX |= {
    ("partners:uptake_csv", "get"): [
        Case(
            lambda c: f"/partners/{c.partner.slug}/uptake.csv",
            signed_in(404, steward=200, partner_rep=200),
        ),
        Case(
            lambda c: f"/partners/{c.other_partner.slug}/uptake.csv",
            signed_in(404, steward=200),
        ),
    ],
    # living documents: anyone reads documents, revisions and differences; members comment,
    # propose and read proposals; stewards create; owners (here the stewards) revise a
    # document that is not governed and settle proposals. Partner representatives are
    # outsiders: they read what the public reads.
    ("governance:documents", "get"): [Case(lambda c: "/documents/", every(200))],
    ("governance:documents", "post"): [
        Case(
            lambda c: "/documents/",
            signed_in(403, steward=302),
            {"title": "Plan", "kind": "plan", "body": "Text.", "summary": "First."},
        )
    ],
    ("governance:document", "get"): [
        Case(lambda c: f"/documents/{_living_document(c)}/", every(200))
    ],
    ("governance:document_revise", "post"): [
        Case(
            lambda c: f"/documents/{_living_document(c)}/revise/",
            signed_in(403, steward=302),
            NEW_TEXT,
        )
    ],
    ("governance:document_propose", "post"): [
        Case(
            lambda c: f"/documents/{_living_document(c)}/propose/",
            signed_in(302, partner_rep=403),
            NEW_TEXT,
        )
    ],
    ("governance:document_diff", "get"): [
        Case(lambda c: f"/documents/{_living_document(c)}/diff/?from=1&to=1", every(200))
    ],
    ("governance:document_revision", "get"): [
        Case(lambda c: f"/documents/{_living_document(c)}/revisions/1/", every(200))
    ],
    ("governance:document_comment", "post"): [
        Case(
            lambda c: f"/documents/{_living_document(c)}/revisions/1/comments/",
            signed_in(302, partner_rep=403),
            {"body": "Matrix."},
        )
    ],
    ("governance:document_proposal", "get"): [
        Case(lambda c: f"{DOC}/proposals/{_doc_change(c)}/", signed_in(200, partner_rep=404))
    ],
    ("governance:document_accept", "post"): [
        Case(
            lambda c: f"{DOC}/proposals/{_doc_change(c)}/accept/",
            signed_in(403, steward=302, partner_rep=404),
        )
    ],
    ("governance:document_decline", "post"): [
        Case(
            lambda c: f"{DOC}/proposals/{_doc_change(c)}/decline/",
            signed_in(403, steward=302, partner_rep=404),
            {"reason": "Matrix."},
        )
    ],
    ("governance:document_decision", "post"): [
        Case(
            lambda c: f"{DOC}/proposals/{_doc_change(c, governed=True)}/decision/",
            signed_in(403, steward=302, partner_rep=404),
            {"closes_at": "2099-01-01T00:00", "threshold": "1/2"},
        )
    ],
    ("governance:document_adopt", "post"): [
        Case(
            lambda c: f"{DOC}/proposals/{_doc_change(c, governed=True, state='passed')}/adopt/",
            signed_in(403, steward=302, partner_rep=404),
        )
    ],
    ("api:api-documents", "get"): [Case(lambda c: "/api/v1/documents", api(200))],
    ("api:api-document-create", "post"): [
        Case(
            lambda c: "/api/v1/documents",
            api(403, steward=201),
            {"title": "Plan", "kind": "plan", "body": "Text."},
        )
    ],
    ("api:api-document", "get"): [
        Case(lambda c: f"/api/v1/documents/{_living_document(c)}", api(200))
    ],
    ("api:api-document-revise", "post"): [
        Case(
            lambda c: f"/api/v1/documents/{_living_document(c)}/revisions",
            api(403, steward=201),
            NEW_TEXT,
        )
    ],
    ("api:api-document-revision", "get"): [
        Case(lambda c: f"/api/v1/documents/{_living_document(c)}/revisions/1", api(200))
    ],
    ("api:api-document-comments", "get"): [
        Case(lambda c: f"/api/v1/documents/{_living_document(c)}/revisions/1/comments", api(200))
    ],
    ("api:api-document-comment", "post"): [
        Case(
            lambda c: f"/api/v1/documents/{_living_document(c)}/revisions/1/comments",
            api(201, partner_rep=403),
            {"body": "Matrix."},
        )
    ],
    ("api:api-document-diff", "get"): [
        Case(lambda c: f"/api/v1/documents/{_living_document(c)}/diff?from=1&to=1", api(200))
    ],
    ("api:api-document-propose", "post"): [
        Case(
            lambda c: f"/api/v1/documents/{_living_document(c)}/proposals",
            api(201, partner_rep=403),
            NEW_TEXT,
        )
    ],
    ("api:api-document-proposal", "get"): [
        Case(lambda c: f"{API_DOC}/proposals/{_doc_change(c)}", api(200, partner_rep=404))
    ],
    ("api:api-document-accept", "post"): [
        Case(
            lambda c: f"{API_DOC}/proposals/{_doc_change(c)}/accept",
            api(403, steward=200, partner_rep=404),
        )
    ],
    ("api:api-document-decline", "post"): [
        Case(
            lambda c: f"{API_DOC}/proposals/{_doc_change(c)}/decline",
            api(403, steward=200, partner_rep=404),
            {"reason": "Matrix."},
        )
    ],
    ("api:api-document-decision", "post"): [
        Case(
            lambda c: f"{API_DOC}/proposals/{_doc_change(c, governed=True)}/decision",
            api(403, steward=200, partner_rep=404),
            {"closes_at": "2099-01-01T00:00:00Z"},
        )
    ],
    ("api:api-document-adopt", "post"): [
        Case(
            lambda c: f"{API_DOC}/proposals/{_doc_change(c, governed=True, state='passed')}/adopt",
            api(403, steward=200, partner_rep=404),
        )
    ],
}

# The admin: every view of every registered model, decided here. Stewards view everything
# their role needs and change nothing (every change goes through a service, from a page, the
# API or a command); the apps' own models (Django's groups, allauth's addresses, task
# results) are closed to them, as they are not superusers. Everyone else signs in first.
ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete")
READ_ONLY = {"changelist": 200, "add": 403, "change": 200, "history": 200, "delete": 403}
CLOSED = dict.fromkeys(ADMIN_VIEWS, 403)
ADMIN: dict[str, dict[str, int]] = {
    "people.member": READ_ONLY,
    "people.group": READ_ONLY,
    "people.leadershipterm": READ_ONLY,
    "people.consent": READ_ONLY,
    "people.consentevent": READ_ONLY,
    "partners.partner": READ_ONLY,
    "partners.representative": READ_ONLY,
    "contributions.contribution": READ_ONLY,
    "contributions.policyversion": READ_ONLY,
    "benefits.pool": READ_ONLY,
    "benefits.distribution": READ_ONLY,
    "benefits.statement": READ_ONLY,
    "benefits.payout": READ_ONLY,
    "benefits.account": READ_ONLY,
    "benefits.transaction": READ_ONLY,
    "people.accesstoken": READ_ONLY,
    "auth.group": CLOSED,
    "account.emailaddress": CLOSED,
    "mfa.authenticator": CLOSED,  # nobody removes another person's second factor
    "django_tasks_database.dbtaskresult": CLOSED,
}


def _registered() -> dict[str, type]:
    return {
        f"{model._meta.app_label}.{model._meta.model_name}": model
        for model in admin.site._registry
    }


def _admin_url(label: str, view: str, obj_pk: object = None) -> str:
    app, model = label.split(".")
    name = f"admin:{app}_{model}_{view}"
    return reverse(name, args=[obj_pk] if view in ("change", "history", "delete") else [])


def _one_of_each(cast: Cast) -> None:
    """At least one row of every model the admin shows, so object views can be opened."""
    _payout(cast)
    create_token(cast.member, TokenIn(name="admin"))
    AuthGroup.objects.create(name="Editors")
    LeadershipTerm.objects.create(
        group=cast.group, member=cast.group_lead, start=TODAY, end=TODAY + timedelta(days=365)
    )


def test_every_registered_admin_model_is_decided() -> None:
    registered = set(_registered())

    assert registered - ADMIN.keys() == set(), "admin models without a decision"
    assert ADMIN.keys() - registered == set(), "decisions for models no longer registered"


def test_stewards_get_each_admin_view_as_decided(cast: Cast) -> None:
    _one_of_each(cast)
    client = client_for(cast.steward)
    got: dict[str, dict[str, int]] = {}
    for label, model in _registered().items():
        obj = model._default_manager.order_by("pk").first()
        got[label] = {}
        for view in ADMIN_VIEWS:
            if view in ("change", "history", "delete") and obj is None:
                continue  # nothing to open (no task has run)
            response = client.get(_admin_url(label, view, obj.pk if obj else None))
            got[label][view] = response.status_code
    expected = {label: {v: s for v, s in ADMIN[label].items() if v in got[label]} for label in got}
    assert got == expected


@pytest.mark.parametrize("role", [r for r in ROLES if r != "steward"])
def test_nobody_but_a_steward_opens_any_admin_view(cast: Cast, role: str) -> None:
    _one_of_each(cast)
    client = client_for(cast.by_role(role))
    for label, model in _registered().items():
        obj = model._default_manager.order_by("pk").first()
        for view in ADMIN_VIEWS:
            if view in ("change", "history", "delete") and obj is None:
                continue
            response = client.get(_admin_url(label, view, obj.pk if obj else None))
            assert response.status_code == 302, (label, view)
            assert response["Location"].startswith("/admin/login/"), (label, view)


def _routes() -> tuple[set[str], list[str]]:
    """Every named route, and the patterns that have no name (outside the admin, whose
    generated redirects and catch-all are unnamed)."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(resolver: URLResolver, namespace: str | None, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, p.namespace or namespace, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                if p.name:
                    names.add(f"{namespace}:{p.name}" if namespace else p.name)
                elif namespace != "admin":
                    unnamed.append(prefix + str(p.pattern))

    walk(get_resolver(), None, "")
    return names, unnamed


def _admin_model_views() -> set[str]:
    """The admin's generated views for every registered model (decided in ADMIN)."""
    return {
        f"admin:{label.replace('.', '_')}_{view}"
        for label in _registered()
        for view in ADMIN_VIEWS
    }


def test_every_route_is_named_and_in_the_matrix() -> None:
    names, unnamed = _routes()
    routes = names - _admin_model_views()
    decided = {name for name, _ in MATRIX}

    assert unnamed == [], f"routes without a name cannot be decided: {unnamed}"
    assert routes - decided == set(), f"routes without a decision: {sorted(routes - decided)}"
    assert decided - routes == set(), (
        f"decisions for routes that no longer exist: {sorted(decided - routes)}"
    )


CASES = [
    pytest.param(name, method, i, role, id=f"{name}-{method}[{i}]-{role}")
    for (name, method), cases in MATRIX.items()
    for i in range(len(cases))
    for role in ROLES
]


def _send(client, method: str, path: str, data: dict[str, str] | None):  # type: ignore[no-untyped-def]
    send = getattr(client, method)
    uploads = {k: v for k, v in (data or {}).items() if k.startswith("upload:")}
    if uploads:  # "upload:<field>:<file name>": <text> is sent as a multipart file
        return send(
            path,
            data={
                k.split(":")[1]: SimpleUploadedFile(k.split(":", 2)[2], v.encode())
                for k, v in uploads.items()
            },
        )
    if path.startswith("/api/") and data is not None:
        return send(path, data=data, content_type="application/json")
    return send(path, data=data or {})


@pytest.mark.parametrize(("name", "method", "index", "role"), CASES)
def test_route_gives_the_expected_status(
    cast: Cast, name: str, method: str, index: int, role: str
) -> None:
    set_consent(cast.auditor, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source="web")
    sign_head()
    case = MATRIX[(name, method)][index]
    client = client_for(cast.by_role(role))

    path = case.path(cast)
    response = _send(client, method, path, case.body(cast))

    assert response.status_code == case.expect[role], response.content[:300]


# Pages (not the API, whose framework refuses unlisted methods itself, nor allauth's and the
# admin's own views): a method the matrix does not list is refused with 405.
PAGE_ROUTES = sorted(
    {name for name, _ in MATRIX if not name.startswith(("api:", "admin:", "account_", "mfa_"))}
)


@pytest.mark.parametrize("name", PAGE_ROUTES)
def test_a_page_refuses_the_methods_it_does_not_list(cast: Cast, name: str) -> None:
    listed = {method for (n, method) in MATRIX if n == name}
    case = MATRIX[(name, sorted(listed)[0])][0]
    path = case.path(cast)
    client = client_for(cast.steward)

    for method in {"get", "post"} - listed:
        response = _send(client, method, path, {})
        assert response.status_code == 405, (method, path)


def test_revoking_another_members_token_through_the_page_changes_nothing(cast: Cast) -> None:
    theirs = create_token(cast.other, TokenIn(name="theirs"))

    client_for(cast.member).post(f"/me/tokens/{theirs.token.pk}/revoke/")

    assert AccessToken.objects.get(pk=theirs.token.pk).revoked_at is None
