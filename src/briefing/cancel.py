"""Cancelling a run that works on an event loop of its own.

``abuild_briefing`` runs the build in a worker thread, and the LLM engine runs its chain
on a loop in that thread. When the caller's task is cancelled (a web handler's timeout,
a client gone), the chain should stop too instead of spending calls until its deadline.
The handle travels as a context variable, which ``asyncio.to_thread`` carries into the
worker, so no build function needs a parameter for it.

The CLI uses the same handle for Ctrl-C: its signal handler cancels the running chain's
task (``interrupt``), which then stops at its next await like a cancelled web handler,
instead of a KeyboardInterrupt raised between any two bytecodes of the event loop,
which can leave a lock held and the loop's shutdown waiting on it.
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
        # What the task was cancelled as, by ``interrupt``: raised once the loop is gone.
        self.reason: type[BaseException] | None = None

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

    def unbind(self) -> None:
        with self._lock:
            self._target = None

    def interrupt(self, reason: type[BaseException]) -> bool:
        """From a signal handler: cancel the bound task, to be told as ``reason`` once its
        loop has stopped. False when no task is running, so the caller raises ``reason``
        itself. Takes no lock: the handler may run while this thread holds it."""
        target = self._target
        if target is None:
            return False
        loop, task = target
        if task.done() or loop.is_closed():
            return False
        self.reason = reason
        loop.call_soon_threadsafe(task.cancel)
        return True


current: ContextVar[CancelHandle | None] = ContextVar("briefing_cancel", default=None)


async def cancellable(coro: Coroutine[Any, Any, T]) -> T:
    """Await ``coro`` as a task that the current handle, if any, can cancel."""
    task = asyncio.ensure_future(coro)
    if (handle := current.get()) is None:
        return await task
    handle.bind(task)
    try:
        return await task
    finally:
        handle.unbind()
