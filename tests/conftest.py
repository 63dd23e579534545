"""Shared fixtures: the real domain, trackers built from dicts, and a figures report.

Figures (recall, false positives, speed, accuracy) that tests record with the
`figures` fixture are printed at the end of every pytest run, so `make test`
shows them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
_FIGURES: List[str] = []


@pytest.fixture(scope="session")
def figures():
    """Record a line for the end-of-run summary."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _FIGURES:
        terminalreporter.write_sep("=", "figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The domain as the action server receives it: domain.yml merged with the FAQ answers in data/."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"),
        domain_path=str(ROOT / "domain.yml"),
        training_data_paths=[str(ROOT / "data")],
    )
    return importer.get_domain().as_dict()


def user_event(text: str, intent: str, metadata: Optional[Dict[str, Any]] = None, **parse: Any) -> Dict[str, Any]:
    """A user event as the action server sees it."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [], **parse},
        "metadata": metadata or {},
    }


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
    **parse: Any,
):
    """A rasa_sdk Tracker built from plain dicts."""
    from rasa_sdk import Tracker

    latest = user_event(text, intent, metadata, **parse)
    all_events = list(events or []) + [latest]
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message=latest["parse_data"] | {"metadata": latest["metadata"]},
        events=all_events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
