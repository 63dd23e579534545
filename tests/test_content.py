"""The content an editor changes: FAQ answers, their buttons and sources, the menu, the crisis texts.

These checks keep the data honest when it is edited: every answer short,
in the project's own words, naming its source, and every button leading
somewhere real.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterable, List, Set

import pytest
import yaml

from scripts.article_fingerprint import DEFAULT_ARTICLE, FINGERPRINT, RUN, shingle_hashes, words

ROOT = Path(__file__).resolve().parent.parent
FAQ_DIR = ROOT / "data" / "faq"
MAX_WORDS = 80
MAX_WORDS_LISTS = 115  # the reference list and its links
MIN_EXAMPLES = 20
# Names may be quoted exactly: the journals in the article's reference list.
PROPER_NAMES = (
    "Progress in Neuro-Psychopharmacology & Biological Psychiatry",
    "The American Journal of Psychiatry",
    "Molecular Psychiatry",
    "CNS Drugs",
)
REQUIRED_MENU_PAYLOADS = {
    "/faq/why_treatment_stalls",
    "/faq/what_is_trd",
    "/faq/trial_directions",
    "/start_trial_check",
    "/faq/what_can_i_do",
    "/faq/when_to_seek_urgent_care",
}
REQUIRED_TOPICS = {
    "what_is_trd", "how_common", "not_a_failure", "more_than_chemical_imbalance", "why_treatment_stalls",
    "wrong_target_system", "stuck_brain_circuits", "chronic_stress", "incomplete_diagnosis", "what_is_clinical_trial",
    "trial_directions", "rapid_acting_treatments", "brain_stimulation", "precision_psychiatry", "inflammation_therapies",
    "combination_trials", "trial_benefits", "trial_cautions", "how_to_join_trial", "what_can_i_do", "reassess_diagnosis",
    "dose_and_duration", "therapy_options", "lifestyle_factors", "advanced_treatments", "symptom_checker",
    "when_to_seek_urgent_care", "future_of_research", "sources", "source_links", "ketamine", "hope",
}


def _topic_files() -> Dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(FAQ_DIR.glob("*.yml"))}


def _answer_body(text: str) -> str:
    return text.split("\nSource:")[0]


def _payloads(buttons: Iterable[dict]) -> List[str]:
    return [b["payload"] for b in buttons or []]


TOPICS = _topic_files()


def test_every_topic_the_issue_lists_is_answered():
    assert REQUIRED_TOPICS <= set(TOPICS)


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_topic_file_has_questions_and_one_answer(topic):
    content = TOPICS[topic]
    [block] = content["nlu"]
    assert block["intent"] == f"faq/{topic}"
    examples = [line for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    assert len(examples) >= MIN_EXAMPLES
    assert list(content["responses"]) == [f"utter_faq/{topic}"]


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_answer_is_short_and_names_its_source(topic):
    [answer] = TOPICS[topic]["responses"][f"utter_faq/{topic}"]
    body = _answer_body(answer["text"])
    limit = MAX_WORDS_LISTS if topic in ("sources", "source_links") else MAX_WORDS
    words = [w for w in body.split() if not w.startswith("http")]
    assert len(words) <= limit, f"{topic}: {len(words)} words"
    assert re.search(r"\nSource: the article", answer["text"]), topic


def test_answers_are_in_our_own_words():
    """No run of six words from the article (tests/fixtures/article_shingles.txt, see scripts/article_fingerprint.py)."""
    article = set(FINGERPRINT.read_text(encoding="utf-8").split())
    copied = []
    for topic, content in TOPICS.items():
        [answer] = content["responses"][f"utter_faq/{topic}"]
        body = re.sub(r"https?://\S+", " ", _answer_body(answer["text"]))
        for name in PROPER_NAMES:
            body = body.replace(name, " ")
        tokens = words(body)
        for i in range(len(tokens) - RUN + 1):
            if shingle_hashes(tokens[i : i + RUN]) & article:
                copied.append(f"{topic}: {' '.join(tokens[i : i + RUN])}")
    assert not copied, copied


def test_article_fingerprint_is_current():
    if not DEFAULT_ARTICLE.exists():
        pytest.skip("the source article is not next to this checkout; the committed fingerprint is used")
    current = set(FINGERPRINT.read_text(encoding="utf-8").split())
    assert shingle_hashes(words(DEFAULT_ARTICLE.read_text(encoding="utf-8"))) == current, (
        "The article changed: run `python scripts/article_fingerprint.py`."
    )


def _valid_payloads(domain) -> Set[str]:
    intents = {f"/{i}" for i in domain["intents"]}
    topics = {f"/faq/{t}" for t in TOPICS}
    return intents | topics


def test_every_button_leads_somewhere(domain):
    valid = _valid_payloads(domain)
    for name, variants in domain["responses"].items():
        for variant in variants:
            for payload in _payloads(variant.get("buttons")):
                if payload.startswith("/"):
                    assert payload in valid, (name, payload)


def test_buttons_the_action_server_sends_lead_somewhere(domain):
    valid = _valid_payloads(domain)
    action_text = yaml.safe_load((ROOT / "actions" / "flow_text.yml").read_text(encoding="utf-8"))
    crisis = yaml.safe_load((ROOT / "actions" / "crisis_lines.yml").read_text(encoding="utf-8"))["wording"]
    buttons = [b for section in action_text.values() if isinstance(section, dict) for b in section.get("buttons", [])]
    buttons += crisis["are_you_safe"]["buttons"] + crisis["is_the_person_safe"]["buttons"]
    assert buttons and all(b["payload"] in valid for b in buttons), [b for b in buttons if b["payload"] not in valid]


def test_answers_offer_next_topics_and_tell_me_more_goes_deeper():
    for topic, content in TOPICS.items():
        [answer] = content["responses"][f"utter_faq/{topic}"]
        buttons = answer.get("buttons") or []
        assert 2 <= len(buttons) <= 6, topic
        more = [b for b in buttons if b["title"].lower() == "tell me more"]
        for button in more:
            assert button["payload"] != f"/faq/{topic}"


def test_menu_has_the_topics_the_issue_names(domain):
    [menu] = domain["responses"]["utter_menu"]
    assert REQUIRED_MENU_PAYLOADS <= set(_payloads(menu["buttons"]))


def test_intro_says_what_the_assistant_is_and_is_not(domain):
    [intro] = domain["responses"]["utter_intro"]
    text = intro["text"].lower()
    assert "not a person" in text and "can't diagnose" in text and "medical advice" in text and "one article" in text


def test_urgent_care_answer_gives_the_crisis_lines():
    [answer] = TOPICS["when_to_seek_urgent_care"]["responses"]["utter_faq/when_to_seek_urgent_care"]
    assert "988" in answer["text"] and "911" in answer["text"] and "findahelpline.com" in answer["text"]


def test_no_answer_gives_dosing_instructions():
    dosing = re.compile(r"\b\d+\s?(mg|milligrams?|ml)\b|\btake \d|\bincrease your dose\b|\bstop taking\b", re.I)
    for topic, content in TOPICS.items():
        [answer] = content["responses"][f"utter_faq/{topic}"]
        assert not dosing.search(answer["text"]), topic


def test_medication_boundary_never_advises(domain):
    [boundary] = domain["responses"]["utter_medication_advice_boundary"]
    assert "can't advise" in boundary["text"] and "prescriber" in boundary["text"]


def test_crisis_messages_contain_no_method_details(domain):
    methods = re.compile(r"\b(mg|dose of|bridge|rope|hang|overdose on|lethal)\b", re.I)
    for name in ("utter_crisis_immediate_help", "utter_crisis_not_safe"):
        for variant in domain["responses"][name]:
            assert not methods.search(variant["text"]), name
