"""A standalone verifier for Accord ledger exports and receipts.

Needs only the Python standard library and `cryptography`; it shares nothing with the
running application except the pure Merkle code in `accord.domain`.
"""
