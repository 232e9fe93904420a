"""An optional second opinion on a question, from a chat model, for when the rules found nothing.

    interp = llm_interpret("le truc du coeur de l'an dernier", date(2026, 11, 27), llm)

The rules (query/parse.py) stay the default and are deterministic; this runs only when configured and
when the rules' Interpretation has no filter. The model is asked for JSON matching `LLMFilters`
(LangChain `with_structured_output` when the chat model supports tool calling, else a JSON prompt and
`JsonOutputParser`), and whatever it returns is validated against Carnet's code lists: document types
(carnet.codes.DOCUMENT_TYPES, ended codes mapped), specialty groups (SPECIALTY_GROUPS), exams and
analytes (carnet.lexicon). Anything not in the lists is dropped, so is a list of more than
MAX_PER_LIST codes (small models echo the catalogue), dates must parse and not lie in the
future, a count must be 1..50. None means "nothing usable": keep the rules' interpretation.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from carnet.codes import DOCUMENT_TYPES, SPECIALTY_GROUPS, current_type_code
from carnet.lexicon import ANALYTES, EXAMS
from carnet.models import DateRange, Interpretation
from carnet.text import fold

log = logging.getLogger(__name__)

MAX_COUNT = 50
MAX_PER_LIST = 3  # a question names a few types / exams; a longer list is the catalogue echoed back: dropped
MAX_TOPIC_CHARS = 120
GRAMMAR_TOPIC_CHARS = 60  # the topic the grammar lets the local model write (a few clinical words)
# The nine keys, 3 codes per list, two dates and a 60-character topic take at most ~150 tokens: the grammar
# ends the object before this cap.
MAX_JSON_TOKENS = 192


class LLMFilters(BaseModel):
    """Filters for searching one patient's medical documents. Use only the codes listed."""

    document_types: list[str] = Field(default_factory=list, description="LOINC document type codes from the list")
    specialties: list[str] = Field(default_factory=list, description="specialty keys from the list")
    exams: list[str] = Field(default_factory=list, description="exam keys from the list")
    analytes: list[str] = Field(default_factory=list, description="lab analyte keys from the list")
    date_from: str | None = Field(None, description="first day, YYYY-MM-DD, or null")
    date_to: str | None = Field(None, description="last day, YYYY-MM-DD, or null")
    order: Literal["latest", "relevance"] = Field("relevance", description="latest if the most recent is wanted")
    count: int | None = Field(None, description="how many documents were asked for, or null")
    topic: str = Field("", description="remaining clinical words of the question")


@lru_cache
def _catalogue() -> str:
    types = "; ".join(f"{code} = {t.label}" for code, t in DOCUMENT_TYPES.items())
    return (f"document_types (LOINC): {types}\n"
            f"specialties: {', '.join(SPECIALTY_GROUPS)}\n"
            f"exams: {', '.join(EXAMS)}\n"
            f"analytes: {', '.join(ANALYTES)}")


SYSTEM_PROMPT = """You turn a French or English question from a GP about one patient's medical record into search filters.
Answer with one JSON object only, with these keys: document_types, specialties, exams, analytes (lists of codes taken ONLY from the lists below), date_from, date_to (YYYY-MM-DD or null), order ("latest" or "relevance"), count (integer or null), topic (string).
Leave a list empty when the question does not name it. Today's date is given with the question.
Allowed codes:
{catalogue}"""


def build_messages(question: str, today: date) -> list[tuple[str, str]]:
    """(role, content): the fixed part first (instructions + catalogue, identical for every question, so a
    local model keeps it evaluated), then what varies: today's date and the question."""
    question = " ".join(question.replace("<", " ").replace(">", " ").split())
    return [("system", SYSTEM_PROMPT.format(catalogue=_catalogue())),
            ("human", f"Today is {today.isoformat()}.\nQuestion: {question}\nJSON:")]


