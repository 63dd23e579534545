"""Through a running Rasa server over REST, as a person's messages would arrive.

Crisis route: every message of the crisis corpus, as a first message and after
ordinary turns (an answer, and inside a guided flow), must get the
immediate-help message first, with the action server running and again with
it stopped. Near misses must not. Reply times are measured on the way.
"""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "crisis_corpus"
IMMEDIATE_HELP_MARKERS = ("988", "911", "741741", "not a person")
TIMINGS: List[float] = []


def _messages(name: str) -> List[Dict]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))["messages"]


CRISIS = _messages("crisis_messages.yml")
NEAR_MISSES = _messages("near_miss_messages.yml")


def send(rasa, sender: str, text: str, metadata=None) -> List[Dict]:
    start = time.perf_counter()
    replies = rasa.send(sender, text, metadata)
    TIMINGS.append((time.perf_counter() - start) * 1000)
    return replies


def is_immediate_help(reply: Dict) -> bool:
    text = reply.get("text") or ""
    return all(marker in text for marker in IMMEDIATE_HELP_MARKERS)


def first_reply_failures(rasa, lead_in: List[str]) -> List[str]:
    failures = []
    for message in CRISIS:
        sender = f"e2e-{uuid.uuid4().hex}"
        for text in lead_in:
            send(rasa, sender, text)
        replies = send(rasa, sender, message["text"])
        if not replies or not is_immediate_help(replies[0]):
            first = replies[0].get("text", "")[:60] if replies else "(no reply)"
            failures.append(f"{message['category']}: {message['text']!r} -> {first!r}")
    return failures


POSITIONS = {
    "first message": [],
    "after an answer": ["hi", "what is TMS?"],
    "inside a guided flow": ["/start_trd_check"],
}


@pytest.mark.parametrize("position", POSITIONS)
def test_crisis_first_with_action_server(servers, position, figures):
    rasa, _ = servers
    failures = first_reply_failures(rasa, POSITIONS[position])
    figures(f"REST crisis recall, action server up, {position}: {len(CRISIS) - len(failures)}/{len(CRISIS)}")
    assert not failures, "\n".join(failures)


def test_support_follows_with_region_and_safety_question(servers):
    rasa, _ = servers
    replies = send(rasa, f"e2e-{uuid.uuid4().hex}", "I'm in London and I want to die", {"locale": "en-GB"})
    texts = [r.get("text", "") for r in replies]
    assert is_immediate_help(replies[0])
    assert any("116 123" in t for t in texts[1:])
    assert texts[-1] == "Are you safe right now?"
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/crisis_safe", "/crisis_not_safe"]


def test_near_misses_get_ordinary_answers(servers, figures):
    rasa, _ = servers
    fired = []
    for message in NEAR_MISSES:
        replies = send(rasa, f"e2e-{uuid.uuid4().hex}", message["text"])
        if replies and is_immediate_help(replies[0]):
            fired.append(message["text"])
    figures(f"REST near-miss false positives: {len(fired)}/{len(NEAR_MISSES)}")
    assert len(fired) / len(NEAR_MISSES) <= 0.01, fired


def test_topic_answer_and_flow_over_rest(servers):
    rasa, _ = servers
    sender = f"e2e-{uuid.uuid4().hex}"
    replies = send(rasa, sender, "what does treatment resistant depression mean")
    assert "two" in replies[0]["text"].lower() and "Source: the article" in replies[0]["text"]
    replies = send(rasa, sender, "/start_trd_check")
    assert replies[-1]["text"].startswith("How many different antidepressants")
    replies = send(rasa, sender, "-1")
    assert "couldn't read that" in replies[0]["text"] and replies[-1]["text"].startswith("How many")


def test_unclear_message_gets_did_you_mean_and_restart_starts_over(servers):
    rasa, _ = servers
    sender = f"e2e-{uuid.uuid4().hex}"
    send(rasa, sender, "hi")
    replies = send(rasa, sender, "/nlu_fallback")
    assert replies[0]["text"].startswith("I'm not sure I understood")
    assert replies[0]["buttons"][-1] == {"title": "Something else", "payload": "/out_of_scope"}
    replies = send(rasa, sender, "/out_of_scope")
    assert replies[0]["text"].startswith("Sorry, I didn't quite get that")
    replies = send(rasa, sender, "start over")
    assert replies[0]["text"] == "Okay, let's start over."
    replies = send(rasa, sender, "hello")
    assert replies[0]["text"].startswith("Hi, I'm an automated assistant")


def test_flow_takes_a_correction_over_rest(servers):
    rasa, _ = servers
    sender = f"e2e-{uuid.uuid4().hex}"
    send(rasa, sender, "/start_trd_check")
    replies = send(rasa, sender, "two")
    assert replies[-1]["text"].startswith("Was each one taken at the dose")
    replies = send(rasa, sender, "sorry, three not two")
    texts = [r.get("text", "") for r in replies]
    assert "Thanks, I've changed that to 3." in texts and texts[-1].startswith("Was each one taken at the dose")


def test_tell_me_more_goes_to_the_deeper_topic(servers):
    rasa, _ = servers
    sender = f"e2e-{uuid.uuid4().hex}"
    send(rasa, sender, "/faq/what_is_trd")
    send(rasa, sender, "menu")
    replies = send(rasa, sender, "tell me more")
    assert "30%" in replies[0]["text"]  # how_common, the answer what_is_trd points to


def test_medication_advice_is_declined_over_rest(servers):
    rasa, _ = servers
    replies = send(rasa, f"e2e-{uuid.uuid4().hex}", "how many mg of sertraline should I take?")
    assert "can't advise" in replies[0]["text"]


def test_logs_never_contain_what_people_wrote(servers):
    rasa, actions = servers
    text = "I have picked the spot for tomorrow zebra-umbrella"
    send(rasa, f"e2e-{uuid.uuid4().hex}", text)
    time.sleep(0.5)
    for log in (rasa.log, actions.log):
        assert "zebra-umbrella" not in log.read_text()
    assert "crisis_route" in actions.log.read_text()


@pytest.mark.parametrize("position", POSITIONS)
def test_crisis_first_with_action_server_down(servers, position, figures):
    rasa, actions = servers
    actions.stop()
    failures = first_reply_failures(rasa, POSITIONS[position])
    figures(f"REST crisis recall, action server DOWN, {position}: {len(CRISIS) - len(failures)}/{len(CRISIS)}")
    assert not failures, "\n".join(failures)


def test_reply_times(figures):
    timings = sorted(TIMINGS)
    assert timings, "no requests were timed"
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * len(timings)) - 1]
    figures(f"REST reply time over {len(timings)} requests: median {p50:.0f} ms, p95 {p95:.0f} ms")
