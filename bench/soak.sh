#!/usr/bin/env bash
# bench/soak.sh: change notifications at RATE requests/s for DURATION against the all-in-one, with the sync running,
# or (TARGET=functions) against the function set: the graph-webhook function stores, the sync function processes.
#
# What runs:
#   - the Entra and Graph fakes of the tests (io.teamsconnector.support.LocalFakes, `./mvnw -q test-compile
#     exec:java`, ports 8181 to 8184, which must be free): the all-in-one reads the notified users' presence
#     from that Graph, with an app token from that Entra;
#   - the all-in-one (target/quarkus-app; build it first: ./mvnw -B -q package -DskipTests -DskipFunctions) on a
#     fresh schema (bench_soak_<time>_<pid>, migrated by its own Flyway), with its production settings: the
#     in-process schedule (polling, inbox processing, upkeep passes) on, so every notification is processed
#     by the sync in the same process right after it is stored;
#   - or, with TARGET=functions, the all-in-one only until it has migrated the schema (the functions have no
#     Flyway), then the graph-webhook and sync functions (target/functions/<name>/quarkus-app; build them with
#     ./mvnw -B -q package -DskipTests) side by side, with the same environment: graph-webhook stores and sends a
#     NOTIFY, sync LISTENs and processes; the counters are read from each one's /q/metrics, and the RSS of both
#     is reported;
#   - wrk (bench/lua/notification-batch.lua) with THREADS threads and CONNECTIONS connections, each thread held
#     to RATE/THREADS requests/s; each request a batch of BATCH (10) basic presence notifications for the
#     seeded subscription (right clientState and tenant), every item for a user not named before, so that
#     each one must be stored and processed once, none collapsed as a repeat of a waiting item.
# Seeded with psql: connector soak-org (ACTIVE, presence sync on, the fakes' tenant), its subscription soak-sub
# (the SHA-256 of clientState soak-client-state), and its subscription check set a day ahead (the upkeep would
# otherwise find a subscription without a service account and remove it; polling and inbox processing run).
#
# Checked at the end (exit status 1 when one fails):
#   exactly once: after the inbox drains (DRAIN s at most), the inbox holds one row per item answered 202 (plus at
#   most the requests still in flight when wrk stopped; a 503 must have left nothing: Graph delivers it again),
#   one per (subscription, user), every one processed; graph_notifications_stored_total and
#   graph_notifications_processed_total (from /q/metrics) both equal the rows: nothing stored twice or lost, each
#   row marked processed once. Items processed again by a second claimer after their lease ran out are reported
#   (graph_notifications_reprocessed_total), answers other than 202 too.
# Reported: VmRSS of the all-in-one (/proc/<pid>/status) every 10 s: mean and max of the first, second, middle and
#   last minute, and the growth from the middle to the last minute (the first minutes are the JVM's warm-up;
#   "levels off": within RSS_GROWTH_MAX %, reported, not a failure); the
#   answers' p50/p90/p99/p99.9 (wrk, from each request's send to its answer); the load average at start and end.
# Output: markdown on stdout and in OUT (bench/results/soak.md); the RSS samples in $WORK (kept on failure).
#
# Environment (all optional):
#   TARGET=all-in-one|functions  FUNCTIONS_DIR=target/functions
#   DURATION=600 (s)  RATE=100 (requests/s in all)  THREADS=2  CONNECTIONS=20 (enough that slow answers do not hold the rate down)  BATCH=10  DRAIN=120 (s)
#   APP_DIR=target/quarkus-app (e.g. a copy, so that a build during the run does not change the jars under it)
#   RSS_GROWTH_MAX=10 (%)  JAVA=java  JAVA_OPTS=  DB_PORT=5432  DB_NAME=test  DB_USER=postgres  KEEP_SCHEMA=0
#   OUT=bench/results/soak.md
# Usage:   bench/soak.sh                          (10 minutes; one command, from anywhere)
#          DURATION=60 bench/soak.sh              (a one-minute try)
#          TARGET=functions bench/soak.sh         (the function set)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-600}
RATE=${RATE:-100}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-20}
BATCH=${BATCH:-10}
DRAIN=${DRAIN:-120}
RSS_GROWTH_MAX=${RSS_GROWTH_MAX:-10}
OUT=${OUT:-$ROOT/bench/results/soak.md}
LUA=$ROOT/bench/lua/notification-batch.lua

