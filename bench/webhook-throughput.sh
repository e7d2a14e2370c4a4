#!/usr/bin/env bash
# bench/webhook-throughput.sh: Graph webhook intake throughput, as a same-run ratio against a bare Quarkus 202.
#
# It starts two applications side by side and loads them alternately with wrk (bare, ours, bare, ours, ...:
# ROUNDS rounds, so that a change in the machine's load hits both alike):
#   bare  bench/bare/target/quarkus-app: quarkus-rest only, POST /graph/notifications reads the body, answers 202
#   ours  target/functions/graph-webhook/quarkus-app (TARGET=graph-webhook, the default: the deployable that
#         matters) or target/quarkus-app (TARGET=all-in-one; it also processes what it stores, calling Graph,
#         which is 127.0.0.1:9 here, so that work fails and is left for later)
# Each request (bench/lua/notification-batch.lua) is a batch of BATCH (10) basic presence change notifications
# for a seeded subscription, with its right clientState and tenant, every item for a user not named before in
# the run: ours checks each item and stores all of them in PostgreSQL (committed) before its 202.
# Every run of ours is then checked: no answer other than 202, and at least BATCH inbox items per answered
# request (requests still in flight when wrk stops may add more; a row holds a delivery's items, V12). Exit status 1 if a check fails.
#
# Preparation (like bench/cold-start.sh): builds the bare app when its jar is missing
# (./mvnw -B -q -f bench/bare/pom.xml package -DskipTests); the connector must be built before
# (./mvnw -B -q package -DskipTests; TARGET=all-in-one needs only -DskipFunctions). Makes a fresh schema
# (bench_wh_<time>_<pid>) in the local test database, migrates it by starting the all-in-one once (the
# functions have no Flyway), seeds connector bench-org (ACTIVE, tenant TENANT) and subscription bench-sub
# (the SHA-256 of clientState bench-client-state) with psql, and drops the schema at the end. The inbox is
# emptied before every run of ours, so that each run starts from the same table.
#
# Output: per run, batches/s (wrk's requests/s), p50/p99 latency, the CPU per batch (from /proc: the app's JVM,
# every PostgreSQL process, the whole machine; wrk is most of the rest) and the load average (uptime) when it
# started; then the median of each side, and the ratio ours/bare per round and of the medians. Written as
# markdown to stdout and OUT (bench/results/webhook-throughput.md).
#
# Environment (all optional):
#   TARGET=graph-webhook|all-in-one  ROUNDS=3  DURATION=15 (s)  WARMUP=20 (s, per app, not counted: ours needs that long to be compiled by the JIT)
#   OURS_DIR= (a quarkus-app directory to measure instead of TARGET's)
#   BEFORE_DIR= (a quarkus-app directory of an earlier build, e.g. a copy of target/functions/graph-webhook/quarkus-app
#   made before a change: measured too, as "before", in the same rotation: bare, before, ours)
#   THREADS=2  CONNECTIONS=16  BATCH=10  JAVA=java  JAVA_OPTS= (both apps)  JFR=0 (1: JFR profile of ours into
#   $WORK/ours.jfr, kept)  DB_PORT=5432  DB_NAME=test  DB_USER=postgres  KEEP_SCHEMA=0
#   OUT=bench/results/webhook-throughput.md
# Usage:   bench/webhook-throughput.sh                  (one command; from anywhere)
#          TARGET=all-in-one ROUNDS=2 bench/webhook-throughput.sh
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${TARGET:-graph-webhook}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
BATCH=${BATCH:-10}
JFR=${JFR:-0}
OUT=${OUT:-$ROOT/bench/results/webhook-throughput.md}
LUA=$ROOT/bench/lua/notification-batch.lua

ORG=bench-org
SUB=bench-sub
CLIENT_STATE=bench-client-state
TENANT=7f2b8c1e-0000-4000-8000-000000000001
SCHEMA=bench_wh_$(date +%Y%m%d%H%M%S)_$$
WORK=$(mktemp -d /tmp/webhook-throughput.XXXXXX)

# shellcheck source=bench/lib.sh
KEEP_WORK=$JFR                                # the JFR recording is kept in $WORK
source "$ROOT/bench/lib.sh"                   # log, die, psql_q, nap, free_port, stop_pid (LIVE); cleanup on exit

command -v wrk >/dev/null || die "wrk is not installed"
command -v psql >/dev/null || die "psql is not installed"

