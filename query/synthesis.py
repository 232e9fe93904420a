"""A one-page synthesis of a patient's record, every item linked to the document and page it comes from.

- the latest document of each type;
- current medications: the drug lines of the latest prescription(s) (type 57833-6);
- allergies: "Allergies :" lines anywhere, most recent first;
- known problems: "Antécédents", "Problèmes", "Diagnostic(s)" lists, and the conclusion of discharge letters;
- lab values: the latest value of each analyte with its range, flag and trend over time, and the values out
  of range (from the lab_values table filled at ingest by ingest.labs).

Items are cut from stored chunk text (verbatim, white space squeezed); nothing is invented. `lab_trend_png`
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
from carnet.text import fold

PRESCRIPTION = "57833-6"
DISCHARGE_TYPES = ("11490-0", "34112-3", "34133-9")
TREND_TOLERANCE = 0.05  # a relative change below 5 % between the last two values is "stable"
MAX_ITEMS = 30

_DOSE = (r"\d+(?:[.,]\d+)?\s*(?:mg|g|µg|μg|mcg|ug|ui|UI|ml|mL|%|microgrammes?|milligrammes?|grammes?)"
         r"(?:\s*/\s*\d*\s*(?:ml|mL|dose|h|24\s*h|j))?")
_DRUG_LINE = re.compile(
    r"^\s*(?:[-•*]|\d+[.)])?\s*(?P<name>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]+(?:\s+[A-Za-zÀ-ÿ'’\-]+){0,3}?)\s+"
    rf"(?P<dose>{_DOSE})(?![\w])(?P<rest>.*)$"
)
_POSOLOGY = re.compile(
    r"\b(?:comprim[ée]s?|cp|cpr|g[ée]lules?|sachets?|bouff[ée]es?|inhalations?|injections?|gouttes?|ampoules?|"
    r"patch|matin|midi|soir|coucher|par jour|/\s*j(?:our)?\b|fois|pendant|tous les|toutes les|daily|twice|"
    r"once|at night|tablet|capsule|puffs?)",
    re.IGNORECASE,
)
_TIMING = re.compile(
    r"\b(?:matin|midi|soir|coucher|par jour|fois|pendant|tous les|toutes les|daily|twice|once|at night)\b|/\s*j\b|\d",
    re.IGNORECASE,
)
_NOT_A_DRUG = re.compile(
    r"^(?:qsp|ordonnance|dr|docteur|le|date|poids|taille|age|patient|renouveler|a renouveler|total|"
    r"fevg|pa|fc|hba1c|creatinine|glycemie|dose)\b"
)
_ALLERGY = re.compile(
    r"(?im)^[ \t\-•*]*(?:allergies?|allergie\s+m[ée]dicamenteuse|allergies\s+connues|intol[ée]rances?(?:\s*/\s*allergies?)?|"
    r"known allergies|drug allergies|allergy)[ \t]*(?:connues?|m[ée]dicamenteuses?)?[ \t]*[:\-][ \t]*(?P<what>[^\n]+)"
)
_NO_ALLERGY = re.compile(r"^(?:aucune?|neant|pas d'allergie|nkda|none|no known|non connue?s?|ras|0)\b")
_PROBLEM_HEADING = re.compile(
    r"(?im)^[ \t\-•*]*(?P<head>ant[ée]c[ée]dents?(?:\s+(?:m[ée]dicaux|chirurgicaux|personnels|m[ée]dico-chirurgicaux))?"
    r"|probl[èe]mes?(?:\s+(?:actifs|de sant[ée]))?|diagnostics?(?:\s+(?:retenus?|de sortie|principal|associ[ée]s?))?"
    r"|past medical history|medical history|problem list|diagnos[ie]s)[ \t]*(?::[ \t]*(?P<rest>[^\n]*)|$)"
)
_SHORT_HEADING = re.compile(r"^[ \t]*[A-ZÀ-Ý][A-Za-zÀ-ÿ'’ \-]{2,40}[ \t]*$")  # "Traitement habituel" alone on its line
_HEADING_LINE = re.compile(r"^[ \t]*[A-ZÀ-Ýa-zà-ÿ' ]{3,40}\s*:")
_CONCLUSION = re.compile(r"(?im)^[ \t]*(?:en\s+)?(?:conclusion|au total|synth[èe]se|diagnostic de sortie)[ \t]*:?[ \t]*(?P<rest>[^\n]*)")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _source(doc: dict, page: int) -> dict:
    return {"document_id": doc["id"], "page": int(page), "date": doc.get("service_date")}


# --- documents ---------------------------------------------------------------------------------------


def _clinical(docs: Iterable[dict]) -> list[dict]:
    return [d for d in docs if not d.get("canonical_id") and not d.get("is_noise")]


def latest_by_type(docs: list[dict], language: str = "fr") -> list[dict]:
    """The most recent document of each type (docs come most recent first), in that order."""
    out: dict[str, dict] = {}
    counts: dict[str, int] = defaultdict(int)
    for d in docs:
        code = d.get("type_code") or "unknown"
        counts[code] += 1
        if code not in out:
            out[code] = {"type_code": d.get("type_code"), "type_label": codes.type_label(d.get("type_code"), language),
                         "document_id": d["id"], "title": d.get("title"), "date": d.get("service_date"), "page": 1}
    for code, item in out.items():
        item["count"] = counts[code]
    return list(out.values())


# --- medications -------------------------------------------------------------------------------------


def parse_drug_lines(text: str) -> list[dict]:
    """Drug lines of a prescription: name, dose, posology (same line or the next one), the line as printed."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = _DRUG_LINE.match(line)
        if not m:
            continue
        name = m.group("name").strip(" -:,")
        if _NOT_A_DRUG.match(fold(name)) or len(name) < 3:
            continue
        rest = m.group("rest").strip(" ,;:-")
        posology = None
        form = None
        if rest:
            parts = re.split(r"\s*:\s*", rest, maxsplit=1)
            if len(parts) == 2:
                form, posology = parts[0].strip(" ,") or None, parts[1]
            elif _POSOLOGY.search(rest) and _TIMING.search(rest):
                posology = rest
            else:
                form = rest
        if not posology:
            nxt = next((ln for ln in lines[i + 1:i + 3] if ln.strip()), "")
            if nxt and _POSOLOGY.search(nxt) and _TIMING.search(nxt) and not _DRUG_LINE.match(nxt):
                posology = nxt
        out.append({"name": name, "dose": _squeeze(m.group("dose")), "form": _squeeze(form) if form else None,
                    "posology": _squeeze(posology) if posology else None, "line": _squeeze(line)})
    return out


