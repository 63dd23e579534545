"""The guided flows: reading answers, validation actions, summaries, and moving around."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlparse

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.guided_flows import (
    ActionClinicianQuestionsSummary,
    ActionFlowGoBack,
    ActionResetFlow,
    ActionStopFlow,
    ActionTrdCheckSummary,
    ActionTrialCheckSummary,
    ValidateClinicianQuestionsForm,
    ValidateTrdCheckForm,
    ValidateTrialFitForm,
    clinician_question_list,
    flow_text,
    trial_search_url,
)
from tests.conftest import make_tracker

HUGE = "two " * 2500  # 10,000 characters


def run_action(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


# ------------------------------------------------------------ reading answers
@pytest.mark.parametrize(
    "text, expected",
    [
        ("two", "2"), ("2", "2"), ("a couple", "2"), ("none yet", "0"), ("None yet", "0"), ("zero", "0"),
        ("just one", "1"), ("3 or 4", "3"), ("3 or more", "3"), ("I've tried four different ones", "4"),
        ("idk", "not_sure"), ("Not sure", "not_sure"), ("can't remember", "not_sure"),
        ("-1", None), ("", None), ("   ", None), ("banana", None), (HUGE, None), (None, None),
        ("45", answers.IMPLAUSIBLE),
    ],
)
def test_reading_how_many_antidepressants(text, expected):
    assert answers.parse_count(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Yes", "yes"), ("yeah I think so", "yes"), ("yep", "yes"), ("I did", "yes"),
        ("No", "no"), ("nope", "no"), ("not really", "no"), ("I don't think so", "no"),
        ("Not sure", "not_sure"), ("idk", "not_sure"), ("some of them", "not_sure"), ("maybe", "not_sure"),
        ("purple", None), ("", None), (HUGE, None),
    ],
)
def test_reading_yes_no_not_sure(text, expected):
    assert answers.parse_yes_no(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Brain stimulation", ["brain_stimulation"]),
        ("tms and inflammation", ["brain_stimulation", "inflammation_therapies"]),
        ("All of them", [k for k, _ in answers.TRIAL_DIRECTIONS]),
        ("not sure", [k for k, _ in answers.TRIAL_DIRECTIONS]),
        ("ketamine", ["rapid_acting_treatments"]),
        ("bananas", None),
    ],
)
def test_reading_trial_interests(text, expected):
    assert answers.parse_trial_interests(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Boston", "Boston"), ("I live in Leeds, UK", "Leeds, UK"), ("Skip", "skip"), ("no thanks", "skip"),
        ("<script>alert(1)</script> Paris", "script alert 1 script Paris"), ("12345", None), ("", None), ("x" * 200, None),
    ],
)
def test_reading_a_location(text, expected):
    assert answers.parse_location(text) == expected


# ------------------------------------------------------------- validation
def test_count_is_validated_with_examples_on_failure(domain):
    action = ValidateTrdCheckForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="-1")
    assert action.validate_antidepressants_tried("-1", dispatcher, tracker, domain) == {"antidepressants_tried": None}
    assert dispatcher.messages[0]["text"] == flow_text()["retry"]["count"]
    dispatcher = CollectingDispatcher()
    assert action.validate_antidepressants_tried("a couple", dispatcher, tracker, domain) == {"antidepressants_tried": "2"}
    assert dispatcher.messages == []


def test_implausible_count_is_questioned(domain):
    dispatcher = CollectingDispatcher()
    assert ValidateTrdCheckForm().validate_antidepressants_tried("45", dispatcher, make_tracker(), domain) == {
        "antidepressants_tried": None
    }
    assert dispatcher.messages[0]["text"] == flow_text()["retry"]["count_implausible"]


@pytest.mark.parametrize("slot", ["adequate_dose", "adequate_duration", "in_therapy"])
def test_yes_no_questions_accept_and_reject(slot, domain):
    action = ValidateTrdCheckForm()
    validate = getattr(action, f"validate_{slot}")
    dispatcher = CollectingDispatcher()
    assert validate("idk", dispatcher, make_tracker(), domain) == {slot: "not_sure"}
    assert validate("purple", dispatcher, make_tracker(), domain) == {slot: None}
    assert dispatcher.messages == [{**dispatcher.messages[0], "text": flow_text()["retry"]["yes_no"]}]


def test_no_dose_questions_without_antidepressants(domain):
    slots = ["antidepressants_tried", "adequate_dose", "adequate_duration", "in_therapy"]
    tracker = make_tracker(slots={"antidepressants_tried": "0"})
    required = asyncio.run(ValidateTrdCheckForm().required_slots(slots, CollectingDispatcher(), tracker, domain))
    assert required == ["antidepressants_tried", "in_therapy"]


def test_a_later_correction_to_the_count_is_taken(domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={"antidepressants_tried": "2", "requested_slot": "adequate_duration"},
        text="actually I've tried three antidepressants",
    )
    assert asyncio.run(ValidateTrdCheckForm().extract_antidepressants_tried(dispatcher, tracker, domain)) == {
        "antidepressants_tried": "3"
    }
    assert dispatcher.messages[0]["text"] == "Thanks, I've changed that to 3."


@pytest.mark.parametrize("text", ["sorry, three not two", "actually I've tried three antidepressants", "wait it was three"])
def test_count_corrections_are_recognised(text):
    assert answers.count_correction(text) == "3"


@pytest.mark.parametrize("text", ["yes", "three", "what is TMS?", "I had three coffees today"])
def test_ordinary_answers_are_not_corrections(text):
    assert answers.count_correction(text) is None


def test_a_short_answer_the_nlu_took_for_a_question_is_still_an_answer(domain):
    action = ValidateTrdCheckForm()
    tracker = make_tracker(slots={"requested_slot": "antidepressants_tried"}, text="actually three", intent="faq")
    assert asyncio.run(action.extract_antidepressants_tried(CollectingDispatcher(), tracker, domain)) == {"antidepressants_tried": "3"}
    tracker = make_tracker(slots={"requested_slot": "adequate_dose"}, text="yeah they were", intent="faq")
    assert asyncio.run(action.extract_adequate_dose(CollectingDispatcher(), tracker, domain)) == {"adequate_dose": "yes"}
    question = make_tracker(slots={"requested_slot": "adequate_dose"}, text="what dose is adequate for sertraline?", intent="faq")
    assert asyncio.run(action.extract_adequate_dose(CollectingDispatcher(), question, domain)) == {}


def test_clinician_flow_reuses_what_flow_one_learned(domain):
    form_slots = domain["forms"]["clinician_questions_form"]["required_slots"]
    tracker = make_tracker(slots={"adequate_dose": "yes", "adequate_duration": "no", "in_therapy": "yes"})
    required = asyncio.run(ValidateClinicianQuestionsForm().required_slots(form_slots, CollectingDispatcher(), tracker, domain))
    assert "dose_reviewed" not in required and "in_therapy" in required  # in_therapy is filled, so the form skips it


def test_trial_location_is_cleaned(domain):
    dispatcher = CollectingDispatcher()
    result = ValidateTrialFitForm().validate_trial_location("<b>Boston</b>", dispatcher, make_tracker(), domain)
    assert result == {"trial_location": "b Boston b"}


# --------------------------------------------------------------- summaries
def test_trd_check_matches_the_definition(domain):
    slots = {"antidepressants_tried": "3", "adequate_dose": "yes", "adequate_duration": "yes", "in_therapy": "no"}
    messages, events = run_action(ActionTrdCheckSummary(), make_tracker(slots=slots), domain)
    text = flow_text()["trd_check"]
    assert messages[0]["text"] == text["matches"]
    assert messages[1]["text"] == text["therapy_no"]
    assert text["ask_options"] in messages[2]["text"]
    assert [b["payload"] for b in messages[3]["buttons"]] == ["/start_clinician_questions", "/start_trial_check", "/faq/what_can_i_do"]
    assert events == []
    assert not any("you have" in m["text"].lower() for m in messages)  # never a diagnosis


def test_trd_check_two_meds_but_unsure_dose(domain):
    slots = {"antidepressants_tried": "2", "adequate_dose": "not_sure", "adequate_duration": "yes", "in_therapy": "yes"}
    messages, _ = run_action(ActionTrdCheckSummary(), make_tracker(slots=slots), domain)
    assert messages[0]["text"] == flow_text()["trd_check"]["unclear_dose_or_time"].format(count="2")


@pytest.mark.parametrize("count", ["0", "1"])
def test_trd_check_not_yet(count, domain):
    messages, _ = run_action(ActionTrdCheckSummary(), make_tracker(slots={"antidepressants_tried": count, "in_therapy": "yes"}), domain)
    assert messages[0]["text"] == flow_text()["trd_check"]["not_yet"]


def test_trd_check_count_unknown(domain):
    messages, _ = run_action(ActionTrdCheckSummary(), make_tracker(slots={"antidepressants_tried": "not_sure"}), domain)
    assert messages[0]["text"] == flow_text()["trd_check"]["count_unknown"]


def test_clinician_questions_are_personal_and_numbered(domain):
    slots = {
        "sleep_problems": "no", "thyroid_checked": "yes", "high_mood_periods": "yes", "trauma_history": "no",
        "in_therapy": "no", "alcohol_use": "no", "dose_reviewed": "yes", "antidepressants_tried": "3",
    }
    text = flow_text()["clinician_questions"]
    assert clinician_question_list(slots) == [text["always"], text["high_mood"], text["therapy_none"], text["advanced"]]
    messages, _ = run_action(ActionClinicianQuestionsSummary(), make_tracker(slots=slots), domain)
    assert messages[0]["text"].startswith(text["intro"])
    assert "1. " + text["always"] in messages[0]["text"] and "4. " + text["advanced"] in messages[0]["text"]


def test_bipolar_question_only_when_it_applies():
    text = flow_text()["clinician_questions"]
    assert text["high_mood"] not in clinician_question_list({"high_mood_periods": "no"})
    assert text["high_mood_unsure"] in clinician_question_list({"high_mood_periods": "not_sure"})


def test_dose_question_from_flow_one_answers():
    text = flow_text()["clinician_questions"]
    assert text["dose"] in clinician_question_list({"adequate_dose": "yes", "adequate_duration": "not_sure"})
    assert text["dose"] not in clinician_question_list({"adequate_dose": "yes", "adequate_duration": "yes"})


def test_trial_search_link():
    url = trial_search_url("Leeds, UK")
    query = parse_qs(urlparse(url).query)
    assert url.startswith("https://clinicaltrials.gov/search?")
    assert query == {"cond": ["Treatment Resistant Depression"], "aggFilters": ["status:rec"], "locStr": ["Leeds, UK"]}
    assert "locStr" not in trial_search_url("skip")


def test_trial_summary_uses_the_faq_answers_and_escapes_the_place(domain):
    slots = {"trial_interests": ["brain_stimulation"], "trial_location": "Tom & Jerry's town"}
    messages, _ = run_action(ActionTrialCheckSummary(), make_tracker(slots=slots), domain)
    assert messages[1]["text"] == domain["responses"]["utter_faq/brain_stimulation"][0]["text"]
    assert "Tom &amp; Jerry&#x27;s town" in messages[2]["text"] and "clinicaltrials.gov" in messages[2]["text"]


# --------------------------------------------------------- moving around
def test_go_back_clears_the_previous_answer(domain):
    tracker = make_tracker(
        slots={"antidepressants_tried": "2", "adequate_dose": "yes", "requested_slot": "adequate_duration"},
        active_loop="trd_check_form",
        text="go back",
        intent="go_back",
    )
    messages, events = run_action(ActionFlowGoBack(), tracker, domain)
    assert events == [SlotSet("adequate_dose", None), SlotSet("requested_slot", "adequate_dose")]
    assert messages[0]["text"] == flow_text()["went_back"] == "Okay, let's go back to the previous question."


def test_go_back_at_the_first_question(domain):
    tracker = make_tracker(slots={"requested_slot": "antidepressants_tried"}, active_loop="trd_check_form")
    messages, events = run_action(ActionFlowGoBack(), tracker, domain)
    assert events == [] and messages[0]["text"] == flow_text()["nothing_to_go_back_to"]


def test_stop_leaves_politely_and_forgets(domain):
    tracker = make_tracker(slots={"trial_interests": ["brain_stimulation"]}, active_loop="trial_fit_form", text="never mind", intent="stop")
    messages, events = run_action(ActionStopFlow(), tracker, domain)
    assert messages[0]["text"] == flow_text()["stopped"]
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert SlotSet("trial_interests", None) in events and SlotSet("trial_location", None) in events


def test_restart_resets_the_flow(domain):
    tracker = make_tracker(slots={"antidepressants_tried": "2"}, active_loop="trd_check_form", text="/start_trd_check", intent="start_trd_check")
    _, events = run_action(ActionResetFlow(), tracker, domain)
    assert SlotSet("antidepressants_tried", None) in events and ActiveLoop(None) in events
