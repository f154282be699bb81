"""The forms of a partnership page's body and registers: each shown only to whom its service
lets act, each going through its service. A success goes back to the form's section with a
message; bad input re-shows the page with the reason beside the form (422, or 409 for a clash
with the agreement's state); a reader without the right gets 403 with the reason; and a
refusal writes nothing, in the tables or the ledger."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accord.domain.documents import DOCUMENT_MAX_BYTES
from accord.ledger.models import Entry
from accord.partners import services
from accord.partners.models import (
    Agreement,
    AgreementVersion,
    Commitment,
    Disclosure,
    Document,
    Fulfilment,
    Goal,
    Reading,
    Risk,
    Role,
)
from accord.partners.schemas import (
    AgreementIn,
    CommitmentIn,
    DisclosureIn,
    GoalIn,
    RiskIn,
)
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import decided_status, make_partner_rep

TODAY = timezone.localdate()
LATER = (TODAY + timedelta(days=180)).isoformat()


def _agreement(cast: Cast, title: str = "Placements", partner: str = "") -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=partner or cast.partner.slug,
            title=title,
            purpose="Members mentor students.",
            reasons=["networks"],
        ),
    )


def _goal(cast: Cast, agreement: Agreement, name: str = "Engagement") -> Goal:
    return services.add_goal(
        cast.steward,
        agreement.pk,
        GoalIn(
            name=name,
            metric="members taking part",
            unit="members",
            target="100",
            starts_on=TODAY - timedelta(days=30),
            due_on=TODAY + timedelta(days=90),
        ),
    )


def _commitment(cast: Cast, agreement: Agreement, kind: str = "staff") -> Commitment:
    return services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(
            party="partner",
            kind=kind,
            description=f"{kind} support",
            amount="500.00" if kind == "financial" else "",
            due_on=TODAY + timedelta(days=60),
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


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def _page(viewer: Member | None, agreement: Agreement) -> str:
    response = client_for(viewer).get(f"/partnerships/{agreement.pk}/")
    assert response.status_code == 200
    return _html(response)


def _post(viewer: Member | None, path: str, data: dict[str, object]) -> object:
    client: Client = client_for(viewer)
    return client.post(path, data)


# -- who gets which form -----------------------------------------------------------------------

SHAPING = ("goals/", "commitments/", "review/", "amendments/", "roles/", "documents/")


def test_stewards_get_the_forms_that_shape_the_body_and_the_risks(cast: Cast) -> None:
    agreement = _agreement(cast)
    _goal(cast, agreement)
    _commitment(cast, agreement)
    base = f"/partnerships/{agreement.pk}/"

    steward = _page(cast.steward, agreement)

    for form in (*SHAPING, "readings/", "fulfilments/", "risks/", "disclosures/"):
        assert f'action="{base}{form}"' in steward, form
    assert 'enctype="multipart/form-data"' in steward


def test_readers_without_a_right_get_no_form(cast: Cast) -> None:
    agreement = _agreement(cast)
    _goal(cast, agreement)
    _commitment(cast, agreement)
    base = f'action="/partnerships/{agreement.pk}/'

    for viewer in (None, cast.member, make_partner_rep(cast.other_partner)):
        html = _page(viewer, agreement)
        for form in (*SHAPING, "readings/", "fulfilments/", "risks/", "disclosures/"):
            assert f"{base}{form}" not in html, (viewer, form)


def test_the_partners_representative_records_readings_and_deliveries_only(cast: Cast) -> None:
    agreement = _agreement(cast)
    _goal(cast, agreement)
    staff = _commitment(cast, agreement, "staff")
    money = _commitment(cast, agreement, "financial")
    base = f'action="/partnerships/{agreement.pk}/'

    rep = _page(cast.partner_rep, agreement)

    assert f"{base}readings/" in rep
    assert f"{base}fulfilments/" in rep
    assert f'<option value="{staff.pk}"' in rep
    assert f'<option value="{money.pk}"' not in rep  # money received: treasurers
    for form in (*SHAPING, "risks/", "disclosures/"):
        assert f"{base}{form}" not in rep, form


def test_a_treasurer_records_money_received_and_declares_interests(cast: Cast) -> None:
    agreement = _agreement(cast)
    staff = _commitment(cast, agreement, "staff")
    money = _commitment(cast, agreement, "financial")
    base = f'action="/partnerships/{agreement.pk}/'

    treasurer = _page(cast.treasurer, agreement)

    assert f'<option value="{money.pk}"' in treasurer
    assert f'<option value="{staff.pk}"' not in treasurer
    assert 'id="fulfilment-amount"' in treasurer
    assert f"{base}disclosures/" in treasurer
    for form in (*SHAPING, "risks/"):
        assert f"{base}{form}" not in treasurer, form


def test_no_reading_form_without_a_goal_and_no_delivery_form_once_fulfilled(cast: Cast) -> None:
    agreement = _agreement(cast)
    done = _commitment(cast, agreement, "staff")
    _post(
        cast.steward,
        f"/partnerships/{agreement.pk}/fulfilments/",
        {"commitment": done.pk, "completes": "on"},
    )

    html = _page(cast.steward, agreement)

    assert f'action="/partnerships/{agreement.pk}/readings/"' not in html
    assert f'action="/partnerships/{agreement.pk}/fulfilments/"' not in html


def test_the_body_forms_go_once_the_agreement_has_ended(cast: Cast) -> None:
    agreement = _agreement(cast)
    _goal(cast, agreement)
    decided_status(cast.steward, agreement.pk, "ended", "Done.")
    base = f'action="/partnerships/{agreement.pk}/'

    html = _page(cast.steward, agreement)

    assert "its body no longer changes" in html
    for form in (*SHAPING, "readings/"):
        assert f"{base}{form}" not in html, form
    assert f"{base}risks/" in html  # the registers are still kept

    response = _post(
        cast.steward,
        f"/partnerships/{agreement.pk}/goals/",
        {"name": "Late", "metric": "m", "unit": "u", "target": "5", "due_on": LATER},
    )
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert 'id="goal-error"' in _html(response)  # said even though the form is gone
    assert "The agreement has ended; its body no longer changes." in _html(response)
    assert Goal.objects.count() == 1


def test_risk_update_forms_are_for_stewards_and_the_owning_office_holder(cast: Cast) -> None:
    agreement = _agreement(cast)
    theirs = _risk(cast, agreement, owner=cast.treasurer)
    labelled = _risk(cast, agreement)
    form = f"/partnerships/{agreement.pk}/risks/{{}}/"

    steward, treasurer, auditor = (
        _page(m, agreement) for m in (cast.steward, cast.treasurer, cast.auditor)
    )
    rep = _page(cast.partner_rep, agreement)

    assert form.format(theirs.pk) in steward
    assert form.format(labelled.pk) in steward
    assert form.format(theirs.pk) in treasurer
    assert form.format(labelled.pk) not in treasurer
    assert form.format(theirs.pk) not in auditor
    assert form.format(labelled.pk) not in auditor
    assert "The grant is late" in rep  # reads the register, changes nothing
    assert form.format(theirs.pk) not in rep


def test_a_discloser_is_offered_to_close_their_own_and_not_to_declare_again(cast: Cast) -> None:
    agreement = _agreement(cast)
    made = services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest="Alumna"))
    close = f"/partnerships/{agreement.pk}/disclosures/{made.pk}/close/"
    declare = f'action="/partnerships/{agreement.pk}/disclosures/"'

    auditor = _page(cast.auditor, agreement)
    treasurer = _page(cast.treasurer, agreement)
    steward = _page(cast.steward, agreement)

    assert close in auditor
    assert declare not in auditor
    assert "You have an open declaration" in auditor
    assert close not in treasurer
    assert declare in treasurer
    assert close in steward


# -- the body's forms --------------------------------------------------------------------------


def test_a_steward_adds_a_goal(cast: Cast) -> None:
    agreement = _agreement(cast)
    fields = {
        "name": "Engagement",
        "metric": "members taking part",
        "unit": "members",
        "baseline": "",
        "target": "120",
        "starts_on": "",
        "due_on": LATER,
    }

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/goals/", fields)

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].endswith("#agreement-goals")  # type: ignore[index]
    goal = Goal.objects.get()
    assert (goal.name, goal.target, goal.baseline, goal.starts_on) == ("Engagement", 120, 0, TODAY)
    assert Entry.objects.filter(kind="goal.added").count() == 1
    page = _page(None, agreement)
    assert "Engagement" in page
    assert "members taking part (members)" in page


def test_a_goal_with_a_bad_target_is_refused_beside_its_form(cast: Cast) -> None:
    agreement = _agreement(cast)
    entries = Entry.objects.count()
    fields = {"name": "G", "metric": "m", "unit": "u", "target": "lots", "due_on": LATER}

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/goals/", fields)

    assert response.status_code == 422  # type: ignore[attr-defined]
    html = _html(response)
    assert 'id="goal-error"' in html
    assert 'aria-describedby="goal-error"' in html
    assert "must be a number like 120" in html
    assert 'value="lots"' in html  # the entered form is kept
    assert not Goal.objects.exists()
    assert Entry.objects.count() == entries


def test_a_member_may_not_add_a_goal(cast: Cast) -> None:
    agreement = _agreement(cast)
    fields = {"name": "G", "metric": "m", "unit": "u", "target": "5", "due_on": LATER}

    response = _post(cast.member, f"/partnerships/{agreement.pk}/goals/", fields)

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Only stewards set an agreement" in _html(response)
    assert not Goal.objects.exists()


def test_the_representative_records_a_reading(cast: Cast) -> None:
    agreement = _agreement(cast)
    goal = _goal(cast, agreement)

    response = _post(
        cast.partner_rep,
        f"/partnerships/{agreement.pk}/readings/",
        {"goal": goal.pk, "value": "42.5", "on": ""},
    )

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].endswith("#agreement-goals")  # type: ignore[index]
    reading = Reading.objects.get()
    assert (reading.goal_id, str(reading.value), reading.on) == (goal.pk, "42.5000", TODAY)
    assert "42.5" in _page(None, agreement)


def test_readings_are_refused_for_a_future_day_another_partnerships_goal_or_a_member(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    goal = _goal(cast, agreement)
    elsewhere = _goal(cast, _agreement(cast, "Elsewhere"), "Elsewhere")
    path = f"/partnerships/{agreement.pk}/readings/"
    entries = Entry.objects.count()
    future = (TODAY + timedelta(days=3)).isoformat()

    ahead = _post(cast.steward, path, {"goal": goal.pk, "value": "3", "on": future})
    astray = _post(cast.steward, path, {"goal": elsewhere.pk, "value": "3"})
    unchosen = _post(cast.steward, path, {"goal": "", "value": "3"})
    member = _post(cast.member, path, {"goal": goal.pk, "value": "3"})

    assert ahead.status_code == 422  # type: ignore[attr-defined]
    assert "is in the future" in _html(ahead)
    assert 'id="reading-error"' in _html(ahead)
    assert astray.status_code == 422  # type: ignore[attr-defined]
    assert f"No goal {elsewhere.pk}" in _html(astray)
    assert unchosen.status_code == 422  # type: ignore[attr-defined]
    assert "Choose the goal." in _html(unchosen)
    assert member.status_code == 403  # type: ignore[attr-defined]
    assert "Only stewards and the partner's representatives" in _html(member).replace(
        "&#x27;", "'"
    )
    assert not Reading.objects.exists()
    assert Entry.objects.count() == entries


def test_a_steward_adds_a_commitment(cast: Cast) -> None:
    agreement = _agreement(cast)
    fields = {
        "party": "partner",
        "kind": "financial",
        "description": "Sponsors the meetups",
        "amount": "1500.00",
        "due_on": LATER,
    }

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/commitments/", fields)

    assert response["Location"].endswith("#agreement-commitments")  # type: ignore[index]
    made = Commitment.objects.get()
    assert (made.party, made.kind, made.amount) == ("partner", "financial", 150000)
    assert "Sponsors the meetups" in _page(None, agreement)


def test_a_commitment_is_refused_bad_input_and_a_representative(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/commitments/"
    fields = {"party": "partner", "kind": "staff", "description": "x", "due_on": LATER}

    with_amount = _post(cast.steward, path, {**fields, "amount": "10.00"})
    no_date = _post(cast.steward, path, {**fields, "due_on": ""})
    by_rep = _post(cast.partner_rep, path, fields)

    assert with_amount.status_code == 422  # type: ignore[attr-defined]
    assert "Only financial support has an amount." in _html(with_amount)
    assert 'id="commitment-error"' in _html(with_amount)
    assert no_date.status_code == 422  # type: ignore[attr-defined]
    assert "due_on" in _html(no_date)
    assert by_rep.status_code == 403  # type: ignore[attr-defined]
    assert "Only stewards record an agreement" in _html(by_rep)
    assert not Commitment.objects.exists()


def test_deliveries_are_recorded_by_whom_the_commitment_kind_allows(cast: Cast) -> None:
    agreement = _agreement(cast)
    staff = _commitment(cast, agreement, "staff")
    money = _commitment(cast, agreement, "financial")
    path = f"/partnerships/{agreement.pk}/fulfilments/"

    delivered = _post(
        cast.partner_rep, path, {"commitment": staff.pk, "note": "Two interns", "completes": "on"}
    )
    paid = _post(cast.treasurer, path, {"commitment": money.pk, "amount": "200.00"})

    assert delivered["Location"].endswith("#agreement-commitments")  # type: ignore[index]
    assert paid.status_code == 302  # type: ignore[attr-defined]
    staff.refresh_from_db()
    assert staff.done_at is not None
    assert Fulfilment.objects.get(commitment=money).amount == 20000
    assert "300.00 EUR outstanding" in _page(None, agreement)


def test_a_delivery_is_refused_over_the_amount_and_to_a_steward_for_money(cast: Cast) -> None:
    agreement = _agreement(cast)
    money = _commitment(cast, agreement, "financial")
    path = f"/partnerships/{agreement.pk}/fulfilments/"
    entries = Entry.objects.count()

    too_much = _post(cast.treasurer, path, {"commitment": money.pk, "amount": "900.00"})
    by_steward = _post(cast.steward, path, {"commitment": money.pk, "amount": "10.00"})

    assert too_much.status_code == 409  # type: ignore[attr-defined]
    assert "is outstanding on this commitment" in _html(too_much)
    assert 'id="fulfilment-error"' in _html(too_much)
    assert by_steward.status_code == 403  # type: ignore[attr-defined]
    assert "Only treasurers record money received." in _html(by_steward)
    assert not Fulfilment.objects.exists()
    assert Entry.objects.count() == entries


def test_a_steward_sets_the_review_cadence_and_records_a_review(cast: Cast) -> None:
    agreement = _agreement(cast)

    response = _post(
        cast.steward,
        f"/partnerships/{agreement.pk}/review/",
        {"every_months": "6", "reviewed_on": TODAY.isoformat()},
    )

    assert response["Location"].endswith("#agreement-reviews")  # type: ignore[index]
    agreement.refresh_from_db()
    assert (agreement.review_every_months, agreement.last_reviewed_on) == (6, TODAY)
    assert "Reviewed every 6 months." in _page(None, agreement)


def test_a_review_with_nothing_or_a_bad_cadence_is_refused(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/review/"

    empty = _post(cast.steward, path, {"every_months": "", "reviewed_on": ""})
    too_long = _post(cast.steward, path, {"every_months": "99"})
    by_member = _post(cast.member, path, {"every_months": "6"})

    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "Give a review cadence" in _html(empty)
    assert too_long.status_code == 422  # type: ignore[attr-defined]
    assert 'id="review-error"' in _html(too_long)
    assert by_member.status_code == 403  # type: ignore[attr-defined]
    agreement.refresh_from_db()
    assert agreement.review_every_months is None


def test_a_steward_amends_the_agreement(cast: Cast) -> None:
    agreement = _agreement(cast)

    response = _post(
        cast.steward,
        f"/partnerships/{agreement.pk}/amendments/",
        {"purpose": "Members and students co-design.", "member_needs": "", "summary": "Wider."},
    )

    assert response["Location"].endswith("#agreement-versions")  # type: ignore[index]
    agreement.refresh_from_db()
    assert agreement.purpose == "Members and students co-design."
    assert list(AgreementVersion.objects.values_list("number", flat=True)) == [1, 2]
    html = _page(None, agreement)
    assert "Version 2" in html
    assert "Wider." in html


def test_an_amendment_that_changes_nothing_is_refused(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/amendments/"
    same = {"purpose": agreement.purpose, "member_needs": "", "summary": "Nothing."}

    unchanged = _post(cast.steward, path, same)
    by_rep = _post(cast.partner_rep, path, {**same, "purpose": "Ours now."})

    assert unchanged.status_code == 422  # type: ignore[attr-defined]
    assert "Nothing to amend" in _html(unchanged)
    assert 'id="amend-error"' in _html(unchanged)
    assert by_rep.status_code == 403  # type: ignore[attr-defined]
    assert not AgreementVersion.objects.exists()
    agreement.refresh_from_db()
    assert agreement.purpose == "Members mentor students."


def test_a_steward_publishes_a_role_and_a_blank_one_is_refused(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/roles/"
    fields = {"party": "partner", "area": "Content", "leads": "Its lab", "decides": "Both"}

    blank = _post(cast.steward, path, {**fields, "decides": " "})
    by_member = _post(cast.member, path, fields)
    assert not Role.objects.exists()
    done = _post(cast.steward, path, fields)

    assert blank.status_code == 422  # type: ignore[attr-defined]
    assert "Say the who decides." in _html(blank)
    assert by_member.status_code == 403  # type: ignore[attr-defined]
    assert done["Location"].endswith("#agreement-roles")  # type: ignore[index]
    assert Role.objects.get().leads == "Its lab"
    assert "Its lab" in _page(None, agreement)


def test_a_steward_attaches_a_document_through_the_multipart_form(cast: Cast) -> None:
    agreement = _agreement(cast)
    upload = SimpleUploadedFile("terms.txt", b"The terms.", content_type="text/plain")

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/documents/", {"file": upload})

    assert response["Location"].endswith("#agreement-documents")  # type: ignore[index]
    document = Document.objects.get()
    assert (document.name, bytes(document.content)) == ("terms.txt", b"The terms.")
    assert "terms.txt" in _page(cast.auditor, agreement)
    assert "terms.txt" not in _page(cast.member, agreement)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("terms.exe", b"MZ", "Attach a file of one of these types"),
        ("terms.pdf", b"not a pdf", "The file's content is not a .pdf file."),
        ("big.txt", b"a" * (DOCUMENT_MAX_BYTES + 10), "at most 5,000,000 may be attached"),
    ],
)
def test_a_document_of_the_wrong_type_or_size_is_refused(
    cast: Cast, name: str, content: bytes, reason: str
) -> None:
    agreement = _agreement(cast)
    upload = SimpleUploadedFile(name, content)

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/documents/", {"file": upload})

    assert response.status_code == 422  # type: ignore[attr-defined]
    html = _html(response).replace("&#x27;", "'")
    assert reason in html
    assert 'id="document-error"' in html
    assert not Document.objects.exists()


def test_a_document_needs_a_file_and_a_steward(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/documents/"

    none = _post(cast.steward, path, {})
    by_rep = _post(cast.partner_rep, path, {"file": SimpleUploadedFile("t.txt", b"x")})

    assert none.status_code == 422  # type: ignore[attr-defined]
    assert "Choose a file to attach." in _html(none)
    assert by_rep.status_code == 403  # type: ignore[attr-defined]
    assert not Document.objects.exists()


# -- the registers' forms ----------------------------------------------------------------------


def test_a_steward_adds_a_risk_owned_by_a_party(cast: Cast) -> None:
    agreement = _agreement(cast)
    fields = {
        "title": "Venue falls through",
        "category": "operational",
        "likelihood": "3",
        "impact": "4",
        "mitigation": "A second venue on hold",
        "owner": "",
        "owner_label": "the events team",
    }

    response = _post(cast.steward, f"/partnerships/{agreement.pk}/risks/", fields)

    assert response["Location"].endswith(f"#risks-{agreement.pk}")  # type: ignore[index]
    risk = Risk.objects.get()
    assert (risk.title, risk.rating.severity, risk.owner_label) == (
        "Venue falls through",
        12,
        "the events team",
    )
    html = _page(cast.auditor, agreement)
    assert "Venue falls through" in html
    assert '12 <span class="tag">high</span>' in html


def test_a_risk_with_two_owners_or_from_an_auditor_is_refused(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/risks/"
    fields = {"title": "T", "category": "financial", "likelihood": "2", "impact": "2"}
    entries = Entry.objects.count()

    both = _post(
        cast.steward, path, {**fields, "owner": cast.treasurer.pseudonym, "owner_label": "x"}
    )
    nobody = _post(cast.steward, path, {**fields, "owner": "no-such-handle"})
    by_auditor = _post(cast.auditor, path, {**fields, "owner_label": "x"})

    assert both.status_code == 422  # type: ignore[attr-defined]
    assert "not both" in _html(both)
    assert 'id="risk-error"' in _html(both)
    assert nobody.status_code == 422  # type: ignore[attr-defined]  # a name that matches no one
    assert by_auditor.status_code == 403  # type: ignore[attr-defined]
    assert "Only stewards add risks" in _html(by_auditor)
    assert not Risk.objects.exists()
    assert Entry.objects.count() == entries


def test_the_owning_office_holder_updates_their_risk(cast: Cast) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement, owner=cast.treasurer)
    fields = {"likelihood": "1", "impact": "3", "status": "mitigated", "mitigation": "Paid up"}

    response = _post(cast.treasurer, f"/partnerships/{agreement.pk}/risks/{risk.pk}/", fields)

    assert response["Location"].endswith(f"#risk-{risk.pk}")  # type: ignore[index]
    risk.refresh_from_db()
    assert (risk.likelihood, risk.status, risk.mitigation) == (1, "mitigated", "Paid up")
    assert Entry.objects.filter(kind="risk.updated").count() == 1


def test_a_risk_update_is_refused_bad_status_another_holder_and_a_wrong_address(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    risk = _risk(cast, agreement, owner=cast.treasurer)
    elsewhere = _agreement(cast, "Elsewhere")
    fields = {"likelihood": "2", "impact": "3", "status": "gone", "mitigation": ""}
    path = f"/partnerships/{agreement.pk}/risks/{risk.pk}/"

    bad = _post(cast.steward, path, fields)
    by_auditor = _post(cast.auditor, path, {**fields, "status": "closed"})
    astray = _post(
        cast.steward, f"/partnerships/{elsewhere.pk}/risks/{risk.pk}/", {"status": "closed"}
    )

    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert f'id="risk-{risk.pk}-error"' in _html(bad)
    assert by_auditor.status_code == 403  # type: ignore[attr-defined]
    assert "Only stewards change a risk" in _html(by_auditor)
    assert astray.status_code == 404  # type: ignore[attr-defined]
    risk.refresh_from_db()
    assert (risk.status, risk.mitigation) == ("open", "")


def test_an_office_holder_declares_an_interest_and_closes_it(cast: Cast) -> None:
    agreement = _agreement(cast)
    base = f"/partnerships/{agreement.pk}/disclosures/"

    declared = _post(cast.auditor, base, {"interest": "My sister teaches there."})
    made = Disclosure.objects.get()
    closed = _post(cast.auditor, f"{base}{made.pk}/close/", {"reason": "She left."})

    assert declared["Location"].endswith(f"#disclosures-{agreement.pk}")  # type: ignore[index]
    assert closed["Location"].endswith(f"#disclosure-{made.pk}")  # type: ignore[index]
    made.refresh_from_db()
    assert (made.interest, made.closed_reason) == ("My sister teaches there.", "She left.")
    html = _page(None, agreement)
    assert "My sister teaches there." in html
    assert "She left." in html


def test_declarations_are_refused_to_members_twice_over_and_without_words(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/disclosures/"
    services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest="First"))

    by_member = _post(cast.member, path, {"interest": "Me too"})
    again = _post(cast.auditor, path, {"interest": "Second"})
    empty = _post(cast.treasurer, path, {"interest": "  "})

    assert by_member.status_code == 403  # type: ignore[attr-defined]
    assert "Only those in a decision role" in _html(by_member)
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert 'id="disclosure-error"' in _html(again)
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "Say what the interest is." in _html(empty)
    assert list(Disclosure.objects.values_list("interest", flat=True)) == ["First"]


def test_closing_a_declaration_is_refused_to_others_without_a_reason_or_astray(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    made = services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest="I"))
    elsewhere = _agreement(cast, "Elsewhere")
    path = f"/partnerships/{agreement.pk}/disclosures/{made.pk}/close/"

    by_treasurer = _post(cast.treasurer, path, {"reason": "Not mine"})
    no_reason = _post(cast.auditor, path, {"reason": ""})
    astray = _post(
        cast.auditor, f"/partnerships/{elsewhere.pk}/disclosures/{made.pk}/close/", {"reason": "x"}
    )

    assert by_treasurer.status_code == 403  # type: ignore[attr-defined]
    assert "Only the discloser or a steward" in _html(by_treasurer)
    assert no_reason.status_code == 422  # type: ignore[attr-defined]
    assert f'id="close-{made.pk}-error"' in _html(no_reason)
    assert astray.status_code == 404  # type: ignore[attr-defined]
    made.refresh_from_db()
    assert made.closed_at is None


def test_signed_out_posts_go_to_sign_in_and_write_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    fields = {"name": "G", "metric": "m", "unit": "u", "target": "5", "due_on": LATER}

    response = _post(None, f"/partnerships/{agreement.pk}/goals/", fields)

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert "/accounts/login/" in response["Location"]  # type: ignore[index]
    assert not Goal.objects.exists()
