"""Typed builders for test data, shared by every test package.

`make_*` write rows directly (seeded data), `make_policy` as seeded history;
`verified_contribution` and `funded_pool` go through the services, as a community would, for
tests that need work and money to exist.
"""

import itertools
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Pool
from accord.benefits.schemas import FundIn, PoolIn
from accord.contributions import services as contributions
from accord.contributions.models import PolicyVersion
from accord.contributions.schemas import ContributionIn, PolicyIn, VerifyIn
from accord.contributions.seeding import seed_policy_history
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.partners import services as partners
from accord.partners.models import Agreement, Partner, PartnerKind, Representative
from accord.partners.schemas import StatusIn
from accord.people.models import (
    Consent,
    Group,
    GroupKind,
    GroupRole,
    Member,
    Membership,
    SiteRole,
    User,
)
from accord.people.permissions import OFFICES_NEEDING_A_SECOND_FACTOR
from accord.people.queries import group_counts_changed
from accord.people.schemas import parse

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_member(
    *,
    name: str | None = None,
    role: str = SiteRole.MEMBER,
    email: str | None = None,
    verified: bool = True,
    second_factor: bool | None = None,
) -> Member:
    """A member who signed up (and, unless `verified=False`, confirmed their address).
    Stewards, treasurers and auditors get an authenticator app unless `second_factor=False`:
    their powers wait for one."""
    n = next(_seq)
    email = email or f"person{n}@example.org"
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if role == SiteRole.STEWARD:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    member = Member.objects.create(user=user, display_name=name or f"Person {n}", role=role)
    if second_factor is None:
        second_factor = role in OFFICES_NEEDING_A_SECOND_FACTOR
    if second_factor:
        add_second_factor(member)
    return member


def add_second_factor(member: Member) -> str:
    """Give the member an authenticator app (TOTP); returns its secret, from which
    `totp_code` makes the code the app would show."""
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    member.__dict__.pop("_has_second_factor", None)
    return secret


def totp_code(member: Member) -> str:
    """The code the member's authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=member.user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(authenticator.data["secret"], counter))


def grant(member: Member, *purposes: str) -> None:
    """Consent as seeded data (services are tested separately). Like the consent service,
    it drops what group pages keep of who is listed."""
    for purpose in purposes:
        Consent.objects.update_or_create(
            member=member, purpose=purpose, defaults={"granted": True}
        )
    group_counts_changed()


def make_group(
    *, name: str | None = None, kind: str = GroupKind.CHAPTER, parent: Group | None = None
) -> Group:
    n = next(_seq)
    name = name or f"Group {n}"
    return Group.objects.create(name=name, slug=f"group-{n}", kind=kind, parent=parent)


def add_to_group(member: Member, group: Group, role: str = GroupRole.MEMBER) -> Membership:
    """A membership as seeded data; like the group services, it drops the kept counts."""
    membership = Membership.objects.create(member=member, group=group, role=role)
    group_counts_changed()
    return membership


def make_partner(*, name: str | None = None) -> Partner:
    n = next(_seq)
    return Partner.objects.create(
        name=name or f"Partner {n}", slug=f"partner-{n}", kind=PartnerKind.SPONSOR
    )


def make_partner_rep(partner: Partner, *, email: str | None = None) -> Member:
    rep = make_member(role=SiteRole.PARTNER_REP, name="Pat Rep", email=email)
    Representative.objects.create(member=rep, partner=partner)
    return rep


def make_policy(
    steward: Member,
    *,
    effective_from: date,
    document: dict[str, Any] | None = None,
    reason: str = "first",
) -> PolicyVersion:
    """A policy version in force from `effective_from`, which may be in the past: history
    a community already had (a steward publishing today goes through `publish_policy`, which
    refuses the past)."""
    return seed_policy_history(
        steward,
        PolicyIn(
            document=document or policies.version(1), effective_from=effective_from, reason=reason
        ),
    )


def publish(steward: Member, data: PolicyIn) -> PolicyVersion:
    """Publish today's way: a passed decision adopts the document from its day, and the
    steward carries it out."""
    decision = pass_decision(
        steward, Gated.PUBLISH_POLICY, policy=data.document, effective_from=data.effective_from
    )
    return contributions.publish_policy(steward, data.model_copy(update={"decision": decision.pk}))


def decided_status(
    steward: Member, agreement_id: int, status: str, reason: str = "Decided."
) -> Agreement:
    """Activate, or end a partnership in force, carrying out a passed decision on it."""
    action = Gated.ACTIVATE_PARTNERSHIP if status == "active" else Gated.END_PARTNERSHIP
    decision = pass_decision(steward, action, subject=agreement_id)
    return partners.change_agreement_status(
        steward,
        agreement_id,
        StatusIn.model_validate({"status": status, "reason": reason, "decision": decision.pk}),
    )


def verified_contribution(
    member: Member,
    reviewer: Member,
    *,
    kind: str = "mentoring",
    level: int = 3,
    impact: int = 3,
    hours_h100: int = 200,
    days_ago: int = 10,
) -> int:
    """A contribution recorded by `member` and verified by `reviewer`; its id."""
    c = contributions.record_contribution(
        member,
        contribution_in(
            kind=kind,
            title=f"{kind} work",
            date=timezone.localdate() - timedelta(days=days_ago),
            level=level,
            hours_h100=hours_h100,
        ),
    )
    contributions.verify_contribution(reviewer, c.pk, VerifyIn(impact=impact))
    return c.pk


def a_treasurer() -> Member:
    """The community's first treasurer, appointed (with a second factor) if there is none."""
    found = Member.objects.filter(role=SiteRole.TREASURER).order_by("pk").first()
    return found or make_member(name="Tia Treasurer", role=SiteRole.TREASURER)


def funded_pool(
    steward: Member,
    policy: PolicyVersion,
    *,
    name: str = "Spring grants",
    method: str = "immediate",
    amount: int = 100_000,
    days: int = 90,
    treasurer: Member | None = None,
    **options: object,
) -> Pool:
    """A pool over the last `days` days, created by `steward` and (unless `amount` is 0)
    funded by `treasurer` (default: `a_treasurer()`)."""
    today = timezone.localdate()
    pool = benefits.create_pool(
        steward,
        PoolIn(
            name=name,
            unit="EUR",
            method=method,  # type: ignore[arg-type]
            period_start=today - timedelta(days=days),
            period_end=today,
            policy=policy.version,
            **options,  # type: ignore[arg-type]
        ),
    )
    if amount:
        benefits.fund_pool(
            treasurer or a_treasurer(),
            pool.slug,
            FundIn(amount=amount, source="Northbridge University", key=f"fund-{name}"),
        )
    return pool


def contribution_in(
    *,
    kind: str,
    title: str,
    date: date,
    level: int,
    hours_h100: int = 0,
    group: Group | None = None,
    **more: str,
) -> ContributionIn:
    """What a member's form or request would hand `record_contribution`, from values as
    tests hold them (hundredths of an hour, a group row)."""
    return parse(
        ContributionIn,
        {
            "kind": kind,
            "title": title,
            "date": date,
            "level": level,
            "hours": str(Decimal(hours_h100) / 100),
            "group": group.slug if group is not None else None,
            **more,
        },
    )
