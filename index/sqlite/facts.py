"""Lab values and facts of one patient in the SQLite store (facts: allergies, medications, problems...,
read by ingest/facts; lab values: ingest/labs)."""

from __future__ import annotations

import sqlite3
from typing import Sequence

from carnet.errors import UnknownDocument
from carnet.facts import Fact
from carnet.records import LabRow
from index.sqlite.documents import bump_version, parse_date
from index.sqlite.schema import FACT_COLUMNS, FACTS_VERSION

_LAB_COLUMNS = ("document_id", "analyte", "label", "value", "unit", "low", "high", "flag", "page", "loinc", "ucum",
                "origin", "confidence")


class Facts:
    """Lab values and facts (a mixin of SQLiteStore: `db` and `patient` come from it)."""

    def lab_values(self, patient_id: str) -> list[LabRow]:
        patient = self.patient(patient_id)
        names = ", ".join(f"l.{c}" for c in _LAB_COLUMNS)
        cur = self.db.execute(
            f"SELECT {names}, d.service_date, d.source FROM lab_values l JOIN documents d ON d.id = l.document_id "
            "WHERE d.patient_num = ? AND d.canonical_id IS NULL ORDER BY l.analyte, d.service_date",
            [patient.num],
        )
        rows = []
        for r in cur.fetchall():
            row = dict(zip(_LAB_COLUMNS, r))
            rows.append(LabRow(**row, service_date=parse_date(r[-2]), source=r[-1]))
        return rows

    @staticmethod
    def _write_facts(conn: sqlite3.Connection, patient_num: int, document_id: str, facts: Sequence[Fact]) -> None:
        """Inside the caller's transaction: the document's facts replace any it had."""
        conn.execute("DELETE FROM facts WHERE document_id = ?", [document_id])
        names = ", ".join(f'"{c}"' for c in FACT_COLUMNS)
        marks = ", ".join("?" * (len(FACT_COLUMNS) + 1))
        rows = []
        for f in facts:
            row = f.as_row()
            row["document_id"] = document_id
            rows.append([patient_num] + [row[c] for c in FACT_COLUMNS])
        conn.executemany(f"INSERT INTO facts (patient_num, {names}) VALUES ({marks})", rows)

    def replace_facts(self, document_id: str, facts: Sequence[Fact]) -> None:
        """Write a stored document's facts again (a new extractor run over an older store), in one transaction."""
        row = self.db.execute("SELECT patient_num FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            raise UnknownDocument(document_id)
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._write_facts(conn, row[0], document_id, facts)
            conn.execute("UPDATE documents SET facts_version = ? WHERE id = ?", [FACTS_VERSION, document_id])
            bump_version(conn, [document_id])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def facts_outdated(self, document_id: str) -> bool:
        """Whether the document's facts were never read, or read by an older extractor."""
        row = self.db.execute("SELECT facts_version FROM documents WHERE id = ?", [document_id]).fetchone()
        return row is not None and (row[0] or 0) < FACTS_VERSION

    def facts(self, patient_id: str, kinds: Sequence[str] = (), *, include_duplicates: bool = False) -> list[Fact]:
        """A patient's facts (all kinds, or those asked for), most recent act first. Facts of a near duplicate
        (a document another version replaces) are left out unless asked for: the canonical version states them."""
        patient = self.patient(patient_id)
        names = ", ".join(f'f."{c}"' for c in FACT_COLUMNS)
        sql = f"SELECT {names} FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.patient_num = ?"
        params: list = [patient.num]
        if kinds:
            sql += f" AND f.kind IN ({','.join('?' * len(kinds))})"
            params += list(kinds)
        if not include_duplicates:
            sql += " AND d.canonical_id IS NULL"
        sql += " ORDER BY f.service_date DESC, f.id"
        return [Fact.from_row(dict(zip(FACT_COLUMNS, r))) for r in self.db.execute(sql, params).fetchall()]

    def document_facts(self, document_id: str) -> list[Fact]:
        names = ", ".join(f'"{c}"' for c in FACT_COLUMNS)
        rows = self.db.execute(f"SELECT {names} FROM facts WHERE document_id = ? ORDER BY id", [document_id]).fetchall()
        return [Fact.from_row(dict(zip(FACT_COLUMNS, r))) for r in rows]
