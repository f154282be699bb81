"""Partnership agreements: a steward takes a prospect through evaluation to activation;
invalid moves, bad scores and an evaluation below the community's rule are refused with a
reason and change nothing."""

import json

import pytest
from django.test import override_settings

from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.domain.partnerships import CRITERIA
from accord.governance.models import Decision
from accord.ledger.models import Entry
from accord.partners import services
from accord.partners.models import Agreement, AgreementChange, EvaluationScore
from accord.partners.schemas import AgreementIn, MaturityIn, ScoreIn, StatusIn
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import decided_status, make_partner_rep

KEYS = [c.key for c in CRITERIA]


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug,
            title="Student research placements",
            purpose="Members mentor students; students research what members need.",
            reasons=["networks", "member_benefits"],
            member_needs="Evidence for the community's advocacy.",
            target_level=4,
        ),
    )


def _score_all(cast: Cast, agreement: Agreement, evaluator: object, score: int) -> None:
    for key in KEYS:
        services.score_agreement(evaluator, agreement.pk, ScoreIn(criterion=key, score=score))  # type: ignore[arg-type]


def _payloads(kind: str) -> list[dict[str, object]]:
    return [
        json.loads(bytes(e.data))["payload"]
        for e in Entry.objects.filter(kind=kind).order_by("seq")
    ]


def test_a_steward_takes_a_prospect_through_evaluation_to_activation(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Met twice; promising.")
    )
    _score_all(cast, agreement, cast.steward, 4)
    _score_all(cast, agreement, cast.auditor, 3)

    decided_status(cast.steward, agreement.pk, "active", "The evaluation passed.")
    services.set_agreement_maturity(
        cast.steward, agreement.pk, MaturityIn(level=2, reason="Regular joint sessions.")
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.level, agreement.target_level) == ("active", 2, 4)
    history = list(agreement.changes.values_list("field", "before", "after"))
    assert history == [
        ("status", "prospect", "evaluating"),
        ("status", "evaluating", "active"),
        ("level", "1", "2"),
    ]
    activated = _payloads("agreement.status")[-1]
    assert activated["to"] == "active"
    assert activated["mean"] == "7/2"
    assert activated["evaluators"] == 2
    assert activated["decision"] == Decision.objects.get(subject_id=agreement.pk).pk
    assert "promising" not in json.dumps(_payloads("agreement.status"))  # reasons are hashes
    created = _payloads("agreement.created")[0]
    assert created["reasons"] == ["member_benefits", "networks"]
    assert "Members mentor" not in json.dumps(created)


def test_activation_below_the_threshold_is_refused_and_changes_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )
    _score_all(cast, agreement, cast.steward, 3)
    _score_all(cast, agreement, cast.auditor, 3)
    services.score_agreement(cast.auditor, agreement.pk, ScoreIn(criterion="risk", score=1))
    entries = Entry.objects.count()

    with pytest.raises(Conflict) as refused:
        services.change_agreement_status(
            cast.steward, agreement.pk, StatusIn(status="active", reason="Anyway.")
        )

    # Risk averages (3 + 1) / 2 = 2, at the floor; the mean of means is (9 * 3 + 2) / 10.
    assert refused.value.detail == (
        "The evaluation does not allow activation yet: the mean score 2.90 is below the "
        "threshold 3.50."
    )
    agreement.refresh_from_db()
    assert agreement.status == "evaluating"
    assert Entry.objects.count() == entries
    assert AgreementChange.objects.filter(after="active").count() == 0


def test_the_community_sets_the_rule(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )
    _score_all(cast, agreement, cast.steward, 3)

    with override_settings(ACCORD_ACTIVATION_THRESHOLD="3", ACCORD_ACTIVATION_EVALUATORS=1):
        decided_status(cast.steward, agreement.pk, "active", "One is enough here.")

    agreement.refresh_from_db()
    assert agreement.status == "active"


