"""Servers for the browser tests: the static page, the real Rasa stack, a fake bot.

The action server and the Rasa server come from tests/e2e/rasa_servers.py; here
the Rasa server is given the test page's origin for CORS, as `make web` does.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

from tests.e2e.rasa_servers import MODEL, ActionServer, RasaServer, free_port  # noqa: F401  (re-exported)

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
RASA = ROOT / ".venv" / "bin" / "rasa"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticServer:
    """web/ over HTTP on 127.0.0.1, in a thread (what `python -m http.server` does in `make web`)."""

    def __init__(self, directory: Path = WEB) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Sent by the fake bot: HTML, script and a javascript: link inside otherwise
# ordinary markdown, the kind of text a bot could echo back from a person.
HOSTILE_BOT_TEXT = (
    "Echo: <img src=x onerror=alert('bot-img')> <script>alert('bot-script')</script> "
    "**bold words** and [a safe link](https://example.org/page) and "
    "[a bad link](javascript:alert('bot-link'))"
)
HOSTILE_BUTTON_TITLE = "<img src=y onerror=alert('button')>Button title"


class FakeBot:
    """A socket.io server speaking Rasa's protocol, in a thread, that replies with hostile text."""

    def __init__(self, cors_origin: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cors_origin = cors_origin
        self.received: List[Dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: Optional[asyncio.Event] = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("The fake bot did not start")

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        import socketio
        from aiohttp import web

        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[self.cors_origin])
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: Optional[Dict[str, Any]]) -> None:
            session_id = (data or {}).get("session_id") or "fake-session"
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Dict[str, Any]) -> None:
            self.received.append(data)
            await sio.emit("bot_uttered", {"text": HOSTILE_BOT_TEXT}, room=sid)
            await sio.emit(
                "bot_uttered",
                {
                    "text": "Pick one:",
                    "quick_replies": [{"content_type": "text", "title": HOSTILE_BUTTON_TITLE, "payload": "/noop"}],
                },
                room=sid,
            )

        runner = web.AppRunner(app, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
