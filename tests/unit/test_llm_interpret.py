"""The optional LLM interpreter: whatever the model says is validated against Carnet's code lists."""

from __future__ import annotations

import json
from datetime import date

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from carnet.codes import DOCUMENT_TYPES
from query.llm_interpret import (GRAMMAR_TOPIC_CHARS, MAX_PER_LIST, LLMFilters, build_messages, json_schema,
                                 llm_interpret, validate)

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 27)


def fake(obj) -> FakeListChatModel:
    text = obj if isinstance(obj, str) else json.dumps(obj)
    return FakeListChatModel(responses=[text])


def test_valid_codes_are_kept_and_marked_llm():
    interp = llm_interpret("le truc du coeur", TODAY, fake({
        "document_types": ["70004-7"], "specialties": ["Cardiologie"], "exams": ["echocardiographie"],
        "analytes": [], "date_from": "2025-01-01", "date_to": None, "order": "latest", "count": None, "topic": ""}))
    assert interp.interpreter == "llm"
    assert interp.type_codes == ("70004-7",)
    assert interp.specialty_groups == ("cardiologie",)
    assert interp.exam_keys == ("echocardiographie",)
    assert interp.date_range.start == date(2025, 1, 1) and interp.date_range.end is None
    assert interp.order == "latest"


def test_unknown_codes_and_bad_dates_are_dropped():
    interp = validate({"document_types": ["99999-9", "11528-7"], "specialties": ["astrologie"],
                       "exams": ["irm-du-pied-gauche"], "analytes": ["hba1c", "mana"],
                       "date_from": "2024-02-30", "date_to": "hier", "count": 500, "order": "sideways"},
                      "q", TODAY)
    assert interp.type_codes == ("18748-4",)  # ended imaging code mapped to the current one
    assert interp.specialty_groups == () and interp.exam_keys == ()
    assert interp.analyte_keys == ("hba1c",)
    assert interp.date_range is None and interp.count is None and interp.order == "relevance"


def test_future_and_reversed_dates_are_no_bounds():
    assert validate({"exams": ["ecg"], "date_from": "2030-01-01"}, "q", TODAY).date_range is None
    assert validate({"exams": ["ecg"], "date_from": "2025-05-01", "date_to": "2024-01-01"}, "q", TODAY).date_range is None
    month = validate({"exams": ["ecg"], "date_from": "2025-02", "date_to": "2025-02"}, "q", TODAY).date_range
    assert (month.start, month.end) == (date(2025, 2, 1), date(2025, 2, 28))


def test_nothing_usable_gives_none():
    assert llm_interpret("bonjour", TODAY, fake({"topic": "bonjour"})) is None
    assert llm_interpret("bonjour", TODAY, fake("I cannot help with that.")) is None
    assert validate(None, "q", TODAY) is None


def test_json_inside_prose_is_found():
    interp = llm_interpret("dernière HbA1c", TODAY, fake('Voici : {"analytes": ["HbA1c"], "order": "latest"} !'))
    assert interp.analyte_keys == ("hba1c",) and interp.order == "latest"


def test_count_implies_latest():
    interp = validate({"document_types": ["11502-2"], "count": 3}, "3 derniers bilans", TODAY)
    assert interp.count == 3 and interp.order == "latest"


def test_structured_output_path_is_validated_too():
    class Structured:
        def with_structured_output(self, schema):
            assert schema is LLMFilters

            class Runnable:
                def invoke(self, messages):
                    return LLMFilters(specialties=["cardiologie", "voodoo"], topic="x" * 500)

            return Runnable()

    interp = llm_interpret("q", TODAY, Structured())
    assert interp.specialty_groups == ("cardiologie",) and len(interp.topic) == 120


def test_model_failure_gives_none():
    class Broken:
        def with_structured_output(self, schema):
            raise NotImplementedError

        def invoke(self, messages):
            raise RuntimeError("down")

    assert llm_interpret("q", TODAY, Broken()) is None


def test_prompt_lists_the_codes_and_today():
    system, human = build_messages("écho <b>", TODAY)
    assert "2026-11-27" in human[1] and "echocardiographie" in system[1] and "11502-2" in system[1]
    assert "<" not in human[1]


