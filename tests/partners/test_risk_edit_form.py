"""A steward renames a risk, moves it to another category or gives it another owner from the
partnership page's risk register (as the API and the command line can); the office holder
who owns a risk keeps the form for its rating, mitigation and status only. A refusal is shown
beside the form with what was typed, and nothing changes."""

import json

from django.http import HttpResponse

from accord.ledger.models import Entry
from accord.partners import services
from accord.partners.models import Agreement, Risk
from accord.partners.schemas import AgreementIn, RiskIn
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import make_member


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug, title="Placements", purpose="P", reasons=["networks"]
        ),
    )


def _risk(cast: Cast, agreement: Agreement, owner: Member | None = None) -> Risk:
    return services.add_risk(
        cast.steward,
        agreement.pk,
        RiskIn(
            category="financial",
            title="The grant is late",
            likelihood=2,
            impact=3,
            owner=owner.pseudonym if owner else "",
            owner_label="" if owner else "the partner's finance team",
        ),
    )


def _edit(risk: Risk, **changes: str) -> dict[str, str]:
    """The steward's form as the page fills it, with `changes`."""
    fields = {
        "title": risk.title,
        "category": risk.category,
        "owner": risk.owner.pseudonym if risk.owner else "",
        "owner_label": risk.owner_label,
        "likelihood": str(risk.likelihood),
        "impact": str(risk.impact),
        "status": risk.status,
        "mitigation": risk.mitigation,
    }
    return {**fields, **changes}


def _post(who: Member, risk: Risk, data: dict[str, str]) -> HttpResponse:
    path = f"/partnerships/{risk.agreement_id}/risks/{risk.pk}/"
    return client_for(who).post(path, data)  # type: ignore[return-value]


def test_only_the_stewards_form_edits_title_category_and_owner(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement, owner=cast.treasurer)

    steward = client_for(cast.steward).get(f"/partnerships/{agreement.pk}/").content.decode()
    owner = client_for(cast.treasurer).get(f"/partnerships/{agreement.pk}/").content.decode()

    for field in ("title", "category", "owner", "owner-label"):
        assert f'id="risk-{risk.pk}-{field}"' in steward
        assert f'id="risk-{risk.pk}-{field}"' not in owner
    assert f'id="risk-{risk.pk}-mitigation"' in owner
    assert f'value="{cast.treasurer.pseudonym}"' in steward  # the owner, filled in


def test_a_steward_renames_recategorises_and_reassigns_a_risk(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement)

    done = _post(
        cast.steward,
        risk,
        _edit(
            risk,
            title="The grant arrives late",
            category="reputation",
            owner=cast.auditor.pseudonym,
            owner_label="",
        ),
    )

    assert done.status_code == 302, done.content.decode()[-3000:]
    assert done["Location"].endswith(f"#risk-{risk.pk}")
    risk.refresh_from_db()
    assert (risk.title, risk.category, risk.owner, risk.owner_label) == (
        "The grant arrives late",
        "reputation",
        cast.auditor,
        "",
    )
    [entry] = Entry.objects.filter(kind="risk.updated")
    facts = json.loads(bytes(entry.data))["payload"]
    assert set(facts) == {"risk", "title_sha256", "category", "owner", "owner_label_sha256"}
    assert "arrives late" not in bytes(entry.data).decode()  # the words only as a hash
    page = client_for(cast.steward).get(f"/partnerships/{agreement.pk}/").content.decode()
    assert "The grant arrives late" in page


def test_a_steward_gives_it_to_a_party_or_leaves_the_owner_as_it_is(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement, owner=cast.treasurer)

    to_party = _post(cast.steward, risk, _edit(risk, owner="", owner_label="The partner"))
    risk.refresh_from_db()
    assert (risk.owner, risk.owner_label) == (None, "The partner")

    kept = _post(cast.steward, risk, _edit(risk, title="Renamed", owner="", owner_label=""))
    risk.refresh_from_db()

    assert (to_party.status_code, kept.status_code) == (302, 302)
    assert (risk.title, risk.owner, risk.owner_label) == ("Renamed", None, "The partner")


def test_bad_edits_are_refused_beside_the_form_and_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement)
    plain = make_member(name="Pat Plain")
    before = Entry.objects.count()

    blank = _post(cast.steward, risk, _edit(risk, title="  ", mitigation="Typed text"))
    category = _post(cast.steward, risk, _edit(risk, category="weather"))
    nobody = _post(cast.steward, risk, _edit(risk, owner="no-such-handle", owner_label=""))
    no_office = _post(cast.steward, risk, _edit(risk, owner=plain.pseudonym, owner_label=""))
    both = _post(cast.steward, risk, _edit(risk, owner=cast.auditor.pseudonym))

    for refused in (blank, category, nobody, no_office, both):
        assert refused.status_code == 422, refused.content.decode()[:200]
        assert f'id="risk-{risk.pk}-error"' in refused.content.decode()
    assert "Typed text" in blank.content.decode()  # what was typed is kept
    assert "holds no office" in no_office.content.decode()
    assert "not both" in both.content.decode()
    assert Entry.objects.count() == before
    risk.refresh_from_db()
    assert (risk.title, risk.category, risk.owner_label) == (
        "The grant is late",
        "financial",
        "the partner's finance team",
    )


def test_the_owner_may_not_rename_it_nor_may_others_edit_it(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement, owner=cast.treasurer)

    by_owner = _post(cast.treasurer, risk, _edit(risk, title="Not a problem"))
    by_auditor = _post(cast.auditor, risk, _edit(risk, title="Not a problem"))
    by_member = _post(cast.member, risk, _edit(risk, title="Not a problem"))
    elsewhere = _agreement(cast)
    astray = client_for(cast.steward).post(
        f"/partnerships/{elsewhere.pk}/risks/{risk.pk}/", _edit(risk, title="X")
    )

    assert by_owner.status_code == 403
    assert "Only stewards change a risk" in by_owner.content.decode()
    assert by_auditor.status_code == 403
    assert by_member.status_code == 403
    assert astray.status_code == 404
    risk.refresh_from_db()
    assert risk.title == "The grant is late"
