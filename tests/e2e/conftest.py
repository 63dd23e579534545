"""Session-wide servers for the end-to-end tests."""

from __future__ import annotations

import pytest

from tests.e2e.rasa_servers import MODEL, ActionServer, RasaServer


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"No model at {MODEL}: run `make train` (make test does it for you).")
    workdir = tmp_path_factory.mktemp("rasa")
    actions = ActionServer(workdir)
    actions.start()
    rasa = RasaServer(workdir, actions.port)
    rasa.start()
    yield rasa, actions
    rasa.stop()
    actions.stop()
