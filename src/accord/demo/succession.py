"""Demo positions and succession: a chair at the end of their consecutive terms with a
successor and a shadow, a treasurer whose term ends soon with nobody to follow (at risk), a
vacant secretary with an open call for volunteers that members have answered, a steering
committee with its seats filled, and institutional memory linked to a decision and a
partnership. Everything goes through the services."""

import random
from datetime import date, timedelta

from accord.governance import services
from accord.governance.models import Decision, Position, Status
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    HandoverItemIn,
    HandoverTickIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    TransferNotesIn,
)
from accord.partners.models import Agreement
from accord.people.models import Member, SiteRole

BACKGROUNDS = [
    "Students",
    "Working parents",
    "Retirees",
    "Newcomers to the city",
    "Disabled members",
]
MEMORIES = (
    (
        "lesson",
        "Ask members before signing, not after",
        "The first sponsorship was signed before members were asked; the survey afterwards "
        "found half the offers went unused. We now consult for two weeks first.",
    ),
    (
        "strategy",
        "Pilot with one chapter, then scale",
        "Running the mentoring scheme with North Chapter for a term let us fix the matching "
        "rules before 400 people depended on them.",
    ),
    (
        "caution",
        "A partner's logo on our page is not neutral",
        "Members read the vendor's logo on the events page as an endorsement. Agree in "
        "writing where a partner's name appears.",
    ),
    (
        "decision",
        "Why the funding guideline needs a two-thirds majority",
        "A simple majority split the community in 2025; the higher bar asks for broad consent.",
    ),
)


def _office(title: str, description: str, **more: int) -> PositionIn:
    return PositionIn.model_validate({"title": title, "description": description, **more})


def _term(steward: Member, p: Position, holder: Member, start: date, end: date) -> None:
    services.record_position_term(
        steward, p.pk, PositionTermIn(member=holder.pseudonym, start=start, end=end)
    )


def _plan(steward: Member, p: Position, member: Member, role: str) -> None:
    services.add_to_plan(
        steward, p.pk, PlanPersonIn.model_validate({"member": member.pseudonym, "role": role})
    )


def seed_succession(
    *, people: list[Member], steward: Member, rng: random.Random, today: date
) -> list[Position]:
    """The demo's positions, calls and memory (see the module docstring)."""
    members = [m for m in people if m.role == SiteRole.MEMBER and m.erased_at is None]
    if len(members) < 7:  # a demo too small to fill the offices
        return []
    chair_, treasurer_, *committee_, successor, shadow = rng.sample(members, 7)
    year = timedelta(days=365)

    chair = services.create_position(
        steward,
        _office("Chair", "Chairs the steering committee and general meetings."),
    )
    _term(steward, chair, chair_, today - year - timedelta(days=300), today - timedelta(days=301))
    _term(steward, chair, chair_, today - timedelta(days=300), today + timedelta(days=64))
    _plan(steward, chair, successor, "successor")
    _plan(steward, chair, shadow, "shadow")
    for text in (
        "Introduce the successor to partner contacts",
        "Hand over meeting minutes",
        "Transfer the mailing list",
    ):
        services.add_handover_item(steward, chair.pk, HandoverItemIn(text=text))
    first = chair.checklist.order_by("pk").first()
    if first is not None:
        services.tick_handover_item(steward, chair.pk, first.pk, HandoverTickIn(done=True))
    services.write_transfer_notes(
        steward,
        chair.pk,
        TransferNotesIn(notes="Agendas go out a week ahead. The venue contract renews in March."),
    )

    treasurer = services.create_position(
        steward, _office("Treasurer", "Keeps the accounts and pays out.")
    )
    _term(steward, treasurer, treasurer_, today - timedelta(days=325), today + timedelta(days=40))

    secretary = services.create_position(
        steward, _office("Secretary", "Keeps minutes and the records.")
    )
    call = services.open_call(
        steward,
        CallIn(
            position=secretary.pk,
            asks="Someone organised to keep minutes at monthly meetings (about 3 hours a month).",
            backgrounds=BACKGROUNDS,
            closes_on=today + timedelta(days=21),
        ),
    )
    taken = {chair_.pk, treasurer_.pk, successor.pk, shadow.pk, *(m.pk for m in committee_)}
    free = [m for m in members if m.pk not in taken]
    volunteers = rng.sample(free, min(14, len(free)))
    for v in volunteers:
        picked = [b for b in BACKGROUNDS if rng.random() < 0.4]
        services.answer_call(v, call.pk, AnswerIn.model_validate({"backgrounds": picked}))

    steering = services.create_position(
        steward, _office("Steering committee seat", "", seats=3, term_months=24)
    )
    for holder in committee_:
        _term(steward, steering, holder, today - timedelta(days=200), today + timedelta(days=530))
    _plan(steward, steering, shadow, "successor")

    decision = Decision.objects.filter(status=Status.CLOSED).exclude(outcome="").first()
    agreement = Agreement.objects.order_by("pk").first()
    for i, (kind, title, body) in enumerate(MEMORIES):
        services.add_memory(
            rng.choice(members),
            MemoryIn.model_validate(
                {
                    "kind": kind,
                    "title": title,
                    "body": body,
                    "decision": decision.pk if decision and i % 2 else None,
                    "agreement": agreement.pk if agreement and i in (0, 2) else None,
                }
            ),
        )
    return [chair, treasurer, secretary, steering]
