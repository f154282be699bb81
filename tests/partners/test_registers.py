"""A partnership's registers: stewards keep its risks (likelihood x impact, mitigation,
owner, status); anyone in a decision role discloses an interest, publicly and by handle, and
is then excluded from deciding on it. Refusals give a reason and change nothing."""

import json
from typing import Any

import pytest
from django.template.loader import render_to_string

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.partnerships import CRITERIA
from accord.domain.risks import EXCLUDED
from accord.ledger.models import Entry, Note
from accord.partners import queries, services
from accord.partners.models import Agreement, AgreementChange, Disclosure, Risk
from accord.partners.schemas import (
    AgreementIn,
    DisclosureCloseIn,
    DisclosureIn,
    MaturityIn,
    RiskIn,
    RiskPatch,
    ScoreIn,
    StatusIn,
)
from accord.people.models import Member, SiteRole
from accord.people.schemas import ErasureIn
from accord.people.services import erase_member
from tests.conftest import Cast, client_for
from tests.factories import decided_status, make_member, make_partner_rep

INTEREST = "My sister chairs Northbridge University's research office."


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


def _evaluating(cast: Cast) -> Agreement:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )
    return agreement


def _score_all(agreement: Agreement, evaluator: Member, score: int) -> None:
    for c in CRITERIA:
        services.score_agreement(evaluator, agreement.pk, ScoreIn(criterion=c.key, score=score))


def _risk(cast: Cast, agreement: Agreement, **overrides: object) -> Risk:
    fields: dict[str, object] = {
        "category": "financial",
        "title": "The placement grant arrives late",
        "likelihood": 3,
        "impact": 4,
        "mitigation": "Keep a reserve for one term.",
        "owner": cast.treasurer.pseudonym,
    }
    fields.update(overrides)
    return services.add_risk(cast.steward, agreement.pk, RiskIn(**fields))  # type: ignore[arg-type]


def _payloads(kind: str) -> list[dict[str, object]]:
    return [
        json.loads(bytes(e.data))["payload"]
        for e in Entry.objects.filter(kind=kind).order_by("seq")
    ]


def _state() -> tuple[int, int, int, int, list[tuple[object, ...]]]:
    return (
        Entry.objects.count(),
        Risk.objects.count(),
        Disclosure.objects.count(),
        AgreementChange.objects.count(),
        list(Agreement.objects.values_list("pk", "status", "level", "target_level")),
    )


# -- risks ----------------------------------------------------------------------------------


def test_a_steward_adds_a_risk_and_the_ledger_keeps_only_hashes_of_its_text(cast: Cast) -> None:
    agreement = _agreement(cast)

    risk = _risk(cast, agreement)

    assert (risk.rating.severity, risk.rating.band) == (12, "high")
    assert (risk.owner, risk.status) == (cast.treasurer, "open")
    added = _payloads("risk.added")[0]
    assert added["severity"] == 12
    assert added["band"] == "high"
    assert added["owner"] == cast.treasurer.pseudonym
    assert added["category"] == "financial"
    assert "arrives late" not in json.dumps(added)
    assert "reserve" not in json.dumps(added)
    assert Entry.objects.get(kind="risk.added").actor == cast.steward.pseudonym


def test_ratings_outside_one_to_five_are_refused_and_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement)
    before = _state()
    steward = client_for(cast.steward)

    six = steward.post(
        f"/api/v1/agreements/{agreement.pk}/risks",
        {"category": "financial", "title": "T", "likelihood": 6, "impact": 2, "owner_label": "x"},
        content_type="application/json",
    )
    zero = steward.patch(
        f"/api/v1/agreements/{agreement.pk}/risks/{risk.pk}",
        {"impact": 0},
        content_type="application/json",
    )
    with pytest.raises(InvalidInput, match="likelihood is a whole number from 1 to 5, not 7"):
        services.add_risk(
            cast.steward,
            agreement.pk,
            RiskIn.model_construct(
                category="financial",
                title="T",
                likelihood=7,
                impact=2,
                mitigation="",
                owner="",
                owner_label="Partner",
            ),
        )
    with pytest.raises(InvalidInput, match="impact is a whole number from 1 to 5, not 9"):
        services.update_risk(
            cast.steward, agreement.pk, risk.pk, RiskPatch.model_construct(impact=9)
        )

    assert six.status_code == 422
    assert "likelihood" in six.json()["detail"]
    assert zero.status_code == 422
    assert _state() == before
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (3, 4)