def test_summarizer_shares_its_model_with_the_interpreter():
    from query.generate import GeneratedSummarizer
    from query.llm_chat import LLMConfig

    s = GeneratedSummarizer(llm=fake({"exams": ["ecg"]}), config=LLMConfig())
    assert s.interpret("dernier ECG", TODAY).exam_keys == ("ecg",)


def test_an_echoed_catalogue_is_dropped():
    from carnet.lexicon import EXAMS

    interp = validate({"exams": list(EXAMS), "specialties": ["cardiologie"]}, "q", TODAY)
    assert interp.exam_keys == () and interp.specialty_groups == ("cardiologie",)


# --- wired into the Searcher: a fallback for questions the rules read as unfiltered ----------------------


def _searcher(fallback):
    from query.retrieve import Searcher

    return Searcher(store=None, vectors=None, embedder=None, fallback_interpreter=fallback)


def test_searcher_keeps_the_rules_when_they_found_a_filter():
    calls = []
    interp = _searcher(lambda *a: calls.append(a)).interpret("dernier compte rendu de cardiologie", TODAY)
    assert interp.interpreter == "rules" and interp.specialty_groups == ("cardiologie",)
    assert calls == []  # the model is not asked: no seconds spent on what the rules read


def test_searcher_asks_the_fallback_when_the_rules_found_nothing():
    llm = fake({"document_types": [], "specialties": ["cardiologie"], "exams": [], "analytes": [],
                "date_from": None, "date_to": None, "order": "latest", "count": None, "topic": ""})
    searcher = _searcher(lambda q, today, language: llm_interpret(q, today, llm, language=language, structured=False))
    interp = searcher.interpret("le machin du coeur", TODAY)
    assert interp.interpreter == "llm"
    assert interp.specialty_groups == ("cardiologie",) and interp.order == "latest"


@pytest.mark.parametrize("fallback", [lambda *a: None, lambda *a: (_ for _ in ()).throw(RuntimeError("model down"))])
def test_searcher_falls_back_to_the_rules_when_the_model_gives_nothing(fallback):
    interp = _searcher(fallback).interpret("le machin du coeur", TODAY)
    assert interp.interpreter == "rules" and not interp.has_filters


def test_service_wires_the_fallback_only_when_asked(tmp_path):
    from carnet.config import Settings
    from service.facade import Carnet

    rules = Carnet(Settings(home=tmp_path / "a", embedder="hashing"))
    assert rules.searcher.fallback_interpreter is None

    class ModelSummarizer:  # stands for query.generate.GeneratedSummarizer: it owns the model
        def interpret(self, question, today, language="fr"):
            return None

    llm = Carnet(Settings(home=tmp_path / "b", embedder="hashing", interpreter="llm"))
    llm._summarizer = lambda: ModelSummarizer()
    assert llm.searcher.fallback_interpreter.__self__.__class__ is ModelSummarizer


# --- the local model: one chat completion, fixed prefix first, JSON grammar, few tokens ----------------------


