"""The web chat page in a real browser, against the real Rasa and action servers.

Screenshots of each step go to tests/screenshots/. With
UPDATE_README_SCREENSHOT=1 the conversation test also refreshes
web/screenshot.png, the picture in the README.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

from tests.browser.chat_page import PHONE, WIDE
from tests.browser.servers import HOSTILE_BUTTON_TITLE, ROOT, FakeBot

BANNER_TEXT = "In crisis? Call or text 988 · In danger now: 911 · Outside the US: findahelpline.com"
IMMEDIATE_HELP_MARKERS = ("988", "911", "741741", "not a person")
XSS = "<img src=x onerror=alert(1)>"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _banner_is_shown(chat) -> None:
    banner = chat.page.locator("#crisis-banner")
    assert banner.is_visible()
    assert _normalise(banner.text_content()) == BANNER_TEXT
    hrefs = banner.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["tel:988", "sms:988", "tel:911", "https://findahelpline.com"]
    # Nothing covers it: the element at its centre belongs to the banner.
    covered = chat.page.evaluate(
        """() => {
            const banner = document.getElementById('crisis-banner');
            const box = banner.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return !(hit && banner.contains(hit)) || box.top < 0 || box.bottom > window.innerHeight;
        }"""
    )
    assert not covered, "the crisis banner is covered or off screen"


def _has_source(replies) -> bool:
    return any("Source: the article" in reply for reply in replies)


def test_article_question_and_menu_button(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url)
    chat.wait_for_greeting()
    _banner_is_shown(chat)
    assert chat.status_text().strip() == ""
    chat.screenshot("1-greeting")

    question = "What is treatment-resistant depression?"
    replies = chat.ask(question, _has_source)
    assert "two" in replies[0].lower(), replies
    chat.screenshot("2-article-answer")
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
        chat.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        shutil.copyfile(chat.screenshot("readme"), ROOT / "web" / "screenshot.png")

    chat.ask("menu", lambda r: len(r) >= 1)
    button = chat.page.locator("#chat .rw-reply", has_text="Why treatment can stall").last
    button.wait_for(state="visible")
    # The widget's reply buttons are divs: app.js makes them real buttons for the keyboard.
    assert button.get_attribute("role") == "button" and button.get_attribute("tabindex") == "0"
    chat.screenshot("3-menu")
    button.click()
    replies = chat.wait_for_replies("Why treatment can stall", _has_source)
    chat.screenshot("4-menu-topic-answer")

    # The same with the keyboard only: focus a topic button, press Enter.
    keyboard_button = chat.page.locator("#chat .rw-reply").first
    title = keyboard_button.inner_text().strip()
    keyboard_button.focus()
    chat.page.keyboard.press("Enter")
    chat.wait_for_replies(title, lambda r: len(r) >= 1)
    chat.screenshot("5-keyboard-topic-answer")
    assert not chat.errors, chat.errors


def test_crisis_language_gets_immediate_help_first(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url, locale="en-GB")
    chat.wait_for_greeting()
    replies = chat.ask("I want to die", lambda r: any("Are you safe right now?" in reply for reply in r))
    first = replies[0]
    for marker in IMMEDIATE_HELP_MARKERS:
        assert marker in first, f"{marker!r} missing from the first reply: {first!r}"
    # The page sent the browser's locale (en-GB) as message metadata: the UK line comes next.
    assert any("116 123" in reply for reply in replies[1:]), replies
    safe_buttons = chat.page.locator("#chat .rw-reply", has_text="I'm safe right now")
    safe_buttons.last.wait_for(state="visible")
    _banner_is_shown(chat)
    chat.screenshot("1-crisis-reply")


def _tracker_user_texts(rasa, sender_id: str):
    with sqlite3.connect(rasa.endpoints.parent / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender_id,)
        ).fetchall()
    return [json.loads(row[0]).get("text") for row in rows]


def test_conversation_continues_after_reload(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url)
    chat.wait_for_greeting()
    greetings = chat.page.locator("#chat .rw-response", has_text="automated assistant").count()
    chat.ask("What is TMS?", lambda r: len(r) >= 1)
    session_before = chat.page.evaluate("() => JSON.parse(sessionStorage.getItem('chat_session')).session_id")
    chat.screenshot("1-before-reload")

    chat.page.reload(wait_until="load")
    chat.wait_for_bot_text("automated assistant")
    assert chat.replies_after("What is TMS?"), "the conversation was not shown again after the reload"
    session_after = chat.page.evaluate("() => JSON.parse(sessionStorage.getItem('chat_session')).session_id")
    assert session_after == session_before
    chat.screenshot("2-after-reload")

    chat.ask("What is ketamine?", lambda r: len(r) >= 1)
    # The bot greets once per conversation: no second greeting after the reload.
    assert chat.page.locator("#chat .rw-response", has_text="automated assistant").count() == greetings
    # The server kept one conversation: both questions are in the same tracker.
    texts = _tracker_user_texts(rasa, session_before)
    assert "What is TMS?" in texts and "What is ketamine?" in texts, texts
    chat.screenshot("3-continued")


def test_html_from_the_person_is_shown_as_text(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url)
    chat.wait_for_greeting()
    chat.ask(XSS, lambda r: len(r) >= 1)
    bubble = chat.page.locator("#chat .rw-client").last
    assert bubble.inner_text().strip() == XSS
    assert chat.page.locator("#chat .rw-messages-container img").count() == 0
    chat.page.wait_for_timeout(1000)
    assert chat.dialogs == []
    chat.screenshot("1-shown-as-text")


def test_html_and_script_from_the_bot_never_run(web_server, open_page):
    """A fake bot sends HTML, a script and a javascript: link: markdown renders, nothing runs."""
    bot = FakeBot(web_server.origin)
    bot.start()
    try:
        chat = open_page(bot.url, locale="fr-CA")
        chat.wait_for_bot_text("Echo:")
        response = chat.page.locator("#chat .rw-response", has_text="Echo:").first
        text = response.inner_text()
        assert "<img src=x onerror=alert('bot-img')>" in text
        assert "<script>alert('bot-script')</script>" in text
        assert response.locator("img, script").count() == 0
        assert response.locator("strong").inner_text() == "bold words"
        safe = response.locator("a", has_text="a safe link")
        assert safe.get_attribute("href") == "https://example.org/page"
        assert "noopener" in (safe.get_attribute("rel") or "")
        bad = response.locator("a", has_text="a bad link")
        assert bad.get_attribute("href") is None
        bad.click()
        title = chat.page.locator("#chat .rw-reply", has_text="Button title").first
        title.wait_for(state="visible")
        assert title.inner_text().strip() == HOSTILE_BUTTON_TITLE
        chat.page.wait_for_timeout(1000)
        assert chat.dialogs == []
        chat.screenshot("1-bot-html-as-text")
        # Every message carried the browser's locale as customData (message metadata in Rasa).
        assert bot.received and all(m.get("customData", {}).get("language") == "fr-CA" for m in bot.received)
        assert all(m.get("customData", {}).get("locale") == "fr-CA" for m in bot.received)
        assert bot.received[0].get("message") == "/greet"
        chat.page.close()
    finally:
        bot.stop()


def test_phone_shows_a_launcher_and_keeps_the_banner(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url, viewport=PHONE)
    launcher = chat.page.locator("#chat .rw-launcher")
    launcher.wait_for(state="visible")
    assert launcher.get_attribute("aria-label")
    assert not chat.page.locator("#chat .rw-new-message").is_visible()
    _banner_is_shown(chat)
    chat.screenshot("1-launcher")
    launcher.click()
    chat.wait_for_greeting()
    _banner_is_shown(chat)
    chat.ask("I want to die", lambda r: any("Are you safe right now?" in reply for reply in r))
    _banner_is_shown(chat)
    chat.screenshot("2-open")


def test_skip_link_and_labels(rasa_stack, open_page):
    rasa, _ = rasa_stack
    chat = open_page(rasa.url)
    chat.wait_for_greeting()
    page = chat.page
    assert page.evaluate("document.documentElement.lang") == "en"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-to-chat"
    chat.screenshot("1-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('rw-new-message')")
    assert chat.input().get_attribute("aria-label")
    assert page.locator("#chat .rw-send").get_attribute("aria-label") == "Send"
    log = page.locator("#chat .rw-messages-container")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert page.locator("#assistant-status").get_attribute("role") == "alert"


def test_server_down_keeps_banner_and_says_unavailable(rasa_stack, open_page):
    """Runs last: stops the Rasa server, checks the page, then starts it again."""
    rasa, _ = rasa_stack
    connected = open_page(rasa.url, name="connected")
    connected.wait_for_greeting()

    rasa.stop()
    try:
        # A page that was connected notices the socket closing.
        connected.page.locator("#assistant-status", has_text="assistant is unavailable").wait_for(timeout=30_000)
        _banner_is_shown(connected)
        connected.screenshot("1-lost-connection")

        # A page opened while the server is down: banner, notice, no chat.
        for viewport, label in ((WIDE, "wide"), (PHONE, "phone")):
            fresh = open_page(rasa.url, viewport=viewport, name=f"down-{label}")
            fresh.page.locator("#assistant-status", has_text="assistant is unavailable").wait_for(timeout=30_000)
            _banner_is_shown(fresh)
            notice_links = fresh.page.locator("#assistant-status a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            assert "tel:988" in notice_links and "tel:911" in notice_links
            assert not fresh.page.locator("#chat .rw-new-message").is_visible()
            assert not fresh.page.locator("#chat .rw-launcher").is_visible()
            fresh.screenshot(f"2-opened-while-down-{label}")
    finally:
        rasa.start()

    # When the server is back, the page reconnects by itself and hides the notice.
    connected.page.locator("#assistant-status .notice").wait_for(state="detached", timeout=90_000)
    connected.ask("menu", lambda r: len(r) >= 1)
    connected.screenshot("3-reconnected")