def _lookup(values: Any, allowed: dict, *, type_codes: bool = False) -> tuple[str, ...]:
    """Keep values that are keys of `allowed` (case, accents and spaces forgiven); drop the rest."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        return ()
    folded = {fold(k).replace(" ", "-"): k for k in allowed}
    kept: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        candidate = current_type_code(value.strip()) if type_codes else value
        key = folded.get(fold(candidate).replace(" ", "-")) if candidate else None
        if key is not None and key not in kept:
            kept.append(key)
    return tuple(kept) if len(kept) <= MAX_PER_LIST else ()


def _parse_day(value: Any, *, end: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; month/year forms give the first (or last, when end) day."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            import calendar

            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 12, 31) if end else date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def validate(raw: dict | BaseModel | None, question: str, today: date, language: str = "fr") -> Interpretation | None:
    """An Interpretation made only of known codes and sane dates, or None if nothing usable is left."""
    if raw is None:
        return None
    data = raw.model_dump() if isinstance(raw, BaseModel) else raw
    if not isinstance(data, dict):
        return None
    type_codes = _lookup(data.get("document_types"), DOCUMENT_TYPES, type_codes=True)
    specialties = _lookup(data.get("specialties"), SPECIALTY_GROUPS)
    exams = _lookup(data.get("exams"), EXAMS)
    analytes = _lookup(data.get("analytes"), ANALYTES)
    start, end = _parse_day(data.get("date_from")), _parse_day(data.get("date_to"), end=True)
    if start and start > today:
        start = None
    if end and end > today:
        end = None  # "until the future" is no bound
    if start and end and start > end:
        start, end = None, None
    date_range = DateRange(start, end, "llm") if (start or end) else None
    count = data.get("count")
    count = count if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_COUNT else None
    order = data.get("order") if data.get("order") in ("latest", "relevance") else "relevance"
    if count:
        order = "latest"
    topic = data.get("topic") if isinstance(data.get("topic"), str) else ""
    topic = " ".join(topic.split())[:MAX_TOPIC_CHARS]
    interp = Interpretation(question=question, type_codes=type_codes, specialty_groups=specialties, exam_keys=exams,
                            analyte_keys=analytes, date_range=date_range, order=order, count=count, topic=topic,
                            language=language, interpreter="llm")
    return interp if interp.has_filters else None


_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def _ask_json(question: str, today: date, llm) -> dict | None:
    """Ask for JSON in plain text and parse the first object in the answer."""
    from langchain_core.output_parsers import JsonOutputParser

    message = llm.invoke(build_messages(question, today))
    text = message.content if isinstance(message.content, str) else ""
    try:
        parsed = JsonOutputParser().parse(text)
    except Exception:
        return _parse_object(text)
    return parsed if isinstance(parsed, dict) else None


def rejected(raw: dict | None) -> list[str]:
    """What `validate` drops from a model's answer (for evaluation): unknown codes, lists too long to be a
    reading, dates that do not parse or lie ahead, a count out of range. [] when nothing is dropped."""
    if not isinstance(raw, dict):
        return ["no JSON object"]
    out = []
    for key, allowed, type_codes in (("document_types", DOCUMENT_TYPES, True), ("specialties", SPECIALTY_GROUPS, False),
                                     ("exams", EXAMS, False), ("analytes", ANALYTES, False)):
        values = raw.get(key)
        values = [values] if isinstance(values, str) else values if isinstance(values, (list, tuple)) else []
        kept = set()
        for value in values:
            found = _lookup([value], allowed, type_codes=type_codes)
            if found:
                kept.update(found)
            else:
                out.append(f"{key}: {value!r}")
        if len(kept) > MAX_PER_LIST:
            out.append(f"{key}: {len(kept)} codes")
    for key, end in (("date_from", False), ("date_to", True)):
        value = raw.get(key)
        day = _parse_day(value, end=end)
        if value not in (None, "") and day is None:
            out.append(f"{key}: {value!r}")
    count = raw.get("count")
    if count is not None and not (isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_COUNT):
        out.append(f"count: {count!r}")
    return out


def json_schema() -> dict:
    """The answer's shape, keys in the order the prompt lists them (a grammar for the local model)."""
    # Every list takes only codes of its catalogue and at most MAX_PER_LIST of them, dates are digits, the
    # topic is short: the grammar bounds the answer, so a greedy small model cannot echo the catalogue or
    # run to the token cap without closing its JSON (it did, 7 answers of 8, with free-string lists).
    def codes(allowed) -> dict:
        return {"type": "array", "items": {"enum": sorted(allowed)}, "maxItems": MAX_PER_LIST}

    day = {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}, {"type": "null"}]}
    return {"type": "object", "properties": {
        "document_types": codes(DOCUMENT_TYPES), "specialties": codes(SPECIALTY_GROUPS), "exams": codes(EXAMS),
        "analytes": codes(ANALYTES), "date_from": day, "date_to": day,
        "order": {"enum": ["latest", "relevance"]},
        "count": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "topic": {"type": "string", "maxLength": GRAMMAR_TOPIC_CHARS}},
        "required": list(LLMFilters.model_fields)}


