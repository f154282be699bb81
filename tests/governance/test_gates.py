"""Publishing a policy, activating or ending a partnership, and changing who decides them
are done only by carrying out a passed decision of the body the decision rights name."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.contributions import services as contributions
from accord.contributions.models import PolicyVersion
from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.domain.mandates import Gated
from accord.domain.partnerships import CRITERIA
from accord.governance import services
from accord.governance.models import DecisionRight
from accord.governance.schemas import RightIn
from accord.ledger.models import Entry
from accord.partners import services as partners
from accord.partners.models import Agreement
from accord.partners.schemas import AgreementIn, ScoreIn, StatusIn
from accord.people.models import GroupRole
from tests.conftest import Cast
from tests.factories import add_to_group, make_group, make_member, make_policy
from tests.governance.conftest import decision_in, opened, past_closing, vote
from tests.governance.documents_setup import decided, document, proposal, put_to_decision

TODAY = timezone.localdate()


def _evaluated(cast: Cast) -> int:
    """An agreement under evaluation whose scores allow activation."""
    made = partners.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug, title="Placements", purpose="P", reasons=["networks"]
        ),
    )
    partners.change_agreement_status(
        cast.steward, made.pk, StatusIn(status="evaluating", reason="Promising.")
    )
    for evaluator in (cast.steward, cast.auditor):
        for c in CRITERIA:
            partners.score_agreement(evaluator, made.pk, ScoreIn(criterion=c.key, score=4))
    return made.pk


def _status(pk: int) -> str:
    return Agreement.objects.get(pk=pk).status


def _activate(cast: Cast, pk: int, decision: int | None) -> Agreement:
    return partners.change_agreement_status(
        cast.steward,
        pk,
        StatusIn.model_validate({"status": "active", "reason": "Go.", "decision": decision}),
    )


def test_a_partnership_is_not_activated_without_a_passed_decision(cast: Cast) -> None:
    pk = _evaluated(cast)
    before = Entry.objects.count()
    with pytest.raises(Conflict, match="Activate a partnership needs a passed decision"):
        _activate(cast, pk, None)
    assert (_status(pk), Entry.objects.count()) == ("evaluating", before)


def test_a_passed_decision_activates_its_partnership_once(cast: Cast) -> None:
    pk = _evaluated(cast)
    decision = pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=pk)
    assert decision.passed
    assert decision.target == f"agreement:{pk}"
    _activate(cast, pk, decision.pk)
    assert _status(pk) == "active"
    used = Entry.objects.get(kind="decision.carried_out")
    assert used.subject == f"decision:{decision.pk}"
    assert json.loads(bytes(used.data))["payload"] == {
        "action": "partnership.activate",
        "target": f"agreement:{pk}",
    }
    # the decision is spent: ending needs its own decision, and this one cannot be reused
    with pytest.raises(Conflict, match="did not decide this"):
        partners.change_agreement_status(
            cast.steward,
            pk,
            StatusIn.model_validate({"status": "ended", "reason": "x", "decision": decision.pk}),
        )
    assert _status(pk) == "active"


def test_a_decision_about_another_partnership_or_that_failed_allows_nothing(cast: Cast) -> None:
    pk, other = _evaluated(cast), _evaluated(cast)
    about_other = pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=other)
    with pytest.raises(Conflict, match="did not decide this"):
        _activate(cast, pk, about_other.pk)

    failed = opened(cast, action=Gated.ACTIVATE_PARTNERSHIP, subject=pk)
    vote(cast.member, failed, stance="block")
    past_closing(failed)
    services.close_decision(cast.steward, failed.pk)
    with pytest.raises(Conflict, match="did not pass"):
        _activate(cast, pk, failed.pk)
    with pytest.raises(Conflict, match="closed and passed"):
        services.carry_out_decision(cast.steward, failed.pk)

    still_open = opened(cast, action=Gated.ACTIVATE_PARTNERSHIP, subject=pk)
    with pytest.raises(Conflict, match="has not closed"):
        _activate(cast, pk, still_open.pk)
    assert _status(pk) == "evaluating"


def test_carrying_out_activates_and_a_second_time_is_refused(cast: Cast) -> None:
    pk = _evaluated(cast)
    decision = pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=pk)
    with pytest.raises(Forbidden):
        services.carry_out_decision(cast.member, decision.pk)
    services.carry_out_decision(cast.steward, decision.pk)
    assert _status(pk) == "active"
    with pytest.raises(Conflict, match="already been carried out"):
        services.carry_out_decision(cast.steward, decision.pk)


def test_ending_a_partnership_in_force_needs_a_decision_but_dropping_a_prospect_does_not(
    cast: Cast,
) -> None:
    pk = _evaluated(cast)
    services.carry_out_decision(
        cast.steward, pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=pk).pk
    )
    with pytest.raises(Conflict, match="End a partnership needs a passed decision"):
        partners.change_agreement_status(cast.steward, pk, StatusIn(status="ended", reason="x"))
    services.carry_out_decision(
        cast.steward, pass_decision(cast.steward, Gated.END_PARTNERSHIP, subject=pk).pk
    )
    assert _status(pk) == "ended"

    prospect = _evaluated(cast)
    partners.change_agreement_status(
        cast.steward, prospect, StatusIn(status="prospect", reason="Stalled.")
    )
    partners.change_agreement_status(
        cast.steward, prospect, StatusIn(status="ended", reason="Dropped.")
    )
    assert _status(prospect) == "ended"


def _v2(effective: object) -> PolicyIn:
    return PolicyIn.model_validate(
        {"document": policies.version(2), "effective_from": effective, "reason": "Clearer."}
    )


def test_a_policy_is_published_only_as_its_decision_adopted_it(cast: Cast) -> None:
    make_policy(cast.steward, effective_from=TODAY - timedelta(days=30))
    with pytest.raises(Conflict, match="needs a passed decision"):
        contributions.publish_policy(cast.steward, _v2(TODAY + timedelta(days=2)))
    decision = pass_decision(
        cast.steward,
        Gated.PUBLISH_POLICY,
        policy=policies.version(2),
        effective_from=TODAY + timedelta(days=2),
    )
    # another day, or another document, is not what was decided
    for other in (
        _v2(TODAY + timedelta(days=3)),
        PolicyIn.model_validate(
            {
                "document": policies.version(3),
                "effective_from": TODAY + timedelta(days=2),
                "reason": "x",
            }
        ),
    ):
        with pytest.raises(Conflict, match="did not decide this"):
            contributions.publish_policy(
                cast.steward, other.model_copy(update={"decision": decision.pk})
            )
    assert PolicyVersion.objects.count() == 1
    services.carry_out_decision(cast.steward, decision.pk)
    published = PolicyVersion.objects.get(version=2)
    assert published.effective_from == TODAY + timedelta(days=2)
    assert published.digest == contributions.policy_digest(policies.version(2))[1]
    facts = json.loads(bytes(Entry.objects.get(kind="policy.published", subject="policy:2").data))
    assert facts["payload"]["decision"] == decision.pk


def test_a_gated_decision_goes_to_the_body_the_rights_name(cast: Cast) -> None:
    pk = _evaluated(cast)
    with pytest.raises(InvalidInput, match="decided by the whole community"):
        services.propose_decision(
            cast.member,
            decision_in(action=Gated.ACTIVATE_PARTNERSHIP, subject=pk, group=cast.group.slug),
        )
    with pytest.raises(InvalidInput, match="consent proposal"):
        services.propose_decision(
            cast.member,
            decision_in(
                action=Gated.ACTIVATE_PARTNERSHIP, subject=pk, poll="single", options=["a", "b"]
            ),
        )
    with pytest.raises(InvalidInput, match="Name the partnership"):
        services.propose_decision(cast.member, decision_in(action=Gated.ACTIVATE_PARTNERSHIP))
    # the proposer's own threshold gives way to the right's
    made = services.propose_decision(
        cast.member,
        decision_in(action=Gated.ACTIVATE_PARTNERSHIP, subject=pk, threshold="1/10"),
    )
    assert (made.group, made.threshold, made.quorum) == (None, "1/2", "0")


def test_the_community_changes_a_decision_right_by_a_decision(cast: Cast) -> None:
    committee = make_group(name="Benefits Committee")
    add_to_group(cast.steward, committee, role=GroupRole.LEAD)
    right = RightIn(
        action=Gated.PUBLISH_POLICY, group=committee.slug, threshold="2/3", quorum="1/2"
    )
    # a body deciding about benefits must seat a member who holds no office
    with pytest.raises(InvalidInput, match="members hold seats"):
        pass_decision(cast.steward, Gated.CHANGE_DECISION_RIGHT, right=right)
    seated = make_member(name="Pia Plain")
    add_to_group(seated, committee)
    with pytest.raises(InvalidInput, match="stays the whole community"):
        pass_decision(
            cast.steward,
            Gated.CHANGE_DECISION_RIGHT,
            right=RightIn(action=Gated.CHANGE_DECISION_RIGHT, group=committee.slug),
        )
    decision = pass_decision(cast.steward, Gated.CHANGE_DECISION_RIGHT, right=right)
    assert DecisionRight.objects.count() == 0
    services.carry_out_decision(cast.steward, decision.pk)
    saved = DecisionRight.objects.get()
    assert (saved.action, saved.group, saved.threshold, saved.quorum, saved.decision) == (
        "policy.publish",
        committee,
        "2/3",
        "1/2",
        decision.pk,
    )
    # from now on a policy decision goes to the committee, at its threshold
    made = services.propose_decision(
        cast.steward,
        decision_in(
            action=Gated.PUBLISH_POLICY,
            policy=policies.version(2),
            effective_from=TODAY + timedelta(days=1),
        ),
    )
    assert (made.group, made.threshold, made.quorum) == (committee, "2/3", "1/2")


def test_carrying_out_a_passed_decision_on_a_governed_document_adopts_the_change(
    cast: Cast,
) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    decision = decided(cast, put_to_decision(cast, change))
    assert decision.target == f"document:{doc.pk}:change:{change.pk}"

    services.carry_out_decision(cast.steward, decision.pk)

    doc.refresh_from_db()
    assert doc.revisions.count() == 2
    assert Entry.objects.filter(
        kind="decision.carried_out", subject=f"decision:{decision.pk}"
    ).exists()
    with pytest.raises(Conflict, match="already been carried out"):
        services.carry_out_decision(cast.steward, decision.pk)
