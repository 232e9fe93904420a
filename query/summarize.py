"""Short, cited summaries of the documents that answer a question.

The extractive summariser writes no word that is not in a document, except for one clearly separated
lead per document built from the store's metadata ("Échocardiographie du 10/03/2025 (Dr X, cardiologie) :").
Every other sentence is a verbatim piece of a stored chunk (only white space is normalised) and carries
the citation (document id, page) of the chunk it was cut from. It picks, for the top 1-3 documents:

- the conclusion / impression sentences (chunk section "conclusion", or a sentence that opens with
  "Conclusion", "Impression", "En conclusion", "Au total", "Synthèse"...);
- the sentences sharing the most words with the question (its topic words and the synonyms of the exams
  and analytes the parser recognised);
- for a lab question, the lines that name the asked analyte with a number.

No model runs: it costs a few SQL reads and some regular expressions (see `bench_summary` in the report,
well under the 50 ms budget). `make_summarizer` returns the generated summariser of `query.generate` when
the settings ask for it and the local model is there, and falls back to this one otherwise.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

from carnet import codes
from carnet.lexicon import ANALYTES, EXAMS
from carnet.models import Citation, DocumentHit, Interpretation, Summary, SummarySentence
from carnet.words import SUMMARY_STOP_WORDS, prefix_stem
from carnet.text import fold  # keeps recent short strings folded: the same documents come back question after question
from ingest.labs import parse_lab_text
from ingest.understand.furniture import is_furniture
from query import generate, llm_model
from query.learnt_furniture import boilerplate_runs, learnt_furniture, no_boilerplate
from query.llm_chat import LLMConfig

log = logging.getLogger("carnet.summarize")

MAX_DOCUMENTS = 3
MAX_SENTENCES = 4
MAX_SENTENCE_CHARS = 320  # a longer "sentence" is a run-on table or a paragraph without stops: not a summary line

_ABBREVIATIONS = {"dr", "pr", "m", "mme", "mlle", "cf", "vs", "env", "etc", "fig", "n", "no", "st", "ste", "p", "ex"}
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ0-9«\"(\-•])|(?<=;)\s+(?=[A-ZÀ-ÖØ-Þ])")
_HEADING_ONLY = re.compile(r"^[\W\d_]*[A-Za-zÀ-ÿ'’ ]{2,40}\s*:?\s*$")
_CONCLUSION = re.compile(
    r"^\W*(?:en\s+)?(?:conclusion|impression|au total|synthese|summary|assessment|impression clinique|avis|"
    r"diagnostic(?:s)?(?: retenus?| de sortie)?|conduite a tenir)\b",
)
_CLOSING = re.compile(
    r"confraternel|cordialement|bien a vous|amities|dicte le|frappe le|\btel\b|\bfax\b|rpps|finess|adeli|"
    r"\bpage \d|signature|chere? (?:consoeur|confrere|ami)|secretariat|courriel|@|copie a|\bcc\b|"
    r"je vous remercie|merci de m'avoir adresse"
)
LAB_REPORT = codes.LAB
_ADMIN = re.compile(r"\bne\(?e?\)? le\b|\bpreleve|\brecu le\b|\bedite le\b|\bdossier\b|\bprescripteur\b|\bnir\b|\bipp\b")
_STOP = SUMMARY_STOP_WORDS


@dataclass(frozen=True)
class _Sentence:
    text: str  # white space normalised, otherwise verbatim
    page: int
    order: int  # position in the document (chunk order, then offset)
    in_conclusion: bool
    folded: str = ""
    boilerplate: bool = False  # made of lines its sender prints on every paper (query.learnt_furniture)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in _STOP and len(w) >= 2}


_stem = prefix_stem


def split_sentences(text: str) -> list[str]:
    """Verbatim pieces of `text` (white space squeezed): sentences of prose, lines of tables.

    Lines are kept apart unless the next one continues the previous sentence (it starts with a
    lower-case letter and the previous one does not end with a stop); a heading alone on its line
    ("Conclusion :") is joined to what follows it.
    """
    lines = [ln.strip() for ln in text.split("\n")]
    blocks: list[str] = []
    for ln in lines:
        if not ln:
            blocks.append("")
            continue
        if blocks and blocks[-1] and ln[0].islower() and not re.search(r"[.!?:;]$", blocks[-1]):
            blocks[-1] += " " + ln
        else:
            blocks.append(ln)
    pieces: list[str] = []
    for block in blocks:
        if not block:
            continue
        start = 0
        for m in _BOUNDARY.finditer(block):
            before = block[start:m.start()]
            last = re.search(r"(\w+)\.$", before)
            if last and (last.group(1).lower() in _ABBREVIATIONS or len(last.group(1)) == 1):
                continue
            if before.endswith(".."):  # dot leaders: "HbA1c ........ 7,1 %"
                continue
            pieces.append(before.strip())
            start = m.end()
        pieces.append(block[start:].strip())
    merged: list[str] = []
    for p in (" ".join(p.split()) for p in pieces if p.strip()):
        if merged and _HEADING_ONLY.match(merged[-1]) and merged[-1].rstrip().endswith(":"):
            merged[-1] = f"{merged[-1]} {p}"
        elif merged and _is_bare_heading(merged[-1]) and _CONCLUSION.match(fold(merged[-1])):
            merged[-1] = f"{merged[-1]} {p}"
        else:
            merged.append(p)
    return merged


def _is_bare_heading(text: str) -> bool:
    return bool(_HEADING_ONLY.match(text)) and len(text.split()) <= 4


def _document_sentences(chunks: Sequence[dict], skip: Callable[[str], bool] = no_boilerplate) -> list[_Sentence]:
    """The document's sentences; those made of lines its sender prints on every paper (`skip`, learnt from
    the patient's documents: query.learnt_furniture) are marked `boilerplate`."""
    out: list[_Sentence] = []
    seen: set[str] = set()
    order = 0
    for chunk in chunks:
        conclusion_run = 0
        runs = boilerplate_runs(chunk.text, skip)
        for text in split_sentences(chunk.text):
            order += 1
            folded = fold(text)
            if _CONCLUSION.match(folded):
                conclusion_run = 3  # the heading's sentence and the two after it
            in_conclusion = chunk.section == "conclusion" or conclusion_run > 0
            conclusion_run = max(0, conclusion_run - 1)
            if folded in seen:  # chunk overlaps repeat sentences
                continue
            seen.add(folded)
            boilerplate = any(text in run for run in runs)
            out.append(_Sentence(text, int(chunk.page), order, in_conclusion, folded, boilerplate))
    return out