class FakeLlama:
    """Stands for llama_cpp.Llama: records what it is asked, answers with canned JSON texts."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.calls: list[dict] = []
        self.input_ids: list[int] = []

    def create_chat_completion(self, messages, **kwargs):
        self.calls.append({"messages": messages, **kwargs})
        tokens = [ord(c) for m in messages for c in m["content"]]  # one "token" a character
        self.input_ids = tokens + [0, 0, 0]
        return {"choices": [{"message": {"content": self.answers.pop(0)}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": len(tokens), "completion_tokens": 3}}


class FakeChatLlamaCpp:
    def __init__(self, client):
        self.client = client

    def with_structured_output(self, schema):  # the local path must not use tool calling
        raise AssertionError("tool calling asked of the local model")


def test_prompt_puts_the_fixed_part_first_and_the_date_and_question_last():
    a = build_messages("dern labo", TODAY)
    b = build_messages("latest echo", date(2025, 3, 1))
    assert a[0] == b[0]  # the system part (instructions + catalogue) is identical whatever the question or day
    assert "2026-11-27" not in a[0][1] and "11502-2" in a[0][1] and "echocardiographie" in a[0][1]
    assert a[1][1].startswith("Today is 2026-11-27.") and a[1][1].rstrip().endswith("dern labo\nJSON:")
    assert b[1][1].startswith("Today is 2025-03-01.") and "latest echo" in b[1][1]


def test_local_model_is_asked_once_with_a_grammar_and_few_tokens():
    from query.llm_interpret import MAX_JSON_TOKENS

    client = FakeLlama(json.dumps({"document_types": ["11502-2"], "specialties": [], "exams": [], "analytes": [],
                                   "date_from": None, "date_to": None, "order": "latest", "count": None,
                                   "topic": ""}), '{"exams": ["ecg"], "order": "latest"}')
    llm = FakeChatLlamaCpp(client)
    first_stats, second_stats = {}, {}
    first = llm_interpret("dern labo", TODAY, llm, stats=first_stats)
    second = llm_interpret("ecg stp", TODAY, llm, stats=second_stats)
    assert first.type_codes == ("11502-2",) and first.order == "latest"
    assert second.exam_keys == ("ecg",)
    assert len(client.calls) == 2
    for call in client.calls:
        assert call["max_tokens"] == MAX_JSON_TOKENS <= 200 and call["temperature"] == 0.0
        assert [m["role"] for m in call["messages"]] == ["system", "user"]
    assert client.calls[0]["messages"][0] == client.calls[1]["messages"][0]
    # the second call shares everything up to the question with the first: only its tail is read again
    assert first_stats["evaluated_tokens"] == first_stats["prompt_tokens"]
    assert second_stats["evaluated_tokens"] == len("ecg stp\nJSON:") < second_stats["prompt_tokens"] // 100


def test_local_answers_are_validated_and_broken_ones_give_none():
    client = FakeLlama('{"document_types": ["99999-9"], "exams": ["irm-du-pied-gauche"], "order": "latest"}',
                       '{"exams": ["ecg"], "order": "lat', "not json")
    llm = FakeChatLlamaCpp(client)
    stats: dict = {}
    assert llm_interpret("q", TODAY, llm, stats=stats) is None  # unknown codes only: nothing usable
    assert stats["parsed"] and stats["raw"]["document_types"] == ["99999-9"]
    assert llm_interpret("q", TODAY, llm) is None  # cut off at max_tokens
    assert llm_interpret("q", TODAY, llm) is None


def test_local_grammar_accepts_the_answer_shape():
    pytest.importorskip("llama_cpp")
    from llama_cpp import LlamaGrammar

    from query.llm_interpret import _gbnf

    gbnf = _gbnf()
    for key in ("document_types", "specialties", "exams", "analytes", "date_from", "date_to", "order", "count", "topic"):
        assert f'\\"{key}\\"' in gbnf
    assert gbnf.index('\\"document_types\\"') < gbnf.index('\\"topic\\"')
    LlamaGrammar.from_string(gbnf, verbose=False)  # parses


def test_rejected_lists_what_validation_drops():
    from query.llm_interpret import rejected
    from carnet.lexicon import EXAMS

    assert rejected({"exams": ["ecg"], "date_from": "2025-01-01", "count": 2}) == []
    drops = rejected({"document_types": ["99999-9", "11502-2"], "exams": list(EXAMS), "date_to": "hier", "count": 500})
    assert "document_types: '99999-9'" in drops and f"exams: {len(EXAMS)} codes" in drops
    assert "date_to: 'hier'" in drops and "count: 500" in drops
    assert rejected(None) == ["no JSON object"]


def test_the_grammar_admits_only_catalogue_codes_a_few_at_a_time():
    schema = json_schema()["properties"]
    assert schema["document_types"]["items"]["enum"] == sorted(DOCUMENT_TYPES)
    assert all(schema[k]["maxItems"] == MAX_PER_LIST for k in ("document_types", "specialties", "exams", "analytes"))
    assert schema["topic"]["maxLength"] == GRAMMAR_TOPIC_CHARS
