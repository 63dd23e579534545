#!/usr/bin/env bash
# Serve the web chat page with the assistant behind it (what `make web` runs):
#   - the action server                       (127.0.0.1:$ACTION_PORT)
#   - the Rasa server: socket.io + REST channels, HTTP API off, CORS limited to
#     the page's own origin                    ($RASA_HOST:$RASA_PORT)
#   - web/ over HTTP with python -m http.server ($WEB_HOST:$WEB_PORT)
# Ctrl-C stops all three. Logs go to .run/web-*.log.
#
# Settings (environment variables):
#   WEB_HOST=127.0.0.1  WEB_PORT=8080   where the page is served
#   RASA_HOST=127.0.0.1 RASA_PORT=5005  where the Rasa server listens (the page
#                                       looks for it on its own host, port 5005;
#                                       another port is passed as ?server=...)
#   ACTION_PORT=5055                    the action server (always on 127.0.0.1)
#   MODEL=models/trd-assistant.tar.gz   the trained model
#   TRACKER_DB=tracker.db               SQLite file that keeps conversations
#   CORS_ORIGINS="http://..."           page origins allowed to talk to the Rasa
#                                       server (default: the page's own origin)
set -euo pipefail
cd "$(dirname "$0")/.."

WEB_HOST="${WEB_HOST:-127.0.0.1}"
WEB_PORT="${WEB_PORT:-8080}"
RASA_HOST="${RASA_HOST:-127.0.0.1}"
RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
MODEL="${MODEL:-models/trd-assistant.tar.gz}"
TRACKER_DB="${TRACKER_DB:-tracker.db}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

# ------------------------------------------------------------ prerequisites
missing=0
if [ ! -x .venv/bin/rasa ] || [ ! -x .venv/bin/python ]; then
  echo "Missing: the Python environment (.venv). Run: make install" >&2; missing=1
fi
if [ ! -f "$MODEL" ]; then
  echo "Missing: the trained model ($MODEL). Run: make train" >&2; missing=1
fi
if [ ! -f web/node_modules/rasa-webchat/lib/index.js ]; then
  echo "Missing: the chat widget (web/node_modules). Run: (cd web && npm ci)" >&2; missing=1
fi
if [ "$missing" -ne 0 ]; then
  echo "(make web does all of this for you.)" >&2
  exit 1
fi

port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for spec in "127.0.0.1:$ACTION_PORT:action server" "$RASA_HOST:$RASA_PORT:Rasa server" "$WEB_HOST:$WEB_PORT:web page"; do
  IFS=: read -r host port what <<<"$spec"
  probe_host="$host"; [ "$probe_host" = "0.0.0.0" ] && probe_host=127.0.0.1
  if port_busy "$probe_host" "$port"; then
    echo "Port $port (for the $what) is already in use. Stop what uses it, or pick another port, e.g. WEB_PORT=8081 RASA_PORT=5006 ACTION_PORT=5056." >&2
    exit 1
  fi
done

# The address a person opens, and the origin the Rasa server accepts.
page_host="$WEB_HOST"; [ "$page_host" = "0.0.0.0" ] && page_host=127.0.0.1
page_url="http://$page_host:$WEB_PORT/"
if [ -z "${CORS_ORIGINS:-}" ]; then
  CORS_ORIGINS="http://$page_host:$WEB_PORT"
  [ "$page_host" = "127.0.0.1" ] && CORS_ORIGINS="$CORS_ORIGINS http://localhost:$WEB_PORT"
fi
if [ "$RASA_PORT" != "5005" ] || { [ "$RASA_HOST" != "$page_host" ] && [ "$RASA_HOST" != "0.0.0.0" ]; }; then
  rasa_url_host="$RASA_HOST"; [ "$rasa_url_host" = "0.0.0.0" ] && rasa_url_host="$page_host"
  page_url="${page_url}?server=http://$rasa_url_host:$RASA_PORT"
fi

mkdir -p .run
endpoints=".run/web-endpoints.yml"
cat >"$endpoints" <<EOF
# Written by scripts/serve_web.sh: the action server it starts, the tracker store of endpoints.yml.
action_endpoint:
  url: "http://127.0.0.1:$ACTION_PORT/webhook"
tracker_store:
  type: SQL
  dialect: sqlite
  db: $TRACKER_DB
EOF

# ------------------------------------------------------------ processes
pids=()
names=()
cleanup() {
  trap - EXIT INT TERM
  if [ "${#pids[@]}" -gt 0 ]; then
    echo
    echo "Stopping the web page, the Rasa server and the action server..."
    # Each runs in its own process group (setsid below): stop the whole group.
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {  # start NAME LOG COMMAND...
  # setsid: Ctrl-C reaches this script only, which then stops the servers in order.
  local name="$1" log="$2"; shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  pids+=("$!")
  names+=("$name")
}

alive() { kill -0 "${pids[$1]}" 2>/dev/null; }

fail() {  # fail INDEX LOG MESSAGE
  echo "$3; the last lines of $2:" >&2
  tail -n 30 "$2" >&2 || true
  exit 1
}

echo "Starting the action server on 127.0.0.1:$ACTION_PORT (log: .run/web-action-server.log)..."
start "action server" .run/web-action-server.log \
  env SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions --port "$ACTION_PORT"
for _ in $(seq 1 240); do
  alive 0 || fail 0 .run/web-action-server.log "The action server stopped"
  if .venv/bin/python - "$ACTION_PORT" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2)
PY
  then break; fi
  sleep 0.5
done

echo "Starting the Rasa server on $RASA_HOST:$RASA_PORT (log: .run/web-rasa-server.log); loading the model takes a moment..."
# shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
start "Rasa server" .run/web-rasa-server.log \
  .venv/bin/rasa run --model "$MODEL" --endpoints "$endpoints" --credentials credentials.yml \
  --interface "$RASA_HOST" --port "$RASA_PORT" --cors $CORS_ORIGINS
ready=0
for _ in $(seq 1 600); do
  alive 1 || fail 1 .run/web-rasa-server.log "The Rasa server stopped"
  if grep -q "Rasa server is up and running" .run/web-rasa-server.log 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
[ "$ready" -eq 1 ] || fail 1 .run/web-rasa-server.log "The Rasa server did not finish loading in 5 minutes"

echo "Serving web/ on $WEB_HOST:$WEB_PORT (log: .run/web-static.log)..."
start "web server" .run/web-static.log \
  .venv/bin/python -m http.server "$WEB_PORT" --bind "$WEB_HOST" --directory web
sleep 0.5
alive 2 || fail 2 .run/web-static.log "The web server stopped"

echo
echo "  The chat page is at: $page_url"
echo "  (Rasa server accepts pages from: $CORS_ORIGINS)"
echo "  Press Ctrl-C to stop everything."
echo

# Stop everything when any one of the three stops.
while alive 0 && alive 1 && alive 2; do sleep 1; done
for i in 0 1 2; do
  if ! alive "$i"; then echo "The ${names[$i]} stopped; see .run/web-*.log." >&2; fi
done
exit 1
