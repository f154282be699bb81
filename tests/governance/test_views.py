"""The decision pages: each form does what it says, a bad input is re-shown with the
service's reason (422) and changes nothing, and a refused actor gets 403 and changes nothing.
A secret ballot's page and export never show who voted what, to any role."""

import csv
import io
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from accord.governance import services
from accord.governance.models import Ballot, Decision, DecisionComment, Status
from accord.ledger.models import Entry
from accord.people.models import Member, Purpose
from accord.people.schemas import ConsentIn
from accord.people.services import set_consent
from tests.conftest import Cast, client_for
from tests.governance.conftest import agreement, decision_in, opened, past_closing, vote

ROLES = ("member", "other", "group_lead", "steward", "treasurer", "auditor")


def _rows(*members: Member) -> list[object]:
    return [
        list(Decision.objects.order_by("pk").values()),
        list(Ballot.objects.order_by("pk").values()),
        list(DecisionComment.objects.order_by("pk").values()),
        Entry.objects.count(),
        [m.pk for m in members],
    ]


def _closes() -> str:
    return timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def test_a_member_proposes_a_ranked_decision_from_the_list(cast: Cast) -> None:
    client = client_for(cast.member)

    response = client.post(
        "/decisions/",
        {
            "title": "Where do we meet?",
            "body": "Pick a venue.",
            "poll": "ranked",
            "options": "Library\nCafe\n\nPark",
            "threshold": "1/2",
            "quorum": "1/4",
            "closes_at": _closes(),
        },
    )

    made = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/{made.pk}/"
    assert (made.poll, made.options, made.quorum) == ("ranked", ["Library", "Cafe", "Park"], "1/4")
    assert made.proposer == cast.member
    assert made.status == Status.DRAFT


def test_a_bad_proposal_is_reshown_with_the_reason_and_nothing_is_written(cast: Cast) -> None:
    client = client_for(cast.member)
    before = _rows()

    response = client.post(
        "/decisions/",
        {
            "title": "Venue",
            "body": "B",
            "poll": "single",
            "options": "Only one",
            "closes_at": _closes(),
        },
    )

    assert response.status_code == 422
    text = response.content.decode()
    assert "A single poll has 2 to 20 options, not 1." in text
    assert 'aria-describedby="propose-error"' in text
    assert 'value="Venue"' in text
    assert _rows() == before


def test_a_proposal_for_a_group_one_is_not_in_is_refused_with_403(cast: Cast) -> None:
    before = _rows()

    response = client_for(cast.steward).get("/decisions/")  # sees the group in the form
    refused = client_for(cast.treasurer).post(
        "/decisions/",
        {
            "title": "T",
            "body": "B",
            "poll": "consent",
            "group": cast.group.slug,
            "closes_at": _closes(),
        },
    )

    assert cast.group.name in response.content.decode()
    assert refused.status_code == 403
    assert "Members propose decisions for the community or for their own groups." in (
        refused.content.decode()
    )
    assert _rows() == before


def test_partner_representatives_and_visitors_see_no_decisions(cast: Cast) -> None:
    decision = opened(cast)

    assert client_for(cast.partner_rep).get("/decisions/").status_code == 403
    assert client_for(cast.partner_rep).get(f"/decisions/{decision.pk}/").status_code == 404
    assert client_for(cast.partner_rep).get("/decisions/export.csv").status_code == 403
    assert client_for(None).get("/decisions/").status_code == 302
    assert client_for(None).get(f"/decisions/{decision.pk}/").status_code == 302


def test_the_list_filters_by_status_and_scope(cast: Cast) -> None:
    community = opened(cast, title="Community budget")
    grouped = opened(cast, title="Chapter venue", group=cast.group.slug)
    due = opened(cast, title="Newsletter cadence")
    past_closing(due)
    services.close_decision(cast.steward, due.pk)
    client = client_for(cast.member)

    by_group = client.get("/decisions/", {"scope": cast.group.slug}).content.decode()
    by_community = client.get("/decisions/", {"scope": "community"}).content.decode()
    outcome_due = client.get("/decisions/", {"status": "outcome_due"}).content.decode()
    still_open = client.get("/decisions/", {"status": "open"}).content.decode()

    assert grouped.title in by_group
    assert community.title not in by_group
    assert community.title in by_community
    assert grouped.title not in by_community
    assert due.title in outcome_due
    assert community.title not in outcome_due
    assert community.title in still_open
    assert due.title not in still_open


