#!/usr/bin/env bash
# The PostgreSQL half of `make test`: starts a throwaway cluster (scripts/postgres-local.sh),
# runs the API suite on it (every test application on a fresh database of its own) and the
# tests only PostgreSQL can run (tests/postgres.rs: the two catalogues, migrate both ways,
# two replicas with one killed, a database lost mid-flight), then stops the cluster.
#
# Where PostgreSQL cannot be had (not root and not installed), it says so loudly and exits 0,
# unless BLUEPRINT_REQUIRE_POSTGRES=1 (set by .ci/run), where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! url=$(scripts/postgres-local.sh start); then
    echo "################################################################################" >&2
    echo "# SKIPPED: the PostgreSQL suites did NOT run (no PostgreSQL could be started)." >&2
    echo "# The store and API were tested on SQLite only." >&2
    echo "################################################################################" >&2
    [[ "${BLUEPRINT_REQUIRE_POSTGRES:-0}" == 1 ]] && { echo "BLUEPRINT_REQUIRE_POSTGRES=1: failing" >&2; exit 1; }
    exit 0
fi
trap 'scripts/postgres-local.sh stop "$url"' EXIT
echo "test-postgres: API suite and PostgreSQL-only tests on $url" >&2
BLUEPRINT_TEST_POSTGRES="$url" cargo test --locked -p blueprint-server --test api --test postgres -- --include-ignored
