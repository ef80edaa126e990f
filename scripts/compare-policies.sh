#!/usr/bin/env bash
# The policy comparison table (README "Scaling policies"): every built-in policy on the bundled trace
# and the four scenarios, seeds 1-5, warm-up 600 s and cool-down 600 s, one run after the other.
#   scripts/compare-policies.sh                                   # the full table (about 10 minutes on 2 cores)
#   scripts/compare-policies.sh --policies vast,frugal --workloads spike --seeds 1-2
#   scripts/compare-policies.sh --policies frugal --workloads step --seeds 1 --decisions
set -euo pipefail
cd "$(dirname "$0")/.."
jar=autoscaler-examples/target/autoscaler.jar
if [[ ! -f $jar || -n "$(find autoscaler-api autoscaler-core autoscaler-simulator autoscaler-examples -name '*.java' -newer "$jar" -print -quit)" ]]; then
  mvn -B -q -o -pl autoscaler-examples -am package -DskipTests
fi
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" scripts/ComparePolicies.java "$@"
