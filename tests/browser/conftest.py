"""Fixtures for the browser tests: Debian's Chromium driven by Playwright.

The session starts its own action server, Rasa server (free ports, a temporary
tracker database, CORS for the test page's origin only) and static server for
web/. Each test gets a fresh browser context, so a fresh conversation.

These tests run only when asked for by path (`pytest tests/browser`, which is
what `make test-browser` runs) or with RUN_BROWSER_TESTS=1, so a plain
`pytest tests` stays fast and needs no browser or model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List

import pytest

from tests.browser.chat_page import BROWSER_DIR, CHROMIUM, CHROMIUM_ARGS, WIDE, WIDGET_BUNDLE, ChatPage
from tests.browser.servers import MODEL, ROOT, ActionServer, RasaServer, StaticServer

# ------------------------------------------------------------------ selection


def _asked_for(config) -> bool:
    if os.environ.get("RUN_BROWSER_TESTS") == "1":
        return True
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        path = (base / arg.split("::")[0]).resolve()
        if path == BROWSER_DIR or BROWSER_DIR in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config, items):
    if _asked_for(config):
        return
    skip = pytest.mark.skip(reason="browser test: run `make test-browser` or `pytest tests/browser`")
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


# ------------------------------------------------------------------ servers


def _check_prerequisites() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing: run scripts/install_browser.sh")
    if not WIDGET_BUNDLE.exists():
        missing.append("the chat widget is not installed: run `cd web && npm ci`")
    if not MODEL.exists():
        missing.append(f"no model at {MODEL.relative_to(ROOT)}: run `make train`")
    if missing:
        pytest.fail("Browser tests cannot run:\n  " + "\n  ".join(missing), pytrace=False)


@pytest.fixture(scope="session")
def web_server():
    _check_prerequisites()
    server = StaticServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_stack(web_server, tmp_path_factory):
    """(rasa, actions): real servers, shared by the tests of a session."""
    workdir = tmp_path_factory.mktemp("rasa-browser")
    actions = ActionServer(workdir)
    actions.start()
    rasa = RasaServer(workdir, actions.port, cors_origin=web_server.origin)
    try:
        rasa.start()
    except Exception:
        actions.stop()
        raise
    yield rasa, actions
    rasa.stop()
    actions.stop()


@pytest.fixture(scope="session")
def browser():
    _check_prerequisites()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ------------------------------------------------------------------ pages


@pytest.fixture
def open_page(browser, web_server, request):
    """open_page(server=..., viewport=WIDE, locale="en-US") -> ChatPage on the chat page."""
    contexts = []
    pages: List[ChatPage] = []

    def _open(server: str, viewport: Dict[str, int] = WIDE, locale: str = "en-US", name: str = "") -> ChatPage:
        context = browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
        context.set_default_timeout(30_000)
        contexts.append(context)
        chat = ChatPage(context.new_page(), request.node.name + (f"-{name}" if name else ""))
        pages.append(chat)
        chat.goto(f"{web_server.origin}/index.html?server={server}")
        return chat

    yield _open

    for chat in pages:
        # Nothing the page asked for may leave the machine: anything not on
        # loopback must have been refused by the page's Content-Security-Policy.
        leaked = [url for url in chat.outside_requests if url not in chat.blocked_requests]
        assert not leaked, f"requests left the machine: {leaked}"
        assert not chat.dialogs, f"dialogs opened: {chat.dialogs}"
    for context in contexts:
        context.close()
