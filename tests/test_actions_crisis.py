"""action_crisis_support: region lines, the third-party variant, the safety question."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis_lines import crisis_lines
from actions.crisis_support import ActionCrisisSupport, find_region, region_message
from tests.conftest import make_tracker, user_event

ROOT = Path(__file__).resolve().parent.parent
ISSUE_LINES = {  # the lines issue #3 names
    "CA": ("9-8-8", "911"),
    "GB": ("116 123", "999"),
    "IE": ("116 123", "112 or 999"),
    "AU": ("13 11 14", "000"),
    "NZ": ("1737", "111"),
    "IN": ("14416", "112"),
}


def run(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCrisisSupport().run(dispatcher, tracker, domain))
    return dispatcher.messages, events


@pytest.mark.parametrize("code, numbers", ISSUE_LINES.items())
def test_lines_file_has_every_region_with_source_and_date(code, numbers):
    region = crisis_lines().regions[code]
    line, emergency = numbers
    assert line in " ".join(region.lines) and region.emergency == emergency
    assert region.source.startswith("https://") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", region.checked)


def test_domain_message_agrees_with_the_lines_file(domain):
    us = crisis_lines().regions["US"]
    for variant in domain["responses"]["utter_crisis_immediate_help"]:
        text = variant["text"]
        assert "988" in text and "988lifeline.org" in text and "911" in text and "741741" in text
        assert "not a person" in text
        assert us.emergency in text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm in London and I want to die", "GB"),
        ("i live in toronto", "CA"),
        ("in british columbia right now", "CA"),
        ("Belfast", "GB"),
        ("I'm from Dublin", "IE"),
        ("sydney", "AU"),
        ("Auckland", "NZ"),
        ("Mumbai", "IN"),
        ("I'm in the US", "US"),
        ("can you help us", None),
        ("I'm in Germany", None),
    ],
)
def test_region_from_what_the_person_says(text, expected):
    assert find_region(crisis_lines(), text, None, None) == expected


@pytest.mark.parametrize("locale, expected", [("en-GB", "GB"), ("fr_CA", "CA"), ("en-IN", "IN"), ("de-DE", None), ("en", None), (None, None)])
def test_region_from_the_page_locale(locale, expected):
    assert find_region(crisis_lines(), "I want to die", None, locale) == expected


def test_words_beat_the_slot_which_beats_the_locale():
    lines = crisis_lines()
    assert find_region(lines, "I'm in Sydney", "GB", "en-CA") == "AU"
    assert find_region(lines, "i want to die", "GB", "en-CA") == "GB"
    assert find_region(lines, "i want to die", None, "en-CA") == "CA"


def test_uk_person_gets_samaritans_first_and_the_safety_question(domain):
    tracker = make_tracker(
        slots={"crisis_category": "suicidal_thoughts"}, text="i want to die", intent="crisis", metadata={"locale": "en-GB"}
    )
    messages, events = run(tracker, domain)
    assert messages[0]["text"] == "Where you are, in the UK: Call Samaritans free on 116 123, any time, day or night. In an emergency, call 999."
    assert messages[-1]["text"] == "Are you safe right now?"
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/crisis_safe", "/crisis_not_safe"]
    assert events == [SlotSet("region", "GB")]


def test_unknown_region_points_to_findahelpline(domain):
    tracker = make_tracker(slots={"crisis_category": "self_harm"}, text="i keep cutting myself", intent="crisis")
    messages, events = run(tracker, domain)
    assert "findahelpline.com" in messages[0]["text"] and "Tell me your country" in messages[0]["text"]
    assert events == []


def test_third_party_report_gets_the_helping_someone_variant(domain):
    tracker = make_tracker(
        slots={"crisis_category": "third_party"}, text="my sister said she doesn't want to live", intent="crisis"
    )
    messages, _ = run(tracker, domain)
    assert any("stay with them" in m["text"] for m in messages)
    assert messages[-1]["text"] == "Is the person safe right now?"
    assert messages[-1]["buttons"][1] == {"title": "No, they're not safe", "payload": "/crisis_not_safe"}


def test_locale_from_an_earlier_message_is_used(domain):
    earlier = [user_event("hi", "greet", {"locale": "en-AU"})]
    tracker = make_tracker(slots={"crisis_category": "suicidal_thoughts"}, text="kms", intent="crisis", events=earlier)
    messages, events = run(tracker, domain)
    assert "13 11 14" in messages[0]["text"] and events == [SlotSet("region", "AU")]


def test_action_logs_category_and_region_but_never_the_words(domain, caplog):
    caplog.set_level("DEBUG")
    run(make_tracker(slots={"crisis_category": "plan_or_preparation"}, text="I have picked the spot", intent="crisis"), domain)
    assert "category=plan_or_preparation" in caplog.text and "picked the spot" not in caplog.text


def test_us_message_repeats_the_us_lines():
    assert region_message(crisis_lines(), "US").startswith("Call or text 988")
