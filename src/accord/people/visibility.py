"""Who may be shown to whom: the one place that decides, by the viewer's audience.

Every page, API route, export and command that lists or shows a member asks `may` (one
member) or `shown_to` (a queryset). The answer depends on three things only:

- the **audience** the viewer belongs to: the public (signed out), the members (members,
  stewards, auditors: people inside the community), or the partners (partner
  representatives, who are outsiders);
- what is to be **shown** (`Sight`): a profile, an e-mail address to contact, a name on a
  public page of thanks;
- the member's own consent for that audience and sight (`RULES`). The default is no.

One sight is also granted by office rather than consent: `DUTY`, the people an office
holder's work is about. A steward reviews and pays anyone; a group lead reviews the work of
their group's members. Anyone else sees them for duty only as they would see their profile.

**Per-partner consent.** The partners audience is many organisations, and a member may
share who they are with one of them and not another (`PartnerConsent`). Decision:

- a partner's representatives see a member's identity (profile, contact, duty) on that
  partner's members page when the member shares with that partner *or* has turned on the
  older all-partners switch (`share_profile_with_partners` / `partner_contact`), which
  keeps its meaning: "every partner, this one included". Old answers need no migration;
- who took up a partner's offering is personal data about that member's dealings with that
  partner, so its representatives see the names of claimers **only** under consent to that
  partner (`shared_with_partner`); the all-partners switch does not reveal them;
- consent to partner B never shows a member to partner A's representatives.

Two rules hold for every audience: a member always sees themself, and nobody is shown
anywhere before they have verified their e-mail address (an unverified sign-up could be
anyone's address).
"""

from collections.abc import Iterable
from enum import StrEnum
from functools import cache

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accord.people import permissions
from accord.people.models import (
    Consent,
    GroupRole,
    Member,
    Membership,
    PartnerConsent,
    Purpose,
    SiteRole,
)


class Audience(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    PARTNERS = "partners"


class Sight(StrEnum):
    PROFILE = "profile"  # name, pronouns, bio, expertise, and the groups they are in
    CONTACT = "contact"  # the e-mail address, to write to them
    RECOGNITION = "recognition"  # their name on a page that thanks contributors
    DUTY = "duty"  # their name where an office holder reviews their work or pays them


# (audience, sight) -> the consent that allows it; None: never, whatever the member says.
RULES: dict[tuple[Audience, Sight], Purpose | None] = {
    (Audience.PUBLIC, Sight.PROFILE): None,
    (Audience.PUBLIC, Sight.CONTACT): None,
    (Audience.PUBLIC, Sight.RECOGNITION): Purpose.PUBLIC_RECOGNITION,
    (Audience.MEMBERS, Sight.PROFILE): Purpose.MEMBER_DIRECTORY,
    (Audience.MEMBERS, Sight.CONTACT): None,
    (Audience.MEMBERS, Sight.RECOGNITION): Purpose.PUBLIC_RECOGNITION,
    (Audience.PARTNERS, Sight.PROFILE): Purpose.SHARE_PROFILE_WITH_PARTNERS,
    (Audience.PARTNERS, Sight.CONTACT): Purpose.PARTNER_CONTACT,
    (Audience.PARTNERS, Sight.RECOGNITION): Purpose.PUBLIC_RECOGNITION,
    # beyond what an office grants (see `_on_duty`), duty shows what the profile would
    (Audience.PUBLIC, Sight.DUTY): None,
    (Audience.MEMBERS, Sight.DUTY): Purpose.MEMBER_DIRECTORY,
    (Audience.PARTNERS, Sight.DUTY): Purpose.SHARE_PROFILE_WITH_PARTNERS,
}
LEADS = (GroupRole.LEAD, GroupRole.CO_LEAD)
# What consent to one named partner shows that partner's representatives.
IDENTITY = (Sight.PROFILE, Sight.CONTACT, Sight.DUTY)


def audience_of(viewer: Member | None) -> Audience:
    if viewer is None:
        return Audience.PUBLIC
    if viewer.role == SiteRole.PARTNER_REP:
        return Audience.PARTNERS
    return Audience.MEMBERS


def consent_needed(viewer: Member | None, sight: Sight) -> Purpose | None:
    """The consent under which `viewer` sees others for `sight` (what a page tells them)."""
    return RULES[(audience_of(viewer), sight)]


def _verified() -> Exists:
    return Exists(EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True))


def _consented(purpose: str) -> Exists:
    return Exists(Consent.objects.filter(member=OuterRef("pk"), purpose=purpose, granted=True))


@cache
def _rule(audience: Audience, sight: Sight) -> Q:
    """The consent rule for (audience, sight), built once per process: Django copies an
    expression before resolving it into a query, so one Q serves every query unchanged."""
    purpose = RULES[(audience, sight)]
    if purpose is None:
        return Q(pk__in=[])
    return Q(_verified()) & Q(_consented(purpose)) & Q(erased_at__isnull=True)


def _shares_with(partners: Q) -> Q:
    """Verified, not erased, and consenting to share with a partner matching `partners`
    (a filter on `PartnerConsent`)."""
    consent = PartnerConsent.objects.filter(partners, member=OuterRef("pk"), granted=True)
    return Q(_verified()) & Q(Exists(consent)) & Q(erased_at__isnull=True)


