"""Benefits: create, edit, fund and close pools; preview, approve or commit a pool's next
round."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.table import Table

from accord.benefits import queries, services
from accord.benefits.models import Method
from accord.benefits.schemas import (
    DEFAULT_FORMAT,
    ApproveIn,
    ChoiceIn,
    CloseIn,
    CommitIn,
    FundIn,
    PoolIn,
    PoolPatch,
)
from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.domain.money import format_amount

app = typer.Typer()
pool_app = typer.Typer(
    help="Benefit pools: create, edit, fund, close them and approve their rounds.",
    no_args_is_help=True,
)

PoolArg = Annotated[str, typer.Argument(metavar="POOL", help="The pool's slug.")]


def _invalid(exc: ValidationError) -> NoReturn:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    fail(f"{where}: {first['msg']}" if where else str(first["msg"]))


def _run[T](build: Callable[[], T]) -> T:
    """Build the action's schema and run it; bad input or a refusal is one line, exit 1."""
    try:
        return build()
    except ValidationError as exc:
        _invalid(exc)
    except DomainError as exc:
        fail(exc.detail)


@pool_app.command("create")
def pool_create(  # noqa: PLR0917 - one option per field of the pool
    name: Annotated[str, typer.Argument(help="The pool's name.")],
    as_member: AsOption,
    unit: Annotated[str, typer.Option(help="EUR, or a unit such as training_credit.")],
    method: Annotated[Method, typer.Option(help="How the pool is shared.")],
    start: Annotated[date, typer.Option(formats=["%Y-%m-%d"], help="First day of the period.")],
    end: Annotated[date, typer.Option(formats=["%Y-%m-%d"], help="Last day of the period.")],
    policy: Annotated[int, typer.Option(help="Attribution policy version.")],
    format_: Annotated[
        list[str] | None,
        typer.Option("--format", help="A reward format (repeat; the first is the default)."),
    ] = None,
    publishing_format: Annotated[
        list[str] | None, typer.Option(help="A format that features the member (repeat).")
    ] = None,
    group: Annotated[
        list[str] | None, typer.Option(help="An eligible group's slug (repeat; none: everyone).")
    ] = None,
    minimum: Annotated[int, typer.Option(help="Minimum payout, smallest unit.")] = 0,
    cap: Annotated[int | None, typer.Option(help="Most one member receives.")] = None,
    half_life: Annotated[int, typer.Option(help="RECENT's half-life in days.")] = 90,
    choice_days: Annotated[int, typer.Option(help="Days members have to choose.")] = 30,
    description: Annotated[str, typer.Option()] = "",
) -> None:
    """Create a pool (stewards)."""
    actor = acting(as_member)
    pool = _run(
        lambda: services.create_pool(
            actor,
            PoolIn(
                name=name,
                unit=unit,
                method=method,
                period_start=start,
                period_end=end,
                policy=policy,
                formats=format_ or [DEFAULT_FORMAT],
                publishing_formats=publishing_format or [],
                eligible_groups=group or [],
                minimum_payout=minimum,
                member_cap=cap,
                half_life_days=half_life,
                choice_days=choice_days,
                description=description,
            ),
        )
    )
    out.print(f"Created pool {pool.slug}.")


@pool_app.command("fund")
def pool_fund(
    pool: PoolArg,
    *,
    as_member: AsOption,
    amount: Annotated[int, typer.Option(help="In the unit's smallest amount (cents for EUR).")],
    source: Annotated[
        str,
        typer.Option(
            help="Who funds it, e.g. donations (kept off the public ledger); a partner's "
            "money: accord partner fund-pool."
        ),
    ],
    key: Annotated[str, typer.Option(help="Idempotency key: a rerun lands once.")] = "",
    from_community_fund: Annotated[
        bool, typer.Option(help="Pay from the community fund (received partner money).")
    ] = False,
) -> None:
    """Fund a pool (treasurers)."""
    actor = acting(as_member)
    done = _run(  # the input is checked inside, so a bad amount is a one-line refusal
        lambda: services.fund_pool(
            actor,
            pool,
            FundIn(amount=amount, source=source, key=key, from_community_fund=from_community_fund),
        )
    )
    out.print(f"Funded {done.pool.name}: it holds {format_amount(done.balance, done.pool.unit)}.")


