#!/usr/bin/env bash
# HTTP benchmark of POST /route/ on the JDK server, against a trivial JSON handler served by the same
# JDK server (same thread pool, same process, same run), so that the ratio survives a noisy machine.
#
#   scripts/bench-http.sh [seconds=10] [connections=64] [formats="vast-rsa ed25519"]
#
# Baseline and /route/ runs alternate ROUNDS times (default 3) so that both see the same machine
# noise; the rates printed are the means, the p99 the median and the worst round.
#
# Environment: WRK_THREADS (default 2), ROUNDS, SERVER_THREADS (handler threads; default one per
# core), BENCH_JAVA_OPTS (JVM options of the server process; default -Xmn64m, what `./autoscaler
# serve` runs with: the JDK server makes ~50 KB of garbage per request, and G1's default young
# generation turns that into 5-7 ms pauses every half second, which alone push the p99 past 10 ms;
# a 64 MB young generation collects every ~60 ms in ~2 ms).
#
# Needs wrk (apt-get install -y wrk). Prints, per ticket format, requests/s and p99 latency of the
# baseline handler and of /route/ (each route is a real decision: choice, reservation, signature).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-64}
FORMATS=${3:-"vast-rsa ed25519"}
THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-3}
JAR=autoscaler-benchmarks/target/benchmarks.jar

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ ! -f "$JAR" ] || [ -n "${REBUILD:-}" ]; then
  mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"endpoint": "bench", "api_key": "bench-key", "cost": 100, "request_idx": 0, "replay_timeout": 60.0}'
wrk.headers["Content-Type"] = "application/json"
LUA

run_wrk() { # url -> "rate p99"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/post.lua" "$1")
  local rate p99 errors
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "$rate $p99 ${errors:-0}"
}

summarize() { # lines "rate p99 errors" -> "mean-rate median-p99 worst-p99 total-errors"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    { sum += $1; n++; e += $3; p[n] = ms($2) }
    END {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (p[j] < p[i]) { t = p[i]; p[i] = p[j]; p[j] = t }
      printf "%.0f %.1fms %.1fms %d\n", sum / n, p[int((n + 1) / 2)], p[n], e
    }' "$1"
}

printf '%-10s %-10s %14s %12s %11s %8s\n' format target "requests/s" "median p99" "worst p99" non-2xx
for format in $FORMATS; do
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS--Xmn64m} -cp "$JAR" dev.autoscaler.benchmarks.HttpBenchServer "$format" ${SERVER_THREADS:-} > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do grep -q BASELINE_PORT "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
  API_PORT=$(sed -n 's/^API_PORT=//p' "$WORK/server.out")
  BASE_PORT=$(sed -n 's/^BASELINE_PORT=//p' "$WORK/server.out")
  [ -n "$API_PORT" ] || { echo "server did not start:"; cat "$WORK/server.err"; exit 1; }
  # warm both up at full concurrency (the JIT and the heap settle), then measure
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/post.lua" "http://127.0.0.1:$BASE_PORT/" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/post.lua" "http://127.0.0.1:$API_PORT/route/" >/dev/null
  : > "$WORK/base.txt"; : > "$WORK/route.txt"
  for _ in $(seq 1 "$ROUNDS"); do
    run_wrk "http://127.0.0.1:$BASE_PORT/" >> "$WORK/base.txt"
    run_wrk "http://127.0.0.1:$API_PORT/route/" >> "$WORK/route.txt"
  done
  read -r b_rate b_p99 b_worst b_err <<<"$(summarize "$WORK/base.txt")"
  read -r r_rate r_p99 r_worst r_err <<<"$(summarize "$WORK/route.txt")"
  printf '%-10s %-10s %14s %12s %11s %8s\n' "$format" baseline "$b_rate" "$b_p99" "$b_worst" "$b_err"
  printf '%-10s %-10s %14s %12s %11s %8s\n' "$format" /route/ "$r_rate" "$r_p99" "$r_worst" "$r_err"
  awk -v r="$r_rate" -v b="$b_rate" -v f="$format" 'BEGIN { if (b > 0) printf "%-10s ratio /route/ / baseline = %.2f\n", f, r / b }'
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done
