import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accord.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from accord.governance import services
from accord.governance.models import Ballot, Decision, DecisionComment, ElectorateEntry, Status
from accord.governance.schemas import DecisionCommentIn, OutcomeIn
from accord.ledger.models import Entry
from accord.partners import services as partners
from accord.partners.schemas import DisclosureCloseIn, DisclosureIn
from accord.people import services as people
from accord.people.models import Member
from accord.people.schemas import ErasureIn
from tests.conftest import Cast
from tests.factories import add_to_group, make_member
from tests.governance.conftest import agreement, decision_in, opened, past_closing, vote


def _state() -> object:
    return (
        list(Decision.objects.order_by("pk").values()),
        list(Ballot.objects.order_by("pk").values()),
        list(ElectorateEntry.objects.order_by("pk").values()),
        list(DecisionComment.objects.order_by("pk").values()),
        Entry.objects.count(),
    )


def _refused(error: type[DomainError], action: Callable[[], object]) -> DomainError:
    before = _state()
    with pytest.raises(error) as refused:
        action()
    assert _state() == before, "a refused action changed something"
    return refused.value


def _entries(kind: str) -> list[dict[str, Any]]:
    return [json.loads(bytes(e.data)) for e in Entry.objects.filter(kind=kind).order_by("seq")]


# -- propose ----------------------------------------------------------------------------


def test_a_member_proposes_a_draft_that_nobody_votes_on_yet(cast: Cast) -> None:
    made = services.propose_decision(cast.member, decision_in(threshold="2/3", quorum="50%"))

    assert made.status == Status.DRAFT
    assert (made.threshold, made.quorum) == ("2/3", "1/2")
    assert made.proposer == cast.member
    assert Entry.objects.count() == 0  # a draft is not on the record


def test_a_member_proposes_for_their_own_group_only(cast: Cast) -> None:
    outsider = make_member(name="Out Sider")

    made = services.propose_decision(cast.member, decision_in(group=cast.group.slug))

    assert made.group == cast.group
    _refused(
        Forbidden, lambda: services.propose_decision(outsider, decision_in(group=cast.group.slug))
    )


def test_a_partner_representative_proposes_nothing(cast: Cast) -> None:
    _refused(Forbidden, lambda: services.propose_decision(cast.partner_rep, decision_in()))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"title": "  "}, InvalidInput),
        ({"poll": "single", "options": ["Only one"]}, InvalidInput),
        ({"poll": "ranked", "options": ["A", "a"]}, InvalidInput),
        ({"options": ["A", "B"]}, InvalidInput),  # a consent proposal has no options
        ({"threshold": "3/2"}, InvalidInput),
        ({"threshold": "0"}, InvalidInput),
        ({"quorum": "lots"}, InvalidInput),
        ({"group": "no-such-group"}, NotFound),
        ({"subject": 999_999}, NotFound),
    ],
)
def test_a_proposal_with_bad_input_is_refused_and_changes_nothing(
    cast: Cast, overrides: dict[str, Any], error: type[DomainError]
) -> None:
    _refused(error, lambda: services.propose_decision(cast.member, decision_in(**overrides)))


def test_a_proposal_must_close_in_the_future(cast: Cast) -> None:
    past = decision_in(closes_at=timezone.now() - timedelta(minutes=1))

    refusal = _refused(InvalidInput, lambda: services.propose_decision(cast.member, past))

    assert "future" in refusal.detail


# -- open -------------------------------------------------------------------------------


def test_opening_fixes_the_electorate_and_records_its_size(cast: Cast) -> None:
    made = services.propose_decision(cast.member, decision_in())

    decision = services.open_decision(cast.steward, made.pk)
    make_member(name="Late Comer")  # joins after the snapshot

    expected = {
        cast.member,
        cast.other,
        cast.group_lead,
        cast.steward,
        cast.treasurer,
        cast.auditor,
    }
    seats = {e.member for e in ElectorateEntry.objects.filter(decision=decision)}
    assert seats == expected  # partner representatives are outsiders: no seat
    assert decision.status == Status.OPEN
    assert decision.electorate_size == len(expected)
    [entry] = _entries("decision.opened")
    assert entry["actor"] == cast.steward.pseudonym
    assert entry["payload"]["electorate"] == len(expected)
    assert entry["payload"]["poll"] == "consent"
    assert "Adopt" not in json.dumps(entry)  # the title only as a salted hash


