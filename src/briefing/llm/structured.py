"""Ask for a validated record: cache lookup, the request, validation, one repair.

A reply that is not JSON or does not fit the schema gets exactly one repair
request that shows the model its reply and the error; a second failure is a
BackendError naming the chunk or group. A reply cut off at the token limit is
asked for once more with a larger limit when the caller says there is room for
one. Only a validated reply is cached, and it is cached under the key of the
original request, so a re-run replays it without repeating the repair or the
longer request.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import BackendError
from .accounting import Accounting
from .budget import REASONING_MODEL
from .cache import ReplyCache, cache_key
from .client import ChatClient, RawReply, ReplyCutOff
from .config import OPENAI_BASE_URL, LLMConfig, json_mode_fallback
from .prompts import PromptSet
from .schema import ReplyInvalid, Wire, format_instructions, parse_reply, response_format

W = TypeVar("W", bound=Wire)

BAD_REPLY_CHARS = 8000  # what of an unusable reply is shown back to the model


def request_params(config: LLMConfig, wire: type[Wire], max_tokens: int) -> dict[str, Any]:
    params: dict[str, Any] = {}
    fmt = response_format(wire, config.json_mode)
    if fmt is not None:
        params["response_format"] = fmt
    official = config.endpoint() == OPENAI_BASE_URL
    # Local servers (vLLM, Ollama, llama.cpp, LM Studio) all know max_tokens; OpenAI
    # prefers max_completion_tokens and requires it for reasoning models.
    params[_limit_key(official)] = max_tokens
    if config.temperature is not None and not REASONING_MODEL.match(config.model):
        params["temperature"] = config.temperature
    return params


def _limit_key(official: bool) -> str:
    return "max_completion_tokens" if official else "max_tokens"


def with_limit(params: dict[str, Any], max_tokens: int) -> dict[str, Any]:
    """``params`` asking for replies of up to ``max_tokens``, whichever key they use."""
    key = next(k for k in ("max_completion_tokens", "max_tokens") if k in params)
    return {**params, key: max_tokens}


class Asker:
    def __init__(
        self,
        *,
        config: LLMConfig,
        client: ChatClient,
        cache: ReplyCache | None,
        prompts: PromptSet,
        accounting: Accounting,
        max_tokens: int,
    ) -> None:
        self.config = config
        self.client = client
        self.cache = cache
        self.prompts = prompts
        self.accounting = accounting
        self.max_tokens = max_tokens
        self.system = prompts.render("system")

    def format_for(self, wire: type[Wire]) -> str:
        return format_instructions(wire, self.config.json_mode)

    def messages(self, user: str) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    async def ask(
        self,
        wire: type[W],
        *,
        stage: str,
        label: str,
        user: str,
        room: int | None = None,
        max_tokens: int | None = None,
    ) -> W:
        """``room``: the largest reply limit the context window leaves next to this
        prompt; a reply cut off below it is asked for once more with that limit.
        ``max_tokens``: this call's reply limit, if not the run's."""
        messages = self.messages(user)
        limit = max_tokens or self.max_tokens
        params = request_params(self.config, wire, limit)
        key = cache_key(self.config.model, self.config.endpoint(), messages, params)
        usage = self.accounting.stages[stage]
        usage.calls += 1
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                parsed = parse_reply(hit.text, wire)
            except ReplyInvalid:
                pass  # stored by an older version with another schema: ask again
            else:
                usage.cached += 1
                self.accounting.replies_kept += 1
                return parsed
        if self.cache is not None and self.cache.was_cut_off(key):
            usage.cached += 1
            raise ReplyCutOff(
                f"{label}: the reply was cut off at the token limit (finish_reason=length) "
                "in an earlier run",
                remembered=True,
            )

        try:
            reply, params = await self._complete(messages, params, stage, label, room, limit)
        except ReplyCutOff:
            if self.cache is not None:
                self.cache.mark_cut_off(key, self.config.model)
            raise
        try:
            parsed = parse_reply(reply.text, wire)
        except ReplyInvalid as err:
            usage.repairs += 1
            reply, parsed = await self._repair(wire, messages, params, reply, err, stage, label)
        if self.cache is not None and reply.text is not None:
            self.cache.put(key, self.config.model, reply.text, reply)
            self.accounting.replies_kept += 1
        return parsed

    async def _complete(
        self,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        stage: str,
        label: str,
        room: int | None,
        limit: int,
    ) -> tuple[RawReply, dict[str, Any]]:
        """The reply and the parameters that got it: asked once more with the ``room``
        the window leaves if it is cut off below that (a repair keeps that limit)."""
        try:
            return await self.client.complete(messages, params, stage=stage, label=label), params
        except ReplyCutOff:
            if room is None or room <= limit:
                raise
            self.accounting.stages[stage].extended += 1
            params = with_limit(params, room)
            return await self.client.complete(messages, params, stage=stage, label=label), params

    async def _repair(
        self,
        wire: type[W],
        messages: list[dict[str, str]],
        params: dict[str, Any],
        bad: RawReply,
        err: ReplyInvalid,
        stage: str,
        label: str,
    ) -> tuple[RawReply, W]:
        repair = self.prompts.render("repair", error=str(err), format=self.format_for(wire))
        retry_messages = [
            *messages,
            {"role": "assistant", "content": (bad.text or "")[:BAD_REPLY_CHARS]},
            {"role": "user", "content": repair},
        ]
        reply = await self.client.complete(retry_messages, params, stage=stage, label=label)
        try:
            return reply, parse_reply(reply.text, wire)
        except ReplyInvalid as again:
            mode = self.config.json_mode
            fallback = json_mode_fallback(mode)
            # Another mode changes every request, so the cached replies do not serve it.
            switch = (
                f"try --json-mode {fallback} if the server ignores {mode} (which asks every "
                "call again), or "
                if fallback
                else ""
            )
            raise BackendError(
                f"{label}: {again}, also after one repair request; "
                f"{switch}try a model that follows JSON formats"
            ) from None
