"""Consent to share who one is with one named partner: given and withdrawn freely, kept as
history, logged without linking the member, and obeyed by what each partner's
representatives see."""

import json

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.errors import NotFound
from accord.ledger.models import Entry
from accord.partners import queries as partner_queries
from accord.people import queries, services
from accord.people.models import ConsentEvent, ConsentSource, Member, PartnerConsent, Purpose
from accord.people.schemas import ConsentIn, ErasureIn
from accord.people.visibility import (
    Sight,
    may,
    shared_with_partner,
    shown_to,
    shown_to_partner,
)
from tests.conftest import Cast, client_for
from tests.factories import grant, make_member, make_partner_rep


def _ids(qs: object) -> set[int]:
    return {m.pk for m in qs}  # type: ignore[attr-defined]


def test_a_new_member_shares_with_no_partner(cast: Cast) -> None:
    rows = queries.partner_consents_for(cast.member)

    assert {r.partner for r in rows} == {cast.partner.slug, cast.other_partner.slug}
    assert not any(r.granted for r in rows)


def test_granting_and_withdrawing_are_events_with_the_partner(cast: Cast) -> None:
    m, slug = cast.member, cast.partner.slug

    assert services.grant_partner_consent(m, slug, source=ConsentSource.WEB)
    assert not services.grant_partner_consent(m, slug, source=ConsentSource.API)
    assert services.withdraw_partner_consent(m, slug, source=ConsentSource.CLI)

    events = list(ConsentEvent.objects.filter(member=m).order_by("at", "id"))
    assert [(e.purpose, e.partner_id, e.granted, e.source) for e in events] == [
        (Purpose.SHARE_WITH_PARTNER, cast.partner.pk, True, "web"),
        (Purpose.SHARE_WITH_PARTNER, cast.partner.pk, False, "cli"),
    ]
    assert not PartnerConsent.objects.get(member=m).granted


def test_withdrawing_what_was_never_given_changes_nothing(cast: Cast) -> None:
    changed = services.withdraw_partner_consent(
        cast.member, cast.partner.slug, source=ConsentSource.WEB
    )

    assert not changed
    assert not ConsentEvent.objects.exists()
    assert not Entry.objects.filter(kind="consent.changed").exists()


def test_an_unknown_partner_is_refused_and_nothing_is_written(cast: Cast) -> None:
    with pytest.raises(NotFound, match="No partner 'nope'"):
        services.grant_partner_consent(cast.member, "nope", source=ConsentSource.WEB)

    assert not PartnerConsent.objects.exists()
    assert not ConsentEvent.objects.exists()