BARE=$ROOT/bench/bare/target/quarkus-app
if [[ ! -f $BARE/quarkus-run.jar || ! -f $BARE/app/bare-quarkus-0.1.0-SNAPSHOT.jar ]] \
        || ! unzip -l "$BARE/app/bare-quarkus-0.1.0-SNAPSHOT.jar" 2>/dev/null | grep -q NotificationsResource; then
    log "building the bare reference app (bench/bare)"
    (cd "$ROOT" && ./mvnw -B -q -f bench/bare/pom.xml package -DskipTests) >&2
fi
ALL=$ROOT/target/quarkus-app
[[ -f $ALL/quarkus-run.jar ]] || die "no $ALL/quarkus-run.jar: build first (./mvnw -B -q package -DskipTests)"
case $TARGET in
    graph-webhook) OURS=$ROOT/target/functions/graph-webhook/quarkus-app ;;
    all-in-one) OURS=$ALL ;;
    *) die "TARGET is graph-webhook or all-in-one" ;;
esac
[[ -n ${OURS_DIR:-} ]] && OURS=$OURS_DIR       # another build of ours (e.g. a copy of the one before a change)
[[ -f $OURS/quarkus-run.jar ]] || die "no $OURS/quarkus-run.jar: build first (./mvnw -B -q package -DskipTests)"

SECRET_KEY=$(head -c 32 /dev/urandom | base64)
APP_ENV=(
    QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$DB_PORT/$DB_NAME"
    QUARKUS_DATASOURCE_USERNAME="$DB_USER"
    CONNECTOR_DB_SCHEMA="$SCHEMA"
    CONNECTOR_API_KEYS=bench-key
    CONNECTOR_SECRET_KEY="$SECRET_KEY"
    CONNECTOR_SECRET_KEY_ID=bench
    CONNECTOR_CLIENT_ID=bench-client-id
    CONNECTOR_CLIENT_SECRET=bench-client-secret
    CONNECTOR_LOGIN_URL=http://127.0.0.1:9
    CONNECTOR_GRAPH_URL=http://127.0.0.1:9/v1.0
    QUARKUS_LOG_LEVEL=WARN
)

# ---- schema: migrate with the all-in-one, seed with psql ----------------------------------------------------
log "migrating schema $SCHEMA with the all-in-one"
SCHEMA_MADE=1
PORT_MIGRATE=$(free_port)
launch migrate "$ALL" "$PORT_MIGRATE"
stop_pid "$PID"
seed_subscribed_connector "$SCHEMA" "$ORG" "$TENANT" "$SUB" "$CLIENT_STATE" bench-account

# ---- both apps up -------------------------------------------------------------------------------------------
PORT_BARE=$(free_port); READY_PATH=/hello launch bare "$BARE" "$PORT_BARE"; PID_BARE=$PID
PORT_OURS=$(free_port)
OURS_FLAGS=()
[[ $JFR == 1 ]] && OURS_FLAGS+=("-XX:StartFlightRecording=settings=profile,filename=$WORK/ours.jfr,dumponexit=true")
launch ours "$OURS" "$PORT_OURS" "${OURS_FLAGS[@]}"; PID_OURS=$PID
log "bare pid $PID_BARE on $PORT_BARE, ours ($TARGET) pid $PID_OURS on $PORT_OURS"
SIDES=(bare ours)
if [[ -n ${BEFORE_DIR:-} ]]; then
    PORT_BEFORE=$(free_port); launch before "$BEFORE_DIR" "$PORT_BEFORE"; PID_BEFORE=$PID
    SIDES=(bare before ours)
fi

RUN_NO=0
# load <port> <seconds> <outfile>: one wrk run; its user ids are new for the schema (RUN)
load() {
    RUN_NO=$((RUN_NO + 1))
    RUN=$RUN_NO SUB=$SUB CLIENT_STATE=$CLIENT_STATE TENANT=$TENANT BATCH=$BATCH RATE=0 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -s "$LUA" "http://127.0.0.1:$1" >"$3" 2>&1
}
field() { sed -n "s/^LUA $1=//p" "$2"; }
# items stored: the inbox holds one row per delivery (V12), its items the row's user ids
inbox_items() { psql_q -c "SELECT coalesce(sum(cardinality(teams_user_ids)), 0) FROM \"$SCHEMA\".notification_inbox"; }

log "warm-up: ${WARMUP}s each"
load "$PORT_BARE" "$WARMUP" "$WORK/warm-bare.txt"
load "$PORT_OURS" "$WARMUP" "$WORK/warm-ours.txt"
[[ -n ${BEFORE_DIR:-} ]] && load "$PORT_BEFORE" "$WARMUP" "$WORK/warm-before.txt"

