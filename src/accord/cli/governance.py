"""Decisions: members propose, read and vote; stewards (a group's leads for the group)
open and close them and record their outcome."""

import json
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out, read_text
from accord.domain.errors import DomainError
from accord.domain.mandates import Gated
from accord.domain.voting import PollType
from accord.governance import queries, services
from accord.governance.schemas import DecisionIn, OutcomeIn, VoteIn
from accord.people.schemas import parse
from accord.web.templatetags.accord_format import percent

decision_app = typer.Typer(help="Decisions and votes.", no_args_is_help=True)

DecisionArgument = Annotated[int, typer.Argument(help="The decision's number.")]
POLLS = ", ".join(p.value for p in PollType)
ACTIONS = ", ".join(g.value for g in Gated)


@decision_app.command("list")
def list_decisions(
    as_member: AsOption,
    status: Annotated[str, typer.Option(help="Only draft, open or closed ones.")] = "",
) -> None:
    """The decisions you may read, newest first."""
    try:
        lines = queries.list_decisions(acting(as_member), status=status or None)
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "Title", "Poll", "Status", "Closes", "Turnout")
    for line in lines:
        d = line.decision
        state = "outcome due" if d.outcome_due else d.status
        table.add_row(
            str(d.pk), d.title, d.poll, state, f"{d.closes_at:%Y-%m-%d %H:%M}", _turnout(line)
        )
    out.print(table)


def _turnout(line: queries.DecisionLine) -> str:
    if not line.decision.electorate_size:
        return "—"
    return f"{line.ballots} of {line.decision.electorate_size} ({percent(line.turnout)})"


@decision_app.command("show")
def show(decision_id: DecisionArgument, as_member: AsOption) -> None:
    """A decision: its question, turnout, counts (once shown) and your ballot."""
    try:
        page = queries.decision_page(acting(as_member), decision_id)
    except DomainError as exc:
        fail(exc.detail)
    d = page.line.decision
    out.print(f"Decision {d.pk}: {d.title} ({d.poll}, {d.status})", markup=False)
    out.print(d.body, markup=False)
    for number, option in enumerate(d.options):
        out.print(f"  {number}. {option}", markup=False)
    out.print(f"Turnout: {_turnout(page.line)}; quorum {percent(Fraction(d.quorum))}.")
    if page.tally is not None:
        out.print(f"Counts: {page.tally['counts']}; passed: {page.tally['passed']}.")
    if page.my_choice is not None:
        out.print(f"Your ballot: {page.my_choice}", markup=False)
    if d.outcome_due:
        out.print("Outcome due.")
    elif d.outcome:
        out.print(f"Outcome: {d.outcome}", markup=False)