def test_other_bad_risks_are_refused_with_a_reason(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    with pytest.raises(InvalidInput, match="'weather' is not a risk category"):
        _risk(cast, agreement, category="weather")
    with pytest.raises(InvalidInput, match="not both"):
        _risk(cast, agreement, owner_label="The partner's events team")
    with pytest.raises(InvalidInput, match="not both"):
        _risk(cast, agreement, owner="")
    with pytest.raises(InvalidInput, match="holds no office"):
        _risk(cast, agreement, owner=cast.member.pseudonym)
    with pytest.raises(NotFound):
        services.add_risk(cast.steward, 999_999, RiskIn(**_risk_body(cast)))  # type: ignore[arg-type]

    assert _state() == before


def _risk_body(cast: Cast) -> dict[str, object]:
    return {
        "category": "reputation",
        "title": "Press links us to a scandal",
        "likelihood": 2,
        "impact": 5,
        "owner_label": "Northbridge press office",
    }


def test_a_plain_member_a_partner_rep_or_a_treasurer_cannot_add_risks(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    for someone in (cast.member, cast.partner_rep, cast.treasurer, cast.auditor):
        with pytest.raises(Forbidden, match="Only stewards add risks"):
            services.add_risk(someone, agreement.pk, RiskIn(**_risk_body(cast)))  # type: ignore[arg-type]

    assert _state() == before


def test_the_owner_updates_rating_mitigation_and_status_and_only_stewards_the_rest(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement)

    services.update_risk(
        cast.treasurer,
        agreement.pk,
        risk.pk,
        RiskPatch(likelihood=1, mitigation="Reserve set aside.", status="mitigated"),
    )
    before = _state()
    with pytest.raises(Forbidden, match="Only stewards change a risk"):
        services.update_risk(cast.treasurer, agreement.pk, risk.pk, RiskPatch(title="Mine"))
    with pytest.raises(Forbidden):
        services.update_risk(cast.auditor, agreement.pk, risk.pk, RiskPatch(status="closed"))
    with pytest.raises(Forbidden):
        services.update_risk(cast.partner_rep, agreement.pk, risk.pk, RiskPatch(impact=1))
    with pytest.raises(InvalidInput, match="'gone' is not a risk status"):
        services.update_risk(cast.steward, agreement.pk, risk.pk, RiskPatch(status="gone"))
    assert _state() == before
    services.update_risk(
        cast.steward, agreement.pk, risk.pk, RiskPatch(owner_label="Northbridge finance")
    )

    risk.refresh_from_db()
    assert (risk.likelihood, risk.status, risk.mitigation) == (
        1,
        "mitigated",
        "Reserve set aside.",
    )
    assert (risk.owner, risk.owner_label) == (None, "Northbridge finance")
    first, second = _payloads("risk.updated")
    assert first["severity"] == 4
    assert first["band"] == "low"
    assert first["status"] == "mitigated"
    assert set(first) == {"risk", "likelihood", "mitigation_sha256", "status", "severity", "band"}
    assert second["owner"] is None
    assert "Northbridge" not in json.dumps(second)


def test_risks_are_seen_by_office_holders_and_the_partners_own_people_only(cast: Cast) -> None:
    agreement = _agreement(cast)
    _risk(cast, agreement, likelihood=1, impact=2, title="Small")
    _risk(cast, agreement, likelihood=5, impact=5, title="Worst")
    _risk(cast, agreement, likelihood=2, impact=3, title="Middle")
    outsider = make_partner_rep(cast.other_partner)
    url = f"/api/v1/agreements/{agreement.pk}/risks"

    seen = client_for(cast.partner_rep).get(url)

    assert [r["title"] for r in seen.json()] == ["Worst", "Middle", "Small"]
    assert [r["band"] for r in seen.json()] == ["critical", "medium", "low"]
    assert client_for(cast.auditor).get(url).status_code == 200
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert queries.agreement_registers(agreement, cast.member).risks is None


# -- disclosures ------------------------------------------------------------------------------


def test_an_office_holder_discloses_publicly_by_handle(cast: Cast) -> None:
    agreement = _agreement(cast)

    made = services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest=INTEREST))
    listed = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/disclosures")

    assert made.role == SiteRole.AUDITOR
    [shown] = listed.json()
    assert shown["discloser"] == cast.auditor.pseudonym
    assert (shown["role"], shown["interest"], shown["open"]) == ("auditor", INTEREST, True)
    entry = Entry.objects.get(kind="disclosure.made")
    assert entry.actor == cast.auditor.pseudonym
    payload = _payloads("disclosure.made")[0]
    assert "sister" not in json.dumps(payload)
    assert Note.objects.get(digest=payload["interest_sha256"]).owner == cast.auditor.pk


