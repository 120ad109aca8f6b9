#!/usr/bin/env bash
# Runs schemathesis (from PyPI, in a cached venv) against a live server on the demo store, with
# a token, bounded, every check on; exits non-zero on any failure. Called by `make test`.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]
#
# Needs ORT_DYLIB_PATH (the Makefile exports it). The server is the test profile's build (the
# one `cargo test` just made for the crash test), so no second optimised build is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${1:-50}"
SCHEMATHESIS_VERSION="4.32.5"
VENV=".cache/schemathesis-venv"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --profile test --locked -p blueprint-server --quiet
work="$(mktemp -d)"
cleanup() {
    if [[ -n "${server_pid:-}" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The server's deadline (8 s) stays under schemathesis' response-time limit (10 s, one of
# `--checks all`): a request for 10,000 nulls on a loaded machine answers 503
# deadline_exceeded rather than a late 200.
token="schemathesis-$(date +%s%N)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUST_LOG=warn target/debug/blueprint-server serve \
    --bind "127.0.0.1:$port" \
    --database-url "sqlite://$work/schemathesis.db" \
    --token "$token" \
    --request-timeout 8 \
    > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/api/v1/readyz" > /dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "schemathesis: the server did not start" >&2; exit 1; fi
    sleep 0.2
done

echo "schemathesis $SCHEMATHESIS_VERSION: every operation, $MAX_EXAMPLES examples, all checks, against 127.0.0.1:$port"
status=0
"$VENV/bin/schemathesis" --config-file schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --generation-deterministic \
    --header "Authorization: Bearer $token" \
    --request-timeout 30 \
    --workers 1 \
    --no-color || status=$?
if [[ $status -ne 0 ]]; then
    echo "--- server log (last 40 lines) ---"
    tail -n 40 "$work/server.log"
fi
exit $status
