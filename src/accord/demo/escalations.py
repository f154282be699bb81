"""Demo escalation paths and concerns: the example ladder (group leads within 3 days, the
steering committee within 7, the board or a mediator within 14) for the community and a
shorter one for the Open Data Working Group; concerns at each level, open, acknowledged,
escalated by a handler, escalated by their deadline, overdue at the top, and resolved
(enough resolved for the public statistics to show their figures).

Everything goes through the services. Time passing is shown the way the decisions demo does
it: a concern's dates are moved into the past, as if its days had gone by, and then the
tick's job or a handler acts on it.
"""

import random
from datetime import timedelta

from accord.governance import services
from accord.governance.models import Concern, ConcernEvent, EscalationLevel
from accord.governance.schemas import ConcernIn, LevelIn, ResolutionIn
from accord.people.models import Group, GroupRole, Member, Membership, SiteRole

LADDER = (("Group leads", 72), ("Steering committee", 168), ("Board or mediator", 336))
GROUP = "Open Data Working Group"
CONCERNS = (
    ("benefit", "My statement leaves out the mentoring hours", "open"),
    ("partnership", "The placement offer excludes evening students", "acknowledged"),
    ("decision", "The venue vote closed before the newsletter went out", "escalated"),
    ("conduct", "Repeated interruptions at chapter meetings", "deadline"),
    ("benefit", "Training credits expired before I could use them", "overdue"),
    ("conduct", "A steward's reply felt dismissive", "resolved-at-top"),
)
RESOLVED = (
    ("benefit", "My payout arrived in the wrong currency"),
    ("partnership", "Partner logo used without the agreed wording"),
    ("conduct", "Unwelcoming comments in the chat room"),
    ("decision", "The quorum rule was not explained"),
    ("benefit", "Voucher codes did not work"),
    ("partnership", "Mentors from the partner missed sessions"),
    ("conduct", "Meetings always at times parents cannot attend"),
    ("benefit", "Statement deadline too short"),
    ("decision", "Draft not shared with the working group"),
    ("partnership", "Survey asked for more data than agreed"),
    ("conduct", "Photos posted without asking"),
)


def _set_ladder(steward: Member, group: Group | None, handlers: list[list[Member]]) -> None:
    for rank, ((name, hours), who) in enumerate(zip(LADDER, handlers, strict=False), start=1):
        services.set_escalation_level(
            steward,
            LevelIn(
                group=group.slug if group else None,
                rank=rank,
                name=f"{group.name} leads" if group and rank == 1 else name,
                response_hours=hours,
                handlers=[m.pseudonym for m in who],
            ),
        )


def _backdate(concern: Concern, hours: int) -> None:
    """Move the concern's dates `hours` into the past, as if that time had gone by."""
    delta = timedelta(hours=hours)
    Concern.objects.filter(pk=concern.pk).update(
        raised_at=concern.raised_at - delta, deadline=concern.deadline - delta
    )
    for event in ConcernEvent.objects.filter(concern=concern):
        event.at -= delta
        event.deadline = event.deadline - delta if event.deadline else None
        event.save(update_fields=["at", "deadline"])


def _handler(concern: Concern) -> Member:
    level = EscalationLevel.objects.get(pk=Concern.objects.get(pk=concern.pk).level_id)
    return level.handlers.order_by("pk")[0]


def _raise(
    raiser: Member, kind: str, summary: str, *, group: Group | None = None, **more: bool
) -> Concern:
    return services.raise_concern(
        raiser,
        ConcernIn.model_validate(
            {
                "kind": kind,
                "summary": summary,
                "body": f"{summary}. I would like someone to look into it and tell me what "
                "will change.",
                "group": group.slug if group else None,
                **more,
            }
        ),
    )


def _play(concern: Concern, stage: str) -> None:
    if stage == "acknowledged":
        services.acknowledge_concern(_handler(concern), concern.pk)
    elif stage == "escalated":
        services.acknowledge_concern(_handler(concern), concern.pk)
        services.escalate_concern(_handler(concern), concern.pk)
    elif stage == "deadline":  # its 3 days went by unanswered; the tick moved it up
        _backdate(concern, 80)
        services.escalate_overdue_concerns()
    elif stage == "overdue":  # 26 days: past every level's deadline, it waits at the top
        _backdate(concern, 24 * 26)
        services.escalate_overdue_concerns()
    elif stage == "resolved-at-top":
        _backdate(concern, 100)
        services.escalate_overdue_concerns()
        services.escalate_concern(_handler(concern), concern.pk)
        services.resolve_concern(
            _handler(concern),
            concern.pk,
            ResolutionIn(resolution="We talked with both people; replies now follow the guide."),
        )


def seed_escalations(
    *, people: list[Member], steward: Member, auditor: Member, raiser: Member, rng: random.Random
) -> list[Concern]:
    """The demo's paths and concerns (see the module docstring); `raiser` (the demo member)
    raises the first and the one escalated by its deadline."""
    leads = list(
        Member.objects.filter(
            pk__in=Membership.objects.filter(role=GroupRole.LEAD, left_at__isnull=True).values(
                "member"
            )
        ).order_by("pk")
    )
    committee = [steward, *rng.sample(leads, 2)]
    _set_ladder(steward, None, [rng.sample(leads, 3), committee, [auditor]])
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        own = [
            m.member
            for m in Membership.objects.filter(group=group, role=GroupRole.LEAD).select_related(
                "member"
            )
        ] or [steward]
        _set_ladder(steward, group, [own, committee])
    others = [
        p
        for p in people
        if p.pk not in {raiser.pk, steward.pk, auditor.pk} and p.role != SiteRole.PARTNER_REP
    ]
    made = []
    for n, (kind, summary, stage) in enumerate(CONCERNS):
        who = raiser if n in (0, 3) else rng.choice(others)
        concern = _raise(who, kind, summary, anonymous=n == 2)
        _play(concern, stage)
        made.append(concern)
    if group is not None:
        concern = _raise(rng.choice(others), "conduct", "Credit for shared datasets", group=group)
        _play(concern, "acknowledged")
        made.append(concern)
    for kind, summary in RESOLVED:
        concern = _raise(rng.choice(others), kind, summary)
        _backdate(concern, rng.randint(4, 100))  # some past 3 days
        services.resolve_concern(
            _handler(concern),
            concern.pk,
            ResolutionIn(resolution="Looked into and put right; thank you for raising it."),
        )
        made.append(concern)
    return made