ORG=soak-org
SUB=soak-sub
CLIENT_STATE=soak-client-state
TENANT=aaaaaaaa-0000-0000-0000-000000000001
ENTRA_URL=http://127.0.0.1:8181
GRAPH_URL=http://127.0.0.1:8182/v1.0
SCHEMA=bench_soak_$(date +%Y%m%d%H%M%S)_$$
WORK=$(mktemp -d /tmp/soak.XXXXXX)

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"                   # log, die, psql_q, nap, free_port, stop_pid (LIVE); cleanup on exit

command -v wrk >/dev/null || die "wrk is not installed"
command -v psql >/dev/null || die "psql is not installed"
ALL=${APP_DIR:-$ROOT/target/quarkus-app}
TARGET=${TARGET:-all-in-one}
FUNCTIONS_DIR=${FUNCTIONS_DIR:-$ROOT/target/functions}
[[ -f $ALL/quarkus-run.jar ]] || die "no $ALL/quarkus-run.jar: build first (./mvnw -B -q package -DskipTests -DskipFunctions)"
case $TARGET in
    all-in-one) ;;
    functions)
        for f in graph-webhook sync; do
            [[ -f $FUNCTIONS_DIR/$f/quarkus-app/quarkus-run.jar ]] \
                || die "no $FUNCTIONS_DIR/$f/quarkus-app/quarkus-run.jar: build first (./mvnw -B -q package -DskipTests)"
        done ;;
    *) die "TARGET must be all-in-one or functions" ;;
esac

metric() { # metric <port> <name>: the value of an untagged counter in that process' /q/metrics (0 when absent)
    curl -s "http://127.0.0.1:$1/q/metrics" | awk -v n="$2" '$1 == n { v = $2 } END { printf "%.0f", v + 0 }'
}

# ---- the fakes ------------------------------------------------------------------------------------------------
start_fakes

# ---- the all-in-one -------------------------------------------------------------------------------------------
SECRET_KEY=$(head -c 32 /dev/urandom | base64)
SCHEMA_MADE=1
APP_ENV=(QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$DB_PORT/$DB_NAME" QUARKUS_DATASOURCE_USERNAME="$DB_USER"
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$DB_PORT/$DB_NAME"
    CONNECTOR_DB_SCHEMA="$SCHEMA" CONNECTOR_API_KEYS=soak-key CONNECTOR_SECRET_KEY="$SECRET_KEY" CONNECTOR_SECRET_KEY_ID=soak
    CONNECTOR_CLIENT_ID=11111111-2222-3333-4444-555555555555 CONNECTOR_CLIENT_SECRET=fake-client-secret
    CONNECTOR_LOGIN_URL="$ENTRA_URL" CONNECTOR_GRAPH_URL="$GRAPH_URL" QUARKUS_LOG_LEVEL=WARN)
# NAMES/PIDS: the processes whose RSS is sampled; PORT: where wrk sends; PROCESS_PORT: whose counters say processed
if [[ $TARGET == all-in-one ]]; then
    PORT=$(free_port)
    launch all-in-one "$ALL" "$PORT"
    NAMES=(all-in-one); PIDS=("$PID"); PROCESS_PORT=$PORT
else
    launch migrate "$ALL" "$(free_port)"          # its Flyway migrates the schema; then it goes
    stop_pid "$PID"
    SYNC_PORT=$(free_port)
    launch sync "$FUNCTIONS_DIR/sync/quarkus-app" "$SYNC_PORT"
    SYNC_PID=$PID
    PORT=$(free_port)
    launch graph-webhook "$FUNCTIONS_DIR/graph-webhook/quarkus-app" "$PORT"
    NAMES=(graph-webhook sync); PIDS=("$PID" "$SYNC_PID"); PROCESS_PORT=$SYNC_PORT
fi

seed_subscribed_connector "$SCHEMA" "$ORG" "$TENANT" "$SUB" "$CLIENT_STATE" soak-account

STORED0=$(metric "$PORT" graph_notifications_stored_total)
PROCESSED0=$(metric "$PROCESS_PORT" graph_notifications_processed_total)
REPROCESSED0=$(metric "$PROCESS_PORT" graph_notifications_reprocessed_total)