@lru_cache
def _gbnf() -> str | None:
    try:
        from llama_cpp.llama_grammar import json_schema_to_gbnf
    except ImportError:
        return None
    return json_schema_to_gbnf(json.dumps(json_schema()))


def _local_client(llm):
    """The llama_cpp.Llama behind a ChatLlamaCpp (anything with create_chat_completion), else None."""
    client = getattr(llm, "client", None)
    return client if callable(getattr(client, "create_chat_completion", None)) else None


def _parse_object(text: str) -> dict | None:
    try:
        parsed = json.loads(text)
    except ValueError:
        m = _JSON_OBJECT.search(text)
        if not m:
            return None
        try:
            parsed = json.loads(m.group(0))
        except ValueError:
            return None
    return parsed if isinstance(parsed, dict) else None


def _common_prefix(a, b) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _ask_local(question: str, today: date, client, stats: dict | None = None) -> dict | None:
    """One chat completion on the local llama.cpp model: greedy, at most MAX_JSON_TOKENS, constrained by a JSON
    grammar. llama.cpp keeps the tokens it evaluated last and re-evaluates only from the first token that
    differs (Llama.generate), so with the fixed instructions + catalogue first only the date and the question
    are read again when the previous call was an interpretation too."""
    messages = [{"role": "system" if role == "system" else "user", "content": content}
                for role, content in build_messages(question, today)]
    kwargs: dict[str, Any] = {}
    gbnf = _gbnf()
    if gbnf is not None:
        from llama_cpp import LlamaGrammar

        kwargs["grammar"] = LlamaGrammar.from_string(gbnf, verbose=False)
    before = list(getattr(client, "input_ids", ()))
    t0 = time.perf_counter()
    out = client.create_chat_completion(messages=messages, max_tokens=MAX_JSON_TOKENS, temperature=0.0, top_k=1,
                                        top_p=1.0, repeat_penalty=1.0, seed=0, **kwargs)
    text = out["choices"][0]["message"].get("content") or ""
    parsed = _parse_object(text)
    if stats is not None:
        usage = out.get("usage") or {}
        n_prompt = int(usage.get("prompt_tokens", 0))
        prompt = list(getattr(client, "input_ids", ()))[:n_prompt]
        reused = min(_common_prefix(before, prompt), max(n_prompt - 1, 0)) if prompt else 0
        stats.update(prompt_tokens=n_prompt, evaluated_tokens=n_prompt - reused,
                     completion_tokens=int(usage.get("completion_tokens", 0)), seconds=time.perf_counter() - t0,
                     finish_reason=out["choices"][0].get("finish_reason"), raw=parsed, parsed=parsed is not None)
    return parsed


def llm_interpret(question: str, today: date, llm, *, language: str = "fr",
                  structured: bool | None = None, stats: dict | None = None) -> Interpretation | None:
    """The model's reading of the question, validated against the code lists; None if unusable or failed.

    The local model (a ChatLlamaCpp) is asked directly, under a JSON grammar (`_ask_local`). For other chat
    models, structured: True forces `with_structured_output`, False the JSON prompt; None tries structured
    output first and falls back to JSON when the model has no tool calling or its answer does not parse.
    stats, when given, receives the local call's token counts, seconds and raw answer.
    """
    client = _local_client(llm)
    if client is not None:
        try:
            return validate(_ask_local(question, today, client, stats), question, today, language)
        except Exception as e:
            log.warning("LLM interpretation failed: %s", type(e).__name__)
            return None
    if structured is not False:
        try:
            runnable = llm.with_structured_output(LLMFilters)
            result = runnable.invoke(build_messages(question, today))
            interp = validate(result, question, today, language)
            if interp is not None or structured:
                return interp
        except Exception as e:  # NotImplementedError (no tool calling), parse errors, model errors
            log.info("structured output unavailable (%s); asking for JSON", type(e).__name__)
            if structured:
                return None
    try:
        return validate(_ask_json(question, today, llm), question, today, language)
    except Exception as e:
        log.warning("LLM interpretation failed: %s", type(e).__name__)
        return None
