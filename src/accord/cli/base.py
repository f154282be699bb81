"""What every command module shares: the consoles, one-line failures, the acting member."""

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from django.core.management import call_command
from rich.console import Console

from accord.people.models import Member

out = Console()
err = Console(stderr=True)

AsOption = Annotated[str, typer.Option("--as", help="Act as this member (email).")]

# Groups of commands that several apps add to.
export_app = typer.Typer(help="Export data as files.", no_args_is_help=True)
import_app = typer.Typer(help="Import data from files.", no_args_is_help=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit non-zero."""
    err.print(f"accord: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


type TooLarge = Callable[[int], str]

# A file a command reads whole (a policy, a key) is small; larger ones name their own limit.
READ_MAX_BYTES = 1_000_000


def read_bytes(
    path: Path, *, max_bytes: int = READ_MAX_BYTES, too_large: TooLarge | None = None
) -> bytes:
    """The whole of a regular file, or a one-line failure naming `path` and why: missing,
    not a regular file, unreadable, empty, or over `max_bytes` (`too_large(size)` words
    that for the caller)."""
    try:
        # Looked at before opening: opening a FIFO or a device could block or never end.
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            fail(f"cannot read {path}: {kind}.")
        if info.st_size > max_bytes:
            _too_large(path, info.st_size, max_bytes, too_large)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}.")
    if len(data) > max_bytes:  # it grew while we read
        _too_large(path, len(data), max_bytes, too_large)
    if not data:
        fail(f"cannot read {path}: the file is empty.")
    return data


def _too_large(path: Path, size: int, most: int, why: TooLarge | None) -> NoReturn:
    fail(f"{path}: {why(size)}" if why else f"cannot read {path}: larger than {most:,} bytes.")


def read_text(
    path: Path, *, max_bytes: int = READ_MAX_BYTES, too_large: TooLarge | None = None
) -> str:
    """`read_bytes` as UTF-8 text (a leading byte-order mark dropped), or a one-line failure."""
    data = read_bytes(path, max_bytes=max_bytes, too_large=too_large)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"cannot read {path}: not UTF-8 text (byte {exc.start}).")
    if "\x00" in text:
        fail(f"cannot read {path}: it holds NUL bytes, so it is not a text file.")
    return text


def acting(email: str) -> Member:
    """The member a command acts as, or a one-line error."""
    member = Member.objects.filter(user__email__iexact=email.strip()).first()
    if member is None:
        fail(f"no member with the email {email}.")
    return member


def migrate(*, verbose: bool = False) -> None:
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
