"""The body of a partnership agreement: goals with readings, commitments with fulfilment,
money a partner pays posted into the benefits accounts to the cent. Refusals (wrong role,
another partner's representative, bad amounts, over-long text) change nothing."""

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from accord.benefits import accounts
from accord.benefits import services as benefits
from accord.benefits.models import Account, Posting
from accord.benefits.schemas import FundIn
from accord.cli.app import app
from accord.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from accord.domain.partnerships import CRITERIA, add_months
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import (
    Agreement,
    AgreementVersion,
    Commitment,
    Fulfilment,
    Goal,
    Reading,
)
from accord.partners.schemas import (
    AgreementIn,
    AgreementReviewIn,
    AmendmentIn,
    CommitmentIn,
    FulfilmentIn,
    GoalIn,
    ReadingIn,
    RoleIn,
    ScoreIn,
    StatusIn,
)
from accord.people.models import Member
from accord.people.schemas import parse
from tests.conftest import Cast, client_for
from tests.factories import decided_status, funded_pool, make_partner_rep, make_policy

TODAY = timezone.localdate()
DUE = TODAY + timedelta(days=365)


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug,
            title="Student research placements",
            purpose="Members mentor students.",
            reasons=["networks"],
        ),
    )


def _goal(cast: Cast, agreement: Agreement, **overrides: object) -> Goal:
    data = {
        "name": "Member engagement",
        "metric": "members mentoring",
        "unit": "members",
        "baseline": "10",
        "target": "110",
        "starts_on": TODAY - timedelta(days=30),
        "due_on": DUE,
        **overrides,
    }
    return services.add_goal(cast.steward, agreement.pk, GoalIn(**data))  # type: ignore[arg-type]


def _grant(cast: Cast, agreement: Agreement, amount: str = "1500.00") -> Commitment:
    return services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(
            party="partner",
            kind="financial",
            description="A grant for the mentoring programme.",
            amount=amount,
            due_on=DUE,
        ),
    )


def _payloads(kind: str) -> list[dict[str, object]]:
    return [
        json.loads(bytes(e.data))["payload"]
        for e in Entry.objects.filter(kind=kind).order_by("seq")
    ]


def _state() -> tuple[int, ...]:
    return (
        Goal.objects.count(),
        Reading.objects.count(),
        Commitment.objects.count(),
        Fulfilment.objects.count(),
        Posting.objects.count(),
        Entry.objects.count(),
    )


def test_a_steward_sets_a_goal_and_a_representative_records_its_progress(cast: Cast) -> None:
    agreement = _agreement(cast)
    goal = _goal(cast, agreement)

    services.record_reading(
        cast.partner_rep, goal.pk, ReadingIn(value="60", on=TODAY - timedelta(days=1))
    )
    body = queries.agreement_body(agreement, cast.member)

    [view] = body.goals
    assert view.progress.percent == 50
    assert view.progress.latest == 60
    assert body.suggested_goals == ()
    added, reading = _payloads("goal.added")[0], _payloads("goal.reading")[0]
    assert (added["baseline"], added["target"]) == ("10", "110")
    assert "mentoring" not in json.dumps(added)  # the words are hashes
    assert reading == {"goal": goal.pk, "value": "60", "on": str(TODAY - timedelta(days=1))}
    assert Entry.objects.get(kind="goal.reading").actor == cast.partner_rep.pseudonym


def test_stewards_are_offered_the_default_goals_while_there_are_none(cast: Cast) -> None:
    agreement = _agreement(cast)

    offered = queries.agreement_body(agreement, cast.steward).suggested_goals
    not_offered = queries.agreement_body(agreement, cast.member).suggested_goals

    assert [g.key for g in offered] == ["engagement", "revenue", "impact"]
    assert offered[1].unit == "EUR"
    assert not_offered == ()


