"""action_crisis_support: runs right after utter_crisis_immediate_help.

Adds the lines for the person's region when it is known (from what they said,
or the locale the web page sends), the helping-someone-else wording for a
third-party report, and asks whether the person is safe right now. The first,
US-centred message never depends on this action: it is a domain response.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis_lines import CrisisLines, Region, crisis_lines

logger = logging.getLogger(__name__)

THIRD_PARTY = "third_party"
LOCALE_KEYS = ("locale", "language", "lang")


class ActionCrisisSupport(Action):
    """Regional crisis lines and a safety check after the immediate-help message."""

    def name(self) -> Text:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        lines = crisis_lines()
        latest = tracker.latest_message or {}
        region_code = find_region(lines, latest.get("text"), tracker.get_slot("region"), find_locale(tracker))
        third_party = tracker.get_slot("crisis_category") == THIRD_PARTY
        # Category and region only: never the person's words.
        logger.info("crisis_route.support category=%s region=%s", tracker.get_slot("crisis_category"), region_code or "unknown")

        dispatcher.utter_message(text=region_message(lines, region_code))
        if third_party:
            dispatcher.utter_message(text=lines.wording["helping_someone"])
        dispatcher.utter_message(**safety_question(lines, third_party))
        return [SlotSet("region", region_code)] if region_code else []


def find_locale(tracker: Tracker) -> Optional[str]:
    """The browser locale sent as message metadata, newest first."""
    for event in reversed(tracker.events):
        if event.get("event") not in ("user", "session_started"):
            continue
        metadata = event.get("metadata") or {}
        for key in LOCALE_KEYS:
            if isinstance(metadata.get(key), str):
                return metadata[key]
    return None


def find_region(
    lines: CrisisLines, text: Optional[str], region_slot: Optional[str], locale: Optional[str]
) -> Optional[str]:
    """What the person says beats what we knew before, which beats the browser locale."""
    return lines.region_in_text(text) or (region_slot if region_slot in lines.regions else None) or lines.region_from_locale(locale)


def region_message(lines: CrisisLines, region_code: Optional[str]) -> str:
    """The lines for the region, or how to find local ones."""
    wording = lines.wording
    if region_code and region_code in lines.regions:
        region: Region = lines.regions[region_code]
        template = wording["us_lines"] if region_code == "US" else wording["region_lines"]
        return template.format(region=region.name, lines=" ".join(region.lines), emergency=region.emergency)
    other = lines.elsewhere
    return wording["unknown_region"].format(lines=" ".join(other.lines), emergency=other.emergency)


def safety_question(lines: CrisisLines, third_party: bool) -> Dict[str, Any]:
    """Ask, with buttons, whether the person (or the person they're worried about) is safe now."""
    question = lines.wording["is_the_person_safe" if third_party else "are_you_safe"]
    return {"text": question["text"], "buttons": [dict(b) for b in question["buttons"]]}
