#!/usr/bin/env bash
# HTTP benchmark of POST /route/ on the JDK server and on the Netty server (autoscaler-http-netty, what
# `serve` runs), each against a trivial JSON handler served by the same server code (same process, same
# run), so that the ratios survive a noisy machine; then the same /route/ while 1,000 slow clients
# (headers or body dripped a byte a second, from 127.0.0.2 and up) hold connections open.
#
#   scripts/bench-http.sh [seconds=10] [connections=64] [formats="vast-rsa ed25519"]
#
# Part 1, per ticket format: baseline and /route/ on both servers alternate ROUNDS times (default 3) so
# that all four see the same machine noise; the rates printed are the means, the p99 the median and the
# worst round. Part 2 (the first format only), on each server, first alone, then with SLOW=1000 slow
# connections open: a normal client calls /route/ at PACED=100 calls/s for SECONDS with a 3 s timeout
# (PacedClient, as in the issue: its p99 is the goal's), then wrk at full speed (NORMAL_CONNECTIONS=8
# connections from 127.0.0.1, 2 s timeout); failures are non-2xx answers plus socket errors (connect,
# read, write, timeout). The slow clients stop by themselves (2 x SECONDS + 25 s).
#
# Environment: WRK_THREADS (default 2), ROUNDS, SERVER_THREADS (JDK handler threads; default two per
# core), BENCH_JAVA_OPTS (JVM options of the server process; default -Xmn64m, what `./autoscaler serve`
# runs with), SLOW (default 1000), PACED (default 100), NORMAL_CONNECTIONS (default 8).
#
# Needs wrk (apt-get install -y wrk). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-64}
FORMATS=${3:-"vast-rsa ed25519"}
THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-3}
SLOW=${SLOW:-1000}
NORMAL_CONNECTIONS=${NORMAL_CONNECTIONS:-8}
PACED=${PACED:-100}
JAR=autoscaler-benchmarks/target/benchmarks.jar

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ ! -f "$JAR" ] || [ -n "${REBUILD:-}" ]; then
  mvn -B -q -pl autoscaler-benchmarks -am package -DskipTests
fi

