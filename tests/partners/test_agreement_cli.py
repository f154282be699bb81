"""`accord agreement ...`: a steward records a partnership, office holders score it and the
steward activates it, all from the command line; each refusal is one line and exit 1."""

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.domain.partnerships import CRITERIA
from accord.ledger.models import Entry
from accord.partners.models import Agreement, EvaluationScore, Update, ValueRecord
from accord.people.models import Member
from tests.conftest import Cast


def _email(member: Member) -> str:
    assert member.user is not None
    return member.user.email


def accord(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _create(cast: Cast) -> Result:
    return accord(
        *("agreement", "create", cast.partner.slug, "Student research placements"),
        *("--purpose", "Members mentor students.", "--reason", "networks"),
        *("--reason", "member_benefits", "--needs", "Evidence.", "--target", "4"),
        *("--as", _email(cast.steward)),
    )


def test_a_steward_records_a_partnership_that_office_holders_score_and_activate(
    cast: Cast,
) -> None:
    created = _create(cast)
    agreement = Agreement.objects.get()
    pk = str(agreement.pk)
    moved = accord(
        "agreement", "status", pk, "evaluating", "--reason", "Met twice.",
        "--as", _email(cast.steward),
    )  # fmt: skip
    for evaluator in (cast.steward, cast.auditor):
        for c in CRITERIA:
            scored = accord("agreement", "score", pk, c.key, "4", "--as", _email(evaluator))
            assert scored.exit_code == 0, scored.stderr
    undecided = accord(
        "agreement", "status", pk, "active", "--reason", "It passed.",
        "--as", _email(cast.steward),
    )  # fmt: skip
    decision = pass_decision(cast.steward, Gated.ACTIVATE_PARTNERSHIP, subject=int(pk))
    activated = accord(
        "agreement", "status", pk, "active", "--reason", "It passed.",
        "--decision", str(decision.pk), "--as", _email(cast.steward),
    )  # fmt: skip
    matured = accord(
        "agreement", "maturity", pk, "--level", "2", "--reason", "Monthly sessions.",
        "--as", _email(cast.steward),
    )  # fmt: skip

    assert created.exit_code == 0, created.stderr
    assert f"Recorded agreement {pk}: Student research placements (prospect)." in created.stdout
    assert moved.exit_code == 0, moved.stderr
    assert "is now evaluating" in moved.stdout
    assert undecided.exit_code == 1
    assert "needs a passed decision" in undecided.stderr
    assert activated.exit_code == 0, activated.stderr
    assert matured.exit_code == 0, matured.stderr
    assert "level 2, target 4" in matured.stdout
    agreement.refresh_from_db()
    assert (agreement.status, agreement.level, agreement.target_level) == ("active", 2, 4)
    assert EvaluationScore.objects.count() == 20


def test_list_filters_and_show_hides_the_evaluation_from_the_public(cast: Cast) -> None:
    _create(cast)
    pk = str(Agreement.objects.get().pk)
    accord(
        "agreement", "status", pk, "evaluating", "--reason", "Met twice.",
        "--as", _email(cast.steward),
    )  # fmt: skip
    accord("agreement", "score", pk, "vision", "5", "--as", _email(cast.auditor))

    listed = accord("agreement", "list", "--status", "evaluating")
    none = accord("agreement", "list", "--status", "active")
    public = accord("agreement", "show", pk)
    member = accord("agreement", "show", pk, "--as", _email(cast.member))
    auditor = accord("agreement", "show", pk, "--as", _email(cast.auditor))

    assert listed.exit_code == 0, listed.stderr
    assert "Student" in listed.stdout
    assert "evaluating" in listed.stdout
    assert "No partnerships match." in none.stdout
    assert public.exit_code == 0, public.stderr
    assert "Purpose: Members mentor students." in public.stdout
    assert "Status: prospect → evaluating" in public.stdout
    assert "Met twice." in public.stdout
    assert "Evaluation" not in public.stdout
    assert "Evaluation" not in member.stdout
    assert "Evaluation: 0 evaluator(s) scored all ten, 1 some" in auditor.stdout
    assert "vision: mean 5.00, spread 0, by 1" in auditor.stdout


def test_refusals_and_bad_input_exit_non_zero_with_one_line(cast: Cast) -> None:
    _create(cast)
    pk = str(Agreement.objects.get().pk)
    entries = Entry.objects.count()

    not_steward = accord(
        "agreement", "status", pk, "evaluating", "--reason", "x", "--as", _email(cast.member)
    )
    bad_move = accord(
        "agreement", "status", pk, "renewed", "--reason", "x", "--as", _email(cast.steward)
    )
    not_evaluating = accord("agreement", "score", pk, "vision", "4", "--as", _email(cast.auditor))
    bad_score = accord("agreement", "score", pk, "vision", "9", "--as", _email(cast.auditor))
    bad_reason = accord(
        "agreement", "create", cast.partner.slug, "T", "--purpose", "P", "--reason", "fame",
        "--as", _email(cast.steward),
    )  # fmt: skip
    missing = accord("agreement", "show", "99999")
    bad_filter = accord("agreement", "list", "--status", "dormant")

    failures = (not_steward, bad_move, not_evaluating, bad_score, bad_reason, missing, bad_filter)
    for failed in failures:
        assert failed.exit_code == 1, failed.stdout
        assert failed.stdout == ""
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert "Only stewards change an agreement's status." in not_steward.stderr
    assert "can become ended or evaluating, not renewed" in bad_move.stderr
    assert "scored while it is being evaluated" in not_evaluating.stderr
    assert "less than or equal to 5" in bad_score.stderr
    assert "'fame' is not one of the five reasons" in bad_reason.stderr
    assert "No agreement 99999." in missing.stderr
    assert "'dormant' is not a status" in bad_filter.stderr
    assert Entry.objects.count() == entries
    assert Agreement.objects.count() == 1


def test_a_representative_posts_an_update_and_a_steward_records_a_value(cast: Cast) -> None:
    _create(cast)
    pk = str(Agreement.objects.get().pk)

    posted = accord(
        "agreement", "post-update", pk, "--body", "Two interns hired.",
        "--as", _email(cast.partner_rep),
    )  # fmt: skip
    assert posted.exit_code == 0, posted.stderr
    assert "for the partner" in posted.stdout
    assert Update.objects.get().body == "Two interns hired."

    recorded = accord(
        "agreement", "value", pk, "--kind", "training", "--amount", "4800",
        "--on", "2026-01-05", "--basis", "12 hours at 4.00", "--as", _email(cast.steward),
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    value = ValueRecord.objects.get()
    assert (value.kind, value.amount, str(value.on)) == ("training", 4800, "2026-01-05")


def test_posting_and_recording_are_refused_in_one_line(cast: Cast) -> None:
    _create(cast)
    pk = str(Agreement.objects.get().pk)

    posted = accord("agreement", "post-update", pk, "--body", "Hi", "--as", _email(cast.member))
    recorded = accord(
        "agreement", "value", pk, "--kind", "vibes", "--amount", "10",
        "--basis", "b", "--as", _email(cast.steward),
    )  # fmt: skip

    assert posted.exit_code == 1
    assert "Only stewards and this partner" in posted.stderr
    assert len(posted.stderr.strip().splitlines()) == 1
    assert recorded.exit_code == 1
    assert "not a kind of value" in recorded.stderr
    assert not Update.objects.exists()
    assert not ValueRecord.objects.exists()