def test_the_csv_exports_what_the_filters_show_with_counts_only_once_closed(cast: Cast) -> None:
    running = opened(cast, title="Still running")
    vote(cast.member, running, stance="agree")
    closed = opened(cast, title="Counted")
    vote(cast.member, closed, stance="agree")
    vote(cast.other, closed, stance="disagree")
    past_closing(closed)
    services.close_decision(cast.steward, closed.pk)
    client = client_for(cast.other)

    every = list(csv.DictReader(io.StringIO(client.get("/decisions/export.csv").content.decode())))
    only_due = client.get("/decisions/export.csv", {"status": "outcome_due"}).content.decode()

    by_title = {row["title"]: row for row in every}
    assert set(by_title) == {"Still running", "Counted"}
    assert by_title["Still running"]["ballots"] == ""
    assert by_title["Still running"]["counts"] == ""
    assert by_title["Counted"]["ballots"] == "2"
    assert by_title["Counted"]["electorate"] == str(closed.electorate_size)
    assert by_title["Counted"]["turnout"] == str(Fraction(2, closed.electorate_size))
    assert by_title["Counted"]["counts"] == "Agree=1 Abstain=0 Disagree=1 Block=0"
    assert by_title["Counted"]["result"] == "Passed"
    rows = list(csv.DictReader(io.StringIO(only_due)))
    assert [r["title"] for r in rows] == ["Counted"]


@pytest.mark.parametrize(
    ("poll", "options", "form", "stored"),
    [
        ("consent", [], {"stance": "block"}, {"stance": "block"}),
        ("single", ["A", "B"], {"option": "1"}, {"option": 1}),
        ("approval", ["A", "B", "C"], {"options": ["0", "2"]}, {"options": [0, 2]}),
        ("score", ["A", "B"], {"score-0": "5", "score-1": "0"}, {"scores": [5, 0]}),
        (
            "ranked",
            ["A", "B", "C"],
            {"rank-1": "2", "rank-2": "0", "rank-3": ""},
            {"ranking": [2, 0]},
        ),
    ],
)
def test_each_poll_type_is_voted_from_its_form_and_the_ballot_shown_back(
    cast: Cast, poll: str, options: list[str], form: dict[str, object], stored: dict[str, object]
) -> None:
    decision = opened(cast, poll=poll, options=options)
    client = client_for(cast.other)

    response = client.post(f"/decisions/{decision.pk}/vote/", form)
    page = client.get(f"/decisions/{decision.pk}/").content.decode()

    assert response.status_code == 302
    assert Ballot.objects.get(decision=decision, voter=cast.other).choice == stored
    assert 'id="my-ballot"' in page
    assert "Change my vote" in page


def test_a_voter_changes_their_vote_and_sees_the_new_one_selected(cast: Cast) -> None:
    decision = opened(cast, poll="single", options=["Library", "Cafe"])
    client = client_for(cast.member)
    client.post(f"/decisions/{decision.pk}/vote/", {"option": "0"})

    client.post(f"/decisions/{decision.pk}/vote/", {"option": "1"})
    page = client.get(f"/decisions/{decision.pk}/").content.decode()

    assert Ballot.objects.get(decision=decision).choice == {"option": 1}
    assert 'name="option" value="1" checked' in page
    assert 'name="option" value="0" checked' not in page
    assert "Your ballot: <strong>“Cafe”</strong>" in page


def test_a_bad_ballot_is_reshown_with_the_reason_and_nothing_is_written(cast: Cast) -> None:
    decision = opened(cast, poll="ranked", options=["A", "B", "C"])
    client = client_for(cast.member)
    before = _rows()

    response = client.post(f"/decisions/{decision.pk}/vote/", {"rank-1": "1", "rank-2": "1"})

    assert response.status_code == 422
    text = response.content.decode()
    assert "The ranking names an option more than once." in text
    assert 'aria-describedby="vote-error"' in text
    assert _rows() == before