@pytest.mark.parametrize("who", ["member", "partner_rep", "treasurer", "auditor"])
def test_only_stewards_add_goals_and_commitments(cast: Cast, who: str) -> None:
    agreement = _agreement(cast)
    before = _state()

    with pytest.raises(Forbidden):
        _goal_as(cast, agreement, getattr(cast, who))
    with pytest.raises(Forbidden):
        services.add_commitment(
            getattr(cast, who),
            agreement.pk,
            CommitmentIn(party="partner", kind="expertise", description="x", due_on=DUE),
        )

    assert _state() == before


def _goal_as(cast: Cast, agreement: Agreement, who: Member) -> Goal:
    return services.add_goal(
        who, agreement.pk, GoalIn(name="G", metric="m", unit="u", target="1", due_on=DUE)
    )


def test_another_partners_representative_and_members_cannot_record_readings(cast: Cast) -> None:
    goal = _goal(cast, _agreement(cast))
    stranger = make_partner_rep(cast.other_partner)
    before = _state()

    for who in (stranger, cast.member, cast.auditor):
        with pytest.raises(Forbidden):
            services.record_reading(who, goal.pk, ReadingIn(value="50"))

    assert _state() == before


@pytest.mark.parametrize(
    ("value", "on", "error"),
    [
        ("lots", None, InvalidInput),
        ("1e9", None, InvalidInput),
        ("1.23456", None, InvalidInput),
        ("12345678901234567", None, InvalidInput),
        ("5", TODAY + timedelta(days=1), InvalidInput),  # the future
        ("5", TODAY - timedelta(days=31), InvalidInput),  # before the goal starts
    ],
)
def test_bad_readings_are_refused_and_change_nothing(
    cast: Cast, value: str, on: object, error: type[DomainError]
) -> None:
    goal = _goal(cast, _agreement(cast))
    before = _state()

    with pytest.raises(error):
        services.record_reading(cast.steward, goal.pk, ReadingIn(value=value, on=on))  # type: ignore[arg-type]

    assert _state() == before


def test_bad_goals_are_refused_with_a_reason(cast: Cast) -> None:
    agreement = _agreement(cast)
    _goal(cast, agreement)
    before = _state()

    with pytest.raises(Conflict, match="already has a goal"):
        _goal(cast, agreement, name="member ENGAGEMENT")
    with pytest.raises(InvalidInput, match="due after it starts"):
        _goal(cast, agreement, name="Other", due_on=TODAY - timedelta(days=40))
    with pytest.raises(InvalidInput, match="target"):
        _goal(cast, agreement, name="Other", target="a hundred")
    with pytest.raises(InvalidInput, match="name"):
        _goal(cast, agreement, name="   ")
    with pytest.raises(NotFound):
        services.add_goal(
            cast.steward, 999_999, GoalIn(name="G", metric="m", unit="u", target="1", due_on=DUE)
        )

    assert _state() == before


def test_over_long_text_is_refused_before_any_service_runs() -> None:
    with pytest.raises(InvalidInput, match="description"):
        parse(
            CommitmentIn,
            {"party": "partner", "kind": "in_kind", "description": "x" * 2001, "due_on": DUE},
        )
    with pytest.raises(InvalidInput, match="name"):
        parse(
            GoalIn, {"name": "x" * 161, "metric": "m", "unit": "u", "target": "1", "due_on": DUE}
        )


def test_money_a_partner_pays_lands_in_the_community_fund_to_the_cent(cast: Cast) -> None:
    commitment = _grant(cast, _agreement(cast), amount="1500.00")

    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount="0.01"))
    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount="1499.99"))

    fund = accounts.community_fund_account("EUR")
    giver = Account.objects.get(code=f"funding:partner:{cast.partner.slug}:EUR")
    assert accounts.balance(fund) == 150_000
    assert accounts.balance(giver) == -150_000
    commitment.refresh_from_db()
    assert commitment.done_at is not None
    view = queries.commitment_view(commitment, cast.member)
    assert (view.amount, view.received, view.outstanding) == (
        "1500.00 EUR",
        "1500.00 EUR",
        "0.00 EUR",
    )
    received = _payloads("commitment.received")
    assert [p["amount"] for p in received] == [1, 149_999]
    assert received[-1]["partner"] == cast.partner.slug
    assert received[-1]["agreement"] == commitment.agreement_id
    assert received[-1]["complete"] is True
    assert received[-1]["unit"] == "EUR"