def _query_terms(question: str, interp: Interpretation) -> tuple[set[str], list[str]]:
    """(stems of the question's words, folded synonyms of the analytes asked for)."""
    # The exam's own name is left out: the documents were found because they are that exam, and its name
    # matches their title lines, not their findings. The conclusion answers "the last echo" better.
    words = _words(interp.topic or "") if interp.has_filters else (_words(interp.topic or "") or _words(question))
    analyte_synonyms: list[str] = []
    for key in interp.analyte_keys:
        analyte = ANALYTES.get(key)
        if analyte:
            analyte_synonyms += list(analyte.synonyms)
            words |= {w for s in analyte.synonyms for w in _words(s)}
    return {_stem(w) for w in words}, analyte_synonyms


def _score(s: _Sentence, stems: set[str], analyte_synonyms: Sequence[str]) -> tuple[float, float]:
    """(relevance to the question, conclusion weight); relevance < 0 rules the sentence out."""
    folded = s.folded or fold(s.text)
    if _CLOSING.search(folded) or len(s.text) > MAX_SENTENCE_CHARS or is_furniture(s.text):
        return -1.0, 0.0  # a letterhead, a signature, a stamp, an address or the patient's identity says nothing
    words = {_stem(w) for w in re.findall(r"[a-z0-9]+", folded) if w not in _STOP}
    relevance = float(len(words & stems))
    if s.boilerplate and not relevance:
        return -1.0, 0.0  # the sender's paper, unless it says what was asked (an allergy every letter repeats)
    names_analyte = False
    if analyte_synonyms and re.search(r"\d", s.text):
        if any(re.search(rf"(?<![\w]){re.escape(syn)}(?![\w])", folded) for syn in analyte_synonyms):
            relevance += 5.0
            names_analyte = True
    if not names_analyte and len(re.findall(r"[^\W\d_]{2,}", s.text)) < 2:
        return -1.0, 0.0  # a lone number or code
    conclusion = 0.0
    if s.in_conclusion and not (_CONCLUSION.match(folded) and _is_bare_heading(s.text)):
        conclusion = 3.0  # "Conclusion :" with nothing after it says nothing
    return relevance, conclusion


