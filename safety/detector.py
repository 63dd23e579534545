"""Deterministic crisis-language detector.

Plain Python, no learned model: a message fires when one of the patterns in
``crisis_patterns.yml`` matches one of its normalised variants (see
``normalise.py``) after denials ("I'm not suicidal") and idioms ("the queue is
killing me") are masked out. The result names the category that fired, never
the words, so callers can log it without logging what the person wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Pattern, Tuple

import yaml

from safety.normalise import Normaliser

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")

THIRD_PARTY = "third_party"
# Category reported when only the classifier recognised crisis language.
UNSPECIFIED = "unspecified"
CLASSIFIER_ID = "classifier"

# When a message matches several categories, the most urgent one is reported.
CATEGORY_PRIORITY: Tuple[str, ...] = (
    "attempt_or_overdose",
    "plan_or_preparation",
    "harm_to_others",
    "psychosis_or_agitation",
    "self_harm",
    "suicidal_thoughts",
    "passive_death_wish",
    "unable_to_self_care",
    THIRD_PARTY,
)

_MACRO = re.compile(r"<([a-z_]+)>")
# Plain words inside patterns (not regex escapes such as \w or \b).
_LITERAL_WORD = re.compile(r"(?<![\\a-z])[a-z]{2,}")
_MASK = " ~ "
_WORD_START = r"(?<![a-z0-9])"
_WORD_END = r"(?![a-z0-9])"
# A word seen at least this often in pyspellchecker's English frequency list is
# treated as a real word and never "corrected" ("loosing", seen 50 times, is
# still read as a slip for "losing").
COMMON_WORD_MIN_COUNT = 100


@dataclass(frozen=True)
class CrisisMatch:
    """What fired: the category, and for a third-party report the inner category."""

    category: str
    pattern_id: str
    about_someone_else: bool = False

    @property
    def is_third_party(self) -> bool:
        return self.category == THIRD_PARTY


class CrisisDetector:
    """Finds crisis language in a message; build once, call ``detect`` per message."""

    def __init__(self, spec: Dict, use_classifier: bool = True) -> None:
        macros = _expand_macros(spec.get("macros", {}))
        literal_words = {w for _, p in iter_patterns(spec) for w in _LITERAL_WORD.findall(p)}
        literal_words |= {w for m in spec.get("macros", {}).values() for w in _LITERAL_WORD.findall(str(m))}
        self._normaliser = Normaliser(
            **spec.get("normalisation", {}), pattern_words=literal_words, is_english_word=_english_dictionary()
        )
        masks = list(spec.get("negations", [])) + list(spec.get("idioms", []))
        self._mask_re: Pattern[str] = re.compile(_WORD_START + "(?:" + "|".join(f"(?:{_prepare(p, macros)}){_WORD_END}" for p in masks) + ")")
        self._categories: List[Tuple[str, Pattern[str], List[str]]] = []
        categories = spec["categories"]
        unknown = set(categories) - set(CATEGORY_PRIORITY)
        if unknown:
            raise ValueError(f"Unknown crisis categories in pattern file: {sorted(unknown)}")
        for name in CATEGORY_PRIORITY:
            patterns = categories.get(name, {}).get("patterns", [])
            if not patterns:
                raise ValueError(f"Crisis category '{name}' has no patterns")
            ids = [f"{name}[{i}]" for i in range(len(patterns))]
            # The word-start check is shared by every alternative, so the engine
            # rejects a position inside a word once instead of once per pattern.
            combined = _WORD_START + "(?:" + "|".join(f"(?P<p{i}>{_prepare(p, macros)}){_WORD_END}" for i, p in enumerate(patterns)) + ")"
            self._categories.append((name, re.compile(combined), ids))
        cues = spec.get("third_party_cues", {})
        self._first_person = re.compile(rf"^(?:{_prepare(cues['first_person'], macros)})$")
        self._other_person = re.compile(rf"^(?:{_prepare(cues['other_person'], macros)})$")
        self._window = int(cues.get("window_words", 8))
        self._classifier = None
        if use_classifier:
            from safety.classifier import load_or_train

            self._classifier = load_or_train(self.prepare, [yaml.safe_dump(spec)])

    @classmethod
    def from_file(cls, path: Path = PATTERNS_FILE, use_classifier: bool = True) -> "CrisisDetector":
        with open(path, encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle), use_classifier=use_classifier)

    def prepare(self, text: str) -> str:
        """The normalised, idiom-masked reading of a message that the classifier sees."""
        variants = self._normaliser.variants(text or "")
        return self._mask(variants[0]) if variants else ""

    def detect(self, text: Optional[str]) -> Optional[CrisisMatch]:
        """The most urgent crisis category in ``text``, or None.

        The pattern rules decide first; the classifier is asked only when no rule fired.
        """
        match = self.detect_by_rules(text)
        if match is not None or self._classifier is None or not text or not text.strip():
            return match
        prepared = self.prepare(text)
        if not self._classifier.fires(prepared):
            return None
        someone_else = self._names_only_someone_else(prepared)
        return CrisisMatch(
            category=THIRD_PARTY if someone_else else UNSPECIFIED,
            pattern_id=CLASSIFIER_ID,
            about_someone_else=someone_else,
        )

    def detect_by_rules(self, text: Optional[str]) -> Optional[CrisisMatch]:
        """The pattern rules alone (no learned model)."""
        if not text or not text.strip():
            return None
        for variant in self._normaliser.variants(text):
            masked = self._mask(variant)
            for name, pattern, ids in self._categories:
                match = pattern.search(masked)
                if match is None:
                    continue
                pattern_id = ids[int(match.lastgroup[1:])]  # type: ignore[index]
                someone_else = name == THIRD_PARTY or self._about_someone_else(masked, match)
                category = THIRD_PARTY if someone_else else name
                return CrisisMatch(category=category, pattern_id=pattern_id, about_someone_else=someone_else)
        return None

    def _mask(self, text: str) -> str:
        return self._mask_re.sub(_MASK, text)

    def _names_only_someone_else(self, text: str) -> bool:
        words = text.split()
        return any(self._other_person.match(w) for w in words) and not any(self._first_person.match(w) for w in words)

    def _about_someone_else(self, text: str, match: "re.Match[str]") -> bool:
        """True when the words closest before the match name another person, not the writer."""
        inside = match.group(0).split()
        if any(self._first_person.match(w) for w in inside):
            return False
        if any(w in ("himself", "herself", "themselves", "themself") for w in inside):
            return True
        before = text[: match.start()].split()[-self._window :]
        for word in reversed(before):
            if self._first_person.match(word):
                return False
            if self._other_person.match(word):
                return True
        return False


def _english_dictionary() -> Callable[[str], bool]:
    """A check for common English words, so typo correction never rewrites a real word."""
    from spellchecker import SpellChecker

    frequency = SpellChecker(language="en", distance=1).word_frequency
    return lambda word: frequency[word] >= COMMON_WORD_MIN_COUNT if word in frequency else False


def _expand_macros(raw: Dict[str, str]) -> Dict[str, str]:
    expanded: Dict[str, str] = {}

    def expand(name: str, seen: Tuple[str, ...] = ()) -> str:
        if name in expanded:
            return expanded[name]
        if name in seen:
            raise ValueError(f"Macro <{name}> refers to itself")
        if name not in raw:
            raise ValueError(f"Unknown macro <{name}>")
        value = _MACRO.sub(lambda m: expand(m.group(1), seen + (name,)), str(raw[name]))
        expanded[name] = f"(?:{value})"
        return expanded[name]

    for key in raw:
        expand(key)
    return expanded


def _prepare(pattern: str, macros: Dict[str, str]) -> str:
    """Expand macros, let a space match any run of spaces (or none), make groups non-capturing.

    The caller adds the word-boundary checks around the result."""

    def macro(m: "re.Match[str]") -> str:
        if m.group(1) not in macros:
            raise ValueError(f"Unknown macro <{m.group(1)}> in pattern {pattern!r}")
        return macros[m.group(1)]

    text = _MACRO.sub(macro, str(pattern))
    text = re.sub(r"\((?!\?)", "(?:", text)
    # A run of word characters must end at the end of a word, so "my \w+ od"
    # cannot read "my mood" as "my mo od".
    text = re.sub(r"\\w([+*])", r"\\w\1(?![a-z0-9])", text)
    return _spaces(text)


def _spaces(pattern: str) -> str:
    """A space matches any run of spaces or none ("kill myself" also reads "killmyself"),
    except inside a lookahead or lookbehind, where it must be a real space: otherwise
    "(?! a |on the)" would also refuse "again" or "online"."""
    out: List[str] = []
    lookaround_depths: List[int] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "(":
            depth += 1
            if pattern.startswith(("(?!", "(?=", "(?<!", "(?<="), i):
                lookaround_depths.append(depth)
        elif char == ")":
            if lookaround_depths and lookaround_depths[-1] == depth:
                lookaround_depths.pop()
            depth -= 1
        if char == " ":
            out.append(r"\s+" if lookaround_depths else r"\s*")
        else:
            out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    """The detector built from the project's pattern file (loaded once per process)."""
    return CrisisDetector.from_file()


def detect(text: Optional[str]) -> Optional[CrisisMatch]:
    """Shortcut for ``default_detector().detect(text)``."""
    return default_detector().detect(text)



def iter_patterns(spec: Dict) -> Iterable[Tuple[str, str]]:
    """Every (category, pattern) pair in a pattern spec, for lint-style tests."""
    for name, body in spec.get("categories", {}).items():
        for pattern in body.get("patterns", []):
            yield name, pattern
