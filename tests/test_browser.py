"""Open the web page and the e-mail HTML in headless Chromium at phone and desktop widths.

Checks that nothing scrolls sideways and that the divergence section is laid out
on the page, then saves full-length screenshots to tests/artifacts/ for a human
to look at.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so no extra
package is needed. The viewport is set with Emulation.setDeviceMetricsOverride,
because headless windows will not go narrower than 500 px, and measuring runs
through Runtime.evaluate, so the pages themselves stay script-free.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from briefing_fixture import make_briefing

from briefing.render.content import DIVERGENCE_ANCHOR
from briefing.render.email import render_email
from briefing.render.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BASH = shutil.which("bash")
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTHS = (375, 800)
TIMEOUT = 30.0

# CI installs Chromium and sets BRIEFING_REQUIRE_CHROMIUM, so there a missing browser fails
# the run instead of quietly skipping the only test that looks at the pages.
if os.environ.get("BRIEFING_REQUIRE_CHROMIUM") and (CHROMIUM is None or BASH is None):
    raise RuntimeError("BRIEFING_REQUIRE_CHROMIUM is set but chromium or bash is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or BASH is None,
    reason="Chromium not installed (apt-get install chromium); this test needs it and bash",
)

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)

# The divergence section is a <td> in the e-mail; in the web page it is an <h2> plus
# everything up to the next <h2>, so its box is the union of those.
MEASURE = """
(() => {
  const start = document.getElementById(%s);
  let box = null;
  const add = (el) => {
    const r = el.getBoundingClientRect();
    const b = {left: r.left + scrollX, top: r.top + scrollY,
               right: r.right + scrollX, bottom: r.bottom + scrollY};
    box = box === null ? b : {left: Math.min(box.left, b.left), top: Math.min(box.top, b.top),
      right: Math.max(box.right, b.right), bottom: Math.max(box.bottom, b.bottom)};
  };
  let text = "";
  if (start) {
    add(start);
    text = start.innerText;
    if (start.tagName === "H2") {
      for (let el = start.nextElementSibling; el && el.tagName !== "H2";
           el = el.nextElementSibling) { add(el); text += "\\n" + el.innerText; }
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    height: document.documentElement.scrollHeight,
    section: box,
    sectionText: text,
  };
})()
"""


def _high_fd(fd: int) -> int:
    """Move fd to 10 or above, out of the way of the 3 and 4 Chromium expects."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Browser:
    """Just enough of a DevTools-protocol client for these tests."""

    def __init__(self, profile: Path) -> None:
        to_chrome_r, self._out = os.pipe()
        self._in, from_chrome_w = os.pipe()
        to_chrome_r, from_chrome_w = _high_fd(to_chrome_r), _high_fd(from_chrome_w)
        # bash (not sh) because dash cannot redirect file descriptors above 9.
        plumbing = f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        plumbing += f" {to_chrome_r}<&- {from_chrome_w}>&-"
        args = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
        self._proc = subprocess.Popen(
            [BASH, "-c", plumbing, CHROMIUM, *args],  # type: ignore[list-item]
            pass_fds=(to_chrome_r, from_chrome_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def wait_for(self, event: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._receive(deadline)
            if message.get("method") == event and message.get("sessionId") == session:
                return

    def open(self, url: str, width: int, height: int = 900) -> str:
        """Load url in a new tab with a width x height viewport; returns the session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call("Page.enable", session=session)
        self.resize(session, width, height)
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        return session

    def resize(self, session: str, width: int, height: int) -> None:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session)

    def evaluate(self, session: str, expression: str) -> Any:
        params = {"expression": expression, "returnByValue": True}
        result = self.call("Runtime.evaluate", params, session)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"]["value"]

    def screenshot(self, session: str) -> bytes:
        data = self.call("Page.captureScreenshot", {"format": "png"}, session)["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self._proc.wait(timeout=10)
        except (OSError, EOFError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self._proc.kill()
            self._proc.wait()
        finally:
            os.close(self._in)
            os.close(self._out)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chrome
    finally:
        chrome.close()


@pytest.fixture(scope="module")
def pages() -> dict[str, Path]:
    """The fixture briefing as web page and e-mail, written to tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    briefing = make_briefing(unverified=True)
    out = {}
    for kind, page in (("web", render_html(briefing)), ("email", render_email(briefing))):
        path = ARTIFACTS / f"{kind}.html"
        path.write_text(page, encoding="utf-8")
        out[kind] = path
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["web", "email"])
def test_no_sideways_scrolling_and_divergences_visible(
    kind: str, width: int, pages: dict[str, Path], browser: Browser
) -> None:
    session = browser.open(pages[kind].as_uri(), width)
    m = browser.evaluate(session, MEASURE % json.dumps(DIVERGENCE_ANCHOR))

    assert m["innerWidth"] == width
    assert m["scrollWidth"] <= m["innerWidth"], m
    box = m["section"]
    assert box is not None, "divergence section not found"
    assert box["left"] >= 0 and box["right"] <= width, box
    assert box["right"] - box["left"] > 0.5 * width, box
    assert box["bottom"] - box["top"] > 300, box
    assert 0 < box["top"] < m["height"], box
    assert "Death toll" in m["sectionText"] and "at least 14 killed" in m["sectionText"]

    # Full-length screenshot of the page as it is, for a human to check.
    browser.resize(session, width, min(int(m["height"]), 12_000))
    shot = ARTIFACTS / f"{kind}-{width}.png"
    shot.write_bytes(browser.screenshot(session))
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("kind", ["web", "email"])
def test_dark_mode_turns_the_page_dark(kind: str, pages: dict[str, Path], browser: Browser) -> None:
    session = browser.open(pages[kind].as_uri(), 375)
    dark = [{"name": "prefers-color-scheme", "value": "dark"}]
    browser.call("Emulation.setEmulatedMedia", {"features": dark}, session)
    colours = browser.evaluate(
        session,
        "[getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('h1')).color]",
    )

    def brightness(rgb: str) -> float:
        r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
        return (r + g + b) / 3

    background, heading = colours
    assert brightness(background) < 60 < 180 < brightness(heading), colours