def test_a_member_outside_the_electorate_is_refused_with_403(cast: Cast) -> None:
    decision = opened(cast, group=cast.group.slug)
    before = _rows()

    response = client_for(cast.treasurer).post(
        f"/decisions/{decision.pk}/vote/", {"stance": "agree"}
    )

    assert response.status_code == 403
    assert "Only the members entitled to vote" in response.content.decode()
    assert _rows() == before


def test_the_steward_opens_closes_and_records_the_outcome_from_the_page(cast: Cast) -> None:
    draft = services.propose_decision(
        cast.member, decision_in(poll="approval", options=["A", "B"])
    )
    steward = client_for(cast.steward)
    draft_page = steward.get(f"/decisions/{draft.pk}/").content.decode()

    opened_response = steward.post(f"/decisions/{draft.pk}/open/")
    vote(cast.member, draft, options=[1])
    vote(cast.other, draft, options=[0, 1])
    past_closing(draft)
    closed_response = steward.post(f"/decisions/{draft.pk}/close/")
    outcome_page = steward.get(f"/decisions/{draft.pk}/").content.decode()
    recorded = steward.post(f"/decisions/{draft.pk}/outcome/", {"statement": "B it is."})
    page = client_for(cast.other).get(f"/decisions/{draft.pk}/").content.decode()

    assert "Open for votes" in draft_page
    assert [opened_response.status_code, closed_response.status_code, recorded.status_code] == [
        302
    ] * 3
    assert "Record the outcome" in outcome_page
    decision = Decision.objects.get()
    assert (decision.status, decision.outcome) == (Status.CLOSED, "B it is.")
    assert "“B” won with 2 approvals." in page
    assert "B it is." in page
    assert "Record the outcome" not in page


def test_a_member_may_not_run_a_decision_and_nothing_changes(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)
    before = _rows()

    closing = client_for(cast.member).post(f"/decisions/{decision.pk}/close/")

    assert closing.status_code == 403
    assert "Only stewards close this decision." in closing.content.decode()
    assert _rows() == before


def test_closing_before_time_is_refused_beside_the_form(cast: Cast) -> None:
    decision = opened(cast)
    before = _rows()

    response = client_for(cast.steward).post(f"/decisions/{decision.pk}/close/")

    assert response.status_code == 409
    assert "Votes are taken until" in response.content.decode()
    assert 'aria-describedby="run-error"' in response.content.decode()
    assert _rows() == before


def test_an_empty_outcome_is_reshown_with_422(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)
    before = _rows()

    response = client_for(cast.steward).post(
        f"/decisions/{decision.pk}/outcome/", {"statement": " "}
    )

    assert response.status_code == 422
    assert "The outcome statement is empty: write something." in response.content.decode()
    assert _rows() == before


def test_members_discuss_a_decision_until_it_closes(cast: Cast) -> None:
    decision = opened(cast)
    client = client_for(cast.other)

    posted = client.post(f"/decisions/{decision.pk}/comments/", {"body": "I support this."})
    empty = client.post(f"/decisions/{decision.pk}/comments/", {"body": ""})
    page = client.get(f"/decisions/{decision.pk}/").content.decode()

    assert posted.status_code == 302
    assert empty.status_code == 422
    assert "The comment is empty: write something." in empty.content.decode()
    assert DecisionComment.objects.get().body == "I support this."
    assert "I support this." in page


def test_a_ranked_result_is_explained_round_by_round(cast: Cast) -> None:
    decision = opened(cast, poll="ranked", options=["Library", "Cafe", "Park"])
    vote(cast.member, decision, ranking=[0, 1])
    vote(cast.other, decision, ranking=[1])
    vote(cast.group_lead, decision, ranking=[2, 1])
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)

    page = client_for(cast.member).get(f"/decisions/{decision.pk}/").content.decode()

    assert "Round 1: “Library” 1, “Cafe” 1, “Park” 1." in page
    assert "“Park” had the fewest votes and was eliminated." in page
    assert "“Cafe” won: it held more than half of the votes still counted" in page


# -- a secret ballot, seen by every role -------------------------------------------------


def _secret_ballot(cast: Cast) -> Decision:
    decision = opened(cast, poll="single", options=["Library", "Cafe"], secret=True)
    vote(cast.member, decision, option=0)
    vote(cast.other, decision, option=1)
    vote(cast.group_lead, decision, option=1)
    return decision