def current_medications(store, docs: list[dict]) -> list[dict]:
    """Drug lines of the latest prescription(s): every prescription dated on the most recent prescription day."""
    prescriptions = [d for d in docs if d.get("type_code") == PRESCRIPTION]
    if not prescriptions:
        return []
    latest_day = prescriptions[0].get("service_date")
    chosen = [d for d in prescriptions if d.get("service_date") == latest_day] if latest_day else prescriptions[:1]
    meds: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for d in chosen:
        for chunk in store.document_chunks(d["id"]):
            for drug in parse_drug_lines(chunk["text"]):
                key = (fold(drug["name"]), fold(drug["dose"]))
                if key in seen:  # chunk overlaps repeat lines
                    continue
                seen.add(key)
                meds.append({**drug, **_source(d, chunk["page"])})
    return meds


# --- allergies and problems --------------------------------------------------------------------------


def find_allergies(text: str) -> list[dict]:
    out = []
    for m in _ALLERGY.finditer(text):
        what = _squeeze(m.group("what")).rstrip(" .;")
        if what:
            out.append({"text": what, "none": bool(_NO_ALLERGY.match(fold(what)))})
    return out


def _split_items(text: str) -> list[str]:
    items = re.split(r"\s*(?:;|\n|(?<=[a-zà-ÿ)])\.\s+|•|\s-\s|,\s+(?=[A-ZÀ-Ý]))\s*", text)
    return [_squeeze(i).strip(" .,;:-•*") for i in items if len(_squeeze(i).strip(" .,;:-•*")) >= 3]


def find_problems(text: str) -> list[dict]:
    """Items listed under "Antécédents :", "Problèmes :", "Diagnostic(s) :" (same line and the lines after)."""
    out = []
    lines = text.split("\n")
    starts = {}
    offset = 0
    for idx, ln in enumerate(lines):
        starts[offset] = idx
        offset += len(ln) + 1
    for m in _PROBLEM_HEADING.finditer(text):
        line_start = text.rfind("\n", 0, m.start() + 1) + 1
        idx = starts.get(line_start)
        rest = m.group("rest") or ""
        block = [rest] if rest.strip() else []
        if idx is not None:
            for ln in lines[idx + 1: idx + 12]:
                if not ln.strip():
                    if block:
                        break
                    continue  # blank lines between a heading alone on its line and its list
                bullet = ln.lstrip().startswith(("-", "•", "*"))
                if not bullet and (_HEADING_LINE.match(ln) or (_SHORT_HEADING.match(ln) and len(ln.split()) <= 4)):
                    break
                if block and ln.strip()[0].islower() and not bullet:
                    block[-1] += " " + ln.strip()  # a wrapped line
                else:
                    block.append(ln)
        for item in _split_items("\n".join(block)):
            if len(item) <= 120:
                out.append({"text": item, "kind": _kind(m.group("head"))})
    return out


def _kind(head: str) -> str:
    h = fold(head)
    if h.startswith("antecedent") or "history" in h:
        return "antecedent"
    if h.startswith("diagnos"):
        return "diagnostic"
    return "probleme"