# --- the metadata-derived lead -----------------------------------------------------------------------
# NOT document text: written by Carnet from the store's metadata (exam or type, date, author, specialty).
# It is kept out of `Summary.sentences`, which hold only verbatim, cited document text.


EXAM_REPORT_TYPES = frozenset({codes.IMAGING, codes.DIAGNOSTIC_ACT_REPORT, codes.OPHTHALMOLOGY_CONSULTATION})


def metadata_lead(document: dict, language: str = "fr") -> str:
    """ "Échocardiographie du 10/03/2025 (Dr X, cardiologie) :" from a document row's metadata only."""
    exam_keys = document.exam_keys or []
    what = None
    # Only an exam report is named after its exam: a consultation that also reports an ECG is a consultation.
    if exam_keys and exam_keys[0] in EXAMS and document.type_code in EXAM_REPORT_TYPES:
        exam = EXAMS[exam_keys[0]]
        what = exam.label_en if language == "en" else exam.label
    what = what or codes.type_label(document.type_code, language) or document.title or (
        "Document")
    lead = what
    service_date = document.service_date
    if service_date:
        d = service_date
        lead += f" of {d.isoformat()}" if language == "en" else f" du {d.strftime('%d/%m/%Y')}"
    who = []
    if document.author:
        who.append(str(document.author))
    group = document.specialty_group
    if group and group in codes.SPECIALTY_GROUP_LABELS:
        fr, en = codes.SPECIALTY_GROUP_LABELS[group]
        who.append((en if language == "en" else fr).lower())
    if who:
        lead += f" ({', '.join(who)})"
    return lead + (":" if language == "en" else " :")


@lru_cache(maxsize=4096)  # pure; a lab report's sentences are read again for each question about it
def _flags_a_value(sentence: str) -> bool:
    """Whether the sentence holds a lab value flagged out of range."""
    return any(v.flag for v in parse_lab_text(sentence))


