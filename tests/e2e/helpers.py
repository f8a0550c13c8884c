"""Helpers for the browser tests: pages, scripted pointer drawing, canvas pixels, and a Socket.IO bot.

The bot is a python-socketio AsyncClient running on its own event loop in a thread, so the sync
Playwright tests can use it as an extra player and read the server's own copy of a drawing.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import socketio
from playwright.sync_api import expect

VIEWPORT = {"width": 1280, "height": 820}
CANVAS_W, CANVAS_H = 800, 600


class Bot:
    """A Socket.IO player driven from synchronous test code."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.events: list[tuple[str, Any]] = []
        self.sio = socketio.AsyncClient(reconnection=False)

        async def record(event: str, *args: Any) -> None:
            self.events.append((event, args[0] if len(args) == 1 else list(args)))

        self.sio.on("*", record)
        self._run(self.sio.connect(url, auth={"protocol": 1}, transports=["websocket"]))

    def _run(self, coro: Any, timeout: float = 15.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Emits `event` and returns its ack."""
        return self._run(self.sio.call(event, payload, timeout=10))

    def server_drawing(self) -> list[dict[str, Any]]:
        """The server's copy of the current turn's drawing log."""
        ack = self.call("get_state", {})
        assert ack["ok"], ack
        return ack["drawing"]["ops"]

    def close(self) -> None:
        try:
            self._run(self.sio.disconnect(), timeout=5)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


def new_page(browser_or_context: Any, errors: list[str] | None = None) -> Any:
    """A page in a fresh context (or in the given context); page errors are collected into `errors`."""
    if hasattr(browser_or_context, "new_context"):
        ctx = browser_or_context.new_context(viewport=VIEWPORT)
    else:
        ctx = browser_or_context
    page = ctx.new_page()
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def enter_name(page: Any, name: str) -> None:
    page.fill("#name", name)


def to_screen(page: Any, pts: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    box = page.locator("#board").bounding_box()
    return [(box["x"] + x * box["width"] / CANVAS_W, box["y"] + y * box["height"] / CANVAS_H) for x, y in pts]


def draw_stroke(page: Any, pts: Sequence[Sequence[float]], step_px: float = 25.0) -> None:
    """One stroke as real pointer events: press at the first point, move through the rest (with
    intermediate moves every `step_px` screen pixels, like a real hand), release."""
    screen = to_screen(page, pts)
    page.mouse.move(*screen[0])
    page.mouse.down()
    for (x0, y0), (x1, y1) in itertools.pairwise(screen):
        steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / step_px))
        page.mouse.move(x1, y1, steps=steps)
    page.mouse.up()


def touch_stroke(page: Any, pts: Sequence[Sequence[float]], step_px: float = 25.0) -> None:
    """One stroke as a finger: CDP touch events (Playwright has no touch-move API)."""
    page.locator("#board").scroll_into_view_if_needed()
    screen = to_screen(page, pts)
    cdp = page.context.new_cdp_session(page)
    try:
        def send(kind: str, x: float | None = None, y: float | None = None) -> None:
            points = [] if x is None else [{"x": x, "y": y}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        send("touchStart", *screen[0])
        for (x0, y0), (x1, y1) in itertools.pairwise(screen):
            steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / step_px))
            for i in range(1, steps + 1):
                send("touchMove", x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
        send("touchEnd")
    finally:
        cdp.detach()


def canvas_rgba(page: Any) -> tuple[int, int, bytes]:
    """The board's pixels (RGBA, the canvas's backing-store size)."""
    data = page.evaluate(
        """() => { const c = document.getElementById('board');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let s = '';
                   for (let i = 0; i < d.length; i += 8192) {
                     s += String.fromCharCode(...d.subarray(i, i + 8192));
                   }
                   return [c.width, c.height, btoa(s)]; }"""
    )
    return data[0], data[1], base64.b64decode(data[2])


def ink_mask(rgba: bytes) -> bytes:
    """1 where a pixel has ink (alpha > 127), else 0."""
    return bytes(1 if a > 127 else 0 for a in rgba[3::4])


def shot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    return path


def host_and_guest(
    browser: Any, url: str, errors: list[str], *, words: str | None = None, init_script: str | None = None,
    host: str = "Ann", guest: str = "Bob",
) -> tuple[Any, Any]:
    """`host` creates a room (WASM AI) and `guest` joins by the invite link; both in the lobby. With
    `words`, the host sets one round, one word choice and only those custom words. `init_script` runs in
    both pages before the client (a stub of a browser API)."""
    pages = []
    for _ in range(2):
        ctx = browser.new_context(viewport=VIEWPORT)
        if init_script:
            ctx.add_init_script(init_script)
        pages.append(new_page(ctx, errors))
    ann, bob = pages
    ann.goto(f"{url}/?ai=wasm")
    enter_name(ann, host)
    ann.click("#create")
    expect(ann.locator("#room-code")).to_be_visible()
    bob.goto(f"{ann.input_value('#invite-link')}?ai=wasm")
    enter_name(bob, guest)
    bob.click("#join-invite")
    expect(ann.locator("#lobby-players li:not(.ai)")).to_have_count(2)
    if words is not None:
        for field, value in (("#set-rounds", "1"), ("#set-word_choices", "1"), ("#set-custom_words", words)):
            ann.fill(field, value)
            ann.locator(field).dispatch_event("change")
        expect(ann.locator("#set-custom_words")).to_have_value(words)
        ann.locator("#set-custom_only").check()
        expect(bob.locator("#set-custom_only")).to_be_checked()
    return ann, bob


def solo_drawing_with_bot(page: Any, url: str) -> Bot:
    """`page` (on the landing page) creates a room as Ada, a Bot joins, Ada starts and picks the first
    word: she is drawing when this returns. The caller closes the bot."""
    enter_name(page, "Ada")
    page.click("#create")
    expect(page.locator("#room-code")).to_be_visible()
    bot = Bot(url)
    try:
        assert bot.call("join_room", {"code": page.locator("#room-code").text_content(), "name": "Bot"})["ok"]
        page.click("#start")
        page.locator("#choices button").first.click()
        expect(page.locator("#word-text")).to_be_visible()
    except BaseException:
        bot.close()
        raise
    return bot