# ---- the load, with RSS samples every 10 s -------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
sample() { # sample <s>: one line per process in $WORK/rss-<name>.tsv
    local k
    for k in "${!PIDS[@]}"; do
        printf '%d\t%s\t%s\n' "$1" "$(rss_kb "${PIDS[$k]}")" "$(uptime | sed 's/.*load average: //')" \
            >>"$WORK/rss-${NAMES[$k]}.tsv"
    done
}
LOAD_START=$(uptime | sed 's/.*load average: //')
log "load: $RATE requests/s of $BATCH notifications for ${DURATION}s (load average $LOAD_START)"
for name in "${NAMES[@]}"; do : >"$WORK/rss-$name.tsv"; done
(
    start=$SECONDS; next=0
    while (( SECONDS - start < DURATION )); do
        sample "$((SECONDS - start))"
        next=$((next + 10))
        while (( SECONDS - start < next )); do nap 1; done
    done
) &
SAMPLER=$!
LIVE+=("$SAMPLER")
PER_THREAD=$(awk -v r="$RATE" -v t="$THREADS" 'BEGIN { printf "%g", r / t }')
RUN=1 SUB=$SUB CLIENT_STATE=$CLIENT_STATE TENANT=$TENANT BATCH=$BATCH RATE=$PER_THREAD \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$LUA" "http://127.0.0.1:$PORT" \
    >"$WORK/wrk.txt" 2>&1 || die "wrk failed; see $WORK/wrk.txt"
stop_pid "$SAMPLER"
sample "$DURATION"
LOAD_END=$(uptime | sed 's/.*load average: //')
field() { sed -n "s/^LUA $1=//p" "$WORK/wrk.txt"; }
SENT=$(field sent); ANSWERED=$(field requests); NOT202=$(field not202)
ITEMS=$((ANSWERED * BATCH))
log "answered $ANSWERED requests ($SENT sent), $NOT202 not 202; waiting for the inbox to drain"

# ---- exactly once ---------------------------------------------------------------------------------------------
# the inbox holds one row per delivery (V12): its items are the rows' user ids
inbox() { psql_q -c "SELECT count(*), count(*) FILTER (WHERE processed_at IS NULL), count(DISTINCT (subscription_id, u)) FROM \"$SCHEMA\".notification_inbox, unnest(teams_user_ids) AS u"; }
for ((i = 0; i < DRAIN; i++)); do
    IFS='|' read -r ROWS WAITING DISTINCT <<<"$(inbox)"
    (( WAITING == 0 )) && break
    sleep 1
done
IFS='|' read -r ROWS WAITING DISTINCT <<<"$(inbox)"
STORED=$(( $(metric "$PORT" graph_notifications_stored_total) - STORED0 ))
PROCESSED=$(( $(metric "$PROCESS_PORT" graph_notifications_processed_total) - PROCESSED0 ))
DRAINED_S=$(psql_q -c "SELECT round(extract(epoch FROM max(processed_at) - max(received_at))::numeric, 2) FROM \"$SCHEMA\".notification_inbox")
CHECKS=()
check() { # check <description> <condition result 0/1>
    if [[ $2 == 1 ]]; then CHECKS+=("| $1 | ok |"); else CHECKS+=("| $1 | **FAILED** |"); FAILED=1; fi
}
# a request still in flight when wrk stopped may have been stored without its answer being counted; a request
# answered otherwise than 202 (503: not stored in time) is Graph's to deliver again, and must have left nothing
IN_FLIGHT=$(( (SENT - ANSWERED) * BATCH ))
ACCEPTED=$(( (ANSWERED - NOT202) * BATCH ))
REPROCESSED=$(( $(metric "$PROCESS_PORT" graph_notifications_reprocessed_total) - REPROCESSED0 ))
check "inbox items = items answered 202 ($ROWS stored, $ACCEPTED answered; $NOT202 requests answered otherwise; up to $IN_FLIGHT more in flight at the stop)" \
    "$(( ROWS >= ACCEPTED && ROWS <= ACCEPTED + IN_FLIGHT ))"
