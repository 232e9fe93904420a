"""A one-page synthesis of a patient's record, every item linked to the document and page it comes from.

- the latest document of each type;
- the current treatment: the most recent statement of the whole treatment, its date and what changed since
  the one before (query.clinical over the facts read at ingestion, ingest/facts);
- allergies: every allergy any document states, with its sources; "aucune allergie connue" only when a
  document says so; a contradiction between documents is shown (query.clinical.allergies);
- known problems: past-history items and conclusions (facts);
- lab values: the latest value of each analyte with its range, flag and trend over time, and the values out
  of range (from the lab_values table filled at ingest by ingest.labs).

Every item is a stored fact or value with its document and page; nothing is invented. `lab_trend_png`
draws one analyte over time with its reference range shaded (matplotlib is imported inside the function).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date
from typing import Iterable

from carnet import codes
from carnet.errors import NotFound
from carnet.lexicon import ANALYTES
from carnet.records import iso
from carnet.text import fold
from ingest.lab_codes import convert, ucum
from query import clinical

TREND_TOLERANCE = 0.05  # a relative change below 5 % between the last two values is "stable"
MAX_ITEMS = 30

# --- documents ---------------------------------------------------------------------------------------


def _clinical(docs: Iterable[dict]) -> list[dict]:
    return [d for d in docs if not d.canonical_id and not d.is_noise]


def latest_by_type(docs: list[dict], language: str = "fr") -> list[dict]:
    """The most recent document of each type (docs come most recent first), in that order."""
    out: dict[str, dict] = {}
    counts: dict[str, int] = defaultdict(int)
    for d in docs:
        code = d.type_code or "unknown"
        counts[code] += 1
        if code not in out:
            out[code] = {"type_code": d.type_code, "type_label": codes.type_label(d.type_code, language),
                         "document_id": d.id, "title": d.title, "date": iso(d.service_date), "page": 1}
    for code, item in out.items():
        item["count"] = counts[code]
    return list(out.values())


# --- lab values --------------------------------------------------------------------------------------


def _series_keys(rows: list[dict]) -> list[str]:
    """One series per analyte, split by label when one document reports the analyte under several labels
    (a report printing two unrelated rows that fold to the same key; ASAT and ALAT have keys of their own)."""
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        labels[(r.document_id, r.analyte)].add(fold(r.label or ""))
    split = {analyte for (_, analyte), ls in labels.items() if len(ls) > 1}
    keys = []
    for r in rows:
        if r.analyte in split:
            keys.append(f"{r.analyte}:{re.sub(r'[^a-z0-9]+', '-', fold(r.label or '')).strip('-')}")
        else:
            keys.append(r.analyte)
    return keys


def _same_unit(a: str | None, b: str | None) -> bool:
    return a is None or b is None or fold(a).replace("µ", "u") == fold(b).replace("µ", "u")


def _in_unit_of(row: dict, latest: dict) -> float | None:
    """The row's value in the latest value's unit: as is when the units agree, converted when the analyte
    allows it (glucose g/L -> mmol/L, creatinine mg/L -> µmol/L, ...), else None (never mixed in one trend)."""
    if row.value is None:
        return None
    if _same_unit(row.unit, latest.unit):
        return row.value
    a = row.ucum or ucum(row.unit, row.analyte)
    b = latest.ucum or ucum(latest.unit, latest.analyte)
    converted = convert(latest.analyte, row.value, a, b)
    return round(converted, 3) if converted is not None else None


def _direction(points: list[dict]) -> str | None:
    if len(points) < 2:
        return None
    prev, last = points[-2]["value"], points[-1]["value"]
    if prev is None or last is None:
        return None
    scale = max(abs(prev), 1e-9)
    change = (last - prev) / scale
    if abs(change) < TREND_TOLERANCE:
        return "stable"
    return "up" if change > 0 else "down"


def lab_series(store, patient_id: str) -> dict[str, list[dict]]:
    """Lab values grouped by series key, oldest first (undated values first)."""
    rows = store.lab_values(patient_id)
    series: dict[str, list[dict]] = defaultdict(list)
    for key, r in zip(_series_keys(rows), rows):
        series[key].append(r)
    for values in series.values():
        values.sort(key=lambda r: (r.service_date or date.min, r.page or 0))
    return dict(series)


def lab_summary(store, patient_id: str) -> list[dict]:
    out = []
    for key, values in sorted(lab_series(store, patient_id).items()):
        latest = values[-1]
        points = []
        for r in values:
            v = _in_unit_of(r, latest)
            if v is not None:
                points.append({"date": iso(r.service_date), "value": v, "document_id": r.document_id,
                               "page": r.page, "converted": v != r.value, "read_by": r.origin or "text"})
        analyte = latest.analyte
        out.append({
            "key": key, "analyte": analyte,
            "name": ANALYTES[analyte].label if analyte in ANALYTES and ":" not in key else latest.label,
            "label": latest.label, "value": latest.value, "unit": latest.unit, "low": latest.low,
            "high": latest.high, "flag": latest.flag, "date": iso(latest.service_date),
            "document_id": latest.document_id, "page": latest.page,
            "loinc": latest.loinc, "ucum": latest.ucum,
            "read_by": latest.origin or "text", "ocr_confidence": latest.confidence,
            "trend": points, "direction": _direction(points),
        })
    return out


# --- the synthesis -------------------------------------------------------------------------------------


def patient_synthesis(store, patient_id: str, language: str = "fr", today: date | None = None) -> dict:
    """Everything a GP wants on one page, each item with its document_id, page and date (`today`: the day a
    prescription's run-out and the treatment's age are judged on, today by default).

    Raises UnknownPatient (a NotFound) for a patient the store does not hold.
    """
    docs = _clinical(store.documents(patient_id))
    clinical_ids = {d.id for d in docs}
    facts = [f for f in store.facts(patient_id) if f.document_id in clinical_ids]
    allergy = clinical.allergies(facts)
    today = today or date.today()
    treatment = clinical.current_treatment(facts, today)
    labs = lab_summary(store, patient_id)
    return {
        "patient_id": patient_id,
        "generated_on": today.isoformat(),
        "document_count": len(docs),
        "latest_documents": latest_by_type(docs, language),
        "medications": _medication_items(treatment),
        "current_treatment": treatment,
        "allergies": _allergy_items(allergy),
        "allergy_status": allergy["status"],
        "allergy_contradictions": allergy["contradictions"],
        "problems": clinical.problems(facts, MAX_ITEMS),
        "labs": labs,
        "out_of_range": [lab for lab in labs if lab["flag"] in ("H", "L", "A")],
    }


def _allergy_items(allergy: dict) -> list[dict]:
    """Every stated allergy with its sources; "aucune allergie connue (document, date)" only when a document
    says so: alone when nothing contradicts it, beside the allergies when something does."""
    items = list(allergy["items"])
    none = allergy["none_statements"]
    if none and (not items or allergy["contradictions"]):
        first = none[0]
        when = f", {first['date']}" if first.get("date") else ""
        label = "aucune allergie connue" + (" (contredit ailleurs)" if items else "")
        items.append({**first, "text": f"{label}{when}", "sources": [
            {k: n[k] for k in ("document_id", "page", "date", "author", "source")} for n in none]})
    return items[:MAX_ITEMS]


def _medication_items(treatment: dict | None) -> list[dict]:
    """The current lines, then what was prescribed or started since, then the lines to check or no longer
    current, each saying what it is ("prescribed_since", "started_since", "not_restated", "stopped",
    "last_prescribed") and its line of text."""
    if not treatment:
        return []
    if treatment["none"]:
        return [{"name": "aucun traitement", "dose": None, "posology": None, "line": "aucun traitement",
                 "document_id": treatment["document_id"], "page": treatment["page"], "date": treatment["date"]}]

    def line(item: dict, note: str | None = None) -> str:
        text = " ".join(x for x in (item["name"], item["dose"], item["posology"]) if x)
        return f"{text} — {note}" if note else text

    started = {id(x) for x in treatment.get("started_since", [])}
    items = [{**x, "line": line(x, f"introduit le {x['start'] or x['date']}" if id(x) in started else None),
              **({"started_since": True} if id(x) in started else {})} for x in treatment["lines"]]
    items += [{**x, "line": line(x), "prescribed_since": True} for x in treatment["prescribed_since"]]
    items += [{**x, "line": line(x), "not_restated": True} for x in treatment.get("not_restated", [])]
    items += [{**x, "line": line(x, f"arrêté le {x.get('stopped_on') or x['date']}"), "stopped": True}
              for x in treatment.get("stopped_since", [])]
    items += [{**x, "line": line(x, f"dernière prescription le {x['start'] or x['date']}, terminée le {x['ended_on']}"),
               "last_prescribed": True} for x in treatment.get("last_prescribed", [])]
    return items



def lab_trend_png(store, patient_id: str, analyte: str, *, width: float = 4.0, height: float = 2.4) -> bytes:
    """A small PNG of one analyte over time (dated values in the latest value's unit), its reference range
    shaded. `analyte` is a series key from the synthesis ("hba1c", "transaminases:asat") or an ANALYTES key.
    Raises NotFound when the patient has no dated value for it."""
    series = lab_series(store, patient_id)
    values = series.get(analyte)
    if values is None:  # an ANALYTES key whose series was split by label: take the first one
        values = next((v for k, v in sorted(series.items()) if k.split(":", 1)[0] == analyte), None)
    if not values:
        raise NotFound(f"No {analyte!r} lab value for patient {patient_id!r}.")
    latest = values[-1]
    points = [(r.service_date, _in_unit_of(r, latest)) for r in values if r.service_date]
    points = [(d, v) for d, v in points if v is not None]
    if not points:
        raise NotFound(f"No dated {analyte!r} lab value for patient {patient_id!r}.")

    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazily: matplotlib costs ~0.3 s to import
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in the API's thread pool

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs, ys = zip(*points)
    low, high = latest.low, latest.high
    lo_y = min(list(ys) + ([low] if low is not None else []))
    hi_y = max(list(ys) + ([high] if high is not None else []))
    pad = (hi_y - lo_y) * 0.15 or abs(hi_y) * 0.1 or 1.0
    ax.set_ylim(lo_y - pad, hi_y + pad)
    if low is not None or high is not None:
        ax.axhspan(low if low is not None else lo_y - pad, high if high is not None else hi_y + pad,
                   color="#2e7d32", alpha=0.12, lw=0, label="normes")
    ax.plot(xs, ys, marker="o", color="#1565c0", lw=1.5, ms=4)
    for x, y in zip(xs, ys):
        out = (high is not None and y > high) or (low is not None and y < low)
        if out:
            ax.plot([x], [y], marker="o", color="#c62828", ms=5)
    name = ANALYTES[latest.analyte].label if latest.analyte in ANALYTES else (latest.label or analyte)
    ax.set_title(f"{name} ({latest.unit})" if latest.unit else name, fontsize=9)
    ax.tick_params(labelsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
