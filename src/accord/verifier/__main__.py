"""python -m accord.verifier FILE.jsonl --key KEY.pem   (the public export)
python -m accord.verifier FILE.jsonl --key KEY.pem --auditor   (the auditor export)
python -m accord.verifier RECEIPT.json --key KEY.pem --receipt   (a receipt or a bundle)
python -m accord.verifier BUNDLE.json --key KEY.pem --receipt --explain   (and each statement's
    explanation, one JSON object per line: the steps from the member's weight to their amount)

Exit status 0 when everything verifies, 1 with a one-line reason otherwise.
"""

import argparse
import json
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
    parser.add_argument(
        "--explain",
        action="store_true",
        help="with --receipt: print each statement's explanation after the verdict",
    )
    args = parser.parse_args(argv)
    if args.explain and not args.receipt:
        parser.error("--explain goes with --receipt")
    explanations: dict[int, dict[str, int | str]] = {}
    try:
        key = load_key(args.key)
        if args.receipt:
            verified = check_receipt(args.file, key)
            message, explanations = verified.message, verified.explanations
        else:
            message = check_export(args.file, key, auditor=args.auditor)
    except VerificationError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    except OSError as exc:
        print(f"FAILED: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)  # noqa: T201
        return 1
    print(f"OK: {message}")  # noqa: T201
    if args.explain:
        for seq, steps in sorted(explanations.items()):
            print(json.dumps({"seq": seq, **steps}))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