WORK=$(mktemp -d)
SERVER_PID=""
SLOW_PID=""
stop() { # pid
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then kill "$1"; wait "$1" 2>/dev/null || true; fi
}
cleanup() {
  stop "$SLOW_PID"
  stop "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"endpoint": "bench", "api_key": "bench-key", "cost": 100, "request_idx": 0, "replay_timeout": 60.0}'
wrk.headers["Content-Type"] = "application/json"
LUA

run_wrk() { # url connections seconds -> "rate p99 failures"
  local out rate p99 non2xx sockets
  out=$(wrk -t"$THREADS" -c"$2" -d"${3}s" --timeout 2s --latency -s "$WORK/post.lua" "$1")
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  sockets=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  echo "${rate:-0} ${p99:-0ms} $(( ${non2xx:-0} + ${sockets:-0} ))"
}

summarize() { # lines "rate p99 failures" -> "mean-rate median-p99 worst-p99 total-failures"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    { sum += $1; n++; e += $3; p[n] = ms($2) }
    END {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (p[j] < p[i]) { t = p[i]; p[i] = p[j]; p[j] = t }
      printf "%.0f %.1fms %.1fms %d\n", sum / n, p[int((n + 1) / 2)], p[n], e
    }' "$1"
}

start_server() { # format
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS--Xmn64m} -cp "$JAR" dev.autoscaler.benchmarks.HttpBenchServer "$1" ${SERVER_THREADS:-} > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 150); do grep -q BASELINE_PORT "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
  JDK_API=$(sed -n 's/^API_PORT=//p' "$WORK/server.out")
  JDK_BASE=$(sed -n 's/^BASELINE_PORT=//p' "$WORK/server.out")
  NETTY_API=$(sed -n 's/^NETTY_API_PORT=//p' "$WORK/server.out")
  NETTY_BASE=$(sed -n 's/^NETTY_BASELINE_PORT=//p' "$WORK/server.out")
  [ -n "$JDK_BASE" ] || { echo "server did not start:"; cat "$WORK/server.err"; exit 1; }
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shifts every figure; compare ratios)"
printf '%-10s %-8s %-10s %14s %12s %11s %9s\n' format server target "requests/s" "median p99" "worst p99" failures
for format in $FORMATS; do
  start_server "$format"
  declare -A URL=([jdk-base]="http://127.0.0.1:$JDK_BASE/" [jdk-route]="http://127.0.0.1:$JDK_API/route/"
                  [netty-base]="http://127.0.0.1:$NETTY_BASE/" [netty-route]="http://127.0.0.1:$NETTY_API/route/")
  ORDER="jdk-base jdk-route netty-base netty-route"
  for key in $ORDER; do # warm up at full concurrency (the JIT and the heap settle)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/post.lua" "${URL[$key]}" >/dev/null
    : > "$WORK/$key.txt"
  done
  for _ in $(seq 1 "$ROUNDS"); do
    for key in $ORDER; do run_wrk "${URL[$key]}" "$CONNECTIONS" "$SECONDS_PER_RUN" >> "$WORK/$key.txt"; done
  done
  declare -A RATE
  for key in $ORDER; do
    read -r rate p99 worst failures <<<"$(summarize "$WORK/$key.txt")"
    RATE[$key]=$rate
    target=$([ "${key#*-}" = base ] && echo baseline || echo /route/)
    printf '%-10s %-8s %-10s %14s %12s %11s %9s\n' "$format" "${key%-*}" "$target" "$rate" "$p99" "$worst" "$failures"
  done
  awk -v jr="${RATE[jdk-route]}" -v jb="${RATE[jdk-base]}" -v nr="${RATE[netty-route]}" -v nb="${RATE[netty-base]}" -v f="$format" 'BEGIN {
    printf "%-10s ratios: jdk /route//baseline %.2f, netty /route//baseline %.2f, netty /route/ / jdk /route/ %.2f\n", f, jr / jb, nr / nb, nr / jr }'

  if [ "$format" = "${FORMATS%% *}" ]; then
    echo
    echo "$format: a normal client on /route/ ($PACED calls/s, 3 s timeout: PacedClient) and wrk at full speed"
    echo "($NORMAL_CONNECTIONS connections, 2 s timeout), alone and with $SLOW slow connections open"
    printf '%-8s %-6s %8s %8s %10s %10s %10s %14s %10s %9s\n' server slow calls failed "p50" "p99" "max" "wrk req/s" "wrk p99" "wrk fail"
    for server in netty jdk; do
      url=${URL[$server-route]}
      port=$([ "$server" = netty ] && echo "$NETTY_API" || echo "$JDK_API")
      for slow in 0 "$SLOW"; do
        if [ "$slow" != 0 ]; then
          java -Xmx128m -cp "$JAR" dev.autoscaler.benchmarks.SlowClients "$port" "$slow" $((2 * SECONDS_PER_RUN + 25)) > "$WORK/slow.out" 2>&1 &
          SLOW_PID=$!
          sleep 10 # the slow connections open and start dripping
        fi
        read -r calls failed p50 p99 max <<<"$(java -Xmx128m -cp "$JAR" dev.autoscaler.benchmarks.PacedClient "$url" "$PACED" "$SECONDS_PER_RUN")"
        read -r rate wp99 wfail <<<"$(run_wrk "$url" "$NORMAL_CONNECTIONS" "$SECONDS_PER_RUN")"
        printf '%-8s %-6s %8s %8s %8sms %8sms %8sms %14s %10s %9s\n' "$server" "$slow" "$calls" "$failed" "$p50" "$p99" "$max" "$rate" "$wp99" "$wfail"
        if [ "$slow" != 0 ]; then
          wait "$SLOW_PID" 2>/dev/null || true; SLOW_PID=""
          sed 's/^/         /' "$WORK/slow.out"
        fi
      done
    done
  fi
  stop "$SERVER_PID"; SERVER_PID=""
  unset URL RATE
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
