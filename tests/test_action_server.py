"""The action server offers exactly the custom actions the domain lists."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.guided_flows import ActionTrialCheckIntro, flow_text
from tests.conftest import make_tracker

DEFAULT_ACTIONS_WE_OVERRIDE = {"action_default_ask_affirmation"}


def test_registered_actions_match_the_domain(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {a for a in domain["actions"] if a.startswith(("action_", "validate_"))}
    assert set(executor.actions) == custom | DEFAULT_ACTIONS_WE_OVERRIDE


def test_trial_check_intro_names_the_cautions(domain):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionTrialCheckIntro().run(dispatcher, make_tracker(intent="start_trial_check"), domain))
    text = dispatcher.messages[0]["text"]
    assert text == flow_text()["trial_check"]["intro"] and events == []
    for fact in ("placebo", "not every experimental treatment works", "eligibility", "supervised", "clinician"):
        assert fact in text