def shown_to_partner(partner_id: int, members: QuerySet[Member], sight: Sight) -> QuerySet[Member]:
    """The members of `members` that the representatives of partner `partner_id` may see
    for `sight` on its members page: the all-partners switch, or consent to this partner."""
    rule = _rule(Audience.PARTNERS, sight)
    if sight in IDENTITY:
        rule |= _shares_with(Q(partner_id=partner_id))
    return members.filter(rule)


def shared_with_partner(partner_id: int, members: QuerySet[Member]) -> QuerySet[Member]:
    """The members of `members` who consented to share who they are with partner
    `partner_id` itself (offering uptake); the all-partners switch does not count."""
    return members.filter(_shares_with(Q(partner_id=partner_id)))


def sharing_with_partners(
    member_ids: Iterable[int], partner_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """(member, partner) for each of these members who shares who they are with each of
    these partners, by the rule of `shared_with_partner`, in one query."""
    return set(
        PartnerConsent.objects.filter(
            member_id__in=list(member_ids), partner_id__in=list(partner_ids), granted=True
        )
        .filter(
            Exists(EmailAddress.objects.filter(user_id=OuterRef("member__user_id"), verified=True))
        )
        .filter(member__erased_at__isnull=True)
        .values_list("member_id", "partner_id")
    )


def sharing_counts(partner_ids: Iterable[int]) -> dict[int, int]:
    """How many members share who they are with each of these partners (the rule of
    `shared_with_partner`), in one query: a count, never who."""
    rows = (
        PartnerConsent.objects.filter(partner_id__in=list(partner_ids), granted=True)
        .filter(
            Exists(EmailAddress.objects.filter(user_id=OuterRef("member__user_id"), verified=True))
        )
        .filter(member__erased_at__isnull=True)
        .values("partner_id")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
    )
    return {row["partner_id"]: row["n"] for row in rows}


def shown_to_audience(
    audience: Audience, members: QuerySet[Member], sight: Sight
) -> QuerySet[Member]:
    """The members of `members` that `audience` may see for `sight`, as one query (pages
    that show what an audience sees, such as a partner's page viewed by a steward)."""
    return members.filter(_rule(audience, sight))


def _on_duty(viewer: Member) -> Q:
    """The members whose work or payment `viewer`'s office deals with."""
    if permissions.on_duty_for_everyone(viewer):
        return Q(pk__isnull=False)
    led = Membership.objects.filter(member=viewer, left_at__isnull=True, role__in=LEADS)
    return Q(
        Exists(
            Membership.objects.filter(
                member=OuterRef("pk"), left_at__isnull=True, group__in=led.values("group")
            )
        )
    )


def shown_to(
    viewer: Member | None, members: QuerySet[Member], sight: Sight, *, in_name_order: bool = False
) -> QuerySet[Member]:
    """The members of `members` that `viewer` may see for `sight`, the viewer included.

    `in_name_order`: the caller reads a page of a long list in name order (the directory, a
    group page). "And the viewer" is then added to the rule only when their own consent
    does not already show them (one small query first): an OR beside the rule's EXISTS
    tests keeps PostgreSQL from reading in name order (it hashes every consent instead)."""
    audience = audience_of(viewer)
    rule = _rule(audience, sight)
    if viewer is not None and audience == Audience.PARTNERS and sight in IDENTITY:
        rule |= _shares_with(Q(partner__representatives__member=viewer))
    if viewer is not None:
        if not in_name_order or not Member.objects.filter(rule, pk=viewer.pk).exists():
            rule |= Q(pk=viewer.pk)
        if sight == Sight.DUTY:
            rule |= _on_duty(viewer)
    return members.filter(rule)


def named_among(viewer: Member | None, member_ids: Iterable[int], sight: Sight) -> set[int]:
    """Which of `member_ids` `viewer` may see for `sight`: one query for a page's rows."""
    ids = set(member_ids)
    if not ids:
        return set()
    if sight == Sight.DUTY and permissions.on_duty_for_everyone(viewer):
        return ids  # a steward's or treasurer's office covers everyone (as in `may`)
    return set(
        shown_to(viewer, Member.objects.filter(pk__in=ids), sight).values_list("pk", flat=True)
    )


def may(viewer: Member | None, member: Member, sight: Sight) -> bool:
    """May `viewer` be shown `member` for `sight`?"""
    if viewer is not None and viewer.pk == member.pk:
        return True
    if sight == Sight.DUTY and permissions.on_duty_for_everyone(viewer):
        return True  # a steward's or treasurer's office covers everyone: no query
    return shown_to(viewer, Member.objects.filter(pk=member.pk), sight).exists()


def has_consented(member: Member, purpose: str) -> bool:
    """The member's own answer for `purpose` (for uses that are not about an audience, such
    as a reward format that features them)."""
    return Consent.objects.filter(member=member, purpose=purpose, granted=True).exists()


def verified_members() -> QuerySet[Member]:
    """Members who may appear anywhere or be matched by an import: a verified e-mail
    address, and not erased."""
    return Member.objects.filter(_verified(), erased_at__isnull=True)


def is_verified(member: Member) -> bool:
    """Has the member verified the e-mail address of their account?"""
    return (
        member.user_id is not None
        and EmailAddress.objects.filter(user_id=member.user_id, verified=True).exists()
    )
