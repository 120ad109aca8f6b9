#!/usr/bin/env bash
# The results browser in a real browser: installs Debian's `chromium` when it is missing (as
# root, from the Debian archive), starts the server on the demo store, runs one comparison so
# its page has figures, opens every kind of page headless (the pages carry no script), saves a
# screenshot of each, and fails on a console error (a figure that does not load is one), on a
# page that does not answer 200 HTML, or on a figure that does not answer 200 SVG. Called by
# `make test`.
#
#   scripts/browser-check.sh [OUT_DIR]      (default target/browser-check; screenshots and logs)
#
# Needs ORT_DYLIB_PATH (the Makefile exports it). The server is the test profile's build, as
# in scripts/schemathesis.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-target/browser-check}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if ! command -v chromium > /dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "browser-check: FAILED: chromium is missing and installing it needs root (apt-get install chromium)" >&2
        exit 1
    fi
    echo "browser-check: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi
echo "browser-check: $(chromium --version 2>/dev/null | head -1)"

cargo build --profile test --locked -p blueprint-server --quiet
work="$(mktemp -d)"
cleanup() {
    if [[ -n "${server_pid:-}" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
RUST_LOG=warn target/debug/blueprint-server serve \
    --bind "127.0.0.1:$port" \
    --database-url "sqlite://$work/browser.db" \
    --demo-dir demo/models \
    > "$OUT/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
    if curl -fsS "$base/api/v1/readyz" > /dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$OUT/server.log"; echo "browser-check: FAILED: the server did not start" >&2; exit 1; fi
    sleep 0.2
done

# Pick a perceptual-dm and a go/no-go model, and run a comparison to completion.
ids="$(curl -fsS "$base/api/v1/models?task=perceptual-dm&limit=1&sort=-val_accuracy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
go_id="$(curl -fsS "$base/api/v1/models?task=go-nogo&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
job="$(curl -fsS -X POST -H 'Content-Type: application/json' "$base/api/v1/comparisons" \
    -d '{"task": "go-nogo", "filter": {"field": "5_3_4"}, "group_by": "variant", "measures": ["accuracy", "entropy"], "n_trials": 256, "seed": 7}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')"
for _ in $(seq 1 600); do
    status="$(curl -fsS "$base/api/v1/comparisons/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
    [[ "$status" == "done" || "$status" == "failed" ]] && break
    sleep 0.5
done
if [[ "$status" != "done" ]]; then echo "browser-check: FAILED: comparison $job is $status" >&2; exit 1; fi

failures=0
check_page() {
    local name="$1" path="$2"
    local url="$base$path"
    local html="$OUT/$name.html"
    local code
    code="$(curl -sS -o "$html" -w '%{http_code} %{content_type}' "$url")"
    if [[ "$code" != "200 text/html"* ]]; then
        echo "browser-check: FAILED: $path answered $code" >&2; failures=$((failures + 1)); return
    fi
    # Every figure the page shows must answer 200 SVG.
    local figures=0
    while read -r src; do
        [[ -z "$src" ]] && continue
        figures=$((figures + 1))
        local figure_code
        figure_code="$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "$base$src")"
        if [[ "$figure_code" != "200 image/svg+xml"* ]]; then
            echo "browser-check: FAILED: $path shows $src, which answered $figure_code" >&2; failures=$((failures + 1))
        fi
    done < <(grep -o 'src="[^"]*"' "$html" | sed 's/^src="//; s/"$//; s/&amp;/\&/g')
    # The pages carry no script at all, so they work with JavaScript off. (Chromium's headless
    # screenshot itself needs scripting on, so it is not switched off in the browser.)
    if grep -qi '<script' "$html"; then
        echo "browser-check: FAILED: $path carries a <script>; the pages must work without JavaScript" >&2; failures=$((failures + 1)); return
    fi
    # The page in the browser; console messages go to the log.
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --hide-scrollbars \
        --enable-logging=stderr --v=0 --window-size=1280,2600 \
        --user-data-dir="$work/profile-$name" \
        --virtual-time-budget=20000 \
        --screenshot="$OUT/$name.png" "$url" > "$OUT/$name.browser.log" 2>&1 || true
    if [[ ! -s "$OUT/$name.png" ]]; then
        echo "browser-check: FAILED: no screenshot of $path (see $OUT/$name.browser.log)" >&2; failures=$((failures + 1)); return
    fi
    if grep -E 'CONSOLE|Failed to load resource|Uncaught' "$OUT/$name.browser.log" > "$OUT/$name.console.txt"; then
        echo "browser-check: FAILED: console errors on $path:" >&2; cat "$OUT/$name.console.txt" >&2; failures=$((failures + 1)); return
    fi
    echo "browser-check: ok   $path ($figures figures, screenshot $OUT/$name.png)"
}

check_page models "/ui/"
check_page models-sorted "/ui/?task=perceptual-dm&sort=-val_accuracy"
check_page model-perceptual-dm "/ui/models/$ids"
check_page model-go-nogo "/ui/models/$go_id"
check_page comparisons "/ui/comparisons"
check_page comparison "/ui/comparisons/$job"

if [[ $failures -ne 0 ]]; then
    echo "browser-check: FAILED: $failures problem(s); screenshots and logs in $OUT" >&2
    exit 1
fi
echo "browser-check: every page rendered without a console error; screenshots in $OUT"