def test_a_group_decision_is_opened_by_its_lead_for_the_groups_members(cast: Cast) -> None:
    made = services.propose_decision(cast.member, decision_in(group=cast.group.slug))

    services.open_decision(cast.group_lead, made.pk)

    seats = set(ElectorateEntry.objects.filter(decision=made).values_list("member", flat=True))
    assert seats == {cast.member.pk, cast.other.pk, cast.group_lead.pk}


def test_only_who_runs_a_decision_opens_it(cast: Cast) -> None:
    community = services.propose_decision(cast.member, decision_in())

    _refused(Forbidden, lambda: services.open_decision(cast.member, community.pk))
    # someone else's draft is not even known to another member, a group's lead included
    _refused(NotFound, lambda: services.open_decision(cast.other, community.pk))
    _refused(NotFound, lambda: services.open_decision(cast.group_lead, community.pk))
    services.open_decision(cast.steward, community.pk)
    _refused(Forbidden, lambda: services.close_decision(cast.group_lead, community.pk))


def test_a_decision_opens_once(cast: Cast) -> None:
    decision = opened(cast)

    _refused(Conflict, lambda: services.open_decision(cast.steward, decision.pk))


def test_a_draft_whose_closing_time_passed_cannot_open(cast: Cast) -> None:
    made = services.propose_decision(cast.member, decision_in())
    past_closing(made)

    _refused(Conflict, lambda: services.open_decision(cast.steward, made.pk))


# -- vote -------------------------------------------------------------------------------


def test_a_voter_casts_and_changes_one_ballot(cast: Cast) -> None:
    decision = opened(cast)

    vote(cast.other, decision, stance="agree")
    vote(cast.other, decision, stance="block")

    assert list(Ballot.objects.values_list("voter", "choice")) == [
        (cast.other.pk, {"stance": "block"})
    ]
    assert Entry.objects.filter(kind__startswith="decision.").count() == 1  # votes stay off


def test_only_the_electorate_votes(cast: Cast) -> None:
    decision = opened(cast)
    late = make_member(name="Late Comer")

    refusal = _refused(Forbidden, lambda: vote(late, decision, stance="agree"))

    assert "entitled" in refusal.detail
    _refused(NotFound, lambda: vote(cast.partner_rep, decision, stance="agree"))


def test_joining_a_group_after_opening_gives_no_vote(cast: Cast) -> None:
    decision = opened(cast, by=cast.group_lead, group=cast.group.slug)
    newcomer = make_member(name="New Comer")
    add_to_group(newcomer, cast.group)

    _refused(Forbidden, lambda: vote(newcomer, decision, stance="agree"))


def test_no_vote_on_a_draft_or_after_closing_time(cast: Cast) -> None:
    draft = services.propose_decision(cast.member, decision_in())
    decision = opened(cast)
    past_closing(decision)

    _refused(Conflict, lambda: vote(cast.member, draft, stance="agree"))
    _refused(Conflict, lambda: vote(cast.member, decision, stance="agree"))


@pytest.mark.parametrize(
    "choice",
    [{"stance": "agree", "option": 1}, {"option": 0}, {}, {"ranking": [0]}],
)
def test_a_ballot_that_does_not_fit_the_poll_is_refused(
    cast: Cast, choice: dict[str, Any]
) -> None:
    decision = opened(cast)

    _refused(InvalidInput, lambda: vote(cast.member, decision, **choice))


def test_a_ballot_naming_a_missing_option_is_refused(cast: Cast) -> None:
    decision = opened(cast, poll="single", options=["Tuesday", "Thursday"])

    _refused(InvalidInput, lambda: vote(cast.member, decision, option=2))


