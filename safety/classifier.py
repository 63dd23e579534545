"""A learned second opinion for the crisis detector.

The pattern rules in crisis_patterns.yml decide on their own and never need
this model. The classifier only adds recall: people describe danger in more
ways than any list of patterns holds ("thinking about doing away with myself",
"hoping it's the long sleep this time"). It is a linear model over word and
character n-grams of the *normalised, idiom-masked* text, trained in a couple
of seconds when the detector is built, from:

* safety/classifier_examples/*.yml: labelled crisis and non-crisis messages;
* the assistant's own NLU data (data/): the ``crisis`` and ``crisis_not_safe``
  examples as crisis, every other example as not crisis.

Its threshold is set high so that it stays quiet on ordinary messages; the
corpus in tests/crisis_corpus/ is never used to train it, so the tests there
measure it honestly.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

import yaml

EXAMPLES_DIR = Path(__file__).with_name("classifier_examples")
NLU_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache"
CRISIS_NLU_INTENTS = ("crisis", "crisis_not_safe")
# Probability above which the classifier alone sends someone to the crisis route.
THRESHOLD = 0.9
REGULARISATION = 4.0


class CrisisClassifier:
    """Logistic regression over word 1-2-grams and character 2-5-grams."""

    def __init__(self, pipeline, threshold: float = THRESHOLD) -> None:
        self._pipeline = pipeline
        self.threshold = threshold
        self._compile()

    def _compile(self) -> None:
        """Copy the fitted weights into plain dicts: scoring one message then takes
        a fraction of a millisecond instead of sklearn's per-call overhead."""
        features = self._pipeline.named_steps["features"]
        model = self._pipeline.named_steps["model"]
        weights = model.coef_[0]
        self._intercept = float(model.intercept_[0])
        self._parts = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            vocabulary = vectorizer.vocabulary_
            idf = vectorizer.idf_
            table = {term: (float(idf[index]), float(weights[offset + index])) for term, index in vocabulary.items()}
            self._parts.append((vectorizer.build_analyzer(), table))
            offset += len(vocabulary)

    def __getstate__(self):
        return {"pipeline": self._pipeline, "threshold": self.threshold}

    def __setstate__(self, state):
        self._pipeline = state["pipeline"]
        self.threshold = state["threshold"]
        self._compile()

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[int], threshold: float = THRESHOLD) -> "CrisisClassifier":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline

        features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ]
        )
        model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000, solver="liblinear")
        pipeline = Pipeline([("features", features), ("model", model)])
        pipeline.fit(list(texts), list(labels))
        return cls(pipeline, threshold)

    def probability(self, prepared_text: str) -> float:
        """Probability that an already normalised and masked text is crisis language.

        Same result as the fitted pipeline's predict_proba: sublinear tf-idf,
        L2-normalised per feature set, then the logistic model.
        """
        score = self._intercept
        for analyzer, table in self._parts:
            counts: Dict[str, int] = {}
            for term in analyzer(prepared_text):
                if term in table:
                    counts[term] = counts.get(term, 0) + 1
            if not counts:
                continue
            values = [(1.0 + math.log(n)) * table[t][0] for t, n in counts.items()]
            norm = math.sqrt(sum(v * v for v in values)) or 1.0
            score += sum(v / norm * table[t][1] for v, t in zip(values, counts))
        return 1.0 / (1.0 + math.exp(-score))

    def fires(self, prepared_text: str) -> bool:
        return self.probability(prepared_text) >= self.threshold


def training_examples(examples_dir: Path = EXAMPLES_DIR, nlu_dir: Path = NLU_DATA_DIR) -> Tuple[List[str], List[int]]:
    """(texts, labels) from the classifier's own examples and the NLU data; 1 means crisis."""
    texts: List[str] = []
    labels: List[int] = []
    for path in sorted(examples_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        label = 1 if content.get("label") == "crisis" else 0
        for message in content.get("messages", []):
            texts.append(message["text"])
            labels.append(label)
    for path in sorted(nlu_dir.rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in content.get("nlu", []) or []:
            examples = [line[2:].strip() for line in (block.get("examples") or "").splitlines() if line.strip().startswith("- ")]
            label = 1 if block.get("intent") in CRISIS_NLU_INTENTS else 0
            texts.extend(examples)
            labels.extend([label] * len(examples))
    return texts, labels


def load_or_train(prepare: Callable[[str], str], fingerprint_parts: Iterable[str]) -> CrisisClassifier:
    """Train on the examples (a second or two), reusing a cached model when nothing changed."""
    texts, labels = training_examples()
    digest = hashlib.sha256()
    for part in list(fingerprint_parts) + texts + [str(labels), str(THRESHOLD), str(REGULARISATION)]:
        digest.update(part.encode("utf-8"))
    cache = CACHE_DIR / f"crisis-classifier-{digest.hexdigest()[:16]}.pkl"
    if cache.exists():
        try:
            with open(cache, "rb") as handle:
                return pickle.load(handle)
        except Exception:  # a stale or partial cache is simply rebuilt
            pass
    classifier = CrisisClassifier.train([prepare(t) for t in texts], labels)
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        with open(cache, "wb") as handle:
            pickle.dump(classifier, handle)
    except OSError:
        pass
    return classifier
