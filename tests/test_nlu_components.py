"""The two small NLU components: exact topic buttons and the answer-confidence fallback."""

from __future__ import annotations

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.answer_confidence import AnswerConfidenceFallback
from nlu_components.topic_buttons import TopicButtonPayloads


def _faq_message(text: str, answer_confidence: float) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": "faq", "confidence": 0.99}, add_to_output=True)
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.99}], add_to_output=True)
    message.set(
        "response_selector",
        {"faq": {"response": {"confidence": answer_confidence, "intent_response_key": "faq/hope"}, "ranking": []}},
        add_to_output=True,
    )
    return message


def test_unsure_answer_becomes_a_fallback():
    component = AnswerConfidenceFallback({"retrieval_intent": "faq", "threshold": 0.08})
    [unsure] = component.process([_faq_message("zxqv blorp", 0.05)])
    assert unsure.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in unsure.get("intent_ranking")] == ["nlu_fallback", "faq"]
    [sure] = component.process([_faq_message("is there hope", 0.6)])
    assert sure.get("intent")["name"] == "faq"


def _buttons(tmp_path) -> TopicButtonPayloads:
    component = TopicButtonPayloads.create({}, LocalModelStorage(tmp_path), Resource("buttons"), ExecutionContext(None))
    data = TrainingData(responses={"utter_faq/hope": [{"text": "..."}], "utter_faq/sources": [{"text": "..."}]})
    component.train(data)
    return component


def test_topic_payload_selects_that_exact_answer(tmp_path):
    [message] = _buttons(tmp_path).process([_faq_message("/faq/sources", 0.01)])
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    selected = message.get("response_selector")["faq"]["response"]
    assert selected["intent_response_key"] == "faq/sources" and selected["utter_action"] == "utter_faq/sources"


def test_unknown_topic_payload_is_left_to_the_nlu(tmp_path):
    [message] = _buttons(tmp_path).process([_faq_message("/faq/nonsense", 0.3)])
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/hope"


def test_topic_keys_survive_loading(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("buttons")
    component = TopicButtonPayloads.create({}, storage, resource, ExecutionContext(None))
    component.train(TrainingData(responses={"utter_faq/hope": [{"text": "..."}]}))
    loaded = TopicButtonPayloads.load({}, storage, resource, ExecutionContext(None))
    [message] = loaded.process([_faq_message("/faq/hope", 0.01)])
    assert message.get("intent")["confidence"] == 1.0
