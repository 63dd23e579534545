""""Tell me more" and the fallback's "did you mean" buttons."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.navigation import ActionDefaultAskAffirmation, ActionTellMore, suggested_intents
from actions.topics import canonical_questions
from tests.conftest import make_tracker


def run_action(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def bot(text, buttons, utter_action):
    return {"event": "bot", "text": text, "data": {"buttons": buttons}, "metadata": {"utter_action": utter_action}}


def test_tell_me_more_follows_the_last_answers_more_button(domain):
    answer = bot("TRD is...", [{"title": "Tell me more", "payload": "/faq/how_common"}], "utter_faq/what_is_trd")
    messages, events = run_action(ActionTellMore(), make_tracker(text="tell me more", intent="ask_more", events=[answer]), domain)
    assert messages == [{**messages[0], "response": "utter_faq/how_common"}] and events == []


def test_tell_me_more_without_more_offers_related_topics(domain):
    buttons = [{"title": "Therapy options", "payload": "/faq/therapy_options"}, {"title": "Main menu", "payload": "/show_menu"}]
    answer = bot("Dose...", buttons, "utter_faq/dose_and_duration")
    messages, _ = run_action(ActionTellMore(), make_tracker(text="more", intent="ask_more", events=[answer]), domain)
    assert messages[0]["response"] == "utter_no_more_on_this"
    assert messages[0]["buttons"] == [buttons[0]]


def test_tell_me_more_with_no_answer_yet_shows_the_menu(domain):
    messages, _ = run_action(ActionTellMore(), make_tracker(text="tell me more", intent="ask_more"), domain)
    assert messages[0]["response"] == "utter_menu"


def test_tell_me_more_after_the_menu_follows_the_last_answer_not_the_menu(domain):
    answer = bot("TRD is...", [{"title": "Tell me more", "payload": "/faq/how_common"}], "utter_faq/what_is_trd")
    menu = bot("Here's what I can help with.", [{"title": "Why treatment can stall", "payload": "/faq/why_treatment_stalls"}], "utter_menu")
    messages, _ = run_action(ActionTellMore(), make_tracker(text="more", intent="ask_more", events=[answer, menu]), domain)
    assert messages[0]["response"] == "utter_faq/how_common"
    messages, _ = run_action(ActionTellMore(), make_tracker(text="more", intent="ask_more", events=[menu]), domain)
    assert messages[0]["response"] == "utter_menu"


def test_did_you_mean_offers_the_closest_topics_by_their_questions(domain):
    parse = {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 1.0},
            {"name": "faq", "confidence": 0.4},
            {"name": "start_trial_check", "confidence": 0.3},
        ],
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": "faq/brain_stimulation"}, {"intent_response_key": "faq/ketamine"}]}
        },
    }
    tracker = make_tracker(text="magnet thing for brain?", intent="nlu_fallback", **parse)
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker, domain)
    titles = canonical_questions()
    assert messages[0]["response"] == "utter_did_you_mean"
    assert messages[0]["buttons"] == [
        {"title": titles["faq/brain_stimulation"], "payload": "/faq/brain_stimulation"},
        {"title": titles["faq/ketamine"], "payload": "/faq/ketamine"},
        {"title": titles["start_trial_check"], "payload": "/start_trial_check"},
        {"title": "Something else", "payload": "/out_of_scope"},
    ]


def test_did_you_mean_without_candidates_offers_the_menu(domain):
    tracker = make_tracker(text="zxqv", intent="nlu_fallback", intent_ranking=[{"name": "nlu_fallback"}])
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker, domain)
    assert messages[0]["response"] == "utter_did_you_mean_nothing"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/show_menu", "/out_of_scope"]


def test_did_you_mean_never_suggests_chitchat_or_crisis():
    parse = {"intent_ranking": [{"name": "greet"}, {"name": "crisis"}, {"name": "out_of_scope"}]}
    assert suggested_intents(parse) == []


def test_every_topic_has_a_canonical_question():
    titles = canonical_questions()
    assert all(titles.get(f"faq/{key}") for key in ("what_is_trd", "ketamine", "sources"))
    assert all(len(t) <= 80 for k, t in titles.items() if k.startswith("faq/"))
