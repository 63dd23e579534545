"""A browser tab on the chat page, and the settings the browser tests share."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable, List, Optional

from tests.browser.servers import ROOT, WEB

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the network flags Chromium's background connections are refused on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDGET_BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
SCREENSHOTS = ROOT / "tests" / "screenshots"
BROWSER_DIR = Path(__file__).resolve().parent
LOOPBACK = re.compile(r"^(https?|wss?)://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/")

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
REPLY_TIMEOUT_S = 60


class ChatPage:
    """One browser tab on the chat page, with what a test needs to talk to the bot."""

    def __init__(self, page, test_name: str) -> None:
        self.page = page
        self.test_name = test_name
        self.dialogs: List[str] = []
        self.outside_requests: List[str] = []
        self.blocked_requests: List[str] = []
        self.errors: List[str] = []
        page.on("dialog", self._on_dialog)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_request_failed)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_request(self, request) -> None:
        if not request.url.startswith("data:") and not LOOPBACK.match(request.url):
            self.outside_requests.append(request.url)

    def _on_request_failed(self, request) -> None:
        if request.failure and "csp" in request.failure.lower():
            self.blocked_requests.append(request.url)

    # -- navigation

    def goto(self, url: str) -> None:
        self.page.goto(url, wait_until="load")

    def screenshot(self, step: str, path: Optional[Path] = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = path or SCREENSHOTS / f"{self.test_name}-{step}.png"
        self.page.screenshot(path=str(target))
        return target

    # -- conversation

    def input(self):
        return self.page.locator("#chat .rw-new-message")

    def wait_for_bot_text(self, fragment: str, timeout_s: float = REPLY_TIMEOUT_S) -> None:
        self.page.locator("#chat .rw-response", has_text=fragment).first.wait_for(
            state="visible", timeout=timeout_s * 1000
        )

    def wait_for_greeting(self) -> None:
        self.wait_for_bot_text("automated assistant")
        self.page.locator("#chat .rw-reply").first.wait_for(state="visible", timeout=REPLY_TIMEOUT_S * 1000)

    def send(self, text: str) -> None:
        box = self.input()
        box.wait_for(state="visible", timeout=REPLY_TIMEOUT_S * 1000)
        box.fill(text)
        box.press("Enter")

    def replies_after(self, text: str) -> Optional[List[str]]:
        """The bot's messages after the person's last message `text` (None if that message isn't shown)."""
        return self.page.evaluate(
            """(text) => {
                const nodes = Array.from(document.querySelectorAll('#chat .rw-client, #chat .rw-response'));
                let start = -1;
                nodes.forEach((node, i) => {
                    if (node.classList.contains('rw-client') && node.innerText.trim() === text) start = i;
                });
                if (start < 0) return null;
                const replies = [];
                for (let i = start + 1; i < nodes.length; i++) {
                    if (nodes[i].classList.contains('rw-client')) break;
                    replies.push(nodes[i].innerText);
                }
                return replies;
            }""",
            text,
        )

    def wait_for_replies(
        self, text: str, done: Callable[[List[str]], bool], timeout_s: float = REPLY_TIMEOUT_S
    ) -> List[str]:
        deadline = time.time() + timeout_s
        replies: Optional[List[str]] = None
        while time.time() < deadline:
            replies = self.replies_after(text)
            if replies and done(replies):
                return replies
            time.sleep(0.25)
        raise AssertionError(f"No matching reply to {text!r} within {timeout_s}s; replies so far: {replies!r}")

    def ask(self, text: str, done: Callable[[List[str]], bool]) -> List[str]:
        self.send(text)
        return self.wait_for_replies(text, done)

    def status_text(self) -> str:
        return self.page.locator("#assistant-status").inner_text()
