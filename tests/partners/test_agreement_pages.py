"""Partnership pages: the public list with its filters and export, a steward recording an
agreement, and the partnership page where evaluators score it and stewards move it along.
A refusal is shown beside its form with the service's reason, and changes nothing."""

import csv
import io
from datetime import date

from django.utils.html import escape

from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.domain.partnerships import CRITERIA
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Agreement, AgreementChange, EvaluationScore, PartnerKind
from accord.partners.schemas import AgreementIn, ScoreIn, StatusIn, ValueIn
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import make_partner_rep

KEYS = [c.key for c in CRITERIA]


def _agreement(
    cast: Cast, *, title: str = "Student research placements", partner: str = ""
) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=partner or cast.partner.slug,
            title=title,
            purpose="Members mentor students; students research what members need.",
            reasons=["networks", "member_benefits"],
            member_needs="Evidence for the community's advocacy.",
            target_level=4,
        ),
    )


def _evaluating(cast: Cast) -> Agreement:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Met twice.")
    )
    return agreement


def _score_all(agreement: Agreement, evaluator: Member, score: int) -> None:
    for key in KEYS:
        services.score_agreement(evaluator, agreement.pk, ScoreIn(criterion=key, score=score))


def _form(score: int) -> dict[str, str]:
    return {f"score-{key}": str(score) for key in KEYS}


def test_the_list_is_public_and_filters_by_status_and_partner_type(cast: Cast) -> None:
    cast.other_partner.kind = PartnerKind.VENDOR
    cast.other_partner.save(update_fields=["kind"])
    _evaluating(cast)
    _agreement(cast, title="Discounted licences", partner=cast.other_partner.slug)

    everything = client_for(None).get("/partnerships/").content.decode()
    evaluating = client_for(None).get("/partnerships/?status=evaluating").content.decode()
    vendors = client_for(None).get("/partnerships/?kind=vendor").content.decode()
    nonsense = client_for(None).get("/partnerships/?status=bogus&kind=cartel").content.decode()

    assert "Student research placements" in everything
    assert "Discounted licences" in everything
    assert "1: Transactional" in everything
    assert "Student research placements" in evaluating
    assert "Discounted licences" not in evaluating
    assert "Discounted licences" in vendors
    assert "Student research placements" not in vendors
    assert "Discounted licences" in nonsense  # an unknown filter is ignored
    assert "Record an agreement" not in everything


def test_the_export_holds_exactly_what_the_filters_show(cast: Cast) -> None:
    _evaluating(cast)
    _agreement(cast, title="Discounted licences", partner=cast.other_partner.slug)
    page = client_for(None).get("/partnerships/?status=prospect").content.decode()

    response = client_for(None).get("/partnerships/export.csv?status=prospect")

    assert 'href="/partnerships/export.csv?status=prospect"' in page
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["title"] for r in rows] == ["Discounted licences"]
    assert rows[0]["status"] == "prospect"
    assert rows[0]["level_label"] == "Transactional"
    assert rows[0]["target_level"] == "4"


def test_a_steward_records_an_agreement_from_the_list(cast: Cast) -> None:
    steward = client_for(cast.steward)

    form = steward.get("/partnerships/").content.decode()
    response = steward.post(
        "/partnerships/",
        {
            "partner": cast.partner.slug,
            "title": "Joint training days",
            "purpose": "Members teach; the partner hosts.",
            "reasons": ["resources", "networks"],
            "member_needs": "Affordable training.",
            "target_level": "3",
        },
    )

    assert "Record an agreement" in form
    made = Agreement.objects.get(title="Joint training days")
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/{made.pk}/"
    assert (made.status, made.reasons, made.target_level) == (
        "prospect",
        ["networks", "resources"],
        3,
    )
    assert (
        Entry.objects.filter(kind="agreement.created", actor=cast.steward.pseudonym).count() == 1
    )