@pool_app.command("edit")
def pool_edit(  # noqa: PLR0917 - one option per field that may change
    pool: PoolArg,
    as_member: AsOption,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
    formats: Annotated[
        str | None, typer.Option(help="Reward formats, comma-separated; the first is the default.")
    ] = None,
    publishing_formats: Annotated[
        str | None, typer.Option(help="The formats that feature the member, comma-separated.")
    ] = None,
    minimum_payout: Annotated[int | None, typer.Option(help="In the smallest unit.")] = None,
    member_cap: Annotated[int | None, typer.Option(help="In the smallest unit; 0: none.")] = None,
    choice_days: Annotated[int | None, typer.Option(help="Days members have to choose.")] = None,
) -> None:
    """Change a pool's name, description or terms, from its next round on (stewards)."""
    actor = acting(as_member)
    given = {
        "name": name,
        "description": description,
        "formats": formats.split(",") if formats is not None else None,
        "publishing_formats": (
            publishing_formats.split(",") if publishing_formats is not None else None
        ),
        "minimum_payout": minimum_payout,
        "member_cap": member_cap,
        "choice_days": choice_days,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        fail("say what to change (see `accord pool edit --help`).", code=2)
    edited = _run(lambda: services.edit_pool(actor, pool, PoolPatch.model_validate(changes)))
    out.print(f"Edited {edited.name}: {', '.join(sorted(changes))}.")


@pool_app.command("close")
def pool_close(
    pool: PoolArg,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why (kept off the public ledger).")],
) -> None:
    """Close a pool: no further rounds; what it holds stays in it (stewards)."""
    actor = acting(as_member)
    closed = _run(lambda: services.close_pool(actor, pool, CloseIn(reason=reason)))
    out.print(f"Closed {closed.name}.")


@pool_app.command("approve")
def pool_approve(
    pool: PoolArg,
    as_member: AsOption,
    round_: Annotated[
        int | None, typer.Option("--round", help="The round previewed (default: the next).")
    ] = None,
) -> None:
    """Approve a pool's next round as it stands now, so that a treasurer who benefits from it
    may commit it (another steward, treasurer or auditor)."""
    actor = acting(as_member)
    approval = _run(lambda: services.approve_round(actor, pool, ApproveIn(round=round_)))
    out.print(
        f"Approved round {approval.round} of {approval.pool.name} "
        f"(rows {approval.rows_sha256[:16]}…); if it changes, it needs approving again."
    )


@app.command()
def distribute(  # noqa: PLR0917 - one option per input of the action
    pool: PoolArg,
    as_member: AsOption,
    preview: Annotated[bool, typer.Option("--preview", help="Show who would get what.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the round, once.")] = False,
    round_: Annotated[
        int | None, typer.Option("--round", help="The round previewed (default: the next).")
    ] = None,
    key: Annotated[str, typer.Option(help="Idempotency key (default: <pool>:<round>).")] = "",
) -> None:
    """Preview (office holders) or commit (treasurers) the next round of a pool."""
    if preview == commit:
        fail("give exactly one of --preview or --commit.", code=2)
    actor = acting(as_member)
    if commit:
        with out.status("Committing"):
            d = _run(
                lambda: services.commit_distribution(actor, pool, CommitIn(round=round_, key=key))
            )
        out.print(
            f"Committed round {d.round} of {d.pool.name}: {d.statements.count()} statements."
        )
        return
    with out.status("Computing"):
        p = _run(lambda: queries.preview_for(actor, pool))
    unit = p.inputs.pool.unit
    table = Table("member", "weight", "payout", "carried out", title=p.inputs.pool.name)
    top = queries.largest(p, 25)
    for a in top:
        table.add_row(
            a.member,
            str(a.weight),
            format_amount(a.payout, unit),
            format_amount(a.carried_out, unit),
        )
    out.print(table)
    paid = sum(1 for a in p.plan.allocations if a.payout or a.carried_out)
    out.print(
        f"Round {p.inputs.round}: {paid} members receive something; "
        f"{format_amount(p.inputs.total, unit)} to share, "
        f"{format_amount(p.plan.unallocated, unit)} stays in the pool."
    )


statement_app = typer.Typer(
    help="My statements: list them, choose what to do.", no_args_is_help=True
)


@statement_app.command("list")
def statement_list(as_member: AsOption) -> None:
    """List my statements, newest first."""
    table = Table("id", "pool", "round", "amount", "choice")
    for st in queries.statements_of(acting(as_member)):
        d = st.distribution
        table.add_row(
            str(st.pk), d.pool.slug, str(d.round), format_amount(st.payout, d.pool.unit), st.choice
        )
    out.print(table)


@statement_app.command("choose")
def statement_choose(
    statement: Annotated[int, typer.Argument(metavar="ID", help="The statement's id.")],
    as_member: AsOption,
    choice: Annotated[str, typer.Option(help="take, switch, donate or decline.")],
    format_: Annotated[str, typer.Option("--format", help="The format to switch to.")] = "",
) -> None:
    """Choose what to do with the amount of one of my statements."""
    member = acting(as_member)
    st = _run(lambda: services.choose(member, statement, ChoiceIn(choice=choice, format=format_)))
    out.print(f"Recorded: {st.get_choice_display().lower()} ({st.format}).")
