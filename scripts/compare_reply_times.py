"""Reply time over REST: this assistant against the same data trained with Rasa's default config.

Trains the baseline once (cached in .run/baseline/), then serves each model in
turn with the action server and sends the same messages to both: the held-out
NLU phrasings and part of the crisis corpus, each from a fresh conversation and
inside an ongoing one. Prints median and p95 per model. Slow (the baseline's
DIET and TED take several minutes to train), so it is not part of `make test`:
run `make compare-reply-times`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.rasa_servers import ActionServer, RasaServer  # noqa: E402

BASELINE_DIR = ROOT / ".run" / "baseline"
OURS = ROOT / "models" / "trd-assistant.tar.gz"


def baseline_model() -> Path:
    model = BASELINE_DIR / "models" / "baseline.tar.gz"
    if model.exists():
        return model
    import rasa.engine.recipes

    default = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    config = BASELINE_DIR / "config.yml"
    shutil.copy(default, config)
    print("Training the baseline with Rasa's default config (several minutes)...", flush=True)
    subprocess.run(
        [str(Path(sys.executable).with_name("rasa")), "train", "--config", str(config), "--domain", "domain.yml",
         "--data", "data", "--out", str(model.parent), "--fixed-model-name", "baseline"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    return model


def messages() -> List[str]:
    heldout = yaml.safe_load((ROOT / "tests" / "nlu_heldout.yml").read_text())
    texts = [line[2:].strip() for block in heldout["nlu"] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    crisis = yaml.safe_load((ROOT / "tests" / "crisis_corpus" / "crisis_messages.yml").read_text())["messages"]
    return texts + [m["text"] for m in crisis[:100]]


def measure(model: Path, texts: List[str], workdir: Path) -> List[float]:
    import tests.e2e.rasa_servers as servers

    servers.MODEL = model
    workdir.mkdir(parents=True, exist_ok=True)
    actions = ActionServer(workdir)
    actions.start()
    rasa = RasaServer(workdir, actions.port)
    rasa.start()
    timings = []
    try:
        ongoing = f"perf-{uuid.uuid4().hex}"
        for text in texts:
            for sender in (f"perf-{uuid.uuid4().hex}", ongoing):
                start = time.perf_counter()
                rasa.send(sender, text)
                timings.append((time.perf_counter() - start) * 1000)
    finally:
        rasa.stop()
        actions.stop()
    return sorted(timings)


def summary(name: str, timings: List[float]) -> str:
    p95 = timings[int(0.95 * len(timings)) - 1]
    return f"{name:<28} n={len(timings):<5} median {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    texts = messages()
    baseline = baseline_model()
    run_dir = ROOT / ".run" / "reply-times"
    ours = measure(OURS, texts, run_dir / "ours")
    theirs = measure(baseline, texts, run_dir / "baseline")
    print(summary("this assistant", ours))
    print(summary("Rasa default config", theirs))
    ours_p95, theirs_p95 = ours[int(0.95 * len(ours)) - 1], theirs[int(0.95 * len(theirs)) - 1]
    verdict = "no slower" if ours_p95 <= theirs_p95 else "SLOWER"
    print(f"p95: this assistant is {verdict} than the default config ({ours_p95:.1f} vs {theirs_p95:.1f} ms)")
    return 0 if ours_p95 <= theirs_p95 else 1


if __name__ == "__main__":
    sys.exit(main())