def test_an_open_disclosure_on_the_subject_bars_the_vote_until_closed(cast: Cast) -> None:
    subject = agreement(cast)
    disclosure = partners.disclose_interest(
        cast.auditor, subject, DisclosureIn(interest="Advisor")
    )
    decision = opened(cast, subject=subject)

    refusal = _refused(Forbidden, lambda: vote(cast.auditor, decision, stance="agree"))
    partners.close_disclosure(
        cast.auditor, subject, disclosure.pk, DisclosureCloseIn(reason="Stepped down")
    )
    vote(cast.auditor, decision, stance="agree")

    assert "disclosure" in refusal.detail
    assert Ballot.objects.filter(voter=cast.auditor).count() == 1


def test_a_disclosure_on_another_partnership_does_not_bar_the_vote(cast: Cast) -> None:
    partners.disclose_interest(cast.auditor, agreement(cast), DisclosureIn(interest="Advisor"))
    decision = opened(cast, subject=agreement(cast))

    vote(cast.auditor, decision, stance="agree")

    assert Ballot.objects.filter(voter=cast.auditor).exists()


# -- close ------------------------------------------------------------------------------


def _electorate(cast: Cast) -> list[Member]:
    return [cast.member, cast.other, cast.group_lead, cast.steward, cast.treasurer, cast.auditor]


def test_closing_waits_for_the_closing_time(cast: Cast) -> None:
    decision = opened(cast)

    _refused(Conflict, lambda: services.close_decision(cast.steward, decision.pk))


def test_closing_records_the_tally_and_electorate_size_but_no_ballot(cast: Cast) -> None:
    decision = opened(cast, threshold="2/3")
    for member, stance in zip(
        _electorate(cast)[:4], ["agree", "agree", "disagree", "abstain"], strict=True
    ):
        vote(member, decision, stance=stance)
    past_closing(decision)

    closed = services.close_decision(cast.steward, decision.pk)

    assert closed.status == Status.CLOSED
    assert closed.tally is not None
    assert closed.tally["passed"] is True
    assert closed.tally["counts"] == [2, 1, 1, 0]
    assert closed.tally["agree_share"] == "2/3"
    [entry] = _entries("decision.closed")
    assert entry["actor"] == cast.steward.pseudonym
    assert entry["payload"]["electorate"] == 6
    assert entry["payload"]["cast"] == 4
    assert entry["payload"]["turnout"] == "2/3"
    text = json.dumps(entry)
    for member in _electorate(cast):
        assert member.pseudonym not in text or member == cast.steward
    assert set(entry["payload"]) == {
        *("poll", "electorate", "cast", "turnout", "quorum_met", "passed"),
        *("counts", "winner", "tied", "agree_share"),
    }


def test_a_single_block_fails_the_proposal(cast: Cast) -> None:
    decision = opened(cast)
    for member in _electorate(cast)[:5]:
        vote(member, decision, stance="agree")
    vote(cast.auditor, decision, stance="block")
    past_closing(decision)

    closed = services.close_decision(cast.steward, decision.pk)

    assert closed.tally is not None
    assert closed.tally["agree_share"] == "1"
    assert closed.tally["passed"] is False


def test_below_quorum_a_unanimous_proposal_fails(cast: Cast) -> None:
    decision = opened(cast, quorum="1/2")
    for member in _electorate(cast)[:2]:
        vote(member, decision, stance="agree")
    past_closing(decision)

    closed = services.close_decision(cast.steward, decision.pk)

    assert closed.tally is not None
    assert (closed.tally["quorum_met"], closed.tally["passed"]) == (False, False)


def test_at_quorum_the_proposal_passes(cast: Cast) -> None:
    decision = opened(cast, quorum="1/2")
    for member in _electorate(cast)[:3]:
        vote(member, decision, stance="agree")
    past_closing(decision)

    closed = services.close_decision(cast.steward, decision.pk)

    assert closed.tally is not None
    assert (closed.tally["quorum_met"], closed.tally["passed"]) == (True, True)


