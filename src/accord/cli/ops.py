"""Backing up and restoring the database, with a manifest of what the backup holds."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.base import err, fail, out
from accord.ledger import keys
from accord.ops.backup import ENGINES, Restored, make_backup, manifest_path, restore_backup
from accord.ops.errors import BackupError

app = typer.Typer()

# Differences listed one by one before the rest are only counted.
SHOWN = 20


@app.command()
def backup(
    out_file: Annotated[
        Path, typer.Option("--out", metavar="FILE", help="The backup file to create.")
    ],
) -> None:
    """Back the database up as one consistent snapshot while Accord keeps serving, with
    FILE.json saying what it holds; never overwrites a file."""
    try:
        with err.status("Backing up"):
            manifest = make_backup(out_file)
    except BackupError as exc:
        fail(str(exc))
    held = manifest.holdings
    head = f"at size {held.head['size']}" if held.head else "none yet"
    out.print(
        f"Backed up the {ENGINES[manifest.engine]} database to {out_file} "
        f"({manifest.file_bytes:,} bytes) and {manifest_path(out_file)}: "
        f"{len(held.tables)} tables, {held.rows:,} rows, {len(held.balances)} account "
        f"balances, {held.ledger_size:,} ledger entries, latest signed head {head}.",
        markup=False,
        highlight=False,
    )
    out.print(
        f"Keep it with the ledger key file ({keys.key_path()}): the backup does not hold it.",
        markup=False,
        highlight=False,
    )


@app.command()
def restore(
    backup_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file made by `accord backup`.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database even though it holds data.")
    ] = False,
) -> None:
    """Replace the database with a backup (stop app processes and workers first), then
    verify the ledger and compare every row count and balance with the manifest."""
    try:
        with err.status("Restoring"):
            restored = restore_backup(backup_file, replace=yes)
    except BackupError as exc:
        fail(str(exc))
    out.print(_comparison(restored))
    for line in restored.differences[:SHOWN]:
        out.print(f"  differs: {line}", markup=False, highlight=False)
    if len(restored.differences) > SHOWN:
        out.print(f"  and {len(restored.differences) - SHOWN} more differences", markup=False)
    report = restored.report
    if not report.ok:
        fail(f"restored {backup_file}, but the ledger does not verify: {report.problems[0]}")
    if restored.differences:
        fail(
            f"restored {backup_file}, but it differs from its manifest in "
            f"{len(restored.differences)} place(s), listed above"
        )
    out.print(
        f"OK: restored {backup_file} (made {restored.manifest.created_at}); the ledger "
        "verifies and every row count and balance equals the backup's.",
        markup=False,
        highlight=False,
    )


def _comparison(restored: Restored) -> Table:
    want, got = restored.manifest.holdings, restored.holdings
    table = Table("check", "backup", "restored", "", title="Restore checks", title_justify="left")

    def row(name: str, expected: Any, actual: Any, same: bool) -> None:
        table.add_row(name, str(expected), str(actual), "equal" if same else "DIFFERS")

    report = restored.report
    table.add_row(
        "ledger verify",
        "",
        f"{report.entries:,} entries, {report.heads} heads",
        "OK" if report.ok else "FAILS",
    )
    row(
        "ledger entries",
        f"{want.ledger_size:,}",
        f"{got.ledger_size:,}",
        want.ledger_size == got.ledger_size,
    )
    row("latest signed head", _head(want.head), _head(got.head), want.head == got.head)
    row("tables", len(want.tables), len(got.tables), want.tables.keys() == got.tables.keys())
    row("rows", f"{want.rows:,}", f"{got.rows:,}", want.tables == got.tables)
    row("account balances", len(want.balances), len(got.balances), want.balances == got.balances)
    return table


def _head(head: dict[str, Any] | None) -> str:
    return "none" if head is None else f"{head['size']:,} {str(head['root'])[:12]}…"