def test_a_plain_member_or_a_partner_rep_cannot_disclose(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = _state()

    for someone in (cast.member, cast.partner_rep, cast.group_lead):
        with pytest.raises(Forbidden, match="decision role"):
            services.disclose_interest(someone, agreement.pk, DisclosureIn(interest=INTEREST))
    api = client_for(cast.member).post(
        f"/api/v1/agreements/{agreement.pk}/disclosures",
        {"interest": INTEREST},
        content_type="application/json",
    )

    assert api.status_code == 403
    assert _state() == before


def test_the_public_list_never_names_a_plain_member(cast: Cast) -> None:
    agreement = _agreement(cast)
    former = make_member(name="Fay Former", role=SiteRole.STEWARD)
    services.disclose_interest(former, agreement.pk, DisclosureIn(interest="I consult for them."))
    services.disclose_interest(cast.treasurer, agreement.pk, DisclosureIn(interest=INTEREST))
    Member.objects.filter(pk=former.pk).update(role=SiteRole.MEMBER)  # left office since

    listed = client_for(cast.other).get(f"/api/v1/agreements/{agreement.pk}/disclosures").json()

    assert [(d["discloser"], d["role"]) for d in listed] == [
        (None, "steward"),
        (cast.treasurer.pseudonym, "treasurer"),
    ]
    assert former.pseudonym not in json.dumps(listed)


def test_a_disclosed_stewards_decisions_are_refused_while_another_stewards_go_through(
    cast: Cast,
) -> None:
    agreement = _evaluating(cast)
    other_steward = make_member(name="Oda Steward", role=SiteRole.STEWARD)
    _score_all(agreement, cast.steward, 4)
    _score_all(agreement, cast.auditor, 4)
    services.disclose_interest(cast.steward, agreement.pk, DisclosureIn(interest=INTEREST))
    before = _state()

    with pytest.raises(Forbidden) as activation:
        services.change_agreement_status(
            cast.steward, agreement.pk, StatusIn(status="active", reason="Passed.")
        )
    with pytest.raises(Forbidden, match=EXCLUDED):
        services.set_agreement_maturity(
            cast.steward, agreement.pk, MaturityIn(target_level=5, reason="Aim high.")
        )
    api = client_for(cast.steward).post(
        f"/api/v1/agreements/{agreement.pk}/status",
        {"status": "ended", "reason": "No."},
        content_type="application/json",
    )
    assert activation.value.detail == EXCLUDED
    assert activation.value.code == "conflict_of_interest"
    assert (api.status_code, api.json()["code"]) == (403, "conflict_of_interest")
    assert api.json()["detail"] == EXCLUDED
    assert _state() == before

    decided_status(other_steward, agreement.pk, "active", "Passed.")

    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert Entry.objects.filter(kind="agreement.status").last().actor == other_steward.pseudonym


def test_closing_a_disclosure_lets_the_discloser_decide_again(cast: Cast) -> None:
    agreement = _agreement(cast)
    made = services.disclose_interest(cast.steward, agreement.pk, DisclosureIn(interest=INTEREST))
    before = _state()

    for someone in (cast.auditor, cast.member, cast.partner_rep):
        with pytest.raises(Forbidden, match="the discloser or a steward"):
            services.close_disclosure(
                someone, agreement.pk, made.pk, DisclosureCloseIn(reason="Not mine to say.")
            )
    with pytest.raises(InvalidInput, match="Say why"):
        services.close_disclosure(
            cast.steward, agreement.pk, made.pk, DisclosureCloseIn(reason=" ")
        )
    assert _state() == before

    services.close_disclosure(
        cast.steward, agreement.pk, made.pk, DisclosureCloseIn(reason="She left the office.")
    )
    with pytest.raises(Conflict, match="already closed"):
        services.close_disclosure(
            cast.steward, agreement.pk, made.pk, DisclosureCloseIn(reason="Again.")
        )
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )

    made.refresh_from_db()
    assert (made.is_open, made.closed_reason, made.closed_by) == (
        False,
        "She left the office.",
        cast.steward,
    )
    closed = _payloads("disclosure.closed")[0]
    assert closed["disclosure"] == made.pk
    assert "office" not in json.dumps(closed)


def test_a_second_open_disclosure_by_the_same_person_is_refused(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.disclose_interest(cast.treasurer, agreement.pk, DisclosureIn(interest=INTEREST))
    before = _state()

    with pytest.raises(Conflict, match="already have an open disclosure"):
        services.disclose_interest(cast.treasurer, agreement.pk, DisclosureIn(interest="More."))
    with pytest.raises(InvalidInput, match="Say what the interest is"):
        services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest="  "))

    assert _state() == before


