"""Who may do what with people and groups. Views, API and CLI all ask these.

Offices that reach everyone's data or money (steward, treasurer, auditor) hold their powers
only once their holder has a second factor (an authenticator app or a security key): until
then they act as a plain member, and the pages ask them to set one up.

Duties are separated: stewards configure (roles, policies, pools, groups) but move no money;
treasurers move money (fund, commit and close pools, pay) but configure nothing; auditors read
everything and change nothing, except that any of the three may approve a round another one
commits (see `benefits.services.approve_round`).
"""

from allauth.mfa.models import Authenticator

from accord.people.models import Group, GroupRole, Member, SiteRole

OFFICES_NEEDING_A_SECOND_FACTOR = frozenset(
    {SiteRole.STEWARD, SiteRole.TREASURER, SiteRole.AUDITOR}
)


def has_second_factor(member: Member) -> bool:
    """An authenticator app or security key is set up (recovery codes alone do not count);
    asked once per member object."""
    known = member.__dict__.get("_has_second_factor")
    if known is None:
        known = member.user_id is not None and (
            Authenticator.objects.filter(user_id=member.user_id)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists()
        )
        member.__dict__["_has_second_factor"] = known
    return bool(known)


def awaits_second_factor(actor: Member | None) -> bool:
    """The member holds an office whose powers wait for their second factor."""
    return (
        actor is not None
        and actor.role in OFFICES_NEEDING_A_SECOND_FACTOR
        and not has_second_factor(actor)
    )


def is_steward(actor: Member | None) -> bool:
    return actor is not None and actor.role == SiteRole.STEWARD and has_second_factor(actor)


def is_treasurer(actor: Member | None) -> bool:
    return actor is not None and actor.role == SiteRole.TREASURER and has_second_factor(actor)


def holds_treasury(actor: Member | None) -> bool:
    """Who moves the community's money: funds, commits and closes pools, handles payouts.
    Treasurers only: a steward, who appoints the roles, does not also hold the purse."""
    return is_treasurer(actor)


def holds_office(actor: Member | None) -> bool:
    """A steward, treasurer or auditor with their second factor: an office holder."""
    return is_steward(actor) or is_treasurer(actor) or is_auditor(actor)


def is_auditor(actor: Member | None) -> bool:
    return actor is not None and actor.role == SiteRole.AUDITOR and has_second_factor(actor)


def on_duty_for_everyone(actor: Member | None) -> bool:
    """Offices whose duty deals with any member: stewards (their work) and treasurers (their
    payments)."""
    return is_steward(actor) or is_treasurer(actor)


def leads_group(actor: Member, group: Group) -> bool:
    return actor.memberships.filter(
        group=group, left_at__isnull=True, role__in=[GroupRole.LEAD, GroupRole.CO_LEAD]
    ).exists()


def can_manage_groups(actor: Member | None) -> bool:
    """Archive and merge groups, record leadership terms: stewards."""
    return is_steward(actor)


def can_start_group(actor: Member | None) -> bool:
    """Any member (of any site role) may start a group and lead it."""
    return actor is not None and actor.erased_at is None


def can_edit_group(actor: Member, group: Group, *, leads: bool | None = None) -> bool:
    """Stewards and the group's leads. `leads`: whether `actor` leads `group`, when the
    caller has just read their membership in it (a page that shows it)."""
    return is_steward(actor) or (leads_group(actor, group) if leads is None else leads)


def can_set_group_role(actor: Member, group: Group, *, leads: bool | None = None) -> bool:
    """Stewards and the group's leads (`leads` as for `can_edit_group`)."""
    return is_steward(actor) or (leads_group(actor, group) if leads is None else leads)


def can_record_term(actor: Member | None) -> bool:
    return is_steward(actor)


def can_set_site_role(actor: Member | None, member: Member | None = None) -> bool:
    """Stewards appoint site roles; nobody changes their own."""
    return is_steward(actor) and (member is None or actor is None or actor.pk != member.pk)


def can_erase(actor: Member, member: Member) -> bool:
    """The member themself, or a steward on the member's request."""
    return actor.pk == member.pk or is_steward(actor)


def can_change_consent(actor: Member, member: Member) -> bool:
    """Only the member decides about their own data: not even a steward may do it for them."""
    return actor.pk == member.pk


def can_edit_profile(actor: Member, member: Member) -> bool:
    return actor.pk == member.pk


def can_see_private_profile(actor: Member | None, member: Member) -> bool:
    """The accessibility-needs note: the member and the stewards who organise events."""
    return actor is not None and (actor.pk == member.pk or is_steward(actor))
