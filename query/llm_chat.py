"""The generative model behind generated summaries, as a LangChain chat model: `ChatLlamaCpp` over the
local GGUF (query/llm_model.py) by default, or any OpenAI-compatible server when `CARNET_LLM_ENDPOINT` is
set (`CARNET_LLM_MODEL` names the model there, `CARNET_LLM_API_KEY` is optional). Document text then
leaves the process: point it only at a server you trust with patient data.

Also the model's speed: the throughput it is assumed to have before it has run (`Rates`), the estimate
the API announces before a summary starts, and what a generation measured (`GenerationStats`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from query.llm_model import ModelUnavailable, ensure_model


@dataclass(frozen=True)
class LLMConfig:
    """How to reach the generative model. `from_env` reads CARNET_LLM_* variables."""

    endpoint: str | None = None  # OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1; None = local GGUF
    model: str = "local"  # model name sent to the endpoint
    api_key: str | None = None
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 220
    temperature: float = 0.0
    timeout_seconds: float = 120.0
    grammar: bool = True  # local model: constrain the output to "[Sn] sentence" lines (llama.cpp GBNF)

    def __post_init__(self) -> None:
        if self.max_tokens < 16 or self.max_tokens > 2048:
            raise ValueError(f"max_tokens must be between 16 and 2048. Currently, max_tokens is {self.max_tokens}")
        if self.n_threads < 1:
            raise ValueError(f"n_threads must be at least 1. Currently, n_threads is {self.n_threads}")
        if self.n_ctx < 1024:
            raise ValueError(f"n_ctx must be at least 1024. Currently, n_ctx is {self.n_ctx}")

    @classmethod
    def from_env(cls) -> "LLMConfig":
        env = os.environ
        return cls(
            endpoint=env.get("CARNET_LLM_ENDPOINT") or None,
            model=env.get("CARNET_LLM_MODEL") or "local",
            api_key=env.get("CARNET_LLM_API_KEY") or None,
            n_ctx=int(env.get("CARNET_LLM_CTX", 4096)),
            n_threads=int(env.get("CARNET_LLM_THREADS", 2)),
            max_tokens=int(env.get("CARNET_LLM_MAX_TOKENS", 220)),
            grammar=env.get("CARNET_LLM_GRAMMAR", "1") not in ("0", "false", "no"),
        )


def make_chat_model(config: LLMConfig | None = None):
    """A LangChain chat model: ChatLlamaCpp over the verified local GGUF, or an OpenAI-compatible endpoint."""
    config = config or LLMConfig.from_env()
    if config.endpoint:
        try:
            from langchain_openai import ChatOpenAI  # optional: used when installed
        except ImportError:
            return OpenAICompatibleChat(endpoint=config.endpoint, model=config.model, api_key=config.api_key,
                                        temperature=config.temperature, max_tokens=config.max_tokens,
                                        timeout_seconds=config.timeout_seconds)
        return ChatOpenAI(base_url=config.endpoint, model=config.model, api_key=config.api_key or "none",
                          temperature=config.temperature, max_tokens=config.max_tokens, timeout=config.timeout_seconds)
    path = ensure_model()  # ModelUnavailable if missing or if its hash does not match
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as e:  # pragma: no cover - langchain-community is a core dependency
        raise ImportError("langchain-community is needed for the local model") from e
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise ModelUnavailable("llama-cpp-python is not installed: run `python -m query.llm_model install`.") from None
    return ChatLlamaCpp(model_path=str(path), n_ctx=config.n_ctx, n_threads=config.n_threads, n_batch=512,
                        temperature=config.temperature, max_tokens=config.max_tokens, repeat_penalty=1.0,
                        top_p=1.0, top_k=1, seed=0, verbose=False)


def _openai_compatible_chat_class():
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    roles = {"system": "system", "human": "user", "ai": "assistant"}

    class _OpenAICompatibleChat(BaseChatModel):
        """A minimal chat model for any /v1/chat/completions server, for machines without langchain-openai."""

        endpoint: str
        model: str = "local"
        api_key: str | None = None
        temperature: float = 0.0
        max_tokens: int = 220
        timeout_seconds: float = 120.0

        @property
        def _llm_type(self) -> str:
            return "openai-compatible"

        def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
                      **kwargs: Any) -> ChatResult:
            body = {
                "model": self.model,
                "messages": [{"role": roles.get(m.type, "user"), "content": m.content} for m in messages],
                "temperature": self.temperature,
                "max_tokens": self.max_tokens,
                **({"stop": stop} if stop else {}),
            }
            import urllib.request

            headers = {"Content-Type": "application/json"}
            if self.api_key:
                headers["Authorization"] = f"Bearer {self.api_key}"
            request = urllib.request.Request(self.endpoint.rstrip("/") + "/chat/completions",
                                             data=json.dumps(body).encode(), headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                payload = json.loads(response.read())
            text = payload["choices"][0]["message"].get("content") or ""
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))],
                              llm_output={"token_usage": payload.get("usage", {})})

    return _OpenAICompatibleChat


def OpenAICompatibleChat(**kwargs):  # noqa: N802 - a class factory, so langchain_core loads only when used
    return _openai_compatible_chat_class()(**kwargs)


# --- speed ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Throughput of the generative model; defaults measured on 2 cores (docs: models.md)."""

    prompt_tokens_per_second: float = 150.0
    generation_tokens_per_second: float = 35.0
    load_seconds: float = 1.0


DEFAULT_RATES = Rates()


def estimate_seconds(n_prompt_tokens: int, max_tokens: int, rates: Rates = DEFAULT_RATES, *, loaded: bool = True) -> float:
    """Upper estimate of the time a generation takes: read the prompt, write up to max_tokens."""
    seconds = n_prompt_tokens / rates.prompt_tokens_per_second + max_tokens / rates.generation_tokens_per_second
    return seconds + (0.0 if loaded else rates.load_seconds)


@dataclass(frozen=True)
class GenerationStats:
    prompt_tokens: int
    completion_tokens: int
    seconds_to_first_token: float  # ~ time to read the prompt
    seconds: float  # whole generation
    load_seconds: float = 0.0  # model load, when this call loaded it

    @property
    def prompt_tokens_per_second(self) -> float:
        return self.prompt_tokens / self.seconds_to_first_token if self.seconds_to_first_token > 0 else 0.0

    @property
    def generation_tokens_per_second(self) -> float:
        writing = self.seconds - self.seconds_to_first_token
        return (self.completion_tokens - 1) / writing if writing > 0 and self.completion_tokens > 1 else 0.0
