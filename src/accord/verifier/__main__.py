"""python -m accord.verifier FILE.jsonl --key KEY.pem   (the public export)
python -m accord.verifier FILE.jsonl --key KEY.pem --auditor   (the auditor export)
python -m accord.verifier RECEIPT.json --key KEY.pem --receipt   (a receipt or a bundle)

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
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--receipt", action="store_true", help="FILE is a receipt or a member's receipt bundle"
    )
    kind.add_argument(
        "--auditor", action="store_true", help="FILE is an auditor export: re-derive everything"
    )
    args = parser.parse_args(argv)
    try:
        key = load_key(args.key)
        if args.receipt:
            message = check_receipt(args.file, key)
        else:
            message = check_export(args.file, key, auditor=args.auditor)
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
