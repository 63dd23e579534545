"""Start and stop a real Rasa server and action server for end-to-end tests.

Each test session gets its own ports, tracker database and endpoints file in a
temporary folder, so it never touches a developer's running assistant.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "trd-assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            # the action server (Sanic) listens on loopback only
            "SANIC_HOST": "127.0.0.1",
        }
    )
    return env


def _stop(process: Optional[subprocess.Popen]) -> None:
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _wait(url: str, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s; log:\n{log.read_text()[-3000:]}")


class ActionServer:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "action-server.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(self.port)],
            cwd=ROOT, env=_env(), stdout=open(self.log, "a"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        _wait(f"http://127.0.0.1:{self.port}/health", 120, self.process, self.log)

    def stop(self) -> None:
        _stop(self.process)
        self.process = None


class RasaServer:
    """`rasa run` with the REST and socket.io channels, HTTP API off; CORS for one origin if given.

    The port is fixed at creation, so the server can be stopped and started again
    on it (a page can watch the assistant go away and come back).
    """

    def __init__(self, workdir: Path, action_port: int, cors_origin: Optional[str] = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cors_origin = cors_origin
        self.log = workdir / "rasa-server.log"
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n"
        )
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(self.endpoints),
                "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1", "--port", str(self.port),
            ] + (["--cors", self.cors_origin] if self.cors_origin else []),
            cwd=ROOT, env=_env(), stdout=open(self.log, "a"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        _wait(f"http://127.0.0.1:{self.port}/", 300, self.process, self.log)
        # The model loads after the HTTP server is up: wait for a real reply.
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                if self.send("warmup", "hi"):
                    return
            except Exception:
                pass
            time.sleep(1)
        raise RuntimeError("Rasa server never answered; log:\n" + self.log.read_text()[-3000:])

    def send(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text, "metadata": metadata or {}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        _stop(self.process)
        self.process = None
