"""The three guided flows: validation, questions, summaries, and moving around inside them.

trd_check_form            "Could my depression be treatment-resistant?"
clinician_questions_form  "Questions for my clinician"
trial_fit_form            "Is a trial for me?"

Questions are domain responses (utter_ask_<slot>); what the action server
says lives in flow_text.yml; answers are read by answers.py.
"""

from __future__ import annotations

import html
import logging
from abc import abstractmethod
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text
from urllib.parse import quote, urlencode

import yaml
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.answers import IMPLAUSIBLE, NO, NOT_SURE, SKIP, YES

logger = logging.getLogger(__name__)

TEXT_FILE = Path(__file__).with_name("flow_text.yml")

FORMS = {
    "trd_check_form": "start_trd_check",
    "clinician_questions_form": "start_clinician_questions",
    "trial_fit_form": "start_trial_check",
}
YES_NO_SLOTS = (
    "adequate_dose",
    "adequate_duration",
    "in_therapy",
    "sleep_problems",
    "thyroid_checked",
    "high_mood_periods",
    "trauma_history",
    "alcohol_use",
    "dose_reviewed",
)
CLINICAL_TRIALS_SEARCH = "https://clinicaltrials.gov/search"
TRIAL_CONDITION = "Treatment Resistant Depression"
YES_NO_LABELS = {YES: "yes", NO: "no", NOT_SURE: "not sure"}


