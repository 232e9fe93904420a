"""Lab values and facts of one patient in the PostgreSQL store (a mixin of PostgresStore)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import psycopg

from carnet.errors import UnknownDocument
from carnet.facts import Fact
from carnet.records import LabRow
from index.sqlite.documents import parse_date
from index.sqlite.schema import FACT_COLUMNS, FACTS_VERSION

LAB_COLUMNS = ("document_id", "analyte", "label", "value", "unit", "low", "high", "flag", "page", "loinc", "ucum",
               "origin", "confidence")
_FACT_NAMES = ", ".join(f'"{c}"' for c in FACT_COLUMNS)


class Facts:
    """Lab values and facts."""

    @staticmethod
    def _write_lab_values(conn: psycopg.Connection, patient_id: str, document_id: str,
                          values: Sequence[Mapping[str, Any]]) -> None:
        """Inside the caller's transaction; a value read again replaces the stored one (SQLite's INSERT OR
        REPLACE on (document, analyte, label))."""
        for lv in values:
            row = {"document_id": document_id, **lv}
            names = [c for c in LAB_COLUMNS if c in row]
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in ("document_id", "analyte", "label"))
            conn.execute(f"INSERT INTO lab_values (patient_id, {', '.join(names)}) "
                         f"VALUES (%s, {', '.join(['%s'] * len(names))}) "
                         f"ON CONFLICT (patient_id, document_id, analyte, label) DO "
                         + (f"UPDATE SET {updates}" if updates else "NOTHING"),
                         [patient_id, *(row[n] for n in names)])

    def lab_values(self, patient_id: str) -> list[LabRow]:
        self.patient(patient_id)
        names = ", ".join(f"l.{c}" for c in LAB_COLUMNS)
        with self.connection() as conn:
            rows = conn.execute(
                f"SELECT {names}, d.service_date, d.source FROM lab_values l JOIN documents d "
                "ON d.patient_id = l.patient_id AND d.id = l.document_id "
                'WHERE l.patient_id = %s AND d.canonical_id IS NULL ORDER BY l.analyte COLLATE "C", d.service_date NULLS FIRST, d.seq, l.label COLLATE "C" NULLS FIRST',
                [patient_id]).fetchall()
        return [LabRow(**dict(zip(LAB_COLUMNS, r)), service_date=parse_date(r[-2]), source=r[-1]) for r in rows]

    @staticmethod
    def _write_facts(conn: psycopg.Connection, patient_id: str, document_id: str, facts: Sequence[Fact]) -> None:
        """Inside the caller's transaction: the document's facts replace any it had."""
        conn.execute("DELETE FROM facts WHERE patient_id = %s AND document_id = %s", [patient_id, document_id])
        rows = []
        for f in facts:
            row = f.as_row()
            row["document_id"] = document_id
            rows.append([patient_id] + [row[c] for c in FACT_COLUMNS])
        if rows:
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO facts (patient_id, {_FACT_NAMES}) "
                                f"VALUES ({', '.join(['%s'] * (len(FACT_COLUMNS) + 1))})", rows)

    def replace_facts(self, document_id: str, facts: Sequence[Fact]) -> None:
        owner = self.owner_or_none(document_id)
        if owner is None:
            raise UnknownDocument(document_id)
        with self.connection() as conn:
            with conn.transaction():
                self._write_facts(conn, owner, document_id, facts)
                conn.execute("UPDATE documents SET facts_version = %s WHERE patient_id = %s AND id = %s",
                             [FACTS_VERSION, owner, document_id])

    def facts_outdated(self, document_id: str) -> bool:
        owner = self.owner_or_none(document_id)
        if owner is None:
            return False
        with self.connection() as conn:
            row = conn.execute("SELECT facts_version FROM documents WHERE patient_id = %s AND id = %s",
                               [owner, document_id]).fetchone()
        return row is not None and (row[0] or 0) < FACTS_VERSION

    def facts(self, patient_id: str, kinds: Sequence[str] = (), *, include_duplicates: bool = False) -> list[Fact]:
        """A patient's facts (all kinds, or those asked for), most recent act first; a near duplicate's are
        left out unless asked for."""
        self.patient(patient_id)
        names = ", ".join(f'f."{c}"' for c in FACT_COLUMNS)
        sql = (f"SELECT {names} FROM facts f JOIN documents d ON d.patient_id = f.patient_id AND d.id = f.document_id "
               "WHERE f.patient_id = %s")
        params: list = [patient_id]
        if kinds:
            sql += " AND f.kind = ANY(%s)"
            params.append(list(kinds))
        if not include_duplicates:
            sql += " AND d.canonical_id IS NULL"
        sql += " ORDER BY f.service_date DESC NULLS LAST, f.id"
        with self.connection() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Fact.from_row(dict(zip(FACT_COLUMNS, r))) for r in rows]

    def document_facts(self, document_id: str) -> list[Fact]:
        owner = self.owner_or_none(document_id)
        if owner is None:
            return []
        with self.connection() as conn:
            rows = conn.execute(f"SELECT {_FACT_NAMES} FROM facts WHERE patient_id = %s AND document_id = %s ORDER BY id",
                                [owner, document_id]).fetchall()
        return [Fact.from_row(dict(zip(FACT_COLUMNS, r))) for r in rows]
