"""A contribution names the partnership agreement it served by a link, in the form, the API
and the ledger's commitment; an unknown agreement is refused and nothing is recorded."""

import json

import pytest
from django.utils import timezone

from accord.contributions import services
from accord.contributions.models import Contribution
from accord.contributions.schemas import ContributionIn
from accord.domain.errors import NotFound
from accord.ledger.models import Entry, Opening
from accord.partners import services as partners
from accord.partners.models import Agreement
from accord.partners.schemas import AgreementIn
from accord.people.schemas import parse
from tests.conftest import Cast, client_for

TODAY = timezone.localdate()


def _agreement(cast: Cast) -> Agreement:
    return partners.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug,
            title="Mentoring circles",
            purpose="Members mentor each other with the partner's coaches.",
            reasons=["member_benefits"],
            target_level=3,
        ),
    )


def _entered(partnership: object) -> ContributionIn:
    return parse(
        ContributionIn,
        {
            "kind": "mentoring",
            "title": "Ran a mentoring circle",
            "date": TODAY,
            "level": 3,
            "hours": "2",
            "partnership": partnership,
        },
    )


def test_a_contribution_links_the_partnership_it_served(cast: Cast) -> None:
    agreement = _agreement(cast)
    c = services.record_contribution(cast.member, _entered(agreement.pk))
    assert c.partnership == agreement
    assert list(agreement.contributions.all()) == [c]
    entry = Entry.objects.filter(kind="contribution.recorded").latest("seq")
    # In the entry's private commitment, as the contribution's other facts are.
    assert "partnership" not in json.loads(bytes(entry.data))["payload"]
    assert json.loads(Opening.objects.get(seq=entry.seq).value)["partnership"] == agreement.pk


def test_an_unknown_partnership_is_refused_and_nothing_is_recorded(cast: Cast) -> None:
    before = Contribution.objects.count()
    with pytest.raises(NotFound, match="No partnership agreement 999"):
        services.record_contribution(cast.member, _entered(999))
    assert Contribution.objects.count() == before


def test_the_form_offers_agreements_and_the_page_shows_the_link(cast: Cast) -> None:
    agreement = _agreement(cast)
    client = client_for(cast.member)
    form = client.get("/contributions/")
    assert f'<option value="{agreement.pk}">{agreement}</option>' in form.content.decode()
    response = client.post(
        "/contributions/",
        {
            "kind": "mentoring",
            "title": "Ran a mentoring circle",
            "date": TODAY.isoformat(),
            "level": 3,
            "hours": "2",
            "partnership": str(agreement.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Contribution.objects.get(member=cast.member, title="Ran a mentoring circle")
    assert c.partnership_id == agreement.pk
    page = client.get(f"/contributions/{c.pk}/").content.decode()
    assert "Partnership" in page
    assert agreement.title in page


def test_the_api_takes_the_agreement_id_and_refuses_an_unknown_one(cast: Cast) -> None:
    agreement = _agreement(cast)
    client = client_for(cast.member)
    body = {"kind": "mentoring", "title": "Circle", "date": TODAY.isoformat(), "level": 2}
    ok = client.post(
        "/api/v1/contributions",
        {**body, "partnership": agreement.pk},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    missing = client.post(
        "/api/v1/contributions", {**body, "partnership": 424242}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert "No partnership agreement 424242" in missing.json()["detail"]