FAILED=0
ROWS=()
BARE_RATES=(); OURS_RATES=(); BEFORE_RATES=()
for ((r = 1; r <= ROUNDS; r++)); do
    for side in "${SIDES[@]}"; do
        case $side in bare) port=$PORT_BARE ;; ours) port=$PORT_OURS ;; before) port=$PORT_BEFORE ;; esac
        [[ $side != bare ]] && psql_q -c "TRUNCATE \"$SCHEMA\".notification_inbox" >/dev/null
        sleep 2
        load_avg=$(uptime | sed 's/.*load average: //')
        out=$WORK/round$r-$side.txt
        case $side in bare) pid=$PID_BARE ;; ours) pid=$PID_OURS ;; before) pid=$PID_BEFORE ;; esac
        m0=$(machine_ticks); a0=$(proc_ticks "$pid"); g0=$(postgres_ticks)
        load "$port" "$DURATION" "$out"
        m1=$(machine_ticks); a1=$(proc_ticks "$pid"); g1=$(postgres_ticks)
        reqs=$(field requests "$out"); dur=$(field duration_us "$out"); bad=$(field not202 "$out")
        rate=$(awk -v n="$reqs" -v d="$dur" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
        p50=$(awk -v v="$(field p50_us "$out")" 'BEGIN { printf "%.1f", v / 1000 }')
        p99=$(awk -v v="$(field p99_us "$out")" 'BEGIN { printf "%.1f", v / 1000 }')
        # CPU per batch in microseconds (ticks are 10 ms): the app, PostgreSQL, the whole machine (wrk is most of the rest)
        cpu=$(awk -v n="$reqs" -v a=$((a1 - a0)) -v g=$((g1 - g0)) -v m=$((m1 - m0)) \
            'BEGIN { printf "%.0f / %.0f / %.0f", a * 1e4 / n, g * 1e4 / n, m * 1e4 / n }')
        check=""
        if [[ $side != bare ]]; then
            stored=$(inbox_items)
            check="$stored items stored for $reqs × $BATCH"
            if (( bad > 0 || stored < reqs * BATCH )); then FAILED=1; check="$check: FAILED"; fi
            if [[ $side == ours ]]; then OURS_RATES+=("$rate"); else BEFORE_RATES+=("$rate"); fi
        else
            (( bad > 0 )) && { FAILED=1; check="FAILED: $bad answers not 202"; }
            BARE_RATES+=("$rate")
        fi
        log "round $r $side: $rate batches/s, p50 $p50 ms, p99 $p99 ms, non-202 $bad, CPU µs per batch (app / PostgreSQL / machine) $cpu, load $load_avg ${check:+($check)}"
        ROWS+=("| $r | $side | $rate | $p50 | $p99 | $bad | $cpu | $load_avg | $check |")
    done
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
MB=$(median "${BARE_RATES[@]}"); MO=$(median "${OURS_RATES[@]}")
RATIOS=()
for ((i = 0; i < ROUNDS; i++)); do
    RATIOS+=("$(awk -v o="${OURS_RATES[$i]}" -v b="${BARE_RATES[$i]}" 'BEGIN { printf "%.1f", 100 * o / b }')")
done
RATIO=$(awk -v o="$MO" -v b="$MB" 'BEGIN { printf "%.1f", 100 * o / b }')
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)

{
    echo "# Webhook intake throughput ($TARGET against a bare Quarkus 202)"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), commit \`$COMMIT\`, $(nproc) CPUs shared with wrk, PostgreSQL and other work; wrk -t$THREADS -c$CONNECTIONS,"
    echo "${DURATION}s per run after a ${WARMUP}s warm-up of each app; one request = a batch of $BATCH basic presence notifications."
    echo
    echo "| round | app | batches/s | p50 ms | p99 ms | non-202 | CPU µs per batch: app / PostgreSQL / machine | load average (1, 5, 15 min) at the start | stored |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Median: bare $MB batches/s, ours $MO batches/s: **$RATIO %** of bare (per round: ${RATIOS[*]} %)."
    if [[ -n ${BEFORE_DIR:-} ]]; then
        MBF=$(median "${BEFORE_RATES[@]}")
        echo "Before ($BEFORE_DIR): $MBF batches/s, $(awk -v o="$MBF" -v b="$MB" 'BEGIN { printf "%.1f", 100 * o / b }') % of bare."
    fi
} | tee "$OUT"

[[ $FAILED == 0 ]] || die "a check failed (see the table)"
