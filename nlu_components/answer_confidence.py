"""Two-stage fallback for FAQ answers the ResponseSelector is unsure of.

Rasa's FallbackClassifier looks only at the intent. DIET can be sure a message
is *some* question about the article (intent ``faq``) while the
ResponseSelector has no idea which answer fits (gibberish, or a question the
article doesn't cover). Below ``threshold`` answer confidence this component
turns the message into ``nlu_fallback``, keeping the rankings, so the person
gets "did you mean ...?" buttons for the closest answers instead of a wrong one.
Button payloads (``/faq/<topic>``, confidence 1.0) are never affected.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerConfidenceFallback(GraphComponent):
    """Sends FAQ questions with a very unsure answer to the two-stage fallback."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"retrieval_intent": "faq", "threshold": 0.08}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["retrieval_intent"]
        self._threshold = float(config["threshold"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AnswerConfidenceFallback":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != self._intent:
                continue
            answer = ((message.get("response_selector") or {}).get(self._intent) or {}).get("response") or {}
            if float(answer.get("confidence") or 0.0) >= self._threshold:
                continue
            fallback = {"name": FALLBACK_INTENT, "confidence": self._threshold}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback] + list(message.get(INTENT_RANKING_KEY) or []), add_to_output=True)
        return messages