def test_a_disclosed_evaluators_scores_count_and_are_flagged(cast: Cast) -> None:
    agreement = _evaluating(cast)
    services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest=INTEREST))
    services.score_agreement(cast.auditor, agreement.pk, ScoreIn(criterion="vision", score=5))
    services.score_agreement(cast.treasurer, agreement.pk, ScoreIn(criterion="vision", score=3))

    def evaluation(who: Member) -> dict[str, object]:
        return client_for(who).get(f"/api/v1/agreements/{agreement.pk}").json()["evaluation"]

    steward, rep = evaluation(cast.steward), evaluation(cast.partner_rep)
    assert (steward["flagged"], steward["flagged_evaluators"]) == (1, [cast.auditor.pseudonym])
    assert (rep["flagged"], rep["flagged_evaluators"]) == (1, None)
    vision = next(c for c in steward["criteria"] if c["criterion"] == "vision")  # type: ignore[attr-defined]
    assert vision["count"] == 2


# -- the template partial ---------------------------------------------------------------------


def test_the_registers_partial_shows_risks_by_severity_and_disclosures(cast: Cast) -> None:
    agreement = _agreement(cast)
    _risk(cast, agreement, likelihood=1, impact=1, title="Tiny risk")
    _risk(cast, agreement, likelihood=4, impact=5, title="Grave risk")
    services.disclose_interest(cast.treasurer, agreement.pk, DisclosureIn(interest=INTEREST))

    for_steward = render_to_string(
        "partners/_agreement_registers.html",
        {"registers": queries.agreement_registers(agreement, cast.steward)},
    )
    for_member = render_to_string(
        "partners/_agreement_registers.html",
        {"registers": queries.agreement_registers(agreement, cast.member)},
    )

    assert for_steward.index("Grave risk") < for_steward.index("Tiny risk")
    assert "critical" in for_steward
    assert cast.treasurer.pseudonym in for_steward
    assert "Grave risk" not in for_member
    assert "research office" in for_member
    assert cast.treasurer.pseudonym in for_member


def test_the_register_lists_take_the_same_queries_however_long(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    agreement = _agreement(cast)
    rep = client_for(cast.partner_rep)
    risks = f"/api/v1/agreements/{agreement.pk}/risks"
    disclosures = f"/api/v1/agreements/{agreement.pk}/disclosures"
    _risk(cast, agreement)
    services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest=INTEREST))
    rep.get(risks)  # the session and the member, cached for the counts below

    with django_assert_num_queries(6) as few_risks:
        rep.get(risks)
    with django_assert_num_queries(5) as few_disclosures:
        rep.get(disclosures)
    for n in range(4):
        _risk(cast, agreement, title=f"Risk {n}", owner="", owner_label="Partner")
    for who in (cast.treasurer, cast.steward):
        services.disclose_interest(who, agreement.pk, DisclosureIn(interest=INTEREST))

    with django_assert_num_queries(len(few_risks.captured_queries)):
        assert len(rep.get(risks).json()) == 5
    with django_assert_num_queries(len(few_disclosures.captured_queries)):
        assert len(rep.get(disclosures).json()) == 3


def test_an_erased_disclosers_interest_is_no_longer_shown(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest=INTEREST))
    digest = _payloads("disclosure.made")[0]["interest_sha256"]

    erase_member(cast.auditor, cast.auditor.pseudonym, ErasureIn())

    [shown] = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/disclosures").json()
    assert (shown["discloser"], shown["role"], shown["interest"]) == (None, "auditor", "")
    assert not Note.objects.filter(digest=digest).exists()
    assert Disclosure.objects.get().interest == ""  # not only hidden: gone


def test_a_discloser_who_left_office_closes_it_without_being_named(cast: Cast) -> None:
    agreement = _agreement(cast)
    made = services.disclose_interest(
        cast.treasurer, agreement.pk, DisclosureIn(interest=INTEREST)
    )
    Member.objects.filter(pk=cast.treasurer.pk).update(role=SiteRole.MEMBER)
    cast.treasurer.refresh_from_db()

    services.close_disclosure(
        cast.treasurer, agreement.pk, made.pk, DisclosureCloseIn(reason="I left office.")
    )

    closed = Entry.objects.get(kind="disclosure.closed")
    assert closed.actor == "member"
    assert cast.treasurer.pseudonym not in bytes(closed.data).decode()
