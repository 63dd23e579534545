"""Thin Rasa glue around the crisis detector: an NLU component and a dialogue policy.

The two layers are independent on purpose:

* ``CrisisLanguageDetector`` (NLU, placed after every classifier) overrides the
  intent with ``crisis`` at confidence 1.0 and adds a ``crisis_category``
  entity whenever the detector fires, so the tracker, the slots and the
  conversation logs all say what happened.
* ``CrisisPolicy`` (priority above every other policy) makes the crisis route the
  next action in any dialogue state. It re-reads the user's text with the
  detector itself, so even a message whose NLU result was replaced later in the
  pipeline (for example text that starts with "/") cannot slip past it. When it
  fires inside a form or fallback loop, it cancels the loop.

The first message of the route, ``utter_crisis_immediate_help``, is a domain
response: the Rasa server sends it even when the action server is down.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from safety.detector import CrisisMatch, detect

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
NOT_SAFE_INTENT = "crisis_not_safe"
CATEGORY_ENTITY = "crisis_category"

UTTER_IMMEDIATE_HELP = "utter_crisis_immediate_help"
UTTER_NOT_SAFE = "utter_crisis_not_safe"
ACTION_CRISIS_SUPPORT = "action_crisis_support"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisLanguageDetector(GraphComponent):
    """Sets intent ``crisis`` (confidence 1.0) and the matched category when crisis language is found.

    Only the safety detector decides. DIET also has a ``crisis`` class (so that
    crisis examples have a home in the NLU data), but on its own it reacts to
    words, not meaning: it scores "I'd kill for a coffee" and "I have no plans
    to hurt myself" as crisis with near certainty. So when DIET says crisis and
    the detector does not, the runner-up intent is used instead.
    """

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisLanguageDetector":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of every message that carries crisis language."""
        for message in messages:
            match = detect(message.get(TEXT))
            if match is not None:
                self._mark_crisis(message, match.category)
                logger.info("crisis_route.detected category=%s", match.category)
            elif (message.get(INTENT) or {}).get("name") == CRISIS_INTENT:
                self._use_runner_up(message)
        return messages

    @staticmethod
    def _use_runner_up(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        if ranking:
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _mark_crisis(message: Message, category: Text) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        message.set(INTENT, {"name": CRISIS_INTENT, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": CRISIS_INTENT, "confidence": 1.0}] + ranking, add_to_output=True)
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != CATEGORY_ENTITY]
        text = message.get(TEXT) or ""
        entities.append(
            {
                "entity": CATEGORY_ENTITY,
                "value": category,
                "start": 0,
                "end": len(text),
                "confidence_entity": 1.0,
                "extractor": CrisisLanguageDetector.__name__,
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CrisisPolicy(Policy):
    """Top-priority policy: crisis language is answered by the crisis route, in any state."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Priority 7 sits above RulePolicy (6), MemoizationPolicy (3) and TEDPolicy (1)."""
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the route is fixed. Checks the domain has what the route needs."""
        missing = [a for a in (UTTER_IMMEDIATE_HELP, UTTER_NOT_SAFE, ACTION_CRISIS_SUPPORT) if a not in domain.action_names_or_texts]
        if missing:
            raise ValueError(f"CrisisPolicy needs these actions in the domain: {missing}")
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """The crisis route's next action, or no opinion (all zeros)."""
        last_action = tracker.latest_action_name
        if last_action == ACTION_LISTEN_NAME:
            intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
            if intent == NOT_SAFE_INTENT:
                return self._predict(UTTER_NOT_SAFE, domain, cancel_loop=True)
            if intent == CRISIS_INTENT or self._text_is_crisis(tracker):
                return self._predict(UTTER_IMMEDIATE_HELP, domain, cancel_loop=True)
        elif last_action == UTTER_IMMEDIATE_HELP:
            return self._predict(ACTION_CRISIS_SUPPORT, domain)
        elif last_action in (ACTION_CRISIS_SUPPORT, UTTER_NOT_SAFE):
            return self._predict(ACTION_LISTEN_NAME, domain)
        return self._prediction(self._default_predictions(domain))

    @staticmethod
    def _text_is_crisis(tracker: DialogueStateTracker) -> bool:
        message = tracker.latest_message
        if message is None or not message.text:
            return False
        match: Optional[CrisisMatch] = detect(message.text)
        return match is not None

    def _predict(self, action: Text, domain: Domain, cancel_loop: bool = False) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        optional_events = [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)] if cancel_loop else []
        # "No user" predictions are compared with each other first, so marking the
        # route as one keeps a form's own happy-path prediction from outranking it.
        return self._prediction(probabilities, optional_events=optional_events, is_no_user_prediction=True)
