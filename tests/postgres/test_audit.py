"""PostgreSQL's audit log refuses TRUNCATE too (UPDATE and DELETE: tests/contract/test_store_contract.py)."""

from __future__ import annotations

import pytest

from carnet.records import AuditRecord
from index.postgres.store import PostgresStore
from tests import pg_server

pytestmark = [pytest.mark.postgres, pytest.mark.integration]


def test_truncate_of_the_audit_log_is_refused(tmp_path):
    store = PostgresStore(pg_server.fresh_database("audit"), tmp_path)
    try:
        store.append_audit(AuditRecord(actor="dr-a", actor_role="practitioner", action="ask", outcome="allowed",
                                       patient_id="A"))
        with pytest.raises(Exception, match="append-only"):
            with store.connection() as conn, conn.transaction():
                conn.execute("TRUNCATE audit_events")
        assert store.audit_events()[0] == 1
    finally:
        store.close()
