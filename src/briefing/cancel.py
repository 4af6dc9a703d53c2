"""Cancelling a run that works on an event loop of its own.

``abuild_briefing`` runs the build in a worker thread, and the LLM engine runs its chain
on a loop in that thread. When the caller's task is cancelled (a web handler's timeout,
a client gone), the chain should stop too instead of spending calls until its deadline.
The handle travels as a context variable, which ``asyncio.to_thread`` carries into the
worker, so no build function needs a parameter for it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")


class CancelHandle:
    """Thread-safe: ``cancel()`` from the caller's loop, ``bind()`` from the worker's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._target: tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]] | None = None

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._target is not None:
                loop, task = self._target
                loop.call_soon_threadsafe(task.cancel)

    def bind(self, task: asyncio.Task[Any]) -> None:
        with self._lock:
            self._target = (asyncio.get_running_loop(), task)
            if self._cancelled:  # cancelled before the worker got going
                task.cancel()


current: ContextVar[CancelHandle | None] = ContextVar("briefing_cancel", default=None)


async def cancellable(coro: Coroutine[Any, Any, T]) -> T:
    """Await ``coro`` as a task that the current handle, if any, can cancel."""
    task = asyncio.ensure_future(coro)
    if (handle := current.get()) is not None:
        handle.bind(task)
    return await task
