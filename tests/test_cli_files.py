"""Every command that reads a file says in one line what is wrong with a bad one and exits
non-zero, whatever the file: missing, a directory, unreadable, a symlink loop, a FIFO,
binary garbage, the wrong encoding, truncated, empty, nested past the parser, or huge (a
sparse file of gigabytes). Nothing hangs, nothing prints a traceback.

The commands run in this process (typer's runner, the verifier's `main`), against the test
database; each bad file is built from a good one, which the same command accepts."""

import contextlib
import hashlib
import json
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from typer.testing import CliRunner

from accord.cli.app import app
from accord.contributions.models import Contribution
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.ledger import keys
from accord.ledger.models import Entry
from accord.ledger.queries import export_lines
from accord.ledger.services import sign_head
from accord.ops.backup import FORMAT
from accord.verifier.__main__ import main as verifier
from tests.conftest import Cast
from tests.factories import make_policy

HUGE = 3 * 1024**3  # sparse: takes no disk, but a reader that trusts it would hang or blow up


def _garbage() -> bytes:
    return bytes(range(256)) * 64


def _missing(path: Path, good: bytes) -> None:
    """Nothing at `path`."""


def _directory(path: Path, good: bytes) -> None:
    path.mkdir()


def _unreadable(path: Path, good: bytes) -> None:
    # root (as in CI) reads it all the same, so it holds garbage: refused either way.
    path.write_bytes(_garbage())
    path.chmod(0)


def _symlink_loop(path: Path, good: bytes) -> None:
    path.symlink_to(path)


def _fifo(path: Path, good: bytes) -> None:
    os.mkfifo(path)  # opening it for reading would wait for a writer forever


def _binary(path: Path, good: bytes) -> None:
    path.write_bytes(_garbage())


def _utf16(path: Path, good: bytes) -> None:
    path.write_bytes(good.decode().replace("a", "ä").encode("utf-16"))


def _latin1(path: Path, good: bytes) -> None:
    text = good.decode()
    at = text.find("\n") + 1 or len(text) // 2  # the second line, or the middle
    path.write_bytes((text[:at] + "é" + text[at:]).encode("latin-1"))


