#!/usr/bin/env bash
# Every benchmark, each against its baseline measured in the same run. Results go in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "## cosync_constants!() expansion"
cargo bench --quiet -p cosync-benches --bench expand --profile bench-debug
echo
cargo bench --quiet -p cosync-benches --bench expand
echo
cargo bench --quiet -p cosync-benches --bench client
echo
echo "## Clean-build cost"
benches/build-cost.sh "${1:-1}"