def test_the_treasury_funds_a_pool_from_received_partner_money(cast: Cast) -> None:
    commitment = _grant(cast, _agreement(cast), amount="250.00")
    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount="250.00"))
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=120))
    pool = funded_pool(cast.steward, policy, amount=0, treasurer=cast.treasurer)

    with pytest.raises(Conflict, match=r"holds 250\.00 EUR"):
        benefits.fund_pool(
            cast.treasurer,
            pool.slug,
            FundIn(amount=25_001, source="received", from_community_fund=True),
        )
    funded = benefits.fund_pool(
        cast.treasurer,
        pool.slug,
        FundIn(amount=25_000, source="received", from_community_fund=True),
    )

    assert funded.balance == 25_000
    assert accounts.balance(accounts.community_fund_account("EUR")) == 0
    assert _payloads("pool.funded")[-1]["from"] == "community_fund"


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("0", InvalidInput),
        ("0.00", InvalidInput),
        ("-5", InvalidInput),
        ("12.345", InvalidInput),
        ("1,000", InvalidInput),
        ("ten", InvalidInput),
        ("", InvalidInput),
        ("1500.01", Conflict),  # more than promised
    ],
)
def test_bad_amounts_received_are_refused_and_move_no_money(
    cast: Cast, amount: str, error: type[DomainError]
) -> None:
    commitment = _grant(cast, _agreement(cast))
    before = _state()

    with pytest.raises(error):
        services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount=amount))

    assert _state() == before


@pytest.mark.parametrize("amount", ["0", "-1", "0.001", "", "lots"])
def test_a_financial_commitment_needs_a_positive_amount(cast: Cast, amount: str) -> None:
    agreement = _agreement(cast)
    before = _state()

    with pytest.raises(InvalidInput):
        _grant(cast, agreement, amount=amount)

    assert _state() == before


def test_only_a_treasurer_records_money_received(cast: Cast) -> None:
    commitment = _grant(cast, _agreement(cast))
    before = _state()

    for who in (cast.steward, cast.partner_rep, cast.member, cast.auditor):
        with pytest.raises(Forbidden):
            services.record_fulfilment(who, commitment.pk, FulfilmentIn(amount="10.00"))

    assert _state() == before


def test_a_retried_receipt_with_its_key_lands_once(cast: Cast) -> None:
    commitment = _grant(cast, _agreement(cast))

    first = services.record_fulfilment(
        cast.treasurer, commitment.pk, FulfilmentIn(amount="10.00", key="bank-42")
    )
    again = services.record_fulfilment(
        cast.treasurer, commitment.pk, FulfilmentIn(amount="10.00", key="bank-42")
    )
    with pytest.raises(Conflict):
        services.record_fulfilment(
            cast.treasurer, commitment.pk, FulfilmentIn(amount="11.00", key="bank-42")
        )

    assert first.pk == again.pk
    assert accounts.balance(accounts.community_fund_account("EUR")) == 1_000


def test_a_representative_records_their_partners_in_kind_delivery(cast: Cast) -> None:
    agreement = _agreement(cast)
    commitment = services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(party="partner", kind="technology", description="Lab access.", due_on=DUE),
    )
    stranger = make_partner_rep(cast.other_partner)

    with pytest.raises(Forbidden):
        services.record_fulfilment(stranger, commitment.pk, FulfilmentIn(completes=True))
    with pytest.raises(InvalidInput):
        services.record_fulfilment(cast.partner_rep, commitment.pk, FulfilmentIn(amount="5"))
    services.record_fulfilment(
        cast.partner_rep, commitment.pk, FulfilmentIn(note="Lab open on Fridays.", completes=True)
    )
    with pytest.raises(Conflict):
        services.record_fulfilment(cast.partner_rep, commitment.pk, FulfilmentIn(completes=True))

    commitment.refresh_from_db()
    assert queries.commitment_view(commitment, cast.partner_rep).fulfilment.complete
    assert queries.commitment_view(commitment, cast.member).notes_shown is False
    assert "Fridays" not in json.dumps(_payloads("commitment.fulfilled"))
    assert Posting.objects.count() == 0


