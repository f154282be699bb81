"""Every URL and API route x every role x own/other's object -> the status it must give.

The test fails when a route exists that the matrix does not list, so a new page or endpoint
cannot ship without its authorization being decided here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accord.api.models import AccessToken
from accord.api.services import create_token
from accord.ledger.services import sign_head
from accord.people.models import Purpose
from accord.people.services import set_consent
from tests.conftest import Cast, client_for

ROLES = ("anonymous", "member", "steward", "partner_rep", "auditor")


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[Cast], str]
    expect: dict[str, int]  # role -> status
    data: dict[str, str] | None = None


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
        token = create_token(getattr(cast, member_attr), name="matrix")
        return f"/me/tokens/{token.token.pk}/revoke/"

    return path


def _api_token_of(member_attr: str) -> Callable[[Cast], str]:
    def path(cast: Cast) -> str:
        token = create_token(getattr(cast, member_attr), name="matrix")
        return f"/api/v1/tokens/{token.token.pk}"

    return path


def _contribution(cast: Cast, *, rejected: bool = False) -> int:
    from accord.contributions import services as contributions

    c = contributions.record_contribution(
        cast.member,
        contributions.ContributionInput(
            kind="code", title="Matrix", date=timezone.localdate() - timedelta(days=2), level=2
        ),
    )
    if rejected:
        contributions.reject_contribution(cast.steward, c.pk, reason="matrix")
    return c.pk


def _statement(cast: Cast) -> int:
    """A committed distribution with a statement for `cast.member` (pays something)."""
    from accord.benefits import services as benefits
    from accord.benefits.models import Statement
    from accord.contributions import services as contributions
    from accord.demo import policies

    today = timezone.localdate()
    policy = contributions.publish_policy(
        cast.steward, policies.version(1), effective_from=today - timedelta(days=60), reason="m"
    )
    c = _contribution(cast)
    contributions.verify_contribution(cast.steward, c, impact=3)
    pool = benefits.create_pool(
        cast.steward,
        benefits.PoolInput(
            name="Matrix pool",
            unit="EUR",
            method="immediate",
            period_start=today - timedelta(days=30),
            period_end=today,
            policy=policy,
        ),
    )
    benefits.fund_pool(cast.steward, pool, amount=10_000, source="Partner", key="matrix")
    benefits.commit_distribution(cast.steward, pool, key="matrix-round")
    return Statement.objects.get(member=cast.member).pk


def _payout(cast: Cast) -> int:
    from accord.benefits import services as benefits
    from accord.benefits.models import Payout

    st = _statement(cast)
    benefits.choose(cast.member, st, "take")
    return Payout.objects.get().pk


def _pool(cast: Cast) -> str:
    _statement(cast)
    return "matrix-pool"


# route name -> cases (a route with an object has an "own" and an "other's" case)
MATRIX: dict[str, list[Case]] = {
    "web:landing": [Case("get", lambda c: "/", signed_in(302, anonymous=200))],
    "web:healthz": [Case("get", lambda c: "/healthz", every(200))],
    "people:home": [Case("get", lambda c: "/home/", signed_in(200))],
    "people:profile": [Case("get", lambda c: "/me/profile/", signed_in(200))],
    "people:consents": [Case("get", lambda c: "/me/consents/", signed_in(200))],
    "people:toggle_consent": [
        Case("post", lambda c: "/me/consents/newsletter/", signed_in(302), {"granted": "yes"})
    ],
    "people:groups": [Case("get", lambda c: "/groups/", signed_in(200))],
    "people:group": [Case("get", lambda c: f"/groups/{c.group.slug}/", signed_in(200))],
    "people:join_group": [Case("post", lambda c: f"/groups/{c.group.slug}/join/", signed_in(302))],
    "people:leave_group": [
        Case("post", lambda c: f"/groups/{c.group.slug}/leave/", signed_in(302))
    ],
    "people:members": [Case("get", lambda c: "/members/", signed_in(200))],
    "people:members_export": [Case("get", lambda c: "/members/export.csv", signed_in(200))],
    "people:member": [
        # own profile: always visible to oneself
        Case("get", lambda c: f"/members/{c.member.pseudonym}/", signed_in(404, member=200)),
        # someone who did not opt in to the directory
        Case("get", lambda c: f"/members/{c.other.pseudonym}/", signed_in(404)),
        # someone who did
        Case("get", lambda c: f"/members/{c.auditor.pseudonym}/", signed_in(200)),
    ],
    "people:leadership": [Case("get", lambda c: "/leadership/", signed_in(404, steward=200))],
    "partners:mine": [Case("get", lambda c: "/partners/mine/", signed_in(404, partner_rep=200))],
    "partners:detail": [
        Case(
            "get",
            lambda c: f"/partners/{c.partner.slug}/",
            signed_in(404, steward=200, partner_rep=200),
        ),
        Case("get", lambda c: f"/partners/{c.other_partner.slug}/", signed_in(404, steward=200)),
    ],
    "people:receipts": [Case("get", lambda c: "/me/receipts/", signed_in(200))],
    "people:receipt_bundle": [Case("get", lambda c: "/me/receipts/bundle.json", signed_in(200))],
    "people:auditor_export": [
        Case("get", lambda c: "/audit/ledger.jsonl", signed_in(404, auditor=200))
    ],
    "people:erase_me": [Case("get", lambda c: "/me/erase/", signed_in(200))],
    "people:erase_member": [
        Case("get", lambda c: f"/members/{c.other.pseudonym}/erase/", signed_in(404, steward=200))
    ],
    # the public ledger: anyone, signed in or not, may read and verify it
    "ledger:entries": [Case("get", lambda c: "/ledger/", every(200))],
    "ledger:entry": [Case("get", lambda c: "/ledger/entries/0/", every(200))],
    "ledger:receipt": [Case("get", lambda c: "/ledger/entries/0/receipt.json", every(200))],
    "ledger:heads": [Case("get", lambda c: "/ledger/heads/", every(200))],
    "ledger:heads_json": [Case("get", lambda c: "/ledger/heads.json", every(200))],
    "ledger:heads_atom": [Case("get", lambda c: "/ledger/heads.atom", every(200))],
    "ledger:key": [Case("get", lambda c: "/ledger/key", every(200))],
    "api:api-ledger-entries": [Case("get", lambda c: "/api/v1/ledger/entries", every(200))],
    "api:api-ledger-entry": [Case("get", lambda c: "/api/v1/ledger/entries/0", every(200))],
    "api:api-ledger-receipt": [
        Case("get", lambda c: "/api/v1/ledger/entries/0/receipt", every(200))
    ],
    "api:api-ledger-heads": [Case("get", lambda c: "/api/v1/ledger/heads", every(200))],
    "api:api-ledger-consistency": [
        Case("get", lambda c: "/api/v1/ledger/consistency?old=1&new=1", every(200))
    ],
    "api:api-ledger-key": [Case("get", lambda c: "/api/v1/ledger/key", every(200))],
    # contributions: own work is the member's; reviewing is for stewards and group leads
    "contributions:mine": [Case("get", lambda c: "/contributions/", signed_in(200))],
    "contributions:queue": [Case("get", lambda c: "/contributions/review/", signed_in(200))],
    "contributions:import": [
        Case("get", lambda c: "/contributions/import/", signed_in(404, steward=200))
    ],
    "contributions:detail": [
        Case(
            "get",
            lambda c: f"/contributions/{_contribution(c)}/",
            signed_in(404, member=200, steward=200),
        ),
    ],
    "contributions:review": [
        Case(
            "post",
            lambda c: f"/contributions/{_contribution(c)}/review/",
            signed_in(404, member=302, steward=302),
            {"decision": "verify", "impact": "3"},
        ),
    ],
    "contributions:dispute": [
        Case(
            "post",
            lambda c: f"/contributions/{_contribution(c, rejected=True)}/dispute/",
            signed_in(404, member=302, steward=302),
            {"reason": "please"},
        ),
    ],
    "contributions:criteria": [Case("get", lambda c: "/criteria/", every(200))],
    "contributions:criteria_json": [
        Case("get", lambda c: (_statement(c), "/criteria.json")[1], every(200))
    ],
    "contributions:criteria_version_json": [
        Case("get", lambda c: (_statement(c), "/criteria/v1.json")[1], every(200))
    ],
    # benefits: a statement is its member's (and the stewards'); pools and treasury are stewards'
    "benefits:mine": [Case("get", lambda c: "/benefits/", signed_in(200))],
    "benefits:statement": [
        Case(
            "get",
            lambda c: f"/benefits/statements/{_statement(c)}/",
            signed_in(404, member=200, steward=200),
        ),
    ],
    "benefits:choose": [
        Case(
            "post",
            lambda c: f"/benefits/statements/{_statement(c)}/choose/",
            signed_in(404, member=302, steward=302),
            {"choice": "take"},
        ),
    ],
    "benefits:pools": [Case("get", lambda c: "/pools/", signed_in(200))],
    "benefits:pool": [Case("get", lambda c: f"/pools/{_pool(c)}/", signed_in(200))],
    "benefits:commit": [
        Case("post", lambda c: f"/pools/{_pool(c)}/commit/", signed_in(404, steward=302))
    ],
    "benefits:treasury": [Case("get", lambda c: "/treasury/", signed_in(404, steward=200))],
    "benefits:payouts_csv": [
        Case("get", lambda c: "/treasury/payouts.csv", signed_in(404, steward=200))
    ],
    "benefits:mark_paid": [
        Case(
            "post", lambda c: f"/treasury/payouts/{_payout(c)}/paid/", signed_in(404, steward=302)
        ),
    ],
    "api:api-contributions": [Case("get", lambda c: "/api/v1/contributions", api(200))],
    "api:api-contribution-create": [
        Case(
            "post",
            lambda c: "/api/v1/contributions",
            api(201),
            {"kind": "code", "title": "x", "date": "2026-01-02", "level": "2"},
        ),
    ],
    "api:api-review-queue": [
        Case("get", lambda c: "/api/v1/contributions/review-queue", api(200))
    ],
    "api:api-contribution": [
        Case(
            "get",
            lambda c: f"/api/v1/contributions/{_contribution(c)}",
            api(404, member=200, steward=200),
        ),
    ],
    "api:api-contribution-verify": [
        Case(
            "post",
            lambda c: f"/api/v1/contributions/{_contribution(c)}/verify",
            api(404, member=403, steward=200),
            {"impact": "3"},
        ),
    ],
    "api:api-contribution-reject": [
        Case(
            "post",
            lambda c: f"/api/v1/contributions/{_contribution(c)}/reject",
            api(404, member=403, steward=200),
            {"reason": "no"},
        ),
    ],
    "api:api-contribution-dispute": [
        Case(
            "post",
            lambda c: f"/api/v1/contributions/{_contribution(c, rejected=True)}/dispute",
            api(404, member=200),
            {"reason": "please"},
        ),
    ],
    "api:api-criteria": [Case("get", lambda c: "/api/v1/criteria", every(200))],
    "api:api-statements": [Case("get", lambda c: "/api/v1/statements", api(200))],
    "api:api-statement": [
        Case(
            "get",
            lambda c: f"/api/v1/statements/{_statement(c)}",
            api(404, member=200, steward=200),
        ),
    ],
    "api:api-statement-choice": [
        Case(
            "post",
            lambda c: f"/api/v1/statements/{_statement(c)}/choice",
            api(404, member=200),
            {"choice": "donate"},
        ),
    ],
    "api:api-pools": [Case("get", lambda c: "/api/v1/pools", api(200))],
    "api:api-pool-preview": [
        Case("get", lambda c: f"/api/v1/pools/{_pool(c)}/preview", api(403, steward=200))
    ],
    "api:api-pool-commit": [
        Case(
            "post",
            lambda c: f"/api/v1/pools/{_pool(c)}/distributions",
            api(403, steward=409),
            {"key": "matrix-second-round"},
        ),
    ],
    "api:api-payouts": [Case("get", lambda c: "/api/v1/payouts", api(403, steward=200))],
    "api:api-payout-paid": [
        Case("post", lambda c: f"/api/v1/payouts/{_payout(c)}/paid", api(403, steward=200), {}),
    ],
    "tokens:list": [Case("get", lambda c: "/me/tokens/", signed_in(200))],
    "tokens:revoke": [
        # own token is revoked; another member's is refused (checked below)
        Case("post", _token_of("member"), signed_in(302)),
        Case("post", _token_of("other"), signed_in(302)),
    ],
    # django-allauth's account pages
    "account_login": [Case("get", lambda c: "/accounts/login/", signed_in(302, anonymous=200))],
    "account_logout": [Case("post", lambda c: "/accounts/logout/", every(302))],
    "account_inactive": [Case("get", lambda c: "/accounts/inactive/", every(200))],
    "account_signup": [Case("get", lambda c: "/accounts/signup/", signed_in(302, anonymous=200))],
    "account_reauthenticate": [Case("get", lambda c: "/accounts/reauthenticate/", signed_in(200))],
    "account_request_reauthentication_code": [
        Case("get", lambda c: "/accounts/reauthenticate/code/", signed_in(302))
    ],
    "account_confirm_reauthentication_code": [
        Case("get", lambda c: "/accounts/reauthenticate/code/confirm/", signed_in(302))
    ],
    "account_email": [Case("get", lambda c: "/accounts/email/", signed_in(200))],
    "account_email_verification_sent": [
        Case("get", lambda c: "/accounts/confirm-email/", every(200))
    ],
    "account_change_password": [
        Case("get", lambda c: "/accounts/password/change/", signed_in(200))
    ],
    "account_set_password": [Case("get", lambda c: "/accounts/password/set/", signed_in(302))],
    "account_reset_password": [Case("get", lambda c: "/accounts/password/reset/", every(200))],
    "account_confirm_login_code": [
        Case("get", lambda c: "/accounts/login/code/confirm/", every(302))
    ],
    "account_confirm_email": [
        Case("get", lambda c: "/accounts/confirm-email/not-a-key/", every(200))
    ],
    "account_reset_password_from_key_done": [
        Case("get", lambda c: "/accounts/password/reset/key/done/", every(200))
    ],
    "account_reset_password_from_key": [
        Case("get", lambda c: "/accounts/password/reset/key/1-bad-key/", every(200))
    ],
    "account_reset_password_done": [
        Case("get", lambda c: "/accounts/password/reset/done/", every(200))
    ],
    # the Django admin: stewards only (every admin view is guarded by the site's permission)
    "admin:index": [Case("get", lambda c: "/admin/", every(302, steward=200))],
    "admin:people_member_changelist": [
        Case("get", lambda c: "/admin/people/member/", every(302, steward=200))
    ],
    "admin:people_consent_changelist": [
        Case("get", lambda c: "/admin/people/consent/", every(302, steward=200))
    ],
    # the API
    "api:api-root": [Case("get", lambda c: "/api/v1/", every(404))],
    "api:openapi-json": [Case("get", lambda c: "/api/v1/openapi.json", every(200))],
    "api:openapi-view": [Case("get", lambda c: "/api/v1/docs", every(200))],
    "api:api-me": [Case("get", lambda c: "/api/v1/me", api(200))],
    "api:api-me-update": [Case("patch", lambda c: "/api/v1/me", api(200), {"pronouns": "they"})],
    "api:api-members": [Case("get", lambda c: "/api/v1/members", api(200))],
    "api:api-member": [
        Case("get", lambda c: f"/api/v1/members/{c.member.pseudonym}", api(404, member=200)),
        Case("get", lambda c: f"/api/v1/members/{c.other.pseudonym}", api(404)),
        Case("get", lambda c: f"/api/v1/members/{c.auditor.pseudonym}", api(200)),
    ],
    "api:api-groups": [Case("get", lambda c: "/api/v1/groups", api(200))],
    "api:api-group": [Case("get", lambda c: f"/api/v1/groups/{c.group.slug}", api(200))],
    "api:api-memberships": [Case("get", lambda c: "/api/v1/memberships", api(200))],
    "api:api-join-group": [
        Case("post", lambda c: f"/api/v1/groups/{c.group.slug}/membership", api(201, member=409))
    ],
    "api:api-leave-group": [
        Case("delete", lambda c: f"/api/v1/groups/{c.group.slug}/membership", api(404, member=200))
    ],
    "api:api-consents": [Case("get", lambda c: "/api/v1/consents", api(200))],
    "api:api-consent": [
        Case("put", lambda c: "/api/v1/consents/newsletter", api(200), {"granted": "true"})
    ],
    "api:api-tokens": [Case("get", lambda c: "/api/v1/tokens", api(200))],
    "api:api-token-create": [
        Case("post", lambda c: "/api/v1/tokens", api(201), {"name": "matrix"})
    ],
    "api:api-token-revoke": [
        Case("delete", _api_token_of("member"), api(404, member=200)),
        Case("delete", _api_token_of("other"), api(404)),
    ],
    "api:api-partners": [Case("get", lambda c: "/api/v1/partners/", api(200))],
    "api:api-partner-members": [
        Case(
            "get",
            lambda c: f"/api/v1/partners/{c.partner.slug}/members",
            api(403, steward=200, partner_rep=200),
        ),
        Case(
            "get",
            lambda c: f"/api/v1/partners/{c.other_partner.slug}/members",
            api(403, steward=200),
        ),
    ],
}

# Admin views beyond those above are generated by Django for each registered model; the
# StewardAdminSite refuses all of them to anyone but a steward, as the index case shows.
GENERATED_NAMESPACES = ("admin",)


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver(), None)
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = {n for n in _route_names() if n.split(":")[0] not in GENERATED_NAMESPACES}

    missing = routes - MATRIX.keys()
    stale = {n for n in MATRIX if n.split(":")[0] not in GENERATED_NAMESPACES} - routes

    assert missing == set(), f"routes without an authorization decision: {sorted(missing)}"
    assert stale == set(), f"matrix entries for routes that no longer exist: {sorted(stale)}"


CASES = [
    pytest.param(name, i, role, id=f"{name}[{i}]-{role}")
    for name, cases in MATRIX.items()
    for i in range(len(cases))
    for role in ROLES
]


@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_route_gives_the_expected_status(cast: Cast, name: str, index: int, role: str) -> None:
    set_consent(cast.auditor, cast.auditor, Purpose.MEMBER_DIRECTORY, True, source="web")
    sign_head()
    case = MATRIX[name][index]
    client = client_for(cast.by_role(role))
    path = case.path(cast)

    send = getattr(client, case.method)
    if path.startswith("/api/") and case.data is not None:
        response = send(path, data=case.data, content_type="application/json")
    else:
        response = send(path, data=case.data or {})

    assert response.status_code == case.expect[role], response.content[:300]


def test_revoking_another_members_token_through_the_page_changes_nothing(cast: Cast) -> None:
    theirs = create_token(cast.other, name="theirs")

    client_for(cast.member).post(f"/me/tokens/{theirs.token.pk}/revoke/")

    assert AccessToken.objects.get(pk=theirs.token.pk).revoked_at is None