def test_the_general_consent_service_does_not_answer_per_partner(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.set_consent(
            cast.member,
            Purpose.SHARE_WITH_PARTNER,
            ConsentIn(granted=False),
            source=ConsentSource.WEB,
        )


def test_the_ledger_entry_names_neither_the_member_nor_the_partner(cast: Cast) -> None:
    services.grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    services.grant_partner_consent(cast.member, cast.other_partner.slug, source=ConsentSource.WEB)

    entries = list(Entry.objects.filter(kind="consent.changed").order_by("seq"))
    assert len(entries) == 2
    for entry in entries:
        raw = bytes(entry.data).decode()
        assert cast.member.pseudonym not in raw
        assert cast.partner.slug not in raw
        assert cast.other_partner.slug not in raw
        assert json.loads(raw)["subject"].startswith("b-")  # blinded, fresh per entry
    assert entries[0].subject != entries[1].subject  # not linkable to each other


def test_a_representative_never_sees_a_member_who_shares_only_with_another_partner(
    cast: Cast,
) -> None:
    other_rep = make_partner_rep(cast.other_partner)
    services.grant_partner_consent(cast.member, cast.other_partner.slug, source=ConsentSource.WEB)
    members = Member.objects.all()

    for sight in (Sight.PROFILE, Sight.CONTACT, Sight.DUTY):
        assert not may(cast.partner_rep, cast.member, sight)
        assert may(other_rep, cast.member, sight)
        assert cast.member.pk not in _ids(shown_to(cast.partner_rep, members, sight))
        assert cast.member.pk not in _ids(shown_to_partner(cast.partner.pk, members, sight))
        assert cast.member.pk in _ids(shown_to_partner(cast.other_partner.pk, members, sight))
    view = partner_queries.partner_view(cast.partner)
    assert cast.member not in view.shared_profiles
    assert cast.member in partner_queries.partner_view(cast.other_partner).shared_profiles


def test_the_all_partners_switch_keeps_its_meaning_except_for_offering_uptake(
    cast: Cast,
) -> None:
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    members = Member.objects.all()

    assert may(cast.partner_rep, cast.member, Sight.PROFILE)
    assert cast.member in partner_queries.partner_view(cast.partner).shared_profiles
    assert cast.member.pk not in _ids(shared_with_partner(cast.partner.pk, members))


def test_uptake_identities_need_consent_to_that_partner(cast: Cast) -> None:
    services.grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    members = Member.objects.all()

    assert _ids(shared_with_partner(cast.partner.pk, members)) == {cast.member.pk}
    assert _ids(shared_with_partner(cast.other_partner.pk, members)) == set()


def test_an_unverified_or_erased_member_is_never_shown_to_a_partner(cast: Cast) -> None:
    unverified = make_member(verified=False)
    services.grant_partner_consent(unverified, cast.partner.slug, source=ConsentSource.WEB)

    assert not may(cast.partner_rep, unverified, Sight.PROFILE)
    assert unverified.pk not in _ids(shared_with_partner(cast.partner.pk, Member.objects.all()))


def test_erasure_destroys_partner_consents(cast: Cast) -> None:
    services.grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)

    services.erase_member(cast.member, cast.member.pseudonym, ErasureIn(reason=""))

    assert not PartnerConsent.objects.filter(member=cast.member).exists()
    assert not ConsentEvent.objects.filter(member=cast.member).exists()


def test_the_consent_page_shares_and_stops_sharing(cast: Cast) -> None:
    client = client_for(cast.member)
    url = f"/me/consents/partners/{cast.partner.slug}/"

    page = client.get("/me/consents/")
    shared = client.post(url, {"granted": "yes"})
    after = client.get("/me/consents/")
    stopped = client.post(url, {"granted": "no"}, HTTP_HX_REQUEST="true")

    assert f"Share with {cast.partner.name}" in page.content.decode()
    assert shared.status_code == 302
    assert "Share who I am with one partner: " + cast.partner.name in after.content.decode()
    assert stopped.status_code == 200
    assert "Off" in stopped.content.decode()
    assert not PartnerConsent.objects.get(member=cast.member).granted


def test_the_api_shares_lists_and_withdraws(cast: Cast) -> None:
    client = client_for(cast.member)
    url = f"/api/v1/partner-consents/{cast.partner.slug}"

    granted = client.post(url)
    listed = client.get("/api/v1/partner-consents")
    withdrawn = client.delete(url)
    missing = client.post("/api/v1/partner-consents/nope")

    assert (granted.status_code, granted.json()["granted"]) == (200, True)
    assert {r["partner"]: r["granted"] for r in listed.json()}[cast.partner.slug] is True
    assert (withdrawn.status_code, withdrawn.json()["granted"]) == (200, False)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No partner 'nope'.", "code": "not_found"}


def test_the_command_shares_and_withdraws(cast: Cast) -> None:
    assert cast.member.user is not None
    email = cast.member.user.email
    runner = CliRunner()

    shared = runner.invoke(app, ["consent", "share", cast.partner.slug, "--as", email])
    listed = runner.invoke(app, ["consent", "partners", "--as", email])
    withdrawn = runner.invoke(app, ["consent", "withdraw", cast.partner.slug, "--as", email])
    bad = runner.invoke(app, ["consent", "share", "nope", "--as", email])

    assert shared.exit_code == 0, shared.output
    assert [cast.partner.slug, "yes"] in [line.split()[:2] for line in listed.stdout.splitlines()]
    assert withdrawn.exit_code == 0
    assert not PartnerConsent.objects.get(member=cast.member).granted
    assert bad.exit_code != 0
    assert "No partner 'nope'." in bad.stderr
