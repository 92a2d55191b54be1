"""The LLM planner: asks an OpenAI-compatible chat model for the next step as a JSON-schema decision object.

Every answer is validated (``llm_decision.validate_decision``); an invalid one is fed back to the model with the
problems named, at most ``max_retries`` times, then the ``fallback`` planner answers. Requests are cached by their
whole content (model, prompt file hash, messages, schema, settings), so a re-run pays for nothing it already
asked, and budgeted: once ``token_budget`` tokens are spent the fallback answers every further step.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Literal

import openai

from orc_ai import defaults
from orc_ai.agent.llm_decision import DecisionRejected, validate_decision
from orc_ai.agent.llm_prompt import (
    arguments_schema,
    decision_schema,
    load_planner_prompt,
    render_context,
    render_event,
    render_history,
    render_tools,
)
from orc_ai.agent.models import LLMUsage, PlanStep
from orc_ai.agent.planning import Planner, PlanningState
from orc_ai.cache import ContentCache
from orc_ai.extract.llm import ChatAnswer, chat, transport_failure
from orc_ai.extract.models import TokenUsage
from orc_ai.hashing import stable_hash
from orc_ai.tools.registry import ToolRegistry

log = logging.getLogger(__name__)

OUTCOMES = (
    "valid",  # an answer passed validation and is the step
    "malformed_json",  # not JSON, or not the decision object's shape
    "bad_confidence",
    "unknown_tool",
    "bad_arguments",
    "bad_citation",
    "fallback",  # the fallback planner gave the step (after any of the reasons here)
    "budget_exhausted",
    "request_failed",  # a timeout, connection or server error left after the client's own retries
    "cached",  # an answer came from the cache (no request, no tokens)
)
ECHO_CHARS = 1500  # of a rejected answer, repeated to the model with the problems


class LLMPlanner:
    """A ``Planner`` over a chat model, with validation, bounded re-asks, a cache, a token budget and a fallback."""

    name = "llm"

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        cache: ContentCache | None,
        fallback: Planner,
        max_retries: int = defaults.AGENT_LLM_MAX_RETRIES,
        token_budget: int | None = defaults.AGENT_LLM_TOKEN_BUDGET,
        cost_per_1k_prompt_tokens: float = defaults.AGENT_LLM_COST_PER_1K_PROMPT_TOKENS,
        cost_per_1k_completion_tokens: float = defaults.AGENT_LLM_COST_PER_1K_COMPLETION_TOKENS,
        *,
        prompt_version: str = defaults.AGENT_LLM_PROMPT_VERSION,
        response_format: Literal["json_object", "json_schema"] = "json_object",
        max_tokens: int = defaults.AGENT_LLM_MAX_TOKENS,
        temperature: float = defaults.AGENT_LLM_TEMPERATURE,
        max_decision_chars: int = defaults.AGENT_LLM_MAX_DECISION_CHARS,
        max_rationale_chars: int = defaults.AGENT_LLM_MAX_RATIONALE_CHARS,
        max_argument_chars: int = defaults.AGENT_LLM_MAX_ARGUMENT_CHARS,
    ):
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.client = client
        self.model = model
        self.cache = cache
        self.fallback = fallback
        self.max_retries = max_retries
        self.token_budget = token_budget
        self.cost_per_1k_prompt_tokens = cost_per_1k_prompt_tokens
        self.cost_per_1k_completion_tokens = cost_per_1k_completion_tokens
        self.prompt = load_planner_prompt(prompt_version)
        self.response_format = response_format
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.text_limits = (max_decision_chars, max_rationale_chars)
        self.max_argument_chars = max_argument_chars
        settings = stable_hash(
            self.prompt.content_hash,
            response_format,
            json.dumps([max_tokens, temperature, max_retries, *self.text_limits, max_argument_chars]),
            length=12,
        )
        self.version = f"{self.prompt.version}:{settings}:{model}"
        self.tokens_spent = 0  # over the planner's life (one run): what the budget is checked against
        self.last_answers: list[str] = []  # the model's raw answers in the last ``next_step`` (for logs, tests)
        self._usage = LLMUsage()

    def usage(self) -> LLMUsage:
        """Requests, tokens, latency, cost estimate and outcome counts since the last call of ``usage``."""
        usage, self._usage = self._usage, LLMUsage()
        return usage

    def next_step(self, state: PlanningState, tools: ToolRegistry) -> PlanStep:
        """The model's validated step, or the fallback planner's when retries, the budget or the endpoint fail."""
        chunk_ids = [item.chunk_id for item in state.context.items]
        messages = self.prompt.messages(
            tools=render_tools(tools),
            event=render_event(state.event),
            context=render_context(state.context.items),
            history=render_history(state.history),
            step=str(state.step + 1),
            max_steps=str(state.max_steps),
        )
        schema = decision_schema(
            tools.names, chunk_ids, *self.text_limits, arguments=arguments_schema(tools, self.max_argument_chars)
        )
        self.last_answers = []
        for attempt in range(self.max_retries + 1):
            try:
                answer = self._ask(messages, schema)
            except openai.APIError as exc:
                log.warning("planner request failed (%s): %s", transport_failure(exc), str(exc)[:200])
                return self._fall_back("request_failed", state, tools)
            if answer is None:
                return self._fall_back("budget_exhausted", state, tools)
            self.last_answers.append(answer.content)
            try:
                step = validate_decision(answer.content, state.event, tools, chunk_ids)
            except DecisionRejected as exc:
                self._count(exc.outcome)
                log.info("planner answer %d for %s rejected (%s): %s", attempt + 1, state.event.id, exc.outcome, exc)
                messages = [*messages, *feedback(answer.content, exc)]
                continue
            self._count("valid")
            return step
        return self._fall_back(None, state, tools)

    def _ask(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> ChatAnswer | None:
        """The answer from the cache or one request; ``None`` when it is not cached and the budget is spent."""
        request = {
            "model": self.model,
            "messages": messages,
            "response_format": self._response_format(schema),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        key = stable_hash("llm_planner", self.prompt.content_hash, json.dumps(request, sort_keys=True), length=32)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None:
            self._count("cached")
            value = json.loads(cached)
            return ChatAnswer(content=value["content"], usage=TokenUsage(**value["usage"]))
        if self.token_budget is not None and self.tokens_spent >= self.token_budget:
            return None
        started = time.perf_counter()
        answer = chat(self.client, **request)
        self._record_request(answer.usage, (time.perf_counter() - started) * 1000)
        if self.cache is not None:
            value = {"content": answer.content, "usage": answer.usage.model_dump()}
            self.cache.put(key, json.dumps(value).encode())
        return answer

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.response_format == "json_schema":  # OpenAI structured outputs
            return {"type": "json_schema", "json_schema": {"name": "plan_decision", "schema": schema}}
        return {"type": "json_object", "schema": schema}  # llama.cpp (python server) / vLLM style

    def _record_request(self, usage: TokenUsage, latency_ms: float) -> None:
        self.tokens_spent += usage.total
        u = self._usage
        u.calls += 1
        u.prompt_tokens += usage.prompt_tokens
        u.completion_tokens += usage.completion_tokens
        u.latency_ms += latency_ms
        u.cost_usd += (
            usage.prompt_tokens * self.cost_per_1k_prompt_tokens
            + usage.completion_tokens * self.cost_per_1k_completion_tokens
        ) / 1000

    def _count(self, outcome: str) -> None:
        self._usage.outcomes[outcome] = self._usage.outcomes.get(outcome, 0) + 1

    def _fall_back(self, reason: str | None, state: PlanningState, tools: ToolRegistry) -> PlanStep:
        if reason is not None:
            self._count(reason)
        self._count("fallback")
        log.info("planner step for %s from the fallback planner (%s)", state.event.id, reason or "retries spent")
        return self.fallback.next_step(state, tools)


def feedback(content: str, rejected: DecisionRejected) -> list[dict[str, str]]:
    """The rejected answer and a user turn naming its problems, appended before asking again."""
    return [
        {"role": "assistant", "content": content[:ECHO_CHARS]},
        {
            "role": "user",
            "content": f"Your answer was rejected ({rejected.outcome}): {'; '.join(rejected.problems)}. "
            "Answer again with one corrected JSON object.",
        },
    ]
