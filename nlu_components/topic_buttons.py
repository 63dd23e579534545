"""Lets a button open one FAQ answer exactly: payload ``/faq/<topic>``.

Rasa can trigger an ordinary intent from a button (``/greet``) but not one
answer of a retrieval intent: the ResponseSelector only ever picks an answer
from free text (RasaHQ/rasa#5576). This component, placed after the
ResponseSelector, reads payloads such as ``/faq/what_is_trd`` and sets the
intent ``faq`` and the selected answer at confidence 1.0, so the ordinary
``faq -> utter_faq`` rule answers it. The answer stays a domain response, sent
by the Rasa server itself.

Rasa's RegexMessageHandler runs last and leaves such payloads alone (``faq/...``
is not an intent name), after warning once per payload; that warning is
filtered here because the payload is deliberate.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)/(?P<topic>[a-z0-9_]+)$")

warnings.filterwarnings("ignore", message=r"Failed to parse arguments in line '/faq/", category=UserWarning)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicButtonPayloads(GraphComponent):
    """Turns ``/faq/<topic>`` button payloads into that exact retrieval answer."""

    KEYS_FILE = "retrieval_response_keys.json"

    def __init__(self, model_storage: ModelStorage, resource: Resource, keys: Optional[List[Text]] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._keys = set(keys or [])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TopicButtonPayloads":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Remember which answers exist (``utter_faq/<topic>``), so unknown payloads are left to the NLU."""
        self._keys = {key for key in training_data.responses if "/" in key}
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / self.KEYS_FILE).write_text(json.dumps(sorted(self._keys)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TopicButtonPayloads":
        try:
            with model_storage.read_from(resource) as directory:
                keys = json.loads((Path(directory) / cls.KEYS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            keys = []
        return cls(model_storage, resource, keys)

    def process(self, messages: List[Message]) -> List[Message]:
        """Set intent and selected response for topic payloads; leave other messages alone."""
        for message in messages:
            match = PAYLOAD.match((message.get(TEXT) or "").strip())
            if not match:
                continue
            retrieval_intent, key = match.group("intent"), match.group("topic")
            full_key = f"{retrieval_intent}/{key}"
            utter_action = f"utter_{full_key}"
            if utter_action not in self._keys:
                continue
            top = {"name": retrieval_intent, "confidence": 1.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top], add_to_output=True)
            selector = dict(message.get("response_selector") or {})
            selector[retrieval_intent] = {
                "response": {
                    "responses": [],
                    "confidence": 1.0,
                    "intent_response_key": full_key,
                    "utter_action": utter_action,
                },
                "ranking": [{"confidence": 1.0, "intent_response_key": full_key}],
            }
            selector.setdefault("all_retrieval_intents", [retrieval_intent])
            message.set("response_selector", selector, add_to_output=True)
        return messages
