"""Reading the answers people type into the guided flows.

Plain functions, no Rasa: each takes the raw text and returns a normalised
value, or None when the answer can't be used (the form then asks again with
examples). They are deliberately forgiving ("a couple", "idk", "yeah I think
so") and deliberately strict about nonsense ("-1", a 10,000-character paste).
"""

from __future__ import annotations

import re
from typing import List, Optional

YES, NO, NOT_SURE = "yes", "no", "not_sure"
SKIP = "skip"
MAX_ANSWER_CHARS = 300
MAX_PLAUSIBLE_COUNT = 30
IMPLAUSIBLE = "implausible"

_NOT_SURE = re.compile(
    r"\b(not sure|unsure|idk|i\s*d\s*k|dont know|don'?t know|do not know|dunno|no idea|maybe|perhaps|"
    r"can'?t remember|cannot remember|can not remember|don'?t remember|not certain|hard to say|"
    r"kind of|kinda|sort of|partly|some of them|some were|not all|not always|mixed|unclear|possibly|"
    r"no clue|can'?t recall|not really sure)\b"
)
_NO = re.compile(
    r"^(no|nope|nah|nay|n|not really|never|negative|not at all|no way|none)\b|"
    r"\b(i didn'?t|i did not|i haven'?t|i have not|wasn'?t|was not|weren'?t|were not|i don'?t think so|"
    r"i do not think so|i'?m not|i am not|not at the moment|not currently|not right now|hardly ever)\b"
)
_YES = re.compile(
    r"^(yes|yeah|yea|yep|yup|ya|y|sure|ok|okay|correct|right|definitely|absolutely|of course|affirmative|"
    r"i think so|mostly|always|every time|true)\b|"
    r"\b(i did|i have|they were|it was|i am|i'?m in|i do|i see a|i'?m seeing|i go to|yes)\b"
)

_NUMBER_WORDS = {
    "zero": 0, "none": 0, "nothing": 0, "no": 0, "nil": 0,
    "one": 1, "single": 1, "once": 1,
    "two": 2, "couple": 2, "pair": 2, "both": 2, "twice": 2,
    "three": 3, "few": 3, "several": 3, "many": 3, "lots": 3, "loads": 3, "multiple": 3, "bunch": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}
_NONE_YET = re.compile(
    r"\b(none( yet| so far)?|not (any|one)( yet)?|haven'?t (tried|taken|had) any|have not (tried|taken|had) any|"
    r"never (tried|taken|been on)|no (antidepressants|meds|medication|medicines|pills)|not yet|zero)\b"
)

TRIAL_DIRECTIONS = (
    ("rapid_acting_treatments", r"rapid|fast|quick|ketamine|esketamine|glutamate|nasal|infusion|neurochemical"),
    ("brain_stimulation", r"stimulation|stimulat|tms|dbs|tdcs|magnetic|electrical|deep brain|current"),
    ("precision_psychiatry", r"precision|genetic|gene|biomarker|imaging|scan|personali[sz]ed|tailored"),
    ("inflammation_therapies", r"inflamm|immune|anti-?inflammatory|autoimmune"),
    ("combination_trials", r"combination|combined|combining|together|digital|app|psychotherapy|talking therapy"),
)
_ALL_DIRECTIONS = re.compile(r"\b(all|everything|every one|any|all of them|each|both)\b")
_SKIP = re.compile(
    r"^(skip|no|nope|none|n/?a|rather not|prefer not|i'?d rather not|not sure|nowhere|anywhere|"
    r"don'?t know|dont know|idk|pass|later|no thanks|not now)\b"
)
_PLACE_CHARS = re.compile(r"[^\w\s,.'\-]", re.UNICODE)
_MEDICINES = re.compile(r"\b(antidepressants?|medications?|medicines?|meds|pills|tablets|tried)\b")
_CORRECTION = re.compile(r"\b(actually|sorry|i meant|meant|correction|wait|it was|it is|make that|oops|not (one|two|three|four|five|\d+))\b")
MAX_PLAIN_ANSWER_WORDS = 6


def _clean(text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    text = text.strip().lower().replace("\u2019", "'")
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    return text


def parse_yes_no(text: Optional[str]) -> Optional[str]:
    """"yes", "no" or "not_sure" from a free-text answer, or None."""
    answer = _clean(text)
    if answer is None:
        return None
    answer = answer.lstrip("/")
    if answer in ("affirm",):
        return YES
    if answer in ("deny",):
        return NO
    if answer in ("unsure", "not_sure"):
        return NOT_SURE
    if _NOT_SURE.search(answer):
        return NOT_SURE
    if _NO.search(answer):
        return NO
    if _YES.search(answer):
        return YES
    return None


def parse_count(text: Optional[str]) -> Optional[str]:
    """How many antidepressants: "0".."30", "not_sure", IMPLAUSIBLE, or None if unreadable."""
    answer = _clean(text)
    if answer is None:
        return None
    if re.search(r"-\s*\d", answer):
        return None
    if _NOT_SURE.search(answer) and not re.search(r"\d", answer):
        return NOT_SURE
    numbers = [int(n) for n in re.findall(r"\d+", answer)]
    if numbers:
        smallest = min(numbers)
        return IMPLAUSIBLE if smallest > MAX_PLAUSIBLE_COUNT else str(smallest)
    if _NONE_YET.search(answer):
        return "0"
    words = re.findall(r"[a-z]+", answer)
    found = [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]
    if "just" in words and "one" in words:
        return "1"
    if found:
        return str(min(found))
    if re.search(r"\b(a|an|the|just the|only the) (antidepressant|med|medication|medicine|pill)\b", answer):
        return "1"
    return None


def parse_trial_interests(text: Optional[str]) -> Optional[List[str]]:
    """Which of the article's five trial directions an answer names (all five for "all"/"not sure")."""
    answer = _clean(text)
    if answer is None:
        return None
    picked = [key for key, pattern in TRIAL_DIRECTIONS if re.search(pattern, answer)]
    if picked:
        return picked
    if _ALL_DIRECTIONS.search(answer) or _NOT_SURE.search(answer):
        return [key for key, _ in TRIAL_DIRECTIONS]
    return None


def parse_location(text: Optional[str]) -> Optional[str]:
    """A place name safe to echo and put in a link, SKIP, or None if unusable."""
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        return None
    if _SKIP.search(raw.lower()):
        return SKIP
    if len(raw) > 80:
        return None
    place = re.sub(r"\s+", " ", _PLACE_CHARS.sub(" ", raw)).strip(" ,.-'")
    for prefix in ("i'm in ", "im in ", "i am in ", "i live in ", "in ", "near ", "around "):
        if place.lower().startswith(prefix):
            place = place[len(prefix):]
    if len(place) < 2 or not re.search(r"[^\W\d_]", place):
        return None
    return place[:60]


def is_plain_answer(text: Optional[str]) -> bool:
    """A short statement ("actually three", "yeah"), not a question: safe to take as an answer."""
    answer = _clean(text)
    return answer is not None and "?" not in answer and len(answer.split()) <= MAX_PLAIN_ANSWER_WORDS


def count_correction(text: Optional[str]) -> Optional[str]:
    """The new count in a correction ("actually I've tried three antidepressants", "sorry, three not two")."""
    answer = _clean(text)
    if answer is None or not (_MEDICINES.search(answer) or _CORRECTION.search(answer)):
        return None
    # "three not two": the number being taken back doesn't count
    parsed = parse_count(re.sub(r"\b(not|instead of|rather than) (one|two|three|four|five|six|\d+)\b", " ", answer))
    return parsed if parsed is not None and parsed.isdigit() else None