@lru_cache(maxsize=1)
def flow_text() -> Dict[str, Any]:
    """The flows' wording (flow_text.yml)."""
    with open(TEXT_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# ---------------------------------------------------------------- validating
class _FlowValidation(FormValidationAction):
    """Shared checks: yes/no answers, and a kind retry message when an answer can't be used."""

    @abstractmethod
    def name(self) -> Text:
        """Each form's validation action names itself (this base class is not an action)."""


    def _retry(self, dispatcher: CollectingDispatcher, key: str) -> None:
        dispatcher.utter_message(text=flow_text()["retry"][key])

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        parsed = answers.parse_yes_no(value if isinstance(value, str) else None)
        if parsed is None:
            self._retry(dispatcher, "yes_no")
        return {slot: parsed}


def _make_yes_no_validator(slot: str):
    def validate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._yes_no(slot, value, dispatcher)

    validate.__name__ = f"validate_{slot}"
    validate.__doc__ = f"Accept yes / no / not sure for `{slot}`."
    return validate


def _make_yes_no_extractor(slot: str):
    async def extract(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if tracker.get_slot("requested_slot") != slot:
            return {}
        return _rescued_answer(tracker, slot, answers.parse_yes_no)

    extract.__name__ = f"extract_{slot}"
    extract.__doc__ = f"`{slot}` from a short answer the NLU took for a question."
    return extract


for _slot in YES_NO_SLOTS:
    setattr(_FlowValidation, f"validate_{_slot}", _make_yes_no_validator(_slot))
    setattr(_FlowValidation, f"extract_{_slot}", _make_yes_no_extractor(_slot))


class ValidateTrdCheckForm(_FlowValidation):
    """Validates "Could my depression be treatment-resistant?" and takes corrections to the count."""

    def name(self) -> Text:
        return "validate_trd_check_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """No dose or duration questions for someone who hasn't tried an antidepressant."""
        if tracker.get_slot("antidepressants_tried") == "0":
            return [s for s in domain_slots if s not in ("adequate_dose", "adequate_duration")]
        return domain_slots

    async def extract_antidepressants_tried(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The count, when the NLU took a short answer for a question; or a correction later in the flow."""
        text = (tracker.latest_message or {}).get("text") or ""
        if tracker.get_slot("requested_slot") == "antidepressants_tried":
            return _rescued_answer(tracker, "antidepressants_tried", answers.parse_count)
        if tracker.get_slot("requested_slot") is None:
            return {}
        corrected = answers.count_correction(text)
        if corrected is None or corrected == tracker.get_slot("antidepressants_tried"):
            return {}
        dispatcher.utter_message(text=flow_text()["corrected"].format(value=corrected))
        return {"antidepressants_tried": corrected}

    def validate_antidepressants_tried(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept "two", "2", "a couple", "none yet", "not sure"; ask again for anything else."""
        parsed = answers.parse_count(value if isinstance(value, str) else None)
        if parsed is None:
            self._retry(dispatcher, "count")
            return {"antidepressants_tried": None}
        if parsed == IMPLAUSIBLE:
            self._retry(dispatcher, "count_implausible")
            return {"antidepressants_tried": None}
        return {"antidepressants_tried": parsed}

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        # A correction to the count arrives as this turn's text too; it isn't an unusable answer.
        if isinstance(value, str) and answers.count_correction(value) and answers.parse_yes_no(value) is None:
            return {slot: None}
        return super()._yes_no(slot, value, dispatcher)


class ValidateClinicianQuestionsForm(_FlowValidation):
    """Validates "Questions for my clinician", skipping what flow 1 already asked."""

    def name(self) -> Text:
        return "validate_clinician_questions_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """Dose review is known from flow 1's dose and duration answers, or moot with no medicines."""
        known_from_flow_1 = tracker.get_slot("adequate_dose") and tracker.get_slot("adequate_duration")
        if known_from_flow_1 or tracker.get_slot("antidepressants_tried") == "0":
            return [s for s in domain_slots if s != "dose_reviewed"]
        return domain_slots


class ValidateTrialFitForm(_FlowValidation):
    """Validates "Is a trial for me?": which directions, and where (optional)."""

    def name(self) -> Text:
        return "validate_trial_fit_form"

    def validate_trial_interests(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """One or more of the five directions; "all" or "not sure" means all five."""
        parsed = answers.parse_trial_interests(value if isinstance(value, str) else None)
        if parsed is None:
            self._retry(dispatcher, "trial_interests")
        return {"trial_interests": parsed}

    def validate_trial_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A place name (cleaned so it is safe to show and to put in a link), or "skip"."""
        parsed = answers.parse_location(value if isinstance(value, str) else None)
        if parsed is None:
            self._retry(dispatcher, "trial_location")
        return {"trial_location": parsed}


# The NLU sometimes reads a short answer ("actually three", "yeah they were") as a
# question about the article; the slot mappings then skip it, so the form would
# answer an FAQ instead. Inside a form, a short, parseable statement is an answer.
FAQ_INTENT = "faq"


def _rescued_answer(tracker: Tracker, slot: str, parse) -> Dict[Text, Any]:
    latest = tracker.latest_message or {}
    if (latest.get("intent") or {}).get("name") != FAQ_INTENT or not answers.is_plain_answer(latest.get("text")):
        return {}
    parsed = parse(latest.get("text"))
    return {slot: parsed} if parsed not in (None, IMPLAUSIBLE) else {}


# ----------------------------------------------------------------- summaries
class ActionTrdCheckSummary(Action):
    """Where the person stands against the common definition, without diagnosing."""

    def name(self) -> Text:
        return "action_trd_check_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = flow_text()["trd_check"]
        count = tracker.get_slot("antidepressants_tried")
        dose, duration = tracker.get_slot("adequate_dose"), tracker.get_slot("adequate_duration")
        questions: List[str] = []
        if count == NOT_SURE:
            dispatcher.utter_message(text=text["count_unknown"])
            questions += [text["ask_dose_time"], text["ask_diagnosis"]]
        elif count is not None and int(count) >= 2:
            if dose == YES and duration == YES:
                dispatcher.utter_message(text=text["matches"])
                questions += [text["ask_options"], text["ask_diagnosis"]]
            else:
                dispatcher.utter_message(text=text["unclear_dose_or_time"].format(count=count))
                questions += [text["ask_dose_time"], text["ask_diagnosis"]]
        else:
            dispatcher.utter_message(text=text["not_yet"])
            questions += ([text["ask_dose_time"]] if count == "1" else []) + [text["ask_next"], text["ask_diagnosis"]]
        therapy = tracker.get_slot("in_therapy")
        if therapy in (NO, NOT_SURE):
            dispatcher.utter_message(text=text["therapy_no"])
        elif therapy == YES:
            dispatcher.utter_message(text=text["therapy_yes"])
        dispatcher.utter_message(text=text["ask_intro"] + "\n" + "\n".join(f"- {q}" for q in questions))
        dispatcher.utter_message(
            text=text["next_steps"],
            buttons=flow_text()["trd_check"]["buttons"],
        )
        return []


def clinician_question_list(slots: Dict[str, Any]) -> List[str]:
    """The personalised questions, in the order they'd come up in an appointment."""
    text = flow_text()["clinician_questions"]
    out = [text["always"]]
    high_mood = slots.get("high_mood_periods")
    if high_mood == YES:
        out.append(text["high_mood"])
    elif high_mood == NOT_SURE:
        out.append(text["high_mood_unsure"])
    if slots.get("thyroid_checked") in (NO, NOT_SURE):
        out.append(text["thyroid"])
    if slots.get("sleep_problems") in (YES, NOT_SURE):
        out.append(text["sleep"])
    if slots.get("trauma_history") in (YES, NOT_SURE):
        out.append(text["trauma"])
    therapy = slots.get("in_therapy")
    if therapy in (NO, NOT_SURE):
        out.append(text["therapy_none"])
    elif therapy == YES:
        out.append(text["therapy_adjust"])
    if slots.get("alcohol_use") in (YES, NOT_SURE):
        out.append(text["alcohol"])
    dose_checked = slots.get("dose_reviewed")
    if dose_checked is None and slots.get("adequate_dose"):
        dose_checked = YES if slots.get("adequate_dose") == YES and slots.get("adequate_duration") == YES else NO
    if dose_checked in (NO, NOT_SURE) and slots.get("antidepressants_tried") != "0":
        out.append(text["dose"])
    count = slots.get("antidepressants_tried")
    if count not in (None, NOT_SURE) and int(count) >= 2:
        out.append(text["advanced"])
    return out


class ActionClinicianQuestionsSummary(Action):
    """A numbered, copyable list of questions to take to the next appointment."""

    def name(self) -> Text:
        return "action_clinician_questions_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = flow_text()["clinician_questions"]
        questions = clinician_question_list(tracker.current_slot_values())
        numbered = "\n".join(f"{i}. {q}" for i, q in enumerate(questions, start=1))
        dispatcher.utter_message(text=f"{text['intro']}\n\n{numbered}")
        dispatcher.utter_message(
            text=text["outro"],
            buttons=flow_text()["clinician_questions"]["buttons"],
        )
        return []


def trial_search_url(location: Optional[str]) -> str:
    """A ClinicalTrials.gov search: treatment-resistant depression, recruiting, near the place if given."""
    params = {"cond": TRIAL_CONDITION, "aggFilters": "status:rec"}
    if location and location != SKIP:
        params["locStr"] = location
    return f"{CLINICAL_TRIALS_SEARCH}?{urlencode(params, quote_via=quote, safe=':')}"


class ActionTrialCheckIntro(Action):
    """What to know before joining a trial (said before the questions)."""

    def name(self) -> Text:
        return "action_trial_check_intro"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(text=flow_text()["trial_check"]["intro"])
        return []


class ActionTrialCheckSummary(Action):
    """The article on the chosen directions, and a ClinicalTrials.gov search link."""

    def name(self) -> Text:
        return "action_trial_check_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = flow_text()["trial_check"]
        responses = domain.get("responses", {})
        interests = tracker.get_slot("trial_interests") or []
        dispatcher.utter_message(text=text["interests_intro"])
        for key in interests:
            variants = responses.get(f"utter_faq/{key}") or []
            if variants:
                dispatcher.utter_message(text=variants[0]["text"])
        location = tracker.get_slot("trial_location")
        if location and location != SKIP:
            # The place is shown back to the person: escape it, whatever the channel renders.
            intro = text["search_intro_located"].format(location=html.escape(location))
        else:
            intro = text["search_intro"]
        dispatcher.utter_message(text=f"{intro}\n{trial_search_url(location)}")
        dispatcher.utter_message(
            text=text["outro"],
            buttons=flow_text()["trial_check"]["buttons"],
        )
        return []


# --------------------------------------------------------- moving around
class ActionFlowGoBack(Action):
    """"Go back": clear the previous answer so the form asks that question again."""

    def name(self) -> Text:
        return "action_flow_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        required = _form_slots(domain, (tracker.active_loop or {}).get("name"))
        requested = tracker.get_slot("requested_slot")
        before = required[: required.index(requested)] if requested in required else required
        previous = next((slot for slot in reversed(before) if tracker.get_slot(slot) is not None), None)
        if previous is None:
            dispatcher.utter_message(text=flow_text()["nothing_to_go_back_to"])
            return []
        dispatcher.utter_message(text=flow_text()["went_back"])
        return [SlotSet(previous, None), SlotSet("requested_slot", previous)]


def _form_slots(domain: DomainDict, form: Optional[str]) -> List[str]:
    return list((domain.get("forms", {}).get(form) or {}).get("required_slots", [])) if form else []


def _leave_flow(domain: DomainDict, form: Optional[str]) -> List[EventType]:
    """Deactivate the form and forget its answers."""
    return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(slot, None) for slot in _form_slots(domain, form)]


def _last_active_form(tracker: Tracker) -> Optional[str]:
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") in FORMS:
            return event["name"]
    return None


class ActionStopFlow(Action):
    """"Stop" / "never mind": leave the flow politely and forget its answers."""

    def name(self) -> Text:
        return "action_stop_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(text=flow_text()["stopped"])
        return _leave_flow(domain, (tracker.active_loop or {}).get("name") or _last_active_form(tracker))


class ActionResetFlow(Action):
    """Start a flow again from its first question (its menu button pressed mid-flow)."""

    def name(self) -> Text:
        return "action_reset_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        dispatcher.utter_message(text=flow_text()["restarted"])
        return _leave_flow(domain, next((form for form, start in FORMS.items() if start == intent), None))
