"""The names of the briefing's sections, as a reader sees them.

They live below both the engines and the renderers because an engine's own text may
point the reader at a section ("see “Where accounts diverge”"), and that pointer must
name the heading the renderers print.
"""

TITLE_BOTTOM_LINE = "Bottom line"
TITLE_POINTS = "Key points"
TITLE_DIVERGENCES = "Where accounts diverge"
TITLE_SINGLE_SOURCE = "Reported by only one source"
TITLE_TIMELINE = "Timeline"
TITLE_SOURCES = "Sources"
TITLE_UNVERIFIED = "Unverified"
