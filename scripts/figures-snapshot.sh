#!/usr/bin/env bash
# Prints the simulator's JSON figures for every scenario and the bundled trace, in every mode, so
# that two builds can be compared byte for byte (a refactoring must leave them identical):
#   scripts/figures-snapshot.sh [JAR] > before.txt ... > after.txt; diff before.txt after.txt
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$root/autoscaler-examples/target/autoscaler.jar}"
run() { echo "== simulate $*"; java -jar "$jar" simulate "$@" --json; }
for workload in "--trace azure-llm-2023-conv" "--scenario step" "--scenario spike" "--scenario diurnal" "--scenario sparse"; do
  # shellcheck disable=SC2086
  run $workload
done
for mode in --compare --rollout --overflow --rolling-update; do
  run --scenario step "$mode"
done
run --scenario spike --seed 7 --policy fixed
