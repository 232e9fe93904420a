"""`carnet db migrate --to URL --home H`: a SQLite store copied into PostgreSQL reads back as the same records."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import numpy as np
import psycopg
from typer.testing import CliRunner

from carnet.facts import Fact
from carnet.models import Chunk, DocMeta
from carnet.records import AuditRecord
from cli.main import app
from index.postgres.documents import chunk_row
from index.postgres.migrate import _chunk_row
from index.postgres.store import PostgresStore
from index.sqlite import SQLiteStore
from tests import pg_server
from tests.factories import new_document


def _store(home):
    lite = SQLiteStore(home)
    texts = ["Échographie cardiaque : fraction d'éjection normale.", "Conclusion : pas d'insuffisance mitrale."]
    v = np.random.default_rng(1).normal(size=(2, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    lite.add_document(new_document("A", "a" * 64, meta=DocMeta(title="Écho", service_date=date(2024, 3, 1)),
                                   texts=texts, vectors=v, pdf_bytes=b"%PDF a", file_size=6,
                                   lab_values=[{"analyte": "hb", "label": "Hémoglobine", "value": 13.1, "unit": "g/dL",
                                                "low": 12.0, "high": 16.0, "flag": None, "page": 1}],
                                   facts=[Fact(kind="allergy", name="pénicilline", sentence="Allergie : pénicilline")]))
    lite.add_document(new_document("B", "b" * 64, texts=texts[:1], pdf_bytes=b"%PDF b"))  # pending: no vectors
    lite.grant("dr-x", "A", "admin")
    lite.open_break_glass("dr-y", "B", "urgence", datetime.now(timezone.utc) + timedelta(hours=1))
    lite.append_audit(AuditRecord(actor="dr-x", actor_role="practitioner", action="ask", outcome="allowed",
                                  patient_id="A", question="écho ?"))
    lite.append_audit(AuditRecord(actor=None, actor_role=None, action="ask", outcome="refused", detail="no token"))
    return lite


def test_migrate_copies_every_record_and_refuses_a_second_copy(tmp_path):
    lite = _store(tmp_path / "home")
    url = pg_server.fresh_database("migrate")
    runner = CliRunner()
    done = runner.invoke(app, ["db", "migrate", "--to", url, "--home", str(tmp_path / "home")])
    assert done.exit_code == 0, done.output
    assert "every count matches" in done.stdout and "chunks" in done.stdout
    pg = PostgresStore(url, tmp_path / "home")
    try:
        assert pg.counts() == lite.counts()
        for pid in ("A", "B"):
            assert pg.patient(pid) == lite.patient(pid)
            assert pg.documents(pid) == lite.documents(pid)
            assert pg.lab_values(pid) == lite.lab_values(pid) and pg.facts(pid) == lite.facts(pid)
            num = lite.patient(pid).num
            ids, vectors = lite.chunk_vectors(num)
            pg_ids, pg_vectors = pg.chunk_vectors(num)
            assert ids.tolist() == pg_ids.tolist() and np.allclose(vectors, pg_vectors) if len(ids) else not len(pg_ids)
            assert pg.pending_chunks(patient_num=num) == lite.pending_chunks(patient_num=num)
        assert pg.grants() == lite.grants()
        now = datetime.now(timezone.utc)
        assert pg.open_window("dr-y", "B", now) == lite.open_window("dr-y", "B", now)
        assert pg.audit_events() == lite.audit_events()
        # new rows are numbered after the copied ones
        assert pg.append_audit(AuditRecord(actor="x", actor_role="admin", action="grant", outcome="allowed")) == 3
    finally:
        pg.close()
    again = runner.invoke(app, ["db", "migrate", "--to", url, "--home", str(tmp_path / "home")])
    assert again.exit_code == 2 and "already holds documents" in again.output


def _indexes(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                            "ORDER BY indexname").fetchall()


def test_a_failed_migration_leaves_the_target_empty_with_its_keys_and_indexes(tmp_path):
    """The copy drops the keys and indexes of the tables it loads and builds them again: a copy that fails
    half-way rolls all of it back, and the target takes a good copy afterwards."""
    home = tmp_path / "home"
    _store(home).close()
    lite = sqlite3.connect(home / "carnet.db")
    lite.execute("INSERT INTO document_files (document_id, source) VALUES ('no-such-document', 'x.pdf')")
    lite.commit()
    url, fresh = pg_server.fresh_database("failed"), pg_server.fresh_database("fresh")
    PostgresStore(fresh, tmp_path / "fresh").counts()  # the schema, as a store creates it
    runner = CliRunner()
    failed = runner.invoke(app, ["db", "migrate", "--to", url, "--home", str(home)])
    assert failed.exit_code == 2 and "inconsistent" in failed.output and "no-such-document" in failed.output
    with psycopg.connect(url) as conn:
        assert [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("patients", "documents", "chunks")] \
            == [0, 0, 0]
    assert _indexes(url) == _indexes(fresh) and any(name == "chunks_pkey" for name, _ in _indexes(url))
    lite.execute("DELETE FROM document_files WHERE document_id = 'no-such-document'")
    lite.commit()
    lite.close()
    done = runner.invoke(app, ["db", "migrate", "--to", url, "--home", str(home)])
    assert done.exit_code == 0, done.output
    assert _indexes(url) == _indexes(fresh)


def test_migrate_refuses_a_url_that_is_not_postgresql(tmp_path):
    _store(tmp_path / "home")
    result = CliRunner().invoke(app, ["db", "migrate", "--to", "mysql://x/y", "--home", str(tmp_path / "home")])
    assert result.exit_code == 2 and "postgresql://" in result.output
    unreachable = CliRunner().invoke(app, ["db", "migrate", "--to", "postgresql://u@/db?host=/nonexistent",
                                           "--home", str(tmp_path / "home")])
    assert unreachable.exit_code == 2 and "cannot reach" in unreachable.output


def test_the_copied_chunk_row_is_the_one_the_store_writes():
    """migrate's cached row builder gives what PostgresStore.add_document stores for the same chunk."""
    vector = np.arange(4, dtype=np.float32)
    for text, title in [("Conclusion : pas d'insuffisance mitrale.\nImpression : écho normale", "Écho"),
                        ("Conclusion : pas d'insuffisance mitrale.\nImpression : écho normale", None),
                        ("Hémoglobine 13,1 g/dL", "Bilan")]:
        for _ in range(2):  # the second time from the cache
            stored = chunk_row("P", 7, "d", Chunk("d", 2, 0, len(text), "s", text), title, vector)
            copied = _chunk_row("P", (7, "d", 2, 0, len(text), "s", text, vector.tobytes()), title)
            assert copied[:8] == stored[:8] and copied[9:] == stored[9:] and np.array_equal(copied[8], stored[8])
    assert _chunk_row("P", (8, "d", 1, 0, 3, None, "abc", None), None)[8] is None  # pending: no vector
