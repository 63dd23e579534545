"""The Rasa glue of the crisis route: the NLU component and the top-priority policy."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import List

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from safety.rasa_components import (
    ACTION_CRISIS_SUPPORT,
    UTTER_IMMEDIATE_HELP,
    UTTER_NOT_SAFE,
    CrisisLanguageDetector,
    CrisisPolicy,
)

ROOT = Path(__file__).resolve().parent.parent
CRISIS_TEXT = "three meds failed and I'm done with living"


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"), domain_path=str(ROOT / "domain.yml"), training_data_paths=[str(ROOT / "data")]
    )
    return importer.get_domain()


@pytest.fixture
def policy(tmp_path) -> CrisisPolicy:
    return CrisisPolicy.create(
        CrisisPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("crisis_policy"),
        ExecutionContext(None),  # type: ignore[arg-type]
    )


def _message(text: str, intent: str = "faq", confidence: float = 0.9) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        "intent_ranking",
        [{"name": intent, "confidence": confidence}, {"name": "share_feelings", "confidence": 0.05}],
        add_to_output=True,
    )
    return message


def _tracker(domain: Domain, events: List) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", [ActionExecuted(ACTION_LISTEN_NAME)] + events, domain.slots)


def _user(text: str, intent: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


# ------------------------------------------------------------ NLU component
def test_component_sets_crisis_intent_and_category():
    component = CrisisLanguageDetector()
    [message] = component.process([_message(CRISIS_TEXT)])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "crisis"
    [entity] = message.get("entities")
    assert entity["entity"] == "crisis_category" and entity["value"] == "passive_death_wish"


def test_component_marks_third_party_reports():
    component = CrisisLanguageDetector()
    [message] = component.process([_message("my sister said she doesn't want to live")])
    assert message.get("entities")[0]["value"] == "third_party"


def test_component_leaves_ordinary_messages_alone():
    component = CrisisLanguageDetector()
    [message] = component.process([_message("what is TMS?")])
    assert message.get("intent")["name"] == "faq" and not message.get("entities")


def test_diet_alone_never_sends_someone_to_the_crisis_route():
    """DIET's crisis class reacts to words ("I'd kill for a coffee"); only the detector decides."""
    component = CrisisLanguageDetector()
    [message] = component.process([_message("I'd kill for a coffee right now", intent="crisis", confidence=0.99)])
    assert message.get("intent")["name"] == "share_feelings"
    assert all(r["name"] != "crisis" for r in message.get("intent_ranking"))
    assert not message.get("entities")


def test_component_logs_the_category_never_the_words(caplog):
    caplog.set_level(logging.DEBUG)
    CrisisLanguageDetector().process([_message(CRISIS_TEXT)])
    assert "category=passive_death_wish" in caplog.text
    assert "living" not in caplog.text and "meds" not in caplog.text


# ------------------------------------------------------------------- policy
def _predicted(prediction: PolicyPrediction, domain: Domain) -> str:
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_policy_routes_a_first_message(policy, rasa_domain):
    tracker = _tracker(rasa_domain, [_user(CRISIS_TEXT, "crisis")])
    prediction = policy.predict_action_probabilities(tracker, rasa_domain)
    assert _predicted(prediction, rasa_domain) == UTTER_IMMEDIATE_HELP
    assert prediction.max_confidence == 1.0 and prediction.is_no_user_prediction
    assert ActiveLoop(None) in prediction.optional_events and SlotSet(REQUESTED_SLOT, None) in prediction.optional_events


def test_policy_rereads_the_text_even_if_the_intent_was_replaced(policy, rasa_domain):
    tracker = _tracker(rasa_domain, [_user("/greet i want to kill myself", "greet")])
    assert _predicted(policy.predict_action_probabilities(tracker, rasa_domain), rasa_domain) == UTTER_IMMEDIATE_HELP


def test_policy_follows_with_support_then_listens(policy, rasa_domain):
    events = [_user(CRISIS_TEXT, "crisis"), ActionExecuted(UTTER_IMMEDIATE_HELP), BotUttered("help")]
    assert _predicted(policy.predict_action_probabilities(_tracker(rasa_domain, events), rasa_domain), rasa_domain) == ACTION_CRISIS_SUPPORT
    events.append(ActionExecuted(ACTION_CRISIS_SUPPORT))
    assert _predicted(policy.predict_action_probabilities(_tracker(rasa_domain, events), rasa_domain), rasa_domain) == ACTION_LISTEN_NAME


def test_policy_has_no_opinion_on_ordinary_messages(policy, rasa_domain):
    prediction = policy.predict_action_probabilities(_tracker(rasa_domain, [_user("what is TMS?", "faq")]), rasa_domain)
    assert prediction.max_confidence == 0.0


def test_policy_answers_not_safe(policy, rasa_domain):
    tracker = _tracker(rasa_domain, [_user("/crisis_not_safe", "crisis_not_safe")])
    assert _predicted(policy.predict_action_probabilities(tracker, rasa_domain), rasa_domain) == UTTER_NOT_SAFE


def test_policy_cancels_an_active_form(policy, rasa_domain):
    events = [
        _user("/start_trd_check", "start_trd_check"),
        ActionExecuted("trd_check_form"),
        ActiveLoop("trd_check_form"),
        SlotSet(REQUESTED_SLOT, "antidepressants_tried"),
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("two, and honestly I want to die", "inform"),
    ]
    tracker = DialogueStateTracker.from_events("test", events, rasa_domain.slots)
    prediction = policy.predict_action_probabilities(tracker, rasa_domain)
    assert _predicted(prediction, rasa_domain) == UTTER_IMMEDIATE_HELP
    assert ActiveLoop(None) in prediction.optional_events


def test_crisis_prediction_beats_a_form_and_a_rule(policy, rasa_domain):
    """Against RulePolicy's own loop prediction (also "no user", confidence 1.0) the higher priority wins."""
    tracker = _tracker(rasa_domain, [_user(CRISIS_TEXT, "crisis")])
    crisis = policy.predict_action_probabilities(tracker, rasa_domain)
    probabilities = [0.0] * rasa_domain.num_actions
    probabilities[rasa_domain.index_for_action("trd_check_form")] = 1.0
    loop = PolicyPrediction(probabilities, "RulePolicy", policy_priority=6, is_no_user_prediction=True)
    faq = list(probabilities)
    faq[rasa_domain.index_for_action("trd_check_form")] = 0.0
    faq[rasa_domain.index_for_action("utter_faq")] = 1.0
    rule = PolicyPrediction(faq, "RulePolicy", policy_priority=6)
    winner = DefaultPolicyPredictionEnsemble().combine_predictions([loop, rule, crisis], tracker, rasa_domain)
    assert winner.policy_name == "CrisisPolicy"
    assert _predicted(winner, rasa_domain) == UTTER_IMMEDIATE_HELP
    assert ActiveLoop(None) in winner.events


def test_policy_training_checks_the_domain(policy, rasa_domain):
    assert policy.train([], rasa_domain) is not None
