"""Turn obfuscated chat text into plain forms that the crisis patterns can read.

People in distress type fast, misspell, use slang, and sometimes hide words on
purpose ("k1ll mys3lf", "s u i c i d e", "unalive", curly quotes, emoji). The
normaliser undoes those disguises so that one plainly written pattern catches
every spelling. It returns a few *variants* of the text (for example with "1"
read as "i" and as "l", and with stretched letters squeezed to one or to two)
because no single rewrite is right for every word.

Every table used here (emoji, word rewrites, fuzzy vocabulary) lives in
``crisis_patterns.yml`` under ``normalisation`` so it can be extended without
touching code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Tuple

# Characters that only disguise text: zero-width joiners, soft hyphens,
# variation selectors, bidi marks.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufe00-\ufe0f\ufeff]")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'", "\u2032": "'", "\uff07": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})

# Letters from other scripts that look like Latin ones ("ѕuісіdе").
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ո": "n",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ʟ": "l", "ɪ": "i", "ᴋ": "k", "ᴅ": "d", "ᴇ": "e", "ꜱ": "s", "ᴜ": "u", "ᴄ": "c", "ɴ": "n",
    "ᴍ": "m", "ʏ": "y", "ᴛ": "t", "ᴀ": "a", "ᴏ": "o", "ᴘ": "p", "ʜ": "h", "ᴡ": "w", "ɢ": "g", "ʀ": "r",
})

# Leetspeak read inside a word ("k1ll", "$uicide", "h@ng"). "1" and "|" are
# ambiguous (i or l), so each reading becomes its own variant.
_LEET_COMMON = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s", "!": "i", "+": "t", "€": "e", "£": "l"}
_LEET_ONE = ({"1": "i", "|": "l"}, {"1": "l", "|": "i"})

_CONTRACTIONS = (
    (re.compile(r"\b(can)'?t\b"), r"\1 not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bain'?t\b"), "am not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\b[o0]\.?d\.?'?(?:d|ed)\b"), "overdosed"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
)

_TOKEN = re.compile(r"\S+")
_WORD_EDGE_PUNCT = re.compile(r"^([^\w$@|€£]*)(.*?)([^\w]*)$", re.UNICODE)
_HAS_LETTER = re.compile(r"[a-z]")
_SHORT_DIGITS = re.compile(r"^[013457]{1,3}$")
_MIXED_LEET = re.compile(r"(?:[a-z][0-9@$!|]|[0-9@$!|][a-z])")
_LEET_CHARS = re.compile(r"[0-9@$!|+€£]")
# Runs of single letters split by spaces or punctuation: "k i l l", "s.u.i.c.i.d.e".
_SPACED_RUN = re.compile(r"(?<![a-z0-9])(?:[a-z](?:[\s.\-_*·•~,/\\]+|$)){3,}")
_SPLIT_LETTERS = re.compile(r"\b[a-z](?:[.\-_*·•~/\\]+[a-z]\b)+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")  # a letter typed three or more times
_NOT_TEXT = re.compile(r"[^a-z0-9\s~*.,!?;:]")
_PUNCT_RUN = re.compile(r"\s*[.,!?;:][.,!?;:\s]*")
_CORE = re.compile(r"^(.*?)([.,!?;:]*)$")
_SPACES = re.compile(r"\s+")


class Normaliser:
    """Rewrites a message into a small set of plain lower-case variants."""

    def __init__(
        self,
        emoji: Mapping[str, str],
        words: Mapping[str, str],
        fuzzy_vocabulary: Iterable[str],
        censored_words: Iterable[str] = (),
        number_words: Optional[Mapping[str, str]] = None,
        never_correct: Iterable[str] = (),
        function_words: Iterable[str] = (),
        pattern_words: Iterable[str] = (),
        is_english_word: Optional[Callable[[str], bool]] = None,
    ) -> None:
        self._emoji = dict(emoji)
        self._emoji_re = re.compile("|".join(re.escape(e) for e in sorted(self._emoji, key=len, reverse=True))) if self._emoji else None
        self._words = {str(k).lower(): str(v).lower() for k, v in words.items()}
        self._numbers = {str(k): str(v).lower() for k, v in (number_words or {}).items()}
        pattern_words = {w.lower() for w in pattern_words}
        blocked = {w.lower() for w in never_correct}
        long_words = {w for w in pattern_words if len(w) >= 5} | {w.lower() for w in fuzzy_vocabulary}
        self._fuzzy = _FuzzyVocabulary(
            long_words - blocked,
            short_words={w.lower() for w in censored_words} - blocked,
            known=pattern_words | blocked | {w.lower() for w in function_words},
            preferred={w.lower() for w in fuzzy_vocabulary},
            is_english_word=is_english_word,
        )
        self._censored = sorted({w.lower() for w in censored_words} | set(self._fuzzy.words), key=len)
        self._segmenter = _Segmenter(pattern_words | {w.lower() for w in function_words} | set(self._censored))

    def variants(self, text: str) -> List[str]:
        """Plain variants of ``text``; a pattern that matches any of them fires."""
        return list(self._variants(text or ""))

    @lru_cache(maxsize=4096)
    def _variants(self, text: str) -> Tuple[str, ...]:
        base = self._clean(text)
        readings: List[str] = []
        for leet_one in _LEET_ONE if ("1" in base or "|" in base) else _LEET_ONE[:1]:
            reading = self._unleet(base, leet_one)
            if reading not in readings:
                readings.append(reading)
        # In a message written in leetspeak, short all-digit words are letters too
        # ("n0t3 15 wr1tt3n": "15" is "is"); that reading is added, not substituted.
        if _MIXED_LEET.search(base):
            table = {**_LEET_COMMON, **_LEET_ONE[0]}
            decoded = " ".join(
                "".join(table.get(ch, ch) for ch in tok) if _SHORT_DIGITS.match(tok) else tok for tok in readings[0].split(" ")
            )
            if decoded not in readings:
                readings.append(decoded)
        # Text-speak numbers ("want 2 die") get a reading of their own, so that
        # "not eaten in 2 days" keeps its number in the other readings.
        if self._numbers and any(tok in self._numbers for tok in readings[0].split(" ")):
            readings.append(" ".join(self._numbers.get(tok, tok) for tok in readings[0].split(" ")))
        out: List[str] = []
        for reading in readings:
            readable = self._words_pass(self._uncensor(reading))
            stretches = {readable}
            if _STRETCHED.search(readable):
                stretches = {_STRETCHED.sub(r"\1", readable), _STRETCHED.sub(r"\1\1", readable)}
            for stretched in sorted(stretches):
                for variant in (stretched, self._fuzzy_pass(stretched)):
                    variant = self._words_pass(variant)
                    if variant not in out:
                        out.append(variant)
        return tuple(out)

    # -- steps ---------------------------------------------------------------
    def _clean(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        text = _INVISIBLE.sub("", text).translate(_APOSTROPHES)
        if self._emoji_re is not None:
            text = self._emoji_re.sub(lambda m: f" {self._emoji[m.group(0)]} ", text)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        text = text.translate(_HOMOGLYPHS).casefold()
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
        text = text.replace("'", "")
        text = _SPLIT_LETTERS.sub(lambda m: self._join_letters(m.group(0)), text)
        text = _SPACED_RUN.sub(lambda m: " " + self._join_letters(m.group(0)) + " ", text)
        return text

    def _join_letters(self, run: str) -> str:
        """"k i l l  m y s e l f" -> "kill myself": join letters, split words where the writer did."""
        words = [re.sub(r"[^a-z]", "", part) for part in re.split(r"\s{2,}|[/\\]", run)]
        return " ".join(self._segmenter.split(word) for word in words if word)

    @staticmethod
    def _unleet(text: str, leet_one: Dict[str, str]) -> str:
        table = {**_LEET_COMMON, **leet_one}
        # A lone "1" reads as "I" only in a message that uses leetspeak elsewhere.
        lone_one = leet_one["1"] if _MIXED_LEET.search(text) else None

        def fix(token: str) -> str:
            lead, core, trail = _WORD_EDGE_PUNCT.match(token).groups()  # type: ignore[union-attr]
            if core and _LEET_CHARS.search(core) and _HAS_LETTER.search(core):
                core = "".join(table.get(ch, ch) for ch in core)
            elif lead and lead[-1] in "$@" and core and _HAS_LETTER.search(core):
                lead, core = lead[:-1], table[lead[-1]] + core
            elif core == "1" and lone_one:
                core = lone_one
            return f"{lead}{core}{trail}"

        text = _TOKEN.sub(lambda m: fix(m.group(0)), text)
        text = _NOT_TEXT.sub(" ", text)
        # Sentence punctuation stays, glued to the word before it ("again, i"),
        # so patterns can tell where a clause ends.
        text = _PUNCT_RUN.sub(lambda m: m.group(0).strip()[0] + " ", text)
        return _SPACES.sub(" ", text).strip()

    def _uncensor(self, text: str) -> str:
        """Read a starred word ("k*ll", "su*c*de") as the vocabulary word it hides."""
        if "*" not in text:
            return text
        return " ".join(self._uncensor_token(tok) if "*" in tok else tok for tok in text.split(" "))

    @lru_cache(maxsize=4096)
    def _uncensor_token(self, token: str) -> str:
        stripped = token.strip("*")
        if not stripped or "*" not in stripped:
            return stripped
        shape = re.compile("^" + "[a-z]{0,2}".join(re.escape(part) for part in stripped.split("*")) + "$")
        for word in self._censored:
            if len(word) >= len(stripped.replace("*", "")) + 1 and shape.match(word):
                return word
        return stripped.replace("*", "")

    def _words_pass(self, text: str) -> str:
        words = self._words
        return _map_cores(text, lambda core: words.get(core, core))

    def _fuzzy_pass(self, text: str) -> str:
        return _map_cores(text, self._fuzzy.correct)


class _FuzzyVocabulary:
    """Corrects one-slip misspellings of the words the patterns are written in.

    Uses the symmetric-deletion trick (as in SymSpell): every word and every
    token is indexed by the strings left after deleting one letter, so a
    candidate is found with a few dictionary look-ups and then confirmed with
    an exact Damerau-Levenshtein distance (a swap of two letters counts as one).
    Tokens of five letters or more may be corrected into long pattern words;
    three- and four-letter tokens only by swapping two neighbouring letters
    ("slef" -> "self", "dei" -> "die"), so "will" never turns into "kill".
    Real English words ("having", "loving") are never corrected: the caller
    passes a dictionary check (pyspellchecker's word-frequency list), and
    ``never_correct`` lists any it misses.
    """

    def __init__(
        self,
        words: Iterable[str],
        short_words: Iterable[str] = (),
        known: Iterable[str] = (),
        preferred: Iterable[str] = (),
        is_english_word: Optional[Callable[[str], bool]] = None,
    ) -> None:
        self.words: FrozenSet[str] = frozenset(w for w in words if w.isalpha())
        self._is_english = is_english_word or (lambda word: False)
        self._known = frozenset(known) | self.words
        self._preferred = frozenset(preferred)
        self._short = {"".join(sorted(w)): w for w in short_words if 3 <= len(w) <= 4}
        self._short_words = frozenset(short_words)
        self._index: Dict[str, List[str]] = {}
        for word in self.words:
            for key in _deletions(word) | {word}:
                self._index.setdefault(key, []).append(word)

    @lru_cache(maxsize=16384)
    def correct(self, token: str) -> str:
        if token in self._known or token in self._short_words or not token.isalpha() or self._is_english(token):
            return token
        if len(token) < 5:
            return self._swap_fix(token)
        limit = 2 if len(token) >= 9 else 1
        candidates: Set[str] = set()
        for key in _deletions(token) | {token}:
            candidates.update(self._index.get(key, ()))
        best = None
        for word in sorted(candidates):
            if word[0] != token[0] or abs(len(word) - len(token)) > limit:
                continue
            distance = _damerau_levenshtein(token, word)
            # Ties: a doubled letter typed once too often ("controll"), then the
            # words we listed ourselves, then a dropped letter ("buring" ->
            # "burning") before a swapped-in one ("buying").
            squeezed_same = _squeeze(token) == _squeeze(word)
            edit_kind = 0 if len(word) > len(token) else 1 if len(word) < len(token) else 2
            rank = (distance, not squeezed_same, word not in self._preferred, edit_kind, word)
            if distance <= limit and (best is None or rank < best):
                best = rank
        return best[-1] if best else token

    def _swap_fix(self, token: str) -> str:
        word = self._short.get("".join(sorted(token)))
        if word and word != token and _damerau_levenshtein(token, word) == 1:
            return word
        return token


class _Segmenter:
    """Splits letters that were typed one by one back into words ("iselfharmed")."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._words = frozenset(w for w in vocabulary if w.isalpha())
        self._longest = max((len(w) for w in self._words), default=1)

    @lru_cache(maxsize=4096)
    def split(self, letters: str) -> str:
        if len(letters) <= 3 or letters in self._words:
            return letters
        n = len(letters)
        # best[i] = (unknown letters, words) for letters[:i]; fewer of both is better.
        best: List[Optional[Tuple[int, int, List[str]]]] = [None] * (n + 1)
        best[0] = (0, 0, [])
        for end in range(1, n + 1):
            for start in range(max(0, end - self._longest), end):
                prev = best[start]
                if prev is None:
                    continue
                piece = letters[start:end]
                known = piece in self._words
                if not known and len(piece) > 1:
                    continue
                cand = (prev[0] + (0 if known else 1), prev[1] + 1, prev[2] + [piece])
                if best[end] is None or cand[:2] < best[end][:2]:  # type: ignore[index]
                    best[end] = cand
        result = best[n]
        if result is None or result[0] > 1:
            return letters
        return " ".join(result[2])


def _map_cores(text: str, fn) -> str:
    """Apply ``fn`` to each word of ``text``, keeping punctuation glued after it."""
    out = []
    for tok in text.split(" "):
        core, punct = _CORE.match(tok).groups()  # type: ignore[union-attr]
        out.append(fn(core) + punct if core else tok)
    return " ".join(out)


def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _deletions(word: str) -> set:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _damerau_levenshtein(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]