def _truncated(path: Path, good: bytes) -> None:
    path.write_bytes(good[: len(good) // 2])


def _empty(path: Path, good: bytes) -> None:
    path.write_bytes(b"")


def _deep(path: Path, good: bytes) -> None:
    path.write_bytes(b"[" * 200_000)


def _huge(path: Path, good: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(good)
        fh.truncate(HUGE)


BAD: dict[str, Callable[[Path, bytes], None]] = {
    f.__name__.strip("_"): f
    for f in (
        _missing,
        _directory,
        _unreadable,
        _symlink_loop,
        _fifo,
        _binary,
        _utf16,
        _latin1,
        _truncated,
        _empty,
        _deep,
        _huge,
    )
}


@dataclass(frozen=True)
class Outcome:
    code: int
    stderr: str
    crashed: BaseException | None


@dataclass(frozen=True)
class Command:
    """How to make the good file this command reads, and how to run it on `path`."""

    good: Callable[[Cast, Path], bytes]
    run: Callable[[Cast, Path], Outcome]
    # Inputs that are not wrong for this file (e.g. a CSV cut at a row's end stays a CSV).
    fine: frozenset[str] = frozenset()


def _accord(*args: str, env: dict[str, str] | None = None) -> Outcome:
    result = CliRunner().invoke(app, list(args), env=env)
    crashed = None if isinstance(result.exception, SystemExit | None) else result.exception
    return Outcome(result.exit_code, result.stderr, crashed)


def _csv(cast: Cast, tmp: Path) -> bytes:
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    rows = [f"k{i},{cast.member.user.email},mentoring,Mentoring,{day},2,3" for i in range(40)]
    return ("source_key,member,kind,title,date,hours,level\n" + "\n".join(rows) + "\n").encode()


def _policy(cast: Cast, tmp: Path) -> bytes:
    return json.dumps(policies.version(1), indent=1).encode()


def _policy_decision(cast: Cast) -> str:
    """A passed decision adopting `_policy`'s document from tomorrow."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    decision = pass_decision(
        cast.steward, Gated.PUBLISH_POLICY, policy=policies.version(1), effective_from=tomorrow
    )
    return str(decision.pk)


def _private_key(cast: Cast, tmp: Path) -> bytes:
    return keys.private_pem(keys.Ed25519PrivateKey.generate())


def _export(cast: Cast, tmp: Path) -> bytes:
    if not Entry.objects.exists():
        make_policy(cast.steward, effective_from=timezone.localdate() - timedelta(days=400))
    sign_head()
    return "".join(line + "\n" for line in export_lines()).encode()


def _public_key(cast: Cast, tmp: Path) -> bytes:
    return keys.public_pem()


def _not_a_backup() -> bytes:
    return b"SQLite format 3\x00" + b"a\n" * 2000


def _manifest_for(backup: Path) -> None:
    """A manifest that matches `backup` byte for byte, so the restore reads the file itself."""
    data = backup.read_bytes()
    manifest = {
        "format": FORMAT,
        "engine": connection.vendor,
        "created_at": "2026-01-01T00:00:00Z",
        "file": {
            "name": backup.name,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        "ledger": {"size": 0, "head": None},
        "tables": {},
        "balances": {},
    }
    backup.with_name(backup.name + ".json").write_text(json.dumps(manifest))


def _restore_file(cast: Cast, path: Path) -> Outcome:
    if path.is_file() and path.stat().st_size < 1_000_000:
        _manifest_for(path)
    return _accord("restore", str(path), "--yes")


def _restore_manifest(cast: Cast, path: Path) -> Outcome:
    backup = path.with_name("backup.bin")
    backup.write_bytes(_not_a_backup())
    path.rename(path.with_name("backup.bin.json")) if path.exists() or path.is_symlink() else None
    return _accord("restore", str(backup), "--yes")


def _manifest(cast: Cast, tmp: Path) -> bytes:
    backup = tmp / "good-backup.bin"
    backup.write_bytes(_not_a_backup())
    _manifest_for(backup)
    return backup.with_name(backup.name + ".json").read_bytes()


def _verifier(*args: str) -> Callable[[Cast, Path], Outcome]:
    def run(cast: Cast, path: Path) -> Outcome:
        key = path.with_name("public.pem")
        if not key.exists():
            key.write_bytes(keys.public_pem())
        argv = [a.replace("FILE", str(path)).replace("KEY", str(key)) for a in args]
        return _call_verifier(argv)

    return run


CAPTURED: list[pytest.CaptureFixture[str]] = []


def _call_verifier(argv: list[str]) -> Outcome:
    capture = CAPTURED[-1]
    capture.readouterr()
    try:
        code = verifier(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    except Exception as exc:  # the test reports it as a crash
        return Outcome(1, capture.readouterr().err, exc)
    return Outcome(code, capture.readouterr().err, None)


COMMANDS: dict[str, Command] = {
    "import contributions": Command(
        good=_csv,
        run=lambda cast, path: _accord(
            "import", "contributions", str(path), "--as", cast.steward.user.email, "--dry-run"
        ),
    ),
    "policy publish": Command(
        good=_policy,
        run=lambda cast, path: _accord(
            "policy",
            "publish",
            str(path),
            "--as",
            cast.steward.user.email,
            "--reason",
            "r",
            "--effective",
            (timezone.localdate() + timedelta(days=1)).isoformat(),
            "--decision",
            _policy_decision(cast),
        ),
    ),
    "ledger rotate-key --new-key": Command(
        good=_private_key,
        run=lambda cast, path: _accord("ledger", "rotate-key", "--new-key", str(path)),
    ),
    "ledger sign (ACCORD_LEDGER_KEY_FILE)": Command(
        good=_private_key,
        run=lambda cast, path: _sign_with(path),
    ),
    "restore (the backup)": Command(good=lambda cast, tmp: _not_a_backup(), run=_restore_file),
    "restore (its manifest)": Command(good=_manifest, run=_restore_manifest),
    "verifier (an export)": Command(good=_export, run=_verifier("FILE", "--key", "KEY")),
    "verifier (a receipt)": Command(
        good=_export, run=_verifier("FILE", "--key", "KEY", "--receipt")
    ),
    "verifier (its key)": Command(good=_public_key, run=_verifier("/dev/null", "--key", "FILE")),
}


def _sign_with(path: Path) -> Outcome:
    keys.forget_cached_key()
    try:
        return _accord("ledger", "sign", env={"ACCORD_LEDGER_KEY_FILE": str(path)})
    finally:
        keys.forget_cached_key()


@contextlib.contextmanager
def _at_most(*, seconds: int, what: str) -> Iterator[None]:
    """Fail, instead of hanging the run, when a command blocks (as on a FIFO it opens)."""

    def hung(signum: int, frame: object) -> None:
        pytest.fail(f"{what} was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def captured(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    CAPTURED.append(capsys)
    yield capsys
    CAPTURED.pop()


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_file_gets_one_line_and_a_non_zero_exit(
    cast: Cast, tmp_path: Path, captured: object, command: str, bad: str
) -> None:
    spec = COMMANDS[command]
    good = spec.good(cast, tmp_path)
    path = tmp_path / "input"
    BAD[bad](path, good)
    entries_before = Contribution.objects.count()

    with _at_most(seconds=30, what=f"{command} on a {bad} file"):
        outcome = spec.run(cast, path)

    assert outcome.crashed is None, f"{command} on a {bad} file raised {outcome.crashed!r}"
    assert outcome.code != 0, f"{command} accepted a {bad} file"
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, f"{command} on a {bad} file said: {outcome.stderr!r}"
    assert lines[0].startswith(("accord: error: ", "FAILED: ")), lines[0]
    assert Contribution.objects.count() == entries_before


@pytest.mark.parametrize(
    "command",
    ["import contributions", "policy publish", "verifier (an export)", "verifier (its key)"],
)
def test_the_good_file_each_bad_one_comes_from_is_taken(
    cast: Cast, tmp_path: Path, captured: object, command: str
) -> None:
    spec = COMMANDS[command]
    path = tmp_path / "input"
    path.write_bytes(spec.good(cast, tmp_path))
    if command == "verifier (its key)":  # the key is good; the export beside it must be too
        export = tmp_path / "export.jsonl"
        export.write_bytes(_export(cast, tmp_path))
        outcome = _call_verifier([str(export), "--key", str(path)])
    else:
        outcome = spec.run(cast, path)

    assert outcome.crashed is None
    assert (outcome.code, outcome.stderr) == (0, "")