def test_bad_input_is_kept_and_explained_and_nothing_is_written(cast: Cast) -> None:
    entries = Entry.objects.count()

    response = client_for(cast.steward).post(
        "/partnerships/",
        {
            "partner": cast.partner.slug,
            "title": "Half a thought",
            "purpose": "",
            "target_level": "3",
        },
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "Say the shared purpose; name at least one of the five reasons." in body
    assert 'value="Half a thought"' in body
    assert Agreement.objects.count() == 0
    assert Entry.objects.count() == entries


def test_a_member_cannot_record_an_agreement(cast: Cast) -> None:
    response = client_for(cast.member).post(
        "/partnerships/",
        {"partner": cast.partner.slug, "title": "T", "purpose": "P", "reasons": ["networks"]},
    )

    assert response.status_code == 403
    assert "Only stewards record partnership agreements." in response.content.decode()
    assert Agreement.objects.count() == 0


def test_the_public_page_shows_the_facts_and_the_dated_history(cast: Cast) -> None:
    agreement = _evaluating(cast)

    body = client_for(None).get(f"/partnerships/{agreement.pk}/").content.decode()

    assert "Members mentor students" in body
    assert "Enhanced member benefits" in body
    assert "Evidence for the community" in body
    assert "1: Transactional" in body
    assert "4: Integrated" in body
    assert "Status: prospect → evaluating" in body
    assert "Met twice." in body
    assert cast.steward.pseudonym in body
    assert f'href="/partners/#partner-{cast.partner.slug}"' in body
    assert "{# more sections #}" not in body


def test_evaluators_score_through_the_form(cast: Cast) -> None:
    agreement = _evaluating(cast)
    auditor = client_for(cast.auditor)

    form = auditor.get(f"/partnerships/{agreement.pk}/").content.decode()
    saved = auditor.post(
        f"/partnerships/{agreement.pk}/scores/",
        {**_form(4), "score-risk": "2", "note-risk": "No plan for data breaches yet."},
    )

    assert escape(CRITERIA[0].question) in form
    assert saved.status_code == 302
    scores = dict(
        EvaluationScore.objects.filter(evaluator=cast.auditor).values_list("criterion", "score")
    )
    assert len(scores) == 10
    assert scores["risk"] == 2
    assert EvaluationScore.objects.get(criterion="risk").note == "No plan for data breaches yet."


def test_scores_outside_one_to_five_are_refused_and_none_is_saved(cast: Cast) -> None:
    agreement = _evaluating(cast)

    response = client_for(cast.steward).post(
        f"/partnerships/{agreement.pk}/scores/", {**_form(4), "score-risk": "7"}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "less than or equal to 5" in body
    assert 'name="score-vision" value="4" checked' in body  # what was entered is kept
    assert EvaluationScore.objects.count() == 0


def test_a_plain_member_cannot_score(cast: Cast) -> None:
    agreement = _evaluating(cast)

    response = client_for(cast.member).post(f"/partnerships/{agreement.pk}/scores/", _form(5))
    page = client_for(cast.member).get(f"/partnerships/{agreement.pk}/").content.decode()

    assert response.status_code == 403
    assert (
        "Only stewards, treasurers and auditors evaluate partnerships."
        in response.content.decode()
    )
    assert EvaluationScore.objects.count() == 0
    assert "Score this partnership" not in page


def test_a_transition_the_lifecycle_refuses_is_shown_with_its_reason(cast: Cast) -> None:
    agreement = _agreement(cast)
    entries = Entry.objects.count()

    response = client_for(cast.steward).post(
        f"/partnerships/{agreement.pk}/status/", {"status": "renewed", "reason": "Why not."}
    )

    assert response.status_code == 409
    assert "An agreement that is prospect can become ended or evaluating, not renewed." in (
        response.content.decode()
    )
    agreement.refresh_from_db()
    assert agreement.status == "prospect"
    assert Entry.objects.count() == entries


def test_activation_below_the_threshold_is_refused_on_the_page(cast: Cast) -> None:
    agreement = _evaluating(cast)
    _score_all(agreement, cast.steward, 3)
    _score_all(agreement, cast.auditor, 3)
    entries = Entry.objects.count()

    response = client_for(cast.steward).post(
        f"/partnerships/{agreement.pk}/status/", {"status": "active", "reason": "Anyway."}
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "the mean score 3.00 is below the threshold 3.50" in body
    assert 'value="active" selected' in body
    agreement.refresh_from_db()
    assert agreement.status == "evaluating"
    assert not AgreementChange.objects.filter(after="active").exists()
    assert Entry.objects.count() == entries


def test_a_steward_activates_and_records_the_maturity(cast: Cast) -> None:
    agreement = _evaluating(cast)
    _score_all(agreement, cast.steward, 4)
    _score_all(agreement, cast.auditor, 4)
    steward = client_for(cast.steward)

    undecided = steward.post(
        f"/partnerships/{agreement.pk}/status/", {"status": "active", "reason": "It passed."}
    )
    decision = pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=agreement.pk)
    activated = steward.post(
        f"/partnerships/{agreement.pk}/status/",
        {"status": "active", "reason": "It passed.", "decision": str(decision.pk)},
    )
    matured = steward.post(
        f"/partnerships/{agreement.pk}/maturity/",
        {"level": "2", "target_level": "4", "reason": "Joint sessions every month."},
    )
    nothing = steward.post(
        f"/partnerships/{agreement.pk}/maturity/",
        {"level": "2", "target_level": "4", "reason": "Again."},
    )

    assert undecided.status_code == 409
    assert "needs a passed decision" in undecided.content.decode()
    assert (activated.status_code, matured.status_code) == (302, 302)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.level, agreement.target_level) == ("active", 2, 4)
    assert nothing.status_code == 422
    assert "Nothing to change" in nothing.content.decode()
    page = steward.get(f"/partnerships/{agreement.pk}/").content.decode()
    assert "Maturity level: 1 → 2" in page
    assert "Joint sessions every month." in page


def test_the_evaluation_is_shown_to_office_holders_and_the_partners_own_people(
    cast: Cast,
) -> None:
    agreement = _evaluating(cast)
    _score_all(agreement, cast.auditor, 4)
    other_rep = make_partner_rep(cast.other_partner)

    def sees(who: Member | None) -> bool:
        body = client_for(who).get(f"/partnerships/{agreement.pk}/").content.decode()
        return 'id="evaluation"' in body

    assert sees(cast.steward)
    assert sees(cast.treasurer)
    assert sees(cast.auditor)
    assert sees(cast.partner_rep)
    assert not sees(cast.member)
    assert not sees(None)
    assert not sees(other_rep)


def test_the_evaluation_says_whether_the_activation_rule_is_met(cast: Cast) -> None:
    agreement = _evaluating(cast)
    _score_all(agreement, cast.auditor, 4)
    steward = client_for(cast.steward)

    short = steward.get(f"/partnerships/{agreement.pk}/").content.decode()
    _score_all(agreement, cast.steward, 4)
    met = steward.get(f"/partnerships/{agreement.pk}/").content.decode()

    assert "1 evaluator(s) scored all ten criteria; activation needs 2" in short
    assert "meets the community's rule for activation" in met
    assert "4.00" in met


def test_a_missing_partnership_is_not_found(cast: Cast) -> None:
    assert client_for(None).get("/partnerships/99999/").status_code == 404
    assert (
        client_for(cast.steward)
        .post("/partnerships/99999/status/", {"status": "ended", "reason": "x"})
        .status_code
        == 404
    )


def test_the_list_reads_its_rows_and_their_reciprocity_in_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(4):  # more rows read in the same queries
        _agreement(cast, title=f"Another partnership {n}")
    made = [_agreement(cast, title=f"Partnership {n}") for n in range(3)]
    for agreement, (given, gained) in zip(made, [(100, 300), (300, 100), (0, 0)], strict=True):
        for kind, amount in (("training", given), ("exposure", gained)):
            if amount:
                services.record_value(
                    cast.steward,
                    agreement.pk,
                    ValueIn(kind=kind, amount=amount, on=date(2026, 1, 5), basis="b"),
                )

    # the rows, the recorded values, partner money received, partners' direct pool
    # fundings, claims, the partners' current agreements and how many members share with each
    with django_assert_num_queries(7):
        rows = queries.agreement_rows(queries.AgreementFilters())
        cells = [row.cells for row in rows]

    assert len(cells) == 7
    assert {row.agreement.pk: row.extractive for row in rows if row.agreement in made} == {
        made[0].pk: True,
        made[1].pk: False,
        made[2].pk: False,
    }


def test_the_page_reads_a_fixed_number_of_queries(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    agreement = _evaluating(cast)
    _score_all(agreement, cast.auditor, 4)

    with django_assert_num_queries(4):
        page = queries.agreement_page(cast.partner_rep, agreement.pk)
        [c.by.display_name for c in page.changes if c.by]

    assert page.evaluation is not None