def test_commitments_are_checked_for_party_kind_and_amount(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    for data, message in [
        ({"party": "sponsor", "kind": "expertise"}, "not a party"),
        ({"party": "partner", "kind": "cash"}, "not a kind"),
        ({"party": "partner", "kind": "expertise", "amount": "5"}, "Only financial"),
        ({"party": "partner", "kind": "financial"}, "needs an amount"),
        ({"party": "partner", "kind": "expertise", "description": " "}, "Describe"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            services.add_commitment(
                cast.steward,
                agreement.pk,
                CommitmentIn(**{"description": "d", "due_on": DUE, **data}),  # type: ignore[arg-type]
            )

    assert _state() == before


def test_an_ended_agreements_body_no_longer_changes(cast: Cast) -> None:
    agreement = _agreement(cast)
    goal = _goal(cast, agreement)
    decided_status(cast.steward, agreement.pk, "ended", "Partner withdrew.")
    before = _state()

    with pytest.raises(Conflict):
        _goal(cast, agreement, name="Another")
    with pytest.raises(Conflict):
        services.record_reading(cast.steward, goal.pk, ReadingIn(value="5"))

    assert _state() == before


def test_the_api_adds_goals_and_commitments_and_shows_the_body(cast: Cast) -> None:
    agreement = _agreement(cast)
    steward, treasurer = client_for(cast.steward), client_for(cast.treasurer)
    base = f"/api/v1/agreements/{agreement.pk}"

    goal = steward.post(
        f"{base}/goals",
        {
            "name": "Revenue",
            "metric": "income",
            "unit": "EUR",
            "target": "5000",
            "due_on": str(DUE),
        },
        content_type="application/json",
    )
    bad = steward.post(
        f"{base}/commitments",
        {
            "party": "partner",
            "kind": "financial",
            "description": "d",
            "amount": "-1",
            "due_on": str(DUE),
        },
        content_type="application/json",
    )
    made = steward.post(
        f"{base}/commitments",
        {
            "party": "partner",
            "kind": "financial",
            "description": "d",
            "amount": "99.99",
            "due_on": str(DUE),
        },
        content_type="application/json",
    )
    paid = treasurer.post(
        f"/api/v1/agreements/commitments/{made.json()['id']}/fulfilments",
        {"amount": "99.99"},
        content_type="application/json",
    )
    body = client_for(cast.member).get(f"{base}/body").json()

    assert goal.status_code == 201
    assert goal.json()["state"] == "no_reading"
    assert bad.status_code == 422
    assert "negative" in bad.json()["detail"]
    assert paid.status_code == 201
    assert paid.json()["received"] == "99.99 EUR"
    assert paid.json()["complete"] is True
    assert body["goals"][0]["target"] == "5000"
    assert body["commitments"][0]["outstanding"] == "0.00 EUR"
    assert body["suggested_goals"] == []
    assert Decimal(body["goals"][0]["baseline"]) == 0


def test_the_command_line_sets_goals_records_commitments_and_refuses_in_one_line(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    steward, treasurer = ["--as", cast.steward.user.email], ["--as", cast.treasurer.user.email]
    run = CliRunner().invoke

    goal = run(
        app,
        ["partner", "goal", "add", str(agreement.pk), "Engagement", "--metric", "m",
         "--unit", "members", "--target", "20", "--due", str(DUE), *steward],
    )  # fmt: skip
    reading = run(app, ["partner", "goal", "reading", str(Goal.objects.get().pk), "5", *steward])
    commitment = run(
        app,
        ["partner", "commitment", "add", str(agreement.pk), "A grant", "--party", "partner",
         "--kind", "financial", "--amount", "20.50", "--due", str(DUE), *steward],
    )  # fmt: skip
    pk = str(Commitment.objects.get().pk)
    refused = run(app, ["partner", "commitment", "fulfil", pk, "--amount", "20.51", *treasurer])
    paid = run(app, ["partner", "commitment", "fulfil", pk, "--amount", "20.50", *treasurer])

    assert [goal.exit_code, reading.exit_code, commitment.exit_code, paid.exit_code] == [0] * 4
    assert refused.exit_code == 1
    assert "is outstanding" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert accounts.balance(accounts.community_fund_account("EUR")) == 2_050


def test_the_body_partial_shows_progress_fulfilment_and_the_review(cast: Cast) -> None:
    agreement = _agreement(cast)
    goal = _goal(cast, agreement)
    services.record_reading(cast.steward, goal.pk, ReadingIn(value="35"))
    commitment = _grant(cast, agreement, amount="100.00")
    services.record_fulfilment(
        cast.treasurer, commitment.pk, FulfilmentIn(amount="40.00", note="Bank transfer 7")
    )

    public = render_to_string(
        "partners/_agreement_body.html", {"body": queries.agreement_body(agreement, cast.member)}
    )
    partner = render_to_string(
        "partners/_agreement_body.html",
        {"body": queries.agreement_body(agreement, cast.partner_rep)},
    )

    assert "Member engagement" in public
    assert 'value="25"' in public  # (35 - 10) / (110 - 10)
    assert "received 40.00 EUR, 60.00 EUR outstanding" in public
    assert "Bank transfer 7" not in public
    assert "Bank transfer 7" in partner
    assert "No review cadence set yet." in public


def _activate(cast: Cast, agreement: Agreement) -> None:
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Promising.")
    )
    for evaluator in (cast.steward, cast.auditor):
        for key in [c.key for c in CRITERIA]:
            services.score_agreement(evaluator, agreement.pk, ScoreIn(criterion=key, score=4))
    decided_status(cast.steward, agreement.pk, "active", "Passed.")


def test_the_next_review_follows_activation_then_the_last_review(cast: Cast) -> None:
    agreement = _agreement(cast)

    services.schedule_review(cast.steward, agreement.pk, AgreementReviewIn(every_months=6))
    agreement.refresh_from_db()
    before_activation = queries.review_of(agreement)
    _activate(cast, agreement)
    after_activation = queries.review_of(agreement)
    services.schedule_review(cast.steward, agreement.pk, AgreementReviewIn(reviewed_on=TODAY))
    agreement.refresh_from_db()
    after_review = queries.review_of(agreement)

    assert before_activation.next_on is None
    assert after_activation.next_on == add_months(TODAY, 6)
    assert after_review.last_reviewed_on == TODAY
    assert after_review.next_on == add_months(TODAY, 6)
    assert _payloads("agreement.review")[-1] == {
        "every_months": 6,
        "reviewed_on": TODAY.isoformat(),
        "next_review_on": add_months(TODAY, 6).isoformat(),
    }


def test_bad_reviews_are_refused_and_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    with pytest.raises(Forbidden):
        services.schedule_review(cast.partner_rep, agreement.pk, AgreementReviewIn(every_months=6))
    with pytest.raises(InvalidInput):
        services.schedule_review(cast.steward, agreement.pk, AgreementReviewIn())
    with pytest.raises(InvalidInput):
        services.schedule_review(
            cast.steward, agreement.pk, AgreementReviewIn(reviewed_on=TODAY + timedelta(days=1))
        )
    with pytest.raises(InvalidInput):
        parse(AgreementReviewIn, {"every_months": 0})

    agreement.refresh_from_db()
    assert (agreement.review_every_months, agreement.last_reviewed_on) == (None, None)
    assert _state() == before


def test_amendments_keep_every_dated_version_with_its_author(cast: Cast) -> None:
    agreement = _agreement(cast)

    services.amend_agreement(
        cast.steward,
        agreement.pk,
        AmendmentIn(purpose="Members and students co-design research.", summary="Co-design."),
    )
    services.amend_agreement(
        cast.steward,
        agreement.pk,
        AmendmentIn(member_needs="Evidence for advocacy.", summary="Needs mapped."),
    )

    agreement.refresh_from_db()
    versions = queries.agreement_body(agreement, cast.member).versions
    assert [(v.number, v.purpose, v.by) for v in versions] == [
        (1, "Members mentor students.", None),
        (2, "Members and students co-design research.", cast.steward),
        (3, "Members and students co-design research.", cast.steward),
    ]
    assert agreement.member_needs == "Evidence for advocacy."
    amended = _payloads("agreement.amended")
    assert [p["version"] for p in amended] == [2, 3]
    assert "co-design" not in json.dumps(amended).lower()
    assert Entry.objects.filter(kind="agreement.amended").first().actor == cast.steward.pseudonym  # type: ignore[union-attr]


def test_bad_amendments_are_refused_and_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    for who, data, error in [
        (cast.partner_rep, AmendmentIn(purpose="Ours now.", summary="s"), Forbidden),
        (cast.steward, AmendmentIn(purpose="Members mentor students.", summary="s"), InvalidInput),
        (cast.steward, AmendmentIn(purpose=" ", summary="s"), InvalidInput),
        (cast.steward, AmendmentIn(purpose="New.", summary=" "), InvalidInput),
    ]:
        with pytest.raises(error):
            services.amend_agreement(who, agreement.pk, data)

    assert not AgreementVersion.objects.exists()
    assert _state() == before
    with pytest.raises(InvalidInput, match="summary"):
        parse(AmendmentIn, {"purpose": "p", "summary": "x" * 2001})


def test_a_steward_publishes_who_leads_and_who_decides(cast: Cast) -> None:
    agreement = _agreement(cast)
    content = RoleIn(party="partner", area="Research topics", leads="The lab", decides="Both")

    services.set_role(cast.steward, agreement.pk, content)
    services.set_role(
        cast.steward, agreement.pk, RoleIn(**{**content.model_dump(), "decides": "Members"})
    )
    with pytest.raises(Forbidden):
        services.set_role(cast.partner_rep, agreement.pk, content)
    with pytest.raises(InvalidInput):
        services.set_role(
            cast.steward, agreement.pk, RoleIn(**{**content.model_dump(), "party": "x"})
        )

    body = queries.agreement_body(agreement, cast.member)
    assert [(r.area, r.leads, r.decides) for r in body.roles] == [
        ("Research topics", "The lab", "Members")
    ]
    html = render_to_string("partners/_agreement_body.html", {"body": body})
    assert "Research topics" in html
    assert "lab" not in json.dumps(_payloads("agreement.role")).lower()


def test_the_treasury_page_funds_a_pool_from_the_community_fund(cast: Cast) -> None:
    commitment = _grant(cast, _agreement(cast), amount="80.00")
    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount="80.00"))
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=120))
    pool = funded_pool(cast.steward, policy, amount=0, treasurer=cast.treasurer)
    page = client_for(cast.treasurer)
    url = reverse("benefits:fund", args=[pool.slug])

    too_much = page.post(url, {"amount": "8001", "source": "grant", "from_community_fund": "on"})
    funded = page.post(url, {"amount": "8000", "source": "grant", "from_community_fund": "on"})

    assert too_much.status_code in {409, 422}
    assert funded.status_code == 302
    assert accounts.balance(accounts.community_fund_account("EUR")) == 0
    assert accounts.balance(accounts.pool_account(pool)) == 8_000


def test_the_body_reads_in_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    agreement = _agreement(cast)
    for n in range(3):
        goal = _goal(cast, agreement, name=f"Goal {n}")
        services.record_reading(cast.steward, goal.pk, ReadingIn(value=str(n)))
        commitment = _grant(cast, agreement, amount="10.00")
        services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount="1.00"))
    agreement = queries.agreement(agreement.pk)

    with django_assert_max_num_queries(10):
        body = queries.agreement_body(agreement, cast.partner_rep)

    assert len(body.goals) == len(body.commitments) == 3
