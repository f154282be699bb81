"""Separated duties: nobody commits a round they benefit from (above the configured amount)
without a second office holder's approval of exactly that round."""

import json

import pytest
from django.test import override_settings

from accord.benefits import planning, services
from accord.benefits.models import Distribution, RoundApproval
from accord.benefits.schemas import ApproveIn, CommitIn, FundIn
from accord.domain.errors import Conflict, Forbidden
from accord.ledger.models import Entry
from accord.ledger.verify import verify_ledger
from accord.people.models import SiteRole
from tests.benefits.conftest import Community
from tests.conftest import client_for
from tests.factories import make_member, verified_contribution


@pytest.fixture
def benefiting(community: Community) -> Community:
    """The cast's treasurer contributed too: the next round gives them a share."""
    verified_contribution(community.cast.treasurer, community.cast.steward, days_ago=2)
    return community


def _gets(community: Community) -> int:
    preview = planning.preview(community.pool)
    return planning.gives_to(preview, community.cast.treasurer.pk)


def test_a_treasurer_who_benefits_cannot_commit_alone(benefiting: Community) -> None:
    cast, pool = benefiting.cast, benefiting.pool
    entries = Entry.objects.count()
    gets = _gets(benefiting)

    with pytest.raises(Conflict) as refused:
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn())

    assert gets > 0
    assert "another steward, treasurer or auditor must approve it first" in refused.value.detail
    assert refused.value.detail.startswith("You would receive ")
    assert "from round 1 of Spring grants; whoever receives anything" in refused.value.detail
    assert not Distribution.objects.exists()
    assert Entry.objects.count() == entries


def test_a_second_office_holders_approval_lets_the_round_be_committed(
    benefiting: Community,
) -> None:
    cast, pool = benefiting.cast, benefiting.pool

    approval = services.approve_round(cast.auditor, pool.slug, ApproveIn(round=1))
    d = services.commit_distribution(cast.treasurer, pool.slug, CommitIn(round=1))

    approved = Entry.objects.get(kind="round.approved")
    committed = json.loads(bytes(Entry.objects.get(kind="distribution.committed").data))
    assert d.statements.filter(member=cast.treasurer).exists()
    assert approval.rows_sha256 == committed["payload"]["rows_sha256"]
    assert json.loads(bytes(approved.data))["payload"] == {
        "distribution": f"{pool.slug}:1",
        "rows_sha256": approval.rows_sha256,
    }
    assert approved.actor == cast.auditor.pseudonym
    assert verify_ledger().ok


def test_nobody_approves_a_round_they_benefit_from(benefiting: Community) -> None:
    cast, pool = benefiting.cast, benefiting.pool
    verified_contribution(cast.steward, make_member(role=SiteRole.STEWARD), days_ago=1)

    for someone in (cast.treasurer, cast.steward):
        with pytest.raises(Conflict, match="from this round yourself"):
            services.approve_round(someone, pool.slug, ApproveIn())

    assert not RoundApproval.objects.exists()
    assert not Entry.objects.filter(kind="round.approved").exists()


def test_only_office_holders_approve(benefiting: Community) -> None:
    cast, pool = benefiting.cast, benefiting.pool

    for someone in (cast.member, cast.group_lead, cast.partner_rep):
        with pytest.raises(Forbidden, match="Only stewards, treasurers and auditors"):
            services.approve_round(someone, pool.slug, ApproveIn())

    assert not RoundApproval.objects.exists()


def test_an_approval_holds_only_for_the_rows_it_approved(benefiting: Community) -> None:
    cast, pool = benefiting.cast, benefiting.pool
    services.approve_round(cast.steward, pool.slug, ApproveIn())
    services.fund_pool(cast.treasurer, pool.slug, FundIn(amount=5_000, source="Lumen", key="more"))

    with pytest.raises(Conflict, match="it changed since it was approved"):
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn())
    services.approve_round(cast.steward, pool.slug, ApproveIn())
    d = services.commit_distribution(cast.treasurer, pool.slug, CommitIn())

    assert d.total == 105_000
    assert RoundApproval.objects.count() == 1  # the steward's approval, renewed
    assert Entry.objects.filter(kind="round.approved").count() == 2


def test_approving_another_round_than_the_next_is_refused(benefiting: Community) -> None:
    with pytest.raises(Conflict, match="not the next one"):
        services.approve_round(benefiting.cast.steward, benefiting.pool.slug, ApproveIn(round=2))


def test_below_the_configured_amount_no_approval_is_needed(benefiting: Community) -> None:
    cast, pool = benefiting.cast, benefiting.pool
    gets = _gets(benefiting)

    with (
        override_settings(ACCORD_SELF_BENEFIT_APPROVAL_ABOVE=gets - 1),
        pytest.raises(Conflict, match=r"whoever receives more than "),
    ):
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn())
    with override_settings(ACCORD_SELF_BENEFIT_APPROVAL_ABOVE=gets):
        d = services.commit_distribution(cast.treasurer, pool.slug, CommitIn())

    assert d.round == 1
    assert not RoundApproval.objects.exists()


def test_a_treasurer_who_receives_nothing_commits_without_approval(
    community: Community,
) -> None:
    d = services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn())

    assert not d.statements.filter(member=community.cast.treasurer).exists()


def test_the_pool_page_says_an_approval_is_needed_and_offers_it_to_others(
    benefiting: Community,
) -> None:
    cast, slug = benefiting.cast, benefiting.pool.slug

    treasurers = client_for(cast.treasurer).get(f"/pools/{slug}/").content.decode()
    stewards = client_for(cast.steward).get(f"/pools/{slug}/").content.decode()
    approved = client_for(cast.steward).post(f"/pools/{slug}/approve/", {"round": "1"})
    after = client_for(cast.treasurer).get(f"/pools/{slug}/").content.decode()
    committed = client_for(cast.treasurer).post(f"/pools/{slug}/commit/", {"round": "1"})

    assert 'id="needs-approval"' in treasurers
    assert "Approve round 1" not in treasurers  # they benefit: they may not approve
    assert "Approve round 1" in stewards
    assert "Commit round 1" not in stewards  # stewards do not move money
    assert approved.status_code == 302
    assert "Approved as previewed now by Sam Steward" in after
    assert 'id="needs-approval"' not in after
    assert committed.status_code == 302
    assert Distribution.objects.filter(pool__slug=slug).count() == 1


def test_the_api_approves_and_explains_a_refused_commit(benefiting: Community) -> None:
    cast, slug = benefiting.cast, benefiting.pool.slug
    treasurer, auditor = client_for(cast.treasurer), client_for(cast.auditor)

    refused = treasurer.post(
        f"/api/v1/pools/{slug}/distributions", {}, content_type="application/json"
    )
    approved = auditor.post(f"/api/v1/pools/{slug}/approvals", {}, content_type="application/json")
    committed = treasurer.post(
        f"/api/v1/pools/{slug}/distributions", {}, content_type="application/json"
    )

    assert refused.status_code == 409
    assert "second person's approval" in refused.json()["detail"]
    assert approved.status_code == 201
    assert approved.json()["pool"] == slug
    assert approved.json()["round"] == 1
    assert committed.status_code == 201