def _no_voter_in(text: str, cast: Cast, viewer: Member) -> None:
    for voter in (cast.member, cast.other, cast.group_lead):
        if voter == viewer:
            continue
        assert voter.pseudonym not in text, (viewer, voter)
        assert voter.display_name not in text, (viewer, voter)


@pytest.mark.parametrize("role", ROLES)
def test_a_secret_ballot_never_shows_who_voted_what(cast: Cast, role: str) -> None:
    decision = _secret_ballot(cast)
    viewer = getattr(cast, role)
    client = client_for(viewer)

    open_page = client.get(f"/decisions/{decision.pk}/").content.decode()
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)
    closed_page = client.get(f"/decisions/{decision.pk}/").content.decode()
    listing = client.get("/decisions/").content.decode()
    export = client.get("/decisions/export.csv").content.decode()

    for text in (open_page, closed_page, listing, export):
        _no_voter_in(text, cast, viewer)
    assert 'id="voter-list"' not in open_page + closed_page
    assert "its counts are withheld until it closes" in open_page
    assert "“Cafe” won with 2 votes." in closed_page
    own = Ballot.objects.filter(decision=decision, voter=viewer).first()
    if own is None:
        assert 'id="my-ballot"' not in open_page
    else:
        label = decision.options[own.choice["option"]]
        assert f"Your ballot: <strong>“{label}”</strong>" in open_page


def test_an_open_ballot_names_only_the_voters_the_reader_may_see(cast: Cast) -> None:
    decision = opened(cast)
    vote(cast.member, decision, stance="agree")  # not shown to members: no consent
    set_consent(cast.other, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source="web")
    vote(cast.other, decision, stance="disagree")

    page = client_for(cast.group_lead).get(f"/decisions/{decision.pk}/").content.decode()

    voters = page[page.index('id="voter-list"') :]
    assert cast.other.pseudonym in voters
    assert "<td>Disagree</td>" in voters
    assert cast.member.pseudonym not in page
    assert "1 agreed, 0 abstained, 1 disagreed, 0 blocked." in page  # running counts


def test_a_vote_after_closing_is_refused_with_the_reason_shown(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)
    before = _rows()

    response = client_for(cast.member).post(f"/decisions/{decision.pk}/vote/", {"stance": "agree"})
    again = client_for(cast.steward).post(f"/decisions/{decision.pk}/comments/", {"body": "Late"})

    assert response.status_code == 409
    assert "Voting on this decision has closed." in response.content.decode()
    assert again.status_code == 409
    assert "The discussion ends when the decision closes." in again.content.decode()
    assert _rows() == before


def test_the_export_link_keeps_the_filters_encoded(cast: Cast) -> None:
    page = client_for(cast.member).get("/decisions/", {"status": "open", "scope": "a&b"})

    assert "/decisions/export.csv?status=open&amp;scope=a%26b" in page.content.decode()


@pytest.mark.parametrize(
    ("poll", "options", "form", "reason"),
    [
        ("consent", [], {}, "Choose agree, abstain, disagree or block before you vote."),
        ("single", ["A", "B"], {}, "Choose an option before you vote."),
        ("score", ["A", "B"], {"score-0": "4"}, "Give every option a score from 0 to 5"),
        ("ranked", ["A", "B"], {}, "A ranking names at least one option."),
    ],
)
def test_an_empty_ballot_is_refused_in_plain_words(
    cast: Cast, poll: str, options: list[str], form: dict[str, str], reason: str
) -> None:
    decision = opened(cast, poll=poll, options=options)
    before = _rows()

    response = client_for(cast.member).post(f"/decisions/{decision.pk}/vote/", form)

    assert response.status_code == 422
    assert reason in response.content.decode()
    assert _rows() == before


def test_a_decision_about_a_partnership_is_proposed_from_the_form(cast: Cast) -> None:
    subject = agreement(cast)
    client = client_for(cast.member)
    form = client.get("/decisions/").content.decode()

    response = client.post(
        "/decisions/",
        {
            "title": "Renew",
            "body": "B",
            "poll": "consent",
            "subject": str(subject),
            "closes_at": _closes(),
        },
    )
    page = client.get(response["Location"]).content.decode()

    assert f'<option value="{subject}">Northbridge University: Placements</option>' in form
    assert Decision.objects.get().subject_id == subject
    assert f'href="/partnerships/{subject}/"' in page
