"""The topic catalogue: a human title for each question the assistant can answer.

The title of a topic is the first example of its intent in the NLU data
(data/faq/<topic>.yml, data/nlu/*.yml), so an editor renames a topic by editing
that line; nothing here needs to change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def canonical_questions(data_dir: Path = DATA_DIR) -> Dict[str, str]:
    """Map intent name (``faq/what_is_trd``, ``start_trd_check``) to its first example."""
    titles: Dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            content = yaml.safe_load(handle) or {}
        for block in content.get("nlu", []) or []:
            intent, examples = block.get("intent"), block.get("examples")
            if not intent or not examples or intent in titles:
                continue
            first = next((line[2:].strip() for line in examples.splitlines() if line.strip().startswith("- ")), None)
            if first:
                titles[intent] = first
    return titles


def title_for(intent: str) -> Optional[str]:
    """The canonical question for an intent, if the data has one."""
    return canonical_questions().get(intent)


def payload_for(intent: str) -> str:
    """The button payload that triggers an intent exactly ("/faq/<topic>" for FAQ answers)."""
    return f"/{intent}"
