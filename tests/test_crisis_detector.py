"""The crisis detector on its own: corpora, categories, obfuscations, exceptions, speed."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from safety.detector import CATEGORY_PRIORITY, PATTERNS_FILE, THIRD_PARTY, CrisisDetector, iter_patterns

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "crisis_corpus"
CLASSIFIER_EXAMPLES = ROOT / "safety" / "classifier_examples"
MAX_FALSE_POSITIVE_RATE = 0.01


def _messages(path: Path) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector.from_file()


@pytest.fixture(scope="module")
def crisis_messages() -> List[Dict]:
    return _messages(CORPUS / "crisis_messages.yml")


@pytest.fixture(scope="module")
def near_misses() -> List[Dict]:
    return _messages(CORPUS / "near_miss_messages.yml")


# ------------------------------------------------------------------ corpus
def test_corpus_is_large_enough_and_labelled(crisis_messages, near_misses):
    assert len(crisis_messages) >= 150 and len(near_misses) >= 150
    categories = Counter(m["category"] for m in crisis_messages)
    assert set(categories) == set(CATEGORY_PRIORITY), categories
    assert all(m.get("kind") for m in near_misses)


def test_every_crisis_message_fires(detector, crisis_messages, figures):
    missed = [m for m in crisis_messages if detector.detect(m["text"]) is None]
    rules_missed = [m for m in crisis_messages if detector.detect_by_rules(m["text"]) is None]
    figures(
        f"crisis corpus recall: {len(crisis_messages) - len(missed)}/{len(crisis_messages)} "
        f"(pattern rules alone {len(crisis_messages) - len(rules_missed)}/{len(crisis_messages)})"
    )
    assert not missed, "\n".join(f"{m['category']}: {m['text']}" for m in missed)


def test_every_category_is_recognised(detector, crisis_messages):
    by_category = Counter(m["category"] for m in crisis_messages if detector.detect(m["text"]))
    assert by_category == Counter(m["category"] for m in crisis_messages)


def test_near_misses_rarely_fire(detector, near_misses, figures):
    fired = [(m, detector.detect(m["text"])) for m in near_misses]
    fired = [(m, r) for m, r in fired if r is not None]
    rate = len(fired) / len(near_misses)
    figures(f"near-miss false positives: {len(fired)}/{len(near_misses)} ({rate:.1%}, limit {MAX_FALSE_POSITIVE_RATE:.0%})")
    assert rate <= MAX_FALSE_POSITIVE_RATE, "\n".join(f"{m['kind']} [{r.pattern_id}]: {m['text']}" for m, r in fired)


def test_classifier_examples_stay_recognised(detector, figures):
    """Regression guard on the classifier's own examples (these are training data, so near 100% is expected)."""
    files = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CLASSIFIER_EXAMPLES.glob("*.yml"))]
    crisis = [m for f in files if f["label"] == "crisis" for m in f["messages"]]
    safe = [m for f in files if f["label"] == "not_crisis" for m in f["messages"]]
    recall = sum(detector.detect(m["text"]) is not None for m in crisis) / len(crisis)
    rules_recall = sum(detector.detect_by_rules(m["text"]) is not None for m in crisis) / len(crisis)
    fp = sum(detector.detect(m["text"]) is not None for m in safe) / len(safe)
    figures(
        f"classifier examples ({len(crisis)} crisis / {len(safe)} not): recall {recall:.1%} "
        f"(rules alone {rules_recall:.1%}), false positives {fp:.1%}"
    )
    assert recall >= 0.99 and fp <= MAX_FALSE_POSITIVE_RATE


# ------------------------------------------------------------ pattern data
def test_pattern_file_is_well_formed():
    spec = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    assert set(spec["categories"]) == set(CATEGORY_PRIORITY)
    patterns = [p for _, p in iter_patterns(spec)]
    duplicates = [p for p, n in Counter(patterns).items() if n > 1]
    assert not duplicates, duplicates
    for name, body in spec["categories"].items():
        assert body.get("description"), name
    CrisisDetector(spec, use_classifier=False)  # every pattern, macro and mask compiles


def test_rules_fire_without_any_learned_model(crisis_messages):
    rules_only = CrisisDetector.from_file(use_classifier=False)
    assert rules_only.detect("I want to kill myself") is not None
    caught = sum(rules_only.detect(m["text"]) is not None for m in crisis_messages)
    assert caught == len(crisis_messages)


# --------------------------------------------------- forms of the language
@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "i want to k1ll mys3lf",
        "I want to k i l l  m y s e l f",
        "i want to kiiiiill myselffff",
        "i want to kil myslef",
        "I WANT TO DIE",
        "I don’t want to be alive anymore",
        "i dont want to be alive anymore",
        "kms",
        "thinking about unaliving myself",
        "sewer slide is on my mind again",
        "I hope I don't wake up tomorrow",
        "i just want to end it all",
        "$uicide keeps crossing my mind",
        "ѕuісіdе",  # Cyrillic look-alike letters
        "i want to 💀 myself",
        "three meds failed and I'm done with living, what is TMS?",
        "su*c*de",
    ],
)
def test_obfuscations_and_coded_language_fire(detector, text):
    assert detector.detect(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "the queue is killing me",
        "I'm dying to hear about the new trials",
        "how do I kill the app on my phone",
        "what is TMS?",
        "what is treatment-resistant depression",
        "is ketamine used for depression",
        "I'm fed up with the side effects",
        "this cake is to die for",
        "my phone died during the call",
        "I'm not suicidal, just exhausted by all of this",
        "I cut my finger chopping onions",
        "shoot me an email with the trial details",
        "hang in there, the appointment is tomorrow",
        "When should someone with depression get urgent help?",
        "Is psychotic depression treated differently?",
    ],
)
def test_ordinary_messages_do_not_fire(detector, text):
    assert detector.detect(text) is None, (text, detector.detect(text))


