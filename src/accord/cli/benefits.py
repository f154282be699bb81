"""Benefits: preview or commit a pool's next round."""

from typing import Annotated

import typer
from rich.table import Table

from accord.benefits import planning, services
from accord.benefits.models import Pool
from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.domain.money import format_amount

app = typer.Typer()


@app.command()
def distribute(
    pool_slug: Annotated[str, typer.Argument(metavar="POOL", help="The pool's slug.")],
    as_member: AsOption,
    preview: Annotated[bool, typer.Option("--preview", help="Show who would get what.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the round, once.")] = False,
    key: Annotated[str, typer.Option(help="Idempotency key for --commit.")] = "",
) -> None:
    """Preview or commit the next round of a pool."""
    if preview == commit:
        fail("give exactly one of --preview or --commit.", code=2)
    actor = acting(as_member)
    pool = Pool.objects.filter(slug=pool_slug).first()
    if pool is None:
        fail(f"no pool {pool_slug!r}.")
    if preview:
        with out.status("Computing"):
            p = planning.preview(pool)
        table = Table("member", "weight", "payout", "carried out", title=pool.name)
        paid = [a for a in p.plan.allocations if a.payout or a.carried_out]
        for a in sorted(paid, key=lambda a: -a.payout)[:25]:
            table.add_row(
                a.member,
                str(a.weight),
                format_amount(a.payout, pool.unit),
                format_amount(a.carried_out, pool.unit),
            )
        out.print(table)
        out.print(
            f"{len(paid)} members receive something; "
            f"{format_amount(p.inputs.total, pool.unit)} to share, "
            f"{format_amount(p.plan.unallocated, pool.unit)} stays in the pool."
        )
        return
    try:
        with out.status("Committing"):
            d = services.commit_distribution(
                actor, pool, key=key or f"cli:{pool.slug}:{pool.distributions.count() + 1}"
            )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Committed round {d.round} of {pool.name}: {d.statements.count()} statements.")
