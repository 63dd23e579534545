"""Moving around the information: "tell me more" and the fallback's "did you mean"."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.topics import payload_for, title_for

MORE_BUTTON_TITLE = "tell me more"
MAIN_MENU_PAYLOAD = "/show_menu"
# Intents a "did you mean" button may offer: answers and guided flows, not chit-chat.
SUGGESTIBLE_PREFIXES = ("faq/", "start_")
MAX_SUGGESTIONS = 3


class ActionTellMore(Action):
    """Answer "tell me more" with the deeper topic the last answer pointed to."""

    def name(self) -> Text:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        buttons = last_answer_buttons(tracker)
        if buttons is None:
            dispatcher.utter_message(response="utter_menu")
            return []
        more = next((b for b in buttons if b.get("title", "").strip().lower() == MORE_BUTTON_TITLE), None)
        if more and more.get("payload", "").startswith("/faq/"):
            dispatcher.utter_message(response=f"utter_faq/{more['payload'][len('/faq/'):]}")
        else:
            related = [b for b in buttons if b.get("payload") != MAIN_MENU_PAYLOAD] or buttons
            dispatcher.utter_message(response="utter_no_more_on_this", buttons=related)
        return []


class ActionDefaultAskAffirmation(Action):
    """The first step of the two-stage fallback: offer the closest topics as buttons."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        suggestions = suggested_intents(tracker.latest_message or {})
        buttons = [{"title": title_for(i) or i, "payload": payload_for(i)} for i in suggestions]
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        if not suggestions:
            buttons.insert(0, {"title": "Main menu", "payload": MAIN_MENU_PAYLOAD})
        response = "utter_did_you_mean" if suggestions else "utter_did_you_mean_nothing"
        dispatcher.utter_message(response=response, buttons=buttons)
        return []


def suggested_intents(parse_data: Dict[str, Any]) -> List[str]:
    """The most likely intents for a message, with FAQ answers resolved to their topic."""
    suggestions: List[str] = []
    faq_ranking = [
        r.get("intent_response_key")
        for r in ((parse_data.get("response_selector") or {}).get("faq") or {}).get("ranking", [])
    ]
    for candidate in parse_data.get("intent_ranking") or []:
        name = candidate.get("name")
        if name == "faq":
            for key in faq_ranking[:2]:
                if key and key not in suggestions:
                    suggestions.append(key)
        elif name and name.startswith(SUGGESTIBLE_PREFIXES) and name not in suggestions:
            suggestions.append(name)
        if len(suggestions) >= MAX_SUGGESTIONS:
            break
    return [s for s in suggestions if title_for(s)][:MAX_SUGGESTIONS]


def last_answer_buttons(tracker: Tracker) -> Optional[List[Dict[str, Any]]]:
    """Buttons of the most recent FAQ answer, or None if there has been no answer yet."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and str((event.get("metadata") or {}).get("utter_action", "")).startswith("utter_faq/"):
            return list((event.get("data") or {}).get("buttons") or [])
    return None