@decision_app.command("propose")
def propose(
    title: Annotated[str, typer.Argument(help="What is to be decided, in a line.")],
    *,
    as_member: AsOption,
    body: Annotated[str, typer.Option(help="The proposal, and why.")],
    closes: Annotated[str, typer.Option(help="Closing time, e.g. 2027-03-01T18:00+01:00.")],
    poll: Annotated[str, typer.Option(help=f"The poll type: {POLLS}.")] = "consent",
    option: Annotated[list[str] | None, typer.Option(help="An option (repeat).")] = None,
    group: Annotated[str, typer.Option(help="A group's slug (default: everyone).")] = "",
    subject: Annotated[int | None, typer.Option(help="The agreement it is about.")] = None,
    threshold: Annotated[str, typer.Option(help="Consent: agree share needed.")] = "1/2",
    quorum: Annotated[str, typer.Option(help="Share of the electorate that must vote.")] = "0",
    secret: Annotated[bool, typer.Option(help="A secret ballot.")] = False,
    action: Annotated[str, typer.Option(help=f"What a pass allows: {ACTIONS}.")] = "",
    policy: Annotated[Path | None, typer.Option(help="policy.publish: the document.")] = None,
    effective: Annotated[str, typer.Option(help="policy.publish: YYYY-MM-DD.")] = "",
    right_action: Annotated[str, typer.Option(help="decision_right.change: for.")] = "",
    right_group: Annotated[str, typer.Option(help="…: the deciding group.")] = "",
    right_threshold: Annotated[str, typer.Option(help="…: its threshold.")] = "1/2",
    right_quorum: Annotated[str, typer.Option(help="…: its quorum.")] = "0",
) -> None:
    """Draft a decision for the community or one of your groups. One that allows an action
    (--action) goes to the body the decision rights name, at their threshold and quorum."""
    actor = acting(as_member)
    fields: dict[str, Any] = {
        "title": title,
        "body": body,
        "poll": poll,
        "options": option or [],
        "group": group or None,
        "subject": subject,
        "threshold": threshold,
        "quorum": quorum,
        "secret": secret,
        "closes_at": closes,
    }
    if action:
        fields["action"] = action
        fields["effective_from"] = effective or None
        fields["policy"] = _json_file(policy) if policy is not None else None
        if right_action:
            fields["right"] = {
                "action": right_action,
                "group": right_group or None,
                "threshold": right_threshold,
                "quorum": right_quorum,
            }
    try:
        made = services.propose_decision(actor, parse(DecisionIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Drafted decision {made.pk}: {made.title}.", markup=False)


@decision_app.command("open")
def open_decision(decision_id: DecisionArgument, as_member: AsOption) -> None:
    """Put a draft to the vote; its electorate is fixed now."""
    try:
        d = services.open_decision(acting(as_member), decision_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Decision {d.pk} is open to {d.electorate_size} voter(s) until {d.closes_at}.")


@decision_app.command("vote")
def vote(
    decision_id: DecisionArgument,
    *,
    as_member: AsOption,
    stance: Annotated[str, typer.Option(help="Consent: agree, abstain, disagree, block.")] = "",
    option: Annotated[int | None, typer.Option(help="Single choice: the option's number.")] = None,
    approve: Annotated[
        list[int] | None, typer.Option(help="Approval: an option (repeat).")
    ] = None,
    score: Annotated[
        list[int] | None, typer.Option(help="Score: 0-5 per option, in order.")
    ] = None,
    rank: Annotated[list[int] | None, typer.Option(help="Ranked: options, best first.")] = None,
) -> None:
    """Cast or change your ballot (options are numbered from 0, as `show` lists them)."""
    actor = acting(as_member)
    fields = {
        "stance": stance or None,
        "option": option,
        "options": approve,
        "scores": score,
        "ranking": rank,
    }
    try:
        services.cast_vote(actor, decision_id, parse(VoteIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Your ballot on decision {decision_id} is recorded; you may change it until close.")


@decision_app.command("close")
def close(decision_id: DecisionArgument, as_member: AsOption) -> None:
    """Count the ballots after the closing time; the tally goes to the ledger."""
    try:
        d = services.close_decision(acting(as_member), decision_id)
    except DomainError as exc:
        fail(exc.detail)
    result = d.tally or {}
    verdict = "passed" if result.get("passed") else "did not pass"
    out.print(f"Decision {d.pk} closed: it {verdict}; counts {result.get('counts')}. Outcome due.")


def _json_file(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except ValueError as exc:
        fail(f"cannot read {path} as JSON: {exc}".splitlines()[0])
    except RecursionError:
        fail(f"cannot read {path} as JSON: it nests too deeply.")


@decision_app.command("carry-out")
def carry_out(decision_id: DecisionArgument, as_member: AsOption) -> None:
    """Do what a passed decision allows: publish its policy, activate or end its
    partnership, or change its decision right."""
    try:
        done = services.carry_out_decision(acting(as_member), decision_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Decision {done.pk} carried out: {done.get_action_display().lower()}.")


@decision_app.command("rights")
def rights() -> None:
    """Who decides each action that needs a passed decision."""
    table = Table("action", "decided by", "threshold", "quorum", "set by")
    for r in queries.decision_rights():
        table.add_row(
            r.action.value,
            r.body,
            r.threshold,
            r.quorum,
            f"decision {r.decision}" if r.decision else "Accord's default",
        )
    out.print(table)


@decision_app.command("outcome")
def outcome(
    decision_id: DecisionArgument,
    *,
    as_member: AsOption,
    statement: Annotated[str, typer.Option(help="What the community makes of the result.")],
) -> None:
    """Record a closed decision's outcome statement."""
    try:
        data = parse(OutcomeIn, {"statement": statement})
        services.record_outcome(acting(as_member), decision_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Outcome of decision {decision_id} recorded.")