def test_denial_does_not_hide_a_second_statement(detector):
    assert detector.detect("I'm not suicidal but I want to die") is not None
    assert detector.detect("I don't want to die but I've been stockpiling my pills") is not None


@pytest.mark.parametrize(
    "text, category",
    [
        ("I took all my pills an hour ago", "attempt_or_overdose"),
        ("I've been saving up my pills for when I'm ready", "plan_or_preparation"),
        ("I want to hurt my boss", "harm_to_others"),
        ("the voices are telling me to hurt myself", "psychosis_or_agitation"),
        ("I've been cutting myself again", "self_harm"),
        ("I haven't eaten or drunk anything in three days", "unable_to_self_care"),
        ("I wish I was dead", "passive_death_wish"),
        ("my sister said she doesn't want to live", THIRD_PARTY),
        ("I think my son wants to kill himself", THIRD_PARTY),
    ],
)
def test_categories(detector, text, category):
    match = detector.detect(text)
    assert match is not None and match.category == category, (text, match)


def test_empty_and_huge_messages(detector):
    assert detector.detect("") is None
    assert detector.detect("   ") is None
    assert detector.detect(None) is None
    assert detector.detect("what is TMS " * 2000) is None
    assert detector.detect("what is TMS " * 2000 + " i want to die") is not None


# -------------------------------------------------------------------- speed
def test_fast_enough_for_every_message(detector, crisis_messages, near_misses, figures):
    texts = [m["text"] for m in crisis_messages + near_misses]
    wall, cpu = [], []
    for text in texts:
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        detector.detect(text + " .")  # defeat the normaliser's cache
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    wall.sort()
    median, p95 = statistics.median(wall), wall[int(0.95 * len(wall))]
    figures(
        f"detector time per message: median {median:.2f} ms, p95 {p95:.2f} ms wall clock; "
        f"median {statistics.median(cpu):.2f} ms CPU ({len(texts)} messages)"
    )
    # CPU time of this thread, so a busy machine (or Rasa's own threads) can't make the check flaky.
    assert statistics.median(cpu) < 1.0


# --------------------------------------------- robustness to what follows
STATEMENTS = [
    "I keep cutting myself", "I want to kill myself", "I want to die", "I've been hurting myself", "I took all my pills",
    "I burn myself", "I want to end it all", "I'm going to hurt him", "I hear voices telling me to hurt people",
    "I haven't eaten in four days", "I wish I was dead", "I've been stockpiling my meds", "my sister wants to kill herself",
    "I'm going to overdose", "I can't stop thinking about suicide", "I've been scratching my arms until they bleed",
    "I want to disappear forever", "I'm not safe", "kms", "I don't want to be alive", "I've written my goodbye letters",
    "I swallowed a bottle of pills", "the voices want me dead", "my son said he wants to end his life",
    "I don't see the point in living", "I'm going to stab my flatmate", "I can't stop pacing and I'm losing control",
    "I'm a burden to everyone",
]
TAILS = [
    "", " when things get bad", " when I can't sleep", " at night", " at home", " at work", " on the weekend",
    " in the bathroom", " after my appointment", " while everyone sleeps", " for the pain", " again lol", " tbh",
    " on purpose", " today", " because of the meds", " when I'm alone", " at the clinic", " and I mean it", " honestly",
    " 😔", " idk what to do", ", what is TMS?",
]


def test_what_follows_a_crisis_statement_never_hides_it():
    """Idiom and accident exceptions must stay narrow: everyday endings can't mask a statement."""
    rules = CrisisDetector.from_file(use_classifier=False)
    hidden = [s + t for s in STATEMENTS for t in TAILS if rules.detect(s + t) is None]
    assert not hidden, hidden


PREFIXES = [
    "Honestly ", "ok so ", "lol ", "Hi, I have a question about TMS. ", "My doctor doesn't know but ", "I'm not suicidal but ",
    "The queue is killing me and ", "Three meds failed and ", "idk why but ", "Sorry to bother you, ", "it's 3am and ",
    "I read the article about ketamine. ", "no offence but ",
]


def test_what_comes_before_a_crisis_statement_never_hides_it():
    """Denials and idioms are masked within their own sentence only."""
    rules = CrisisDetector.from_file(use_classifier=False)
    messages = [p + s[0].lower() + s[1:] for s in STATEMENTS for p in PREFIXES]
    hidden = [m for m in messages if rules.detect(m) is None]
    assert not hidden, hidden
