"""`accord risk ...` and `accord disclose ...`: the same services as the API, with one-line
errors and a non-zero exit on refusal or bad input."""

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.ledger.models import Entry
from accord.partners import services
from accord.partners.models import Agreement, Disclosure, Risk
from accord.partners.schemas import AgreementIn
from accord.people.models import Member
from tests.conftest import Cast


def _accord(*args: object, who: Member | None = None) -> Result:
    argv = [str(a) for a in args]
    if who is not None:
        argv += ["--as", who.user.email]
    return CliRunner().invoke(app, argv)


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title="T", purpose="P", reasons=["networks"]),
    )


def test_a_steward_keeps_the_risk_register_from_the_command_line(cast: Cast) -> None:
    pk = _agreement(cast).pk

    added = _accord(
        "risk",
        "add",
        pk,
        "Grant arrives late",
        "--category",
        "financial",
        "--likelihood",
        4,
        "--impact",
        5,
        "--owner",
        cast.treasurer.pseudonym,
        who=cast.steward,
    )
    risk = Risk.objects.get()
    updated = _accord(
        "risk",
        "update",
        pk,
        risk.pk,
        "--status",
        "mitigated",
        "--likelihood",
        2,
        who=cast.treasurer,
    )
    listed = _accord("risk", "list", pk, who=cast.partner_rep)

    assert added.exit_code == 0, added.output
    assert f"Added risk {risk.pk} to agreement {pk}: severity 20 (critical)." in added.stdout
    assert updated.exit_code == 0, updated.output
    assert "mitigated, severity 10 (high)" in updated.stdout
    assert listed.exit_code == 0, listed.output
    assert "Grant" in listed.stdout
    assert "10 high" in listed.stdout


def test_refusals_and_bad_ratings_exit_non_zero_in_one_line(cast: Cast) -> None:
    pk = _agreement(cast).pk
    entries = Entry.objects.count()

    member = _accord(
        "risk",
        "add",
        pk,
        "T",
        "--category",
        "financial",
        "--likelihood",
        2,
        "--impact",
        2,
        "--owner-label",
        "Partner",
        who=cast.member,
    )
    six = _accord(
        "risk",
        "add",
        pk,
        "T",
        "--category",
        "financial",
        "--likelihood",
        6,
        "--impact",
        2,
        "--owner-label",
        "Partner",
        who=cast.steward,
    )
    hidden = _accord("risk", "list", pk, who=cast.member)
    rep = _accord("disclose", "add", pk, "I own shares.", who=cast.partner_rep)

    for result, says in (
        (member, "Only stewards add risks to a partnership's register."),
        (six, "likelihood: Input should be less than or equal to 5"),
        (hidden, "A partnership's risk register is for office holders"),
        (rep, "Only those in a decision role"),
    ):
        assert result.exit_code == 1, result.output
        assert len(result.stderr.splitlines()) == 1
        assert says in result.stderr
    assert Entry.objects.count() == entries
    assert (Risk.objects.count(), Disclosure.objects.count()) == (0, 0)


def test_an_office_holder_declares_and_closes_an_interest(cast: Cast) -> None:
    pk = _agreement(cast).pk

    made = _accord("disclose", "add", pk, "My sister works there.", who=cast.auditor)
    disclosure = Disclosure.objects.get()
    listed = _accord("disclose", "list", pk)
    closed = _accord(
        "disclose", "close", pk, disclosure.pk, "--reason", "She left.", who=cast.auditor
    )
    again = _accord("disclose", "close", pk, disclosure.pk, "--reason", "x", who=cast.auditor)

    assert made.exit_code == 0, made.output
    assert f"Declared interest {disclosure.pk} in agreement {pk}." in made.stdout
    assert listed.exit_code == 0, listed.output
    assert cast.auditor.pseudonym in listed.stdout
    assert "sister" in listed.stdout
    assert closed.exit_code == 0, closed.output
    assert again.exit_code == 1
    assert again.stderr.strip() == "accord: error: This disclosure is already closed."
