"""Held-out NLU check: intent and answer-selection accuracy on phrasings never used in training.

Runs `rasa test nlu` on tests/nlu_heldout.yml, prints both accuracies and the
misclassified examples, and exits non-zero when either is below its floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 0.95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models/trd-assistant.tar.gz")
    parser.add_argument("--data", default="tests/nlu_heldout.yml")
    parser.add_argument("--out", default="results/nlu_heldout")
    parser.add_argument("--floor", type=float, default=FLOOR)
    args = parser.parse_args()

    rasa = Path(sys.executable).with_name("rasa")
    subprocess.run(
        [str(rasa), "test", "nlu", "--model", args.model, "--nlu", args.data, "--out", args.out, "--no-plot"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    out = ROOT / args.out
    intents = json.loads((out / "intent_report.json").read_text())
    selection = json.loads((out / "response_selection_report.json").read_text())
    intent_accuracy = intents["accuracy"]
    selection_accuracy = selection["accuracy"]

    errors = json.loads((out / "intent_errors.json").read_text()) if (out / "intent_errors.json").exists() else []
    rs_errors_path = out / "response_selection_errors.json"
    rs_errors = json.loads(rs_errors_path.read_text()) if rs_errors_path.exists() else []
    for error in errors:
        print(f"  intent   {error['intent']:<28} -> {error['intent_prediction']['name']:<28} | {error['text']}")
    for error in rs_errors:
        predicted = error.get("response_prediction", {}).get("intent_response_key")
        print(f"  answer   {error.get('intent_response_key_target'):<40} -> {predicted} | {error['text']}")

    n_intent = intents.get("weighted avg", {}).get("support", 0)
    n_selection = selection.get("weighted avg", {}).get("support", 0)
    print(f"Held-out intent accuracy:            {intent_accuracy:.3f} ({n_intent} examples, floor {args.floor})")
    print(f"Held-out response-selection accuracy: {selection_accuracy:.3f} ({n_selection} examples, floor {args.floor})")
    ok = intent_accuracy >= args.floor and selection_accuracy >= args.floor
    if not ok:
        print("Held-out NLU accuracy is below the floor.", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
