"""Operating Accord: backing the database up and restoring it, proven by the same checks.

A backup is two files: the database (SQLite's online backup API, or `pg_dump -Fc` on
PostgreSQL, each one snapshot) and its manifest, `FILE.json`, which says what that snapshot
holds (row counts per table, every account's balance, the ledger's size and latest signed
head). A restore puts the database back and proves it by `verify_ledger` and by reading the
same figures again.
"""