check "one item per (subscription, user): no item stored twice ($DISTINCT distinct)" "$(( DISTINCT == ROWS ))"
check "every item processed ($WAITING waiting after the drain)" "$(( WAITING == 0 ))"
check "stored counter = items stored ($STORED)" "$(( STORED == ROWS ))"
check "processed counter = items stored: each item marked processed once ($PROCESSED)" "$(( PROCESSED == ROWS ))"

# ---- RSS ------------------------------------------------------------------------------------------------------
minute() { # minute <file> <from s>: mean and max VmRSS (MB) of the samples in [from, from + 60]
    awk -F'\t' -v a="$2" '$1 >= a && $1 <= a + 60 { s += $2; n++; if ($2 > m) m = $2 } END { if (n == 0) print "0 0"; else printf "%.0f %.0f\n", s / n / 1024, m / 1024 }' "$1"
}
HALF=$(( (DURATION / 2) / 10 * 10 ))
RSS_ROWS=()
for name in "${NAMES[@]}"; do
    f="$WORK/rss-$name.tsv"
    read -r F_MEAN F_MAX < <(minute "$f" 0)
    read -r S_MEAN S_MAX < <(minute "$f" 60)
    read -r M_MEAN M_MAX < <(minute "$f" "$HALF")
    read -r L_MEAN L_MAX < <(minute "$f" $(( DURATION > 60 ? DURATION - 60 : 0 )))
    GROWTH=$(awk -v a="$M_MEAN" -v b="$L_MEAN" 'BEGIN { printf "%.1f", (a > 0 ? 100 * (b - a) / a : 0) }')
    LEVELS=$(awk -v g="$GROWTH" -v m="$RSS_GROWTH_MAX" 'BEGIN { print (g <= m) ? "yes" : "no" }')
    RSS_ROWS+=("| RSS of $name, first minute / second minute / from ${HALF} s / last minute: means (max of the last) | $F_MEAN / $S_MEAN / $M_MEAN / $L_MEAN MB ($L_MAX MB) |")
    RSS_ROWS+=("| RSS growth of $name, from ${HALF} s to the last minute (means) | $GROWTH % (levels off, within $RSS_GROWTH_MAX %: $LEVELS) |")
done
us_ms() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)

{
    if [[ $TARGET == all-in-one ]]; then
        echo "# Soak: notifications at $RATE requests/s for $DURATION s against the all-in-one"
    else
        echo "# Soak: notifications at $RATE requests/s for $DURATION s against the function set (graph-webhook and sync)"
    fi
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), commit \`$COMMIT\`, $(nproc) CPUs shared with wrk, PostgreSQL, the fakes and other work."
    echo "wrk -t$THREADS -c$CONNECTIONS, each thread held to $PER_THREAD requests/s; a request = $BATCH basic presence notifications,"
    if [[ $TARGET == all-in-one ]]; then
        echo "each for a new user; the all-in-one's in-process sync processes them (presence read from the Graph fake)."
    else
        echo "each for a new user; the graph-webhook function stores them and NOTIFYs, the sync function (another process)"
        echo "hears it and processes them (presence read from the Graph fake)."
    fi
    echo "Load average (1, 5, 15 min): $LOAD_START at the start, $LOAD_END at the end."
    echo
    echo "| check | result |"
    echo "|---|---|"
    printf '%s\n' "${CHECKS[@]}"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| requests answered | $ANSWERED ($(awk -v n="$ANSWERED" -v d="$DURATION" 'BEGIN { printf "%.1f", n / d }')/s), $ITEMS notifications |"
    echo "| answer time p50 / p90 / p99 / p99.9 | $(us_ms "$(field p50_us)") / $(us_ms "$(field p90_us)") / $(us_ms "$(field p99_us)") / $(us_ms "$(field p99.9_us)") ms |"
    echo "| last item processed after the last was received | ${DRAINED_S} s |"
    printf '%s\n' "${RSS_ROWS[@]}"
    echo "| items processed again after their lease ran out (graph_notifications_reprocessed_total) | $REPROCESSED |"
    echo
    for name in "${NAMES[@]}"; do
        echo "<details><summary>RSS samples of $name (s, VmRSS kB, load average)</summary>"
        echo
        echo '```'
        cat "$WORK/rss-$name.tsv"
        echo '```'
        echo "</details>"
    done
} | tee "$OUT"

[[ $FAILED == 0 ]] || die "exactly-once check failed (see the table)"