class ExtractiveSummarizer:
    """Offline, verbatim, cited. Cheap to construct; holds no model."""

    mode = "extractive"

    def load(self) -> None:  # nothing to load: the Summarizer protocol lets the server warm a model up
        return None

    def estimate(self, question, interpretation, hits, store) -> float:
        return 0.01  # a few milliseconds: no model

    def __init__(self, max_documents: int = MAX_DOCUMENTS, max_sentences: int = MAX_SENTENCES):
        if not 1 <= max_documents <= 10:
            raise ValueError(f"max_documents must be between 1 and 10. Currently, max_documents is {max_documents}")
        if not 1 <= max_sentences <= 10:
            raise ValueError(f"max_sentences must be between 1 and 10. Currently, max_sentences is {max_sentences}")
        self.max_documents = max_documents
        self.max_sentences = max_sentences

    def summarize(self, question: str, interpretation: Interpretation, hits: Sequence[DocumentHit],
                  store) -> Summary | None:
        if not hits:
            return None
        stems, analyte_synonyms = _query_terms(question, interpretation)
        language = interpretation.language if interpretation.language in ("fr", "en") else "fr"
        parts: list[str] = []
        chosen: list[SummarySentence] = []
        skips = learnt_furniture(store).skips([h.document for h in hits[: self.max_documents]])
        for i, hit in enumerate(hits[: self.max_documents]):
            budget = min(3 if i == 0 else 1, self.max_sentences - len(chosen))
            if budget <= 0:
                break
            document_id = hit.document.id
            skip = skips.get(document_id, no_boilerplate)
            picked = self._pick(store.document_chunks(document_id), hit, stems, analyte_synonyms, budget, skip)
            if not picked:
                continue
            sentences = [SummarySentence(s.text, Citation(document_id, s.page)) for s in picked]
            chosen += sentences
            parts.append(" ".join([metadata_lead(hit.document, language)] + [s.text for s in sentences]))
        if not chosen:
            return None
        return Summary(text="\n".join(parts), sentences=tuple(chosen), mode="extractive")

    def _pick(self, chunks: Sequence[dict], hit: DocumentHit, stems: set[str], analyte_synonyms: Sequence[str],
              budget: int, skip: Callable[[str], bool] = no_boilerplate) -> list[_Sentence]:
        """The sentence that best answers the question, then the conclusion, then the next best ones."""
        scored = [(s, *_score(s, stems, analyte_synonyms)) for s in _document_sentences(chunks, skip)]
        scored = [x for x in scored if x[1] >= 0]
        if hit.document.type_code == LAB_REPORT and not any(x[1] >= 1 for x in scored):
            # A lab report and no analyte asked: its out-of-range lines are what a reader looks for.
            scored = [(s, rel + (2.0 if _flags_a_value(s.text) else 0.0), conc)
                      for s, rel, conc in scored]
        picked: list[_Sentence] = []
        relevant = sorted((x for x in scored if x[1] >= 1), key=lambda x: (-x[1], -x[2], x[0].order))
        if relevant:
            picked.append(relevant[0][0])
        for s, _, conclusion in sorted(scored, key=lambda x: (-x[2], x[0].order)):
            if len(picked) >= budget or conclusion <= 0:
                break
            if s not in picked:
                picked.append(s)
        for s, _, _ in relevant[1:]:
            if len(picked) >= budget:
                break
            if s not in picked:
                picked.append(s)
        if not picked and hit.best_chunk is not None:
            # Nothing stands out: the first readable sentence of the passage the retriever matched.
            runs = boilerplate_runs(hit.best_chunk.text, skip)
            for text in split_sentences(hit.best_chunk.text):
                s = _Sentence(text, hit.best_chunk.page, 0, False, boilerplate=any(text in run for run in runs))
                letters = [c for c in text if c.isalpha()]
                shouting = letters and sum(c.isupper() for c in letters) > 0.6 * len(letters)  # a letterhead
                if _score(s, set(), ())[0] >= 0 and len(text.split()) >= 6 and not shouting and not _ADMIN.search(fold(text)):
                    picked = [s]
                    break
        return sorted(picked[:budget], key=lambda s: s.order)


def make_summarizer(settings):
    """The summariser the settings ask for: "generated" when query.generate and its model are available,
    else the extractive one (also for "extractive"). Returns None for summary_mode "none"."""
    mode = getattr(settings, "summary_mode", "extractive")
    if mode == "none":
        return None
    if mode == "generated":
        generated = generated_summarizer(settings)
        if generated is not None:
            return generated
    return ExtractiveSummarizer()


def generated_summarizer(settings):
    """query.generate's GeneratedSummarizer (extractive fallback inside) when its model can be reached, else None.
    The check is cheap (no model load, no hashing): an OpenAI-compatible endpoint is configured, or
    llama-cpp-python is installed and the GGUF (or its parts) is on disk."""
    config = LLMConfig.from_env()
    if not config.endpoint and not _local_model_available():
        log.warning("the local generative model is not installed (make install-llm): using extractive summaries")
        return None
    return generate.GeneratedSummarizer(config=config, fallback=ExtractiveSummarizer())


def _local_model_available() -> bool:
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        return False
    if llm_model.model_path().exists():
        return True
    try:
        llm_model.part_files()
        return True
    except llm_model.ModelUnavailable:
        return False