def _conclusion_items(text: str) -> list[str]:
    m = _CONCLUSION.search(text)
    if not m:
        return []
    after = text[m.start("rest"):]
    block = after.split("\n\n", 1)[0]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", _squeeze(block)) if len(s) >= 5]
    return [s for s in sentences[:2] if len(s) <= 200]


def allergies_and_problems(store, docs: list[dict]) -> tuple[list[dict], list[dict]]:
    allergies: list[dict] = []
    problems: list[dict] = []
    seen_a: set[str] = set()
    seen_p: set[str] = set()
    for d in docs:  # most recent first
        for chunk in store.document_chunks(d["id"]):
            text = chunk["text"]
            for a in find_allergies(text):
                key = fold(a["text"]).rstrip(" .;")
                if key not in seen_a:
                    seen_a.add(key)
                    allergies.append({**a, **_source(d, chunk["page"])})
            found = find_problems(text)
            if d.get("type_code") in DISCHARGE_TYPES and (chunk.get("section") == "conclusion" or _CONCLUSION.search(text)):
                found += [{"text": s, "kind": "conclusion"} for s in _conclusion_items(text)]
            for p in found:
                key = fold(p["text"]).rstrip(" .;")
                if key not in seen_p:
                    seen_p.add(key)
                    problems.append({**p, **_source(d, chunk["page"])})
    return allergies[:MAX_ITEMS], problems[:MAX_ITEMS]


# --- lab values --------------------------------------------------------------------------------------


def _series_keys(rows: list[dict]) -> list[str]:
    """One series per analyte, split by label when one document reports the analyte under several labels
    (ASAT and ALAT are both "transaminases")."""
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        labels[(r["document_id"], r["analyte"])].add(fold(r["label"] or ""))
    split = {analyte for (_, analyte), ls in labels.items() if len(ls) > 1}
    keys = []
    for r in rows:
        if r["analyte"] in split:
            keys.append(f"{r['analyte']}:{re.sub(r'[^a-z0-9]+', '-', fold(r['label'] or '')).strip('-')}")
        else:
            keys.append(r["analyte"])
    return keys


def _same_unit(a: str | None, b: str | None) -> bool:
    return a is None or b is None or fold(a).replace("µ", "u") == fold(b).replace("µ", "u")


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
        values.sort(key=lambda r: (r.get("service_date") or "", r.get("page") or 0))
    return dict(series)


def lab_summary(store, patient_id: str) -> list[dict]:
    out = []
    for key, values in sorted(lab_series(store, patient_id).items()):
        latest = values[-1]
        points = [{"date": r.get("service_date"), "value": r["value"], "document_id": r["document_id"],
                   "page": r["page"]} for r in values if r["value"] is not None and _same_unit(r["unit"], latest["unit"])]
        analyte = latest["analyte"]
        out.append({
            "key": key, "analyte": analyte,
            "name": ANALYTES[analyte].label if analyte in ANALYTES and ":" not in key else latest["label"],
            "label": latest["label"], "value": latest["value"], "unit": latest["unit"], "low": latest["low"],
            "high": latest["high"], "flag": latest["flag"], "date": latest.get("service_date"),
            "document_id": latest["document_id"], "page": latest["page"],
            "trend": points, "direction": _direction(points),
        })
    return out


# --- the synthesis -------------------------------------------------------------------------------------


def patient_synthesis(store, patient_id: str, language: str = "fr") -> dict:
    """Everything a GP wants on one page, each item with its document_id, page and date.

    Raises UnknownPatient (a NotFound) for a patient the store does not hold.
    """
    docs = _clinical(store.documents(patient_id))
    allergies, problems = allergies_and_problems(store, docs)
    labs = lab_summary(store, patient_id)
    return {
        "patient_id": patient_id,
        "generated_on": date.today().isoformat(),
        "document_count": len(docs),
        "latest_documents": latest_by_type(docs, language),
        "medications": current_medications(store, docs),
        "allergies": allergies,
        "problems": problems,
        "labs": labs,
        "out_of_range": [lab for lab in labs if lab["flag"] in ("H", "L")],
    }


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
    points = [(date.fromisoformat(r["service_date"]), r["value"]) for r in values
              if r.get("service_date") and r["value"] is not None and _same_unit(r["unit"], latest["unit"])]
    if not points:
        raise NotFound(f"No dated {analyte!r} lab value for patient {patient_id!r}.")

    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazily: matplotlib costs ~0.3 s to import
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in the API's thread pool

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs, ys = zip(*points)
    low, high = latest["low"], latest["high"]
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
    name = ANALYTES[latest["analyte"]].label if latest["analyte"] in ANALYTES else (latest["label"] or analyte)
    ax.set_title(f"{name} ({latest['unit']})" if latest["unit"] else name, fontsize=9)
    ax.tick_params(labelsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
