"""Offline engine: extractive, deterministic, no model downloads (the default engine)."""

from __future__ import annotations

from .engine import build_briefing

__all__ = ["build_briefing"]
