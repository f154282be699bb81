"""The ledger: verify it, export it (public or for auditors), sign a head, its keys."""

from pathlib import Path
from typing import Annotated

import typer
from django.core.exceptions import ImproperlyConfigured
from rich.progress import Progress

from accord.cli.base import acting, err, export_app, fail, out, read_bytes
from accord.domain.errors import DomainError
from accord.ledger import keys
from accord.ledger.keys import public_pem
from accord.ledger.queries import export_lines
from accord.ledger.services import rotate_key, sign_head
from accord.ledger.verify import verify_ledger
from accord.people.services import export_for_auditor

app = typer.Typer()
ledger_app = typer.Typer(help="Work with the tamper-evident ledger.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Recompute the whole ledger and check every entry, subtree and signed head."""
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Verifying", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = verify_ledger(progress=advance)
    if not report.ok:
        where = (
            f" (first bad seq: {report.first_bad_seq})" if report.first_bad_seq is not None else ""
        )
        for problem in report.problems[1:6]:
            err.print(f"  also: {problem}", markup=False, highlight=False, soft_wrap=True)
        fail(f"ledger does not verify{where}: {report.problems[0]}")
    out.print(f"OK: {report.entries} entries and {report.heads} signed heads verify.")


@export_app.command("ledger")
def export_ledger(
    out_file: Annotated[Path, typer.Option("--out", help="JSON Lines file to write.")],
    auditor: Annotated[
        bool,
        typer.Option(
            "--auditor", help="The auditor export (openings included); needs --as an auditor."
        ),
    ] = False,
    as_member: Annotated[
        str, typer.Option("--as", help="The auditor (email) taking the auditor export.")
    ] = "",
) -> None:
    """Export every entry and signed head, plus the public key, as JSON Lines; with
    --auditor, the auditor export (each one is recorded in the ledger)."""
    if auditor and not as_member:
        fail("the auditor export needs --as with an auditor's email.")
    if as_member and not auditor:
        fail("--as is only for the auditor export (add --auditor).")
    reader = acting(as_member) if auditor else None
    try:
        fh = out_file.open("w", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    with fh:  # opened first, so a file that cannot be written records no auditor export
        try:
            lines = export_lines() if reader is None else export_for_auditor(reader)
        except DomainError as exc:
            fh.close()
            out_file.unlink()
            fail(str(exc))
        count = 0
        try:
            for line in lines:
                fh.write(line + "\n")
                count += 1
        except OSError as exc:
            fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote {count} lines to {out_file}.")


@ledger_app.command("sign")
def ledger_sign() -> None:
    """Sign a tree head for the ledger as it is now."""
    try:
        head = sign_head()
    except ImproperlyConfigured as exc:
        fail(str(exc))
    if head is None:
        fail("the ledger is empty: there is nothing to sign.")
    out.print(f"Signed head at size {head.size}: {bytes(head.root).hex()}")


@ledger_app.command("key")
def ledger_key(
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the PEM here.")] = None,
) -> None:
    """Print (or write) the ledger's public key, for the standalone verifier."""
    pem = public_pem()
    if out_file is None:
        out.print(pem.decode().strip(), markup=False, highlight=False)
        return
    try:
        out_file.write_bytes(pem)
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote the public key to {out_file}.")


@ledger_app.command("new-key")
def ledger_new_key(
    out_file: Annotated[Path, typer.Option("--out", help="The private key file to create.")],
) -> None:
    """Create an Ed25519 signing key file (owner-only) to set as ACCORD_LEDGER_KEY_FILE."""
    try:
        key = keys.write_new_key(out_file)
    except FileExistsError:
        fail(f"{out_file} exists: a key file is never overwritten.")
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote key {keys.key_id_of(key.public_key())} to {out_file}.", markup=False)


@ledger_app.command("rotate-key")
def ledger_rotate_key(
    new_key: Annotated[
        Path | None,
        typer.Option(
            "--new-key",
            help="A key file made with `accord ledger new-key` (default: make one and "
            "replace the key file with it).",
        ),
    ] = None,
) -> None:
    """Retire the signing key: the old key and the new one sign the rotation, the ledger
    records it, and the new key signs a head at once."""
    try:
        replacement = None
        if new_key is not None:
            replacement = keys.load_private(
                read_bytes(new_key, max_bytes=keys.KEY_FILE_MAX_BYTES), str(new_key)
            )
        rotation = rotate_key(replacement)
    except (ImproperlyConfigured, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    out.print(
        f"Rotated the ledger key: {rotation.previous[:12]}… -> {rotation.key.key_id[:12]}…",
        markup=False,
    )
    if new_key is not None:
        out.print(
            f"Give every app host {new_key} as ACCORD_LEDGER_KEY_FILE: until then they "
            "refuse to sign with the retired key.",
            markup=False,
        )
