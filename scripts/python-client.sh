#!/usr/bin/env bash
# The Python client (clients/python), generated from the committed spec (openapi/openapi.json)
# by openapi-python-client from PyPI, in a cached venv.
#
#   scripts/python-client.sh generate     regenerate clients/python from the spec
#   scripts/python-client.sh check        fail if clients/python is not what the spec generates
#   scripts/python-client.sh quickstart [OUT]
#                                         run examples/quickstart.py against a live server on
#                                         the demo store (plot saved under OUT, default
#                                         target/quickstart); fails if it fails
#
# `make test` runs `check` and `quickstart`. Needs ORT_DYLIB_PATH for `quickstart` (the
# Makefile exports it); the server is the test profile's build, as in scripts/schemathesis.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

GENERATOR_VERSION="0.28.1"
VENV=".cache/client-venv"
setup() {
    if ! "$VENV/bin/openapi-python-client" --version 2>/dev/null | grep -q "$GENERATOR_VERSION"; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-python-client==$GENERATOR_VERSION"
    fi
}
generate_into() {
    # A fixed hash seed: the generator orders some imports by set iteration.
    PYTHONHASHSEED=0 "$VENV/bin/openapi-python-client" generate --path openapi/openapi.json --output-path "$1" \
        --config clients/openapi-python-client.yaml --overwrite > "$1.log" 2>&1 || { cat "$1.log" >&2; return 1; }
}

case "${1:-}" in
generate)
    setup
    rm -rf clients/python
    generate_into clients/python
    rm -f clients/python.log
    echo "python-client: regenerated clients/python from openapi/openapi.json"
    ;;
check)
    setup
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    generate_into "$work/python"
    if ! diff -r -q clients/python "$work/python"; then
        echo "python-client: FAILED: clients/python is not what openapi/openapi.json generates; run scripts/python-client.sh generate" >&2
        exit 1
    fi
    echo "python-client: clients/python matches openapi/openapi.json (openapi-python-client $GENERATOR_VERSION)"
    ;;
quickstart)
    OUT="${2:-target/quickstart}"
    mkdir -p "$OUT"
    setup
    ORT_DYLIB_PATH="${ORT_DYLIB_PATH:-$(scripts/provision-ort.sh)}"
    export ORT_DYLIB_PATH
    ort_version="$(basename "$(dirname "$ORT_DYLIB_PATH")")"
    if ! "$VENV/bin/python" -c "import onnxruntime, numpy, matplotlib, blueprint_client" 2>/dev/null; then
        "$VENV/bin/pip" install --quiet --disable-pip-version-check "onnxruntime==$ort_version" numpy matplotlib ./clients/python
    fi
    # The client as committed, every run.
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall ./clients/python
    cargo build --profile test --locked -p blueprint-server --quiet
    work="$(mktemp -d)"
    cleanup() {
        if [[ -n "${server_pid:-}" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
        rm -rf "$work"
    }
    trap cleanup EXIT
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    RUST_LOG=warn target/debug/blueprint-server serve --bind "127.0.0.1:$port" \
        --database-url "sqlite://$work/quickstart.db" --demo-dir demo/models > "$OUT/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do
        if curl -fsS "http://127.0.0.1:$port/api/v1/readyz" > /dev/null 2>&1; then break; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then cat "$OUT/server.log"; echo "python-client: FAILED: the server did not start" >&2; exit 1; fi
        sleep 0.2
    done
    "$VENV/bin/python" examples/quickstart.py --url "http://127.0.0.1:$port" --out "$OUT"
    ;;
*)
    echo "usage: scripts/python-client.sh generate|check|quickstart [OUT]" >&2
    exit 2
    ;;
esac
