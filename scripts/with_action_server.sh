#!/usr/bin/env bash
# Start the action server in the background, wait until it answers, run the
# given command, and stop the action server when the command ends (also on Ctrl-C).
#   scripts/with_action_server.sh rasa shell
set -euo pipefail
cd "$(dirname "$0")/.."

port="${ACTION_PORT:-5055}"
mkdir -p .run
log=".run/action-server.log"

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions --port "$port" >"$log" 2>&1 &
actions_pid=$!
cleanup() { kill "$actions_pid" 2>/dev/null || true; wait "$actions_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "The action server did not start; see $log" >&2; exit 1
  fi
  sleep 0.5
done
echo "Action server running on port $port (log: $log)."

"$@"