def test_invalid_moves_and_inputs_are_refused_with_a_reason(cast: Cast) -> None:
    agreement = _agreement(cast)
    before = (Entry.objects.count(), AgreementChange.objects.count())

    with pytest.raises(Conflict, match="can become ended or evaluating, not active"):
        services.change_agreement_status(
            cast.steward, agreement.pk, StatusIn(status="active", reason="Skip it.")
        )
    with pytest.raises(InvalidInput, match="is not a status"):
        services.change_agreement_status(
            cast.steward, agreement.pk, StatusIn(status="dormant", reason="x")
        )
    with pytest.raises(InvalidInput, match="Say why"):
        services.change_agreement_status(
            cast.steward, agreement.pk, StatusIn(status="evaluating", reason="  ")
        )
    with pytest.raises(Conflict, match="while it is being evaluated"):
        services.score_agreement(cast.steward, agreement.pk, ScoreIn(criterion="vision", score=4))
    with pytest.raises(InvalidInput, match="Nothing to change"):
        services.set_agreement_maturity(
            cast.steward, agreement.pk, MaturityIn(target_level=4, reason="Same.")
        )
    with pytest.raises(InvalidInput, match="five reasons"):
        services.create_agreement(
            cast.steward,
            AgreementIn(partner=cast.partner.slug, title="T", purpose="P", reasons=["profit"]),
        )

    assert (Entry.objects.count(), AgreementChange.objects.count()) == before


def test_only_stewards_manage_and_office_holders_evaluate(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )

    for someone in (cast.member, cast.partner_rep, cast.treasurer):
        with pytest.raises(Forbidden):
            services.change_agreement_status(
                someone, agreement.pk, StatusIn(status="ended", reason="Mine.")
            )
    for someone in (cast.member, cast.partner_rep, cast.group_lead):
        with pytest.raises(Forbidden):
            services.score_agreement(someone, agreement.pk, ScoreIn(criterion="vision", score=5))
    services.score_agreement(cast.treasurer, agreement.pk, ScoreIn(criterion="vision", score=5))

    assert EvaluationScore.objects.get().evaluator == cast.treasurer


def test_the_api_walks_the_same_flow_and_refuses_bad_scores(cast: Cast) -> None:
    steward, auditor = client_for(cast.steward), client_for(cast.auditor)
    body = {
        "partner": cast.partner.slug,
        "title": "Research placements",
        "purpose": "Members mentor students.",
        "reasons": ["networks"],
    }

    created = steward.post("/api/v1/agreements", body, content_type="application/json")
    pk = created.json()["id"]
    moved = steward.post(
        f"/api/v1/agreements/{pk}/status",
        {"status": "evaluating", "reason": "Promising."},
        content_type="application/json",
    )
    bad = auditor.put(
        f"/api/v1/agreements/{pk}/scores",
        {"criterion": "vision", "score": 6},
        content_type="application/json",
    )
    scored = auditor.put(
        f"/api/v1/agreements/{pk}/scores",
        {"criterion": "vision", "score": 4, "note": "Close fit."},
        content_type="application/json",
    )
    early = steward.post(
        f"/api/v1/agreements/{pk}/status",
        {"status": "active", "reason": "Now."},
        content_type="application/json",
    )
    member = client_for(cast.member).post(
        "/api/v1/agreements", body, content_type="application/json"
    )

    assert created.status_code == 201
    assert created.json()["status"] == "prospect"
    assert created.json()["level_label"] == "Transactional"
    assert moved.json()["status"] == "evaluating"
    assert bad.status_code == 422
    assert scored.status_code == 200
    vision = next(c for c in scored.json()["evaluation"]["criteria"] if c["criterion"] == "vision")
    assert (vision["count"], vision["mean"], vision["spread"]) == (1, "4", 0)
    assert vision["question"].startswith("Do the partner's mission")
    assert early.status_code == 409
    assert "does not allow activation yet" in early.json()["detail"]
    assert member.status_code == 403
    assert Agreement.objects.count() == 1


def test_only_office_holders_and_the_partners_own_people_see_the_evaluation(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="evaluating", reason="Go.")
    )
    services.score_agreement(cast.auditor, agreement.pk, ScoreIn(criterion="risk", score=2))
    outsider = make_partner_rep(cast.other_partner)

    def seen(who: Member) -> dict[str, object] | None:
        body = client_for(who).get(f"/api/v1/agreements/{agreement.pk}").json()
        assert body["purpose"] == "Members mentor students; students research what members need."
        return body["evaluation"]

    assert seen(cast.member) is None
    assert seen(outsider) is None
    assert seen(cast.partner_rep) is not None
    assert seen(cast.treasurer) is not None
