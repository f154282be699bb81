"""python -m accord.verifier FILE.jsonl --key KEY.pem   (an export)
python -m accord.verifier RECEIPT.json --key KEY.pem --receipt   (one member's receipt)

Exit status 0 when everything verifies, 1 with a one-line reason otherwise.
"""

import argparse
import sys

from accord.verifier.check import VerificationError, check_export, check_receipt, load_key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accord.verifier",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="a ledger export (.jsonl) or, with --receipt, a receipt")
    parser.add_argument(
        "--key", required=True, help="the ledger's public key (PEM), as published at /ledger/key"
    )
    parser.add_argument("--receipt", action="store_true", help="FILE is a receipt")
    args = parser.parse_args(argv)
    try:
        key = load_key(args.key)
        message = check_receipt(args.file, key) if args.receipt else check_export(args.file, key)
    except VerificationError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    except OSError as exc:
        print(f"FAILED: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)  # noqa: T201
        return 1
    print(f"OK: {message}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