def test_a_ranked_poll_closes_with_its_rounds(cast: Cast) -> None:
    decision = opened(cast, poll="ranked", options=["A", "B", "C"])
    for member, ranking in zip(
        _electorate(cast)[:5], [[0], [0], [1, 2], [2, 1], [2, 1]], strict=True
    ):
        vote(member, decision, ranking=ranking)
    past_closing(decision)

    closed = services.close_decision(cast.steward, decision.pk)

    assert closed.tally is not None
    assert closed.tally["winner"] == 2
    assert [r["eliminated"] for r in closed.tally["rounds"]] == [1, None]
    assert _entries("decision.closed")[0]["payload"]["rounds"] == closed.tally["rounds"]


def test_only_who_runs_it_closes_it_and_only_once(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)

    _refused(Forbidden, lambda: services.close_decision(cast.member, decision.pk))
    services.close_decision(cast.steward, decision.pk)
    _refused(Conflict, lambda: services.close_decision(cast.steward, decision.pk))
    _refused(Conflict, lambda: vote(cast.member, decision, stance="agree"))


# -- outcome ----------------------------------------------------------------------------


def test_a_closed_decision_is_outcome_due_until_its_statement(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)
    closed = services.close_decision(cast.steward, decision.pk)
    due = closed.outcome_due

    done = services.record_outcome(
        cast.steward, decision.pk, OutcomeIn(statement="Not adopted; we try again in spring.")
    )

    assert due
    assert not done.outcome_due
    [entry] = _entries("decision.outcome")
    assert entry["payload"]["passed"] is False
    assert "spring" not in json.dumps(entry)


def test_an_outcome_waits_for_the_close_and_is_recorded_once(cast: Cast) -> None:
    decision = opened(cast)
    statement = OutcomeIn(statement="Adopted.")

    _refused(Conflict, lambda: services.record_outcome(cast.steward, decision.pk, statement))
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)
    _refused(
        InvalidInput,
        lambda: services.record_outcome(cast.steward, decision.pk, OutcomeIn(statement=" ")),
    )
    _refused(Forbidden, lambda: services.record_outcome(cast.member, decision.pk, statement))
    services.record_outcome(cast.steward, decision.pk, statement)
    _refused(Conflict, lambda: services.record_outcome(cast.steward, decision.pk, statement))


# -- discussion -------------------------------------------------------------------------


def test_members_discuss_an_open_decision_until_it_closes(cast: Cast) -> None:
    decision = opened(cast)

    made = services.comment_on_decision(cast.other, decision.pk, DecisionCommentIn(body="Yes!"))
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)

    assert made.author == cast.other
    _refused(
        Conflict,
        lambda: services.comment_on_decision(
            cast.other, decision.pk, DecisionCommentIn(body="Late")
        ),
    )


def test_a_comment_needs_words_and_a_reader(cast: Cast) -> None:
    decision = opened(cast)
    draft = services.propose_decision(cast.member, decision_in())

    _refused(
        InvalidInput,
        lambda: services.comment_on_decision(
            cast.other, decision.pk, DecisionCommentIn(body="  ")
        ),
    )
    _refused(
        NotFound,
        lambda: services.comment_on_decision(
            cast.partner_rep, decision.pk, DecisionCommentIn(body="Hi")
        ),
    )
    _refused(
        NotFound,
        lambda: services.comment_on_decision(cast.other, draft.pk, DecisionCommentIn(body="Hi")),
    )


def test_erasing_a_member_removes_their_ballots_and_comments_but_not_a_closed_tally(
    cast: Cast,
) -> None:
    closed, still_open = opened(cast), opened(cast)
    for decision in (closed, still_open):
        vote(cast.other, decision, stance="agree")
        services.comment_on_decision(cast.other, decision.pk, DecisionCommentIn(body="Mine"))
    past_closing(closed)
    services.close_decision(cast.steward, closed.pk)

    people.erase_member(cast.other, cast.other.pseudonym, ErasureIn(reason=""))

    assert not Ballot.objects.filter(voter=cast.other).exists()
    assert not DecisionComment.objects.filter(author=cast.other).exists()
    closed.refresh_from_db()
    assert closed.tally is not None
    assert closed.tally["counts"] == [1, 0, 0, 0]
