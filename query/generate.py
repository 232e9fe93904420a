"""Generated summaries: a local LLM writes 2-3 cited sentences, and Carnet keeps only those it can check.

    summarizer = GeneratedSummarizer()            # cheap: the model loads on first use (or `load()`)
    summary = summarizer.summarize(question, interpretation, hits, store)

The chat model is LangChain's (query.llm_chat: the local GGUF, or an OpenAI-compatible server you trust
with patient data).

Text inside documents is data, never instructions. Three independent defences:
1. (query.llm_prompt) the prompt frames each excerpt as data inside <source id="S1" ...> tags, with angle and square
   brackets neutralised so a document can neither close its tag nor fake a citation;
2. (query.llm_prompt) sentences of an excerpt that read as instructions to a model ("ignore previous instructions",
   "system prompt", "you are now", "output ...") are withheld from the prompt AND from the text
   used to verify the answer;
3. (query.support_check) every generated sentence is post-checked (`check_support`): it must cite an existing source, every
   number in it must occur in that source, at least 60 % of its content words (folded, lightly stemmed)
   must occur there, and a negation needs a negation in the source. Anything else is dropped and
   counted in Summary.dropped_sentences, and the summary says so.
Whatever the model does, a kept sentence restates words the cited page contains.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Sequence

from carnet.models import Citation, DocumentHit, Interpretation, Summary, SummarySentence
from query.llm_chat import DEFAULT_RATES, GenerationStats, LLMConfig, Rates, estimate_seconds, make_chat_model
from query.llm_interpret import llm_interpret
from query.llm_prompt import build_messages, citation_grammar, select_sources
from query.support_check import counts_as_sentence, split_claims, verify_claims

log = logging.getLogger(__name__)


MAX_SENTENCES = 3  # the prompt asks for 2-3; a doctor reads a summary between two patients


def dropped_note(n: int, language: str = "fr") -> str:
    if n <= 0:
        return ""
    if language == "en":
        return f"({n} unverifiable sentence{'s' if n > 1 else ''} removed)"
    return f"({n} phrase{'s' if n > 1 else ''} non vérifiable{'s' if n > 1 else ''} retirée{'s' if n > 1 else ''})"


def _no_summary_text(language: str) -> str:
    if language == "en":
        return "No generated sentence could be checked against the documents."
    return "Aucune phrase générée n'a pu être vérifiée dans les documents."


# --- the summariser ----------------------------------------------------------------------------


@dataclass
class GeneratedSummarizer:
    """Summary(mode="generated") whose every sentence cites a page that supports it.

    llm: any LangChain chat model (tests pass a fake); built from `config` on first use otherwise.
    fallback: another summariser (the extractive one) used when the model fails or no sentence survives.
    """

    llm: Any = None
    config: LLMConfig = field(default_factory=LLMConfig.from_env)
    fallback: Any = None
    rates: Rates = DEFAULT_RATES
    last_stats: GenerationStats | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _load_seconds: float = 0.0

    def load(self) -> None:
        """Load the chat model now (the API's lifespan calls this; otherwise the first question does)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self.llm is None:
            t0 = time.perf_counter()
            self.llm = make_chat_model(self.config)
            self._load_seconds = time.perf_counter() - t0
            self.rates = replace(self.rates, load_seconds=self._load_seconds)
            log.info("generative model loaded in %.1f s", self._load_seconds)

    def interpret(self, question: str, today: date, language: str = "fr", *, stats: dict | None = None) -> Interpretation | None:
        """query.llm_interpret with this summariser's model, under its lock (llama.cpp is not thread-safe).
        stats, when given, receives the call's token counts and seconds (query.llm_interpret)."""
        with self._lock:
            self._load_locked()
            return llm_interpret(question, today, self.llm, language=language, stats=stats)

    def count_tokens(self, text: str) -> int:
        client = getattr(self.llm, "client", None)
        if client is not None and hasattr(client, "tokenize"):
            return len(client.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        return max(1, round(len(text) / 3.2))  # French clinical text runs ~3.2 characters per token

    def estimate(self, question: str, interpretation: Interpretation, hits: Sequence[DocumentHit], store) -> float:
        """Seconds the next summary should take, for the API to announce before it starts."""
        messages = build_messages(question, select_sources(hits, store), interpretation.language)
        n_prompt = sum(self.count_tokens(content) for _, content in messages) + 20
        return estimate_seconds(n_prompt, self.config.max_tokens, self.rates, loaded=self.llm is not None)

    def summarize(self, question: str, interpretation: Interpretation, hits: Sequence[DocumentHit], store) -> Summary | None:
        language = interpretation.language if interpretation.language in ("fr", "en") else "fr"
        sources = select_sources(hits, store)
        if not sources:
            return self._fallback(question, interpretation, hits, store, 0, "no-sources")
        messages = build_messages(question, sources, language)
        try:
            output = self._generate(messages, citation_grammar(len(sources)) if self.config.grammar else None)
        except Exception as e:  # the model is optional: the answer (documents) must still come back
            log.error("generated summary failed: %s", type(e).__name__)
            if self.fallback is None:
                raise
            return self._fallback(question, interpretation, hits, store, 0, "error")
        verdicts = verify_claims(split_claims(output), sources)
        kept = [v for v in verdicts if v.source is not None]
        dropped = sum(1 for v in verdicts if v.source is None and counts_as_sentence(v.claim))
        reasons = [v.reason.split(":")[0] for v in verdicts if v.source is None and counts_as_sentence(v.claim)]  # no text, no numbers
        log.info("generated summary: %d sentence(s) kept, %d dropped %s", len(kept), dropped, reasons)
        if not kept:
            return self._fallback(question, interpretation, hits, store, dropped, "nothing-verified")
        kept = kept[:MAX_SENTENCES]  # a model without the grammar may write on: the summary stays short
        sentences = tuple(SummarySentence(v.claim.text, Citation(v.source.document_id, v.source.page)) for v in kept)
        text = " ".join(s.text for s in sentences)
        note = dropped_note(dropped, language)
        return Summary(text=f"{text} {note}".strip(), sentences=sentences, mode="generated", dropped_sentences=dropped)

    def _fallback(self, question, interpretation, hits, store, dropped: int, why: str) -> Summary | None:
        language = interpretation.language if interpretation.language in ("fr", "en") else "fr"
        note = dropped_note(dropped, language)
        if self.fallback is not None:
            summary = self.fallback.summarize(question, interpretation, hits, store)
            if summary is not None:
                return replace(summary, text=f"{summary.text} {note}".strip(), dropped_sentences=dropped)
        if why == "no-sources":
            return None
        return Summary(text=f"{_no_summary_text(language)} {note}".strip(), mode="generated", dropped_sentences=dropped)

    def _generate(self, messages: list[tuple[str, str]], grammar: str | None = None) -> str:
        with self._lock:
            loaded_now = self.llm is None
            self._load_locked()
            kwargs = {}
            if grammar and type(self.llm).__name__ == "ChatLlamaCpp":  # a server or a fake gets the prompt only
                from llama_cpp import LlamaGrammar

                kwargs["grammar"] = LlamaGrammar.from_string(grammar, verbose=False)
            n_prompt = sum(self.count_tokens(content) for _, content in messages) + 20  # + chat template
            t0 = time.perf_counter()
            first = None
            parts: list[str] = []
            n_chunks = 0
            for chunk in self.llm.stream(messages, **kwargs):
                content = chunk.content if isinstance(chunk.content, str) else ""
                if not content:
                    continue
                if first is None:
                    first = time.perf_counter() - t0
                parts.append(content)
                n_chunks += 1
            seconds = time.perf_counter() - t0
        output = "".join(parts)
        n_completion = self.count_tokens(output) if output else 0
        stats = GenerationStats(n_prompt, n_completion, first or seconds, seconds,
                                self._load_seconds if loaded_now else 0.0)
        self.last_stats = stats
        if stats.prompt_tokens_per_second > 0 and stats.generation_tokens_per_second > 0 and n_completion > 8:
            self.rates = replace(self.rates, prompt_tokens_per_second=stats.prompt_tokens_per_second,
                                 generation_tokens_per_second=stats.generation_tokens_per_second)
        log.info("generation: %d prompt tokens, %d generated, first token %.1f s, total %.1f s",
                 n_prompt, n_completion, stats.seconds_to_first_token, seconds)
        return output
