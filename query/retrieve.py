"""Answer a question about one patient: filters first, then recency or hybrid (dense + BM25) ranking.

The patient is a hard pre-filter everywhere: documents come from that patient's rows, BM25 runs on that
patient's rowid range, and the dense search scores only that patient's FAISS file, further restricted
to the chunks of the documents that pass the type / specialty / exam / date filters.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Protocol, Sequence

from carnet.document_filter import DocumentFilter
from carnet.errors import InvalidInput
from carnet.records import Patient, StoredDocument
from carnet.models import Answer, ChunkHit, Citation, DocumentHit, Interpretation, Summary, SummarySentence
from carnet.text import contains_term, fold
from index.embedders import Embedder
from index.protocol import Store, VectorSearch
from index.terms import evidence_match, key_text, rank_match, rank_terms, shows_topic, stems, synonym_phrases
from index.visible import VisibleRecord
from query.ambiguity import resolve
from query.facts_questions import Asker, answer_from_facts, facts_intent
from query.learnt_furniture import boilerplate_lines, learnt_furniture
from query.parse import parse_question
from query.passages import filter_passage
from query.question_terms import as_read, asked_terms, topic_words
from query.question_words import MAX_QUESTION_CHARS

log = logging.getLogger(__name__)

RRF_K = 60  # reciprocal rank fusion constant (Cormack et al.): damps the weight of the very first ranks
CANDIDATE_CHUNKS = 200  # chunks taken from each retriever before fusion (a patient's chunks, not the corpus)
NOISE_WEIGHT = 0.3  # administrative papers stay findable but below clinical documents


class FallbackInterpreter(Protocol):
    def __call__(self, question: str, today: date, language: str) -> Interpretation | None: ...


class Summarizer(Protocol):
    def load(self) -> None: ...

    def estimate(self, question: str, interpretation: Interpretation, hits: Sequence[DocumentHit],
                 store: Store) -> float:
        """Seconds the summary of these hits should take (announced before a slow, generated one)."""

    def summarize(self, question: str, interpretation: Interpretation, hits: Sequence[DocumentHit],
                  store: Store) -> Summary | None: ...


@dataclass(frozen=True)
class RankingOptions:
    """The knobs of hybrid ranking (eval/ablation.py varies them; the defaults are what measured best on
    the hand-written topical set, docs/topical-ablation.md)."""

    stemmed: bool = True  # BM25 over French/English stems (chunks_stem) rather than folded words
    lexical_idf: str = "patient"  # "patient": BM25 weights from the patient's own chunks; "corpus": FTS5 bm25()
    # BM25 weight of the title and key lines (conclusion, procedure...) on top of the whole chunk's 1: no effect
    # measured at 1, 2 or 4 (docs/topical-ablation.md), and each weighted term costs a second FTS5 match; the
    # key lines still rank through `evidence_first`
    key_weight: float = 0.0
    synonyms: bool = True  # the topic's medical names in both languages (index.terms.MEDICAL_TERMS)
    expand_concepts: bool = True  # the body-system words of TOPIC_CONCEPTS ("reins" -> "kidney")
    strict_evidence: bool = True  # an unfiltered answer needs all the question's words or a medical name
    answer_floor: bool = True  # unfiltered questions: drop documents with no evidence ("no answer")
    dense_floor: float | None = None  # cosine that is evidence on its own (None: the embedder's default)
    dense_alone_floor: float | None = 0.88  # the same with no topic or concept word in the document (None: same)
    evidence_first: int = 2  # 0: off; 1: documents that name the topic first; 2: named in a title/key line, then in the text
    rrf_k: int = RRF_K
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    best_chunks: int = 2  # a document's score: the sum of its best n chunks' fused scores (1 = max)
    noise_weight: float = NOISE_WEIGHT


@dataclass(frozen=True)
class _Scored:
    document_id: str
    score: float
    chunk: ChunkHit | None
    lexical: bool  # at least one chunk matched a topic word
    dense: float  # best cosine of the document's chunks
    evidence: bool = False  # a chunk names the topic (all its words, or a medical name of it)
    key_evidence: bool = False  # ... in the document's title or a key line (conclusion, procedure...)


class Searcher:
    """The query service. Cheap to construct; the embedder loads on first question (or `warm_up`)."""

    def __init__(self, store: Store, vectors: VectorSearch, embedder: Embedder, summarizer: Summarizer | None = None,
                 fallback_interpreter: FallbackInterpreter | None = None, options: RankingOptions | None = None):
        self.options = options or RankingOptions()
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.summarizer = summarizer
        self.fallback_interpreter = fallback_interpreter

    def warm_up(self) -> None:
        self.embedder.load()
        self.embedder.embed_query("warm up")
        if self.summarizer is not None:
            self.summarizer.load()
        parse_question("dernier compte rendu de cardiologie depuis janvier 2024", date.today())

    # --- public ----------------------------------------------------------------------------------------

    def interpret(self, question: str, today: date | None = None, literal: Sequence[str] = (),
                  patient_id: str | None = None, visible: Callable[[StoredDocument], bool] | None = None) -> Interpretation:
        """The rules' reading of the question; when they find no filter and a fallback interpreter (an LLM)
        is configured, its reading instead, if it yields a valid filter. The rules' reading otherwise.
        `literal`: words the doctor asked to keep as typed, readings chosen (query.parse.parse_question).
        With `patient_id`, an ambiguous short form is read against that patient's record (the documents
        `visible` lets the caller see): query.ambiguity."""
        today = today or date.today()
        interp = self._read(question, today, literal)
        if patient_id is None or not interp.ambiguities:
            return interp
        patient = self.store.patient(patient_id)
        rows = [r for r in self.store.documents(patient_id) if not r.canonical_id and (visible is None or visible(r))]
        return self._in_record(question, today, literal, interp, patient, rows)

    def _read(self, question: str, today: date, literal: Sequence[str] = ()) -> Interpretation:
        interp = parse_question(question, today, literal=literal)
        if interp.has_filters or self.fallback_interpreter is None:
            return interp
        try:
            proposed = self.fallback_interpreter(question, today, interp.language)
        except Exception as e:  # a model failure must not cost the doctor the rules' answer
            log.warning("fallback interpreter failed (%s): keeping the rules' interpretation", type(e).__name__)
            return interp
        return proposed if proposed is not None and proposed.has_filters else interp

    def _in_record(self, question: str, today: date, literal: Sequence[str], interp: Interpretation, patient: Patient,
                   rows: Sequence[StoredDocument]) -> Interpretation:
        """Each ambiguity decided by what its readings find among `rows` (the patient's canonical, visible
        documents; hidden ones must not decide, or the reading would tell of them)."""
        def reread(choices: tuple[str, ...]) -> Interpretation:
            return parse_question(question, today, literal=[*literal, *choices])

        def support(reading_interp: Interpretation, reading) -> int:
            found = DocumentFilter.from_interpretation(reading_interp).select(rows)
            if reading.id.startswith("topic:"):
                named = self._documents_naming(patient.num, reading.phrase)
                found = [r for r in found if r.id in named]
            return len(found)

        return resolve(interp, reread, support)

    def _documents_naming(self, patient_num: int, phrase: str) -> set[str]:
        """The patient's documents whose text names `phrase` (its words together, or a medical name of it)."""
        words = re.findall(r"\w+", fold(phrase))
        proof = evidence_match(words, synonym_phrases(words))
        if not proof:
            return set()
        chunk_ids = [c for c, _ in self.store.search_stems(patient_num, proof, limit=CANDIDATE_CHUNKS)]
        return {row.document_id for row in self.store.chunks(chunk_ids).values()}

    def ask(self, patient_id: str, question: str, *, top_k: int = 5, today: date | None = None,
            interpretation: Interpretation | None = None, summarize: bool = True,
            visible: Callable[[StoredDocument], bool] | None = None, asker: Asker | None = None) -> Answer:
        """`visible` (service/access.py): the documents the caller may see; the others are never ranked.
        `asker`: the practitioner asking, whose last consultation "depuis la dernière consultation" means."""
        if top_k < 1 or top_k > 100:
            raise InvalidInput(f"top_k must be between 1 and 100. Currently, top_k is {top_k}")
        if not isinstance(question, str) or not question.strip():
            raise InvalidInput("The question is empty: type what you are looking for, e.g. 'dernier bilan sanguin'.")
        if len(question) > MAX_QUESTION_CHARS:  # the parser's limit (query.question_words)
            raise InvalidInput(f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}.")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        patient = self.store.patient(patient_id)  # UnknownPatient before any work
        if interpretation is None:
            intent = facts_intent(question)
            if intent is not None:  # allergies, current treatment, changes: read from the stored facts
                store = self.store
                if visible is not None:  # only the facts of documents the caller may see
                    store = VisibleRecord(self.store, patient_id, visible)
                return self._facts_answer(intent, patient_id, question, today or date.today(), t0, store, asker)
        rows = self.store.documents(patient_id)
        if visible is not None:
            rows = [r for r in rows if visible(r)]
        by_id = {r.id: r for r in rows}
        # Documents stored before their vectors (lexical first): until they are embedded, questions are
        # ranked by words and filters only, and the answer says so.
        waiting = self.store.pending_documents(patient.num) & set(by_id)
        canonical = [r for r in rows if not r.canonical_id]
        if interpretation is None:  # (a caller's interpretation was read in the record already: interpret())
            interp = self._read(question, today or date.today())
            if interp.ambiguities:
                interp = self._in_record(question, today or date.today(), (), interp, patient, canonical)
        else:
            interp = interpretation
        t1 = time.perf_counter()
        timings["interpret"] = (t1 - t0) * 1000

        candidates = DocumentFilter.from_interpretation(interp).select(rows)
        t2 = time.perf_counter()
        timings["filter"] = (t2 - t1) * 1000

        words = topic_words(interp)
        # "IC" read as "insuffisance cardiaque": ranked (embedded, and its words sought as the question's own)
        # as the question with what its short forms were read as
        asked = as_read(question, interp)
        documents: list[DocumentHit] = []
        alternatives: list[DocumentHit] = []
        message = None
        if interp.has_filters and not candidates:
            message = "no-match"
            alternatives = self._rank(patient, asked, words, canonical, by_id, top_k=3, matched_by=("alternative",),
                                      use_dense=not waiting)
        elif interp.order == "latest":
            documents = self._latest(patient, asked, words, candidates, by_id, interp.count or top_k, interp)
        else:
            scored = self._score(patient, asked, words, candidates, by_id, use_dense=not waiting)
            if not interp.has_filters:
                scored = [s for s in scored if self._answers(s)]
                if not scored:
                    message = "no-match"
                    alternatives = self._rank(patient, asked, words, canonical, by_id, top_k=3,
                                              matched_by=("alternative",), use_dense=not waiting)
            limit = interp.count or top_k
            documents = self._hits(scored[:limit], by_id, ("filter",) if interp.has_filters else ("dense", "bm25"))
        t3 = time.perf_counter()
        timings["rank"] = (t3 - t2) * 1000

        timings["total"] = (t3 - t0) * 1000
        answer = Answer(question=question, patient=patient_id, interpretation=interp, documents=tuple(documents),
                        alternatives=tuple(alternatives), message=message,
                        timings_ms={k: round(v, 2) for k, v in timings.items()},
                        semantic_search="pending" if waiting else "ready")
        return self.summarize(answer) if summarize else answer

    def _facts_answer(self, intent: str, patient_id: str, question: str, today: date, t0: float,
                      store: Store | None = None, asker: Asker | None = None) -> Answer:
        """The answer to a question about the record's facts: the `facts` section, a summary whose sentences
        cite the documents that state each item, and those documents as the answer's documents."""
        store = store or self.store
        language = parse_question(question, today).language
        facts = answer_from_facts(intent, store, patient_id, question, today, language, asker)
        rows = {r.id: r for r in store.documents(patient_id)}
        # the passage shown is the one on the cited page that names what the answer states
        hints = [fold(str(i.get("substance") or i.get("name") or "")) for i in facts["items"]]
        hints = [h for h in hints if len(h) >= 3] + (["allerg"] if intent == "allergies" else [])
        hits, seen = [], set()
        for doc_id, page in facts["cited"]:
            if doc_id in seen or doc_id not in rows:
                continue
            seen.add(doc_id)
            on_page = [c for c in store.document_chunks(doc_id) if c.page == page]
            chunk = next((c for c in on_page if any(h in fold(c.text) for h in hints)), on_page[0] if on_page else None)
            best = ChunkHit(chunk.id, doc_id, page, chunk.section, chunk.text, 0.0) if chunk else None
            hits.append(DocumentHit(document=rows[doc_id], score=1.0, rank=len(hits) + 1, best_chunk=best,
                                    matched_by=("facts",)))
        sentences = tuple(SummarySentence(str(i.get("text")), Citation(i["document_id"], int(i.get("page") or 1)))
                          for i in facts["items"] if i.get("document_id") in rows)
        if hits:  # the statement itself first (what the record says, how old it is), cited to its first source
            first = hits[0].best_chunk
            sentences = (SummarySentence(facts["text"], Citation(hits[0].document.id, first.page if first else 1)),
                         ) + sentences
        summary = Summary(text=facts["text"], sentences=sentences, mode="extractive")  # the facts as stored
        # the topic names what the passages are about, so that their snippets centre on it
        topic = {"allergies": "allergie", "treatment": "traitement"}.get(intent, "")
        interp = Interpretation(question=question, topic=topic, language=language)
        total = round((time.perf_counter() - t0) * 1000, 2)
        return Answer(question=question, patient=patient_id, interpretation=interp, documents=tuple(hits),
                      summary=summary, message=None if hits else "no-match", facts=facts,
                      timings_ms={"facts": total, "total": total})

    def summary_estimate(self, answer: Answer) -> float | None:
        """Seconds `summarize(answer)` should take, or None when there will be no summary."""
        if self.summarizer is None or not answer.documents:
            return None
        return self.summarizer.estimate(answer.question, answer.interpretation, answer.documents, self.store)

    def summarize(self, answer: Answer) -> Answer:
        """The answer with its summary: for callers that show the documents first and the summary when
        it is ready (a generated summary takes seconds)."""
        if self.summarizer is None or not answer.documents:
            return answer
        t0 = time.perf_counter()
        summary = self.summarizer.summarize(answer.question, answer.interpretation, answer.documents, self.store)
        spent = round((time.perf_counter() - t0) * 1000, 2)
        timings = {**answer.timings_ms, "summary": spent, "total": round(answer.timings_ms.get("total", 0) + spent, 2)}
        return replace(answer, summary=summary, timings_ms=timings)

    # --- ranking ----------------------------------------------------------------------------------------

    def _score(self, patient: Patient, question: str, words: Sequence[str], docs: Sequence[StoredDocument],
               by_id: dict[str, StoredDocument], use_dense: bool = True) -> list[_Scored]:
        """Hybrid ranking of `docs` (chunk-level RRF of dense and BM25, max per document), best first.
        `use_dense=False` ranks by BM25 alone and skips embedding the question (most of a question's cost)."""
        if not docs:
            return []
        allowed_docs = {d.id for d in docs}
        dense: list[tuple[int, float]] = []
        if use_dense:
            allowed_chunks = self.store.chunk_ids_for_documents(sorted(allowed_docs))
            qv = self.embedder.embed_query(question)
            dense = self.vectors.search(patient.num, patient.vectors_version, qv, allowed_chunks,
                                        CANDIDATE_CHUNKS)
        # No topic words, no BM25: the whole question as one FTS5 phrase ("compte rendu des urgences le plus
        # récent") never matches, and walking the doclists of such common words grows with the corpus
        # (95 ms a question at 100,000 patients).
        opts = self.options
        evidence_ids: set[int] = set()
        key_ids: set[int] = set()
        if not words:
            lexical = []
        elif opts.stemmed:
            lexical, evidence_ids, in_key = self._stem_search(patient.num, question, words)
        else:
            lexical = self.store.search_text(patient.num, words, limit=CANDIDATE_CHUNKS)
        chunk_ids = {c for c, _ in dense} | {c for c, _ in lexical}
        chunk_rows = self.store.chunks(sorted(chunk_ids | evidence_ids))
        if opts.stemmed and words and opts.evidence_first >= 2:  # the topic named in a title or key line
            key_ids = {c for c in evidence_ids if c in chunk_rows and chunk_rows[c].document_id in by_id
                       and in_key(chunk_rows[c].text, by_id[chunk_rows[c].document_id].title)}
        lexical = [(c, s) for c, s in lexical if c in chunk_rows and chunk_rows[c].document_id in allowed_docs]

        fused: dict[int, float] = {}
        for rank, (c, _) in enumerate(dense):
            fused[c] = fused.get(c, 0.0) + opts.dense_weight / (opts.rrf_k + rank + 1)
        for rank, (c, _) in enumerate(lexical):
            fused[c] = fused.get(c, 0.0) + opts.lexical_weight / (opts.rrf_k + rank + 1)
        dense_of = dict(dense)
        lexical_ids = {c for c, _ in lexical}
        if not opts.stemmed or not opts.strict_evidence:
            evidence_ids = lexical_ids

        per_doc: dict[str, list[tuple[float, int]]] = {}
        for c, score in fused.items():
            row = chunk_rows.get(c)
            if row is None or row.document_id not in allowed_docs:
                continue
            if by_id[row.document_id].is_noise:
                score *= opts.noise_weight
            per_doc.setdefault(row.document_id, []).append((score, c))
        best: dict[str, _Scored] = {}
        for doc_id, scores in per_doc.items():
            scores.sort(key=lambda x: (-x[0], x[1]))
            top_score, top = scores[0]
            row = chunk_rows[top]
            ids = [c for _, c in scores]
            best[doc_id] = _Scored(
                doc_id, sum(x for x, _ in scores[:max(1, opts.best_chunks)]),
                ChunkHit(top, doc_id, row.page, row.section, row.text, top_score),
                any(c in lexical_ids for c in ids), max(dense_of.get(c, -1.0) for c in ids),
                any(c in evidence_ids for c in ids), any(c in key_ids for c in ids))
        ranked = sorted(best.values(), key=lambda s: (-self._tier(s), -s.score, s.document_id))
        # Documents that passed the filters but no retriever reached still answer a filtered question.
        seen = set(best)
        rest = sorted((d for d in docs if d.id not in seen), key=lambda d: d.service_date or date.min, reverse=True)
        ranked += [_Scored(d.id, 0.0, None, False, -1.0) for d in rest]
        return ranked

    def _answers(self, s: _Scored) -> bool:
        """Whether an unfiltered, topical match is evidence enough to say "this answers the question":
        the topic named in the text (`_Scored.evidence`), or a dense similarity above the embedder's floor."""
        opts = self.options
        if not opts.answer_floor:
            return True
        floor = opts.dense_floor if opts.dense_floor is not None else dense_floor(self.embedder.name)
        alone = opts.dense_alone_floor if opts.dense_alone_floor is not None else floor
        return s.evidence or s.dense >= (floor if s.lexical else alone)

    def _tier(self, s: _Scored) -> int:
        """Evidence-first ranking (RankingOptions.evidence_first): 0 when off."""
        tiers = self.options.evidence_first
        if tiers <= 0:
            return 0
        return (2 if tiers >= 2 and s.key_evidence else 1) if s.evidence else 0

    def _stem_search(self, patient_num: int, question: str, words: Sequence[str]
                     ) -> tuple[list[tuple[int, float]], set[int], Callable[[str, str | None], bool]]:
        """BM25 over the patient's stemmed chunks, and the chunks that show the topic (index.terms). The
        question's own words are told from the concept words `topic_words` added by being in the question."""
        opts = self.options
        typed = set(re.findall(r"\w+", fold(question)))
        own = [w for w in words if w in typed]
        expansions = [w for w in words if w not in typed] if opts.expand_concepts else []
        phrases = synonym_phrases(own) if opts.synonyms else []
        if opts.lexical_idf == "corpus":
            match = rank_match(own, expansions, phrases)
            lexical = self.store.search_stems(patient_num, match, opts.key_weight, CANDIDATE_CHUNKS) if match else []
        else:
            lexical = self._patient_bm25(patient_num, rank_terms(own, expansions, phrases))
        proof = evidence_match(own, phrases, expansions)

        def in_key(text: str, title: str | None) -> bool:
            return shows_topic(stems(key_text(text, title)), own, phrases, expansions)

        return lexical, set(self.store.match_stems(patient_num, proof)) if proof else set(), in_key

    def _patient_bm25(self, patient_num: int, terms: Sequence[str]) -> list[tuple[int, float]]:
        """BM25 within the patient's own chunks: each term weighs its IDF among them (log(1 + (N - n + .5) /
        (n + .5)), N the patient's chunks, n those holding it), once per chunk holding it (binary term
        frequency) plus `key_weight` times that when it is in the chunk's title or key lines. Each term is one
        FTS5 match in the patient's rowid range: unlike FTS5's bm25(), whose IDF reads every patient's
        postings, the cost does not grow with the other patients."""
        if not terms:
            return []
        opts = self.options
        total = max(1, self.store.patient_chunk_count(patient_num))
        scores: dict[int, float] = {}
        for term in terms:
            body = self.store.match_stems(patient_num, term)
            if not body:
                continue
            n = len(body)
            idf = math.log(1 + (total - n + 0.5) / (n + 0.5))
            for c in body:
                scores[c] = scores.get(c, 0.0) + idf
            if opts.key_weight:
                for c in self.store.match_stems(patient_num, f"key : {term}"):
                    scores[c] = scores.get(c, 0.0) + opts.key_weight * idf
        ranked = sorted(scores.items(), key=lambda x: (-x[1], x[0]))
        return ranked[:CANDIDATE_CHUNKS]

    def _rank(self, patient, question, words, docs, by_id, top_k, matched_by, use_dense=True) -> list[DocumentHit]:
        return self._hits(self._score(patient, question, words, docs, by_id, use_dense)[:top_k], by_id, matched_by)

    def _latest(self, patient, question, words, docs, by_id, n, interp: Interpretation) -> list[DocumentHit]:
        """Most recent first. With a topic ("dernier scanner thoracique"), the documents that mention it
        come first, then the others, each group by date of the act. Only words decide what is on topic,
        so the question is not embedded (recency questions cost a few milliseconds)."""
        scored = {s.document_id: s for s in self._score(patient, question, words, docs, by_id, use_dense=False)} \
            if docs and words else {}
        def key(d):
            s = scored.get(d.id)
            on_topic = (2 if s.evidence else 1 if s.lexical else 0) if words and s is not None else 0
            return (on_topic, d.service_date or date.min, d.ingested_at)
        ordered = sorted(docs, key=key, reverse=True)[:n]
        # Without a topic, the passage to show is the document's conclusion, not whatever chunk happens
        # to resemble "dernier compte rendu de cardiologie".
        picked = [(scored.get(d.id) if words else None) or _Scored(d.id, 0.0, None, False, -1.0) for d in ordered]
        return self._hits(picked, by_id, ("filter", "recency"), hint=asked_terms(interp))

    def _hits(self, scored: Sequence[_Scored], by_id: dict[str, StoredDocument], matched_by: tuple[str, ...],
              hint: Sequence[str] = ()) -> list[DocumentHit]:
        hits = []
        skips = learnt_furniture(self.store).skips([by_id[s.document_id] for s in scored]) if scored else {}
        for rank, s in enumerate(scored, start=1):
            chunk = s.chunk or self._first_chunk(s.document_id, hint)
            if chunk is not None:  # the card's snippet leaves out what the sender prints on every paper
                lines = boilerplate_lines(chunk.text, skips[s.document_id])
                chunk = replace(chunk, boilerplate=lines) if lines else chunk
            hits.append(DocumentHit(document=by_id[s.document_id], score=round(s.score, 6), rank=rank,
                                    best_chunk=chunk, matched_by=matched_by))
        return hits

    def _first_chunk(self, document_id: str, hint: Sequence[str] = ()) -> ChunkHit | None:
        """A document reached by filters alone is shown by the passage naming the asked exam or analyte
        ("dernière HbA1c": the HbA1c line), else its conclusion, else its start."""
        chunks = self.store.document_chunks(document_id)
        if not chunks:
            return None
        for c in chunks if hint else ():
            text = fold(c.text)
            if any(contains_term(text, h) for h in hint):
                return ChunkHit(c.id, document_id, c.page, c.section, c.text, 0.0)
        pick = filter_passage(chunks)
        return ChunkHit(pick.id, document_id, pick.page, pick.section, pick.text, 0.0)


# e5 cosines are compressed (~0.8-0.9) and MiniLM's spread wider: a floor per model under which a
# topical question with no topic word in the record gets "no answer". Set by hand: the labelled sets
# hold too few unfiltered unanswerable questions to calibrate it (README, "Known limits").
_DENSE_FLOORS = {"multilingual-e5-small-q4": 0.86, "all-MiniLM-L6-v2": 0.55}


def dense_floor(embedder_name: str) -> float:
    return _DENSE_FLOORS.get(embedder_name, 0.5)
