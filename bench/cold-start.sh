#!/usr/bin/env bash
# bench/cold-start.sh: cold start of the connector's artifacts, side by side with a bare Quarkus endpoint.
#
# For every artifact present, it launches `java -jar quarkus-run.jar` RUNS times and measures the wall time from
# the process launch to the FIRST answer to the artifact's own first request (not a health probe), then reads
# the process' VmRSS right after that answer and stops it. Artifacts, when present:
#   bare          bench/bare/target/quarkus-app           GET /hello                                   -> 2xx
#   all-in-one    target/quarkus-app                      GET /connectors/bench-org (API key)          -> 2xx
#   admin         target/functions/admin/quarkus-app      GET /connectors/bench-org (API key)          -> 2xx
#   consent       target/functions/consent/...            GET /consent/start?ticket=bench-no-such-ticket
#                 -> 400 "This link is unknown, expired or was already used": the refused page, written after the
#                    ticket's lookup in PostgreSQL (a valid ticket would answer 302; no 2xx exists without state)
#   graph-webhook target/functions/graph-webhook/...      POST /graph/notifications?validationToken=abc -> 200 abc
#   expert-lookup target/functions/expert-lookup/...      POST /expert-lookup (API key)                -> 2xx
#                 {"orgId":"bench-org","agentId":"a1","query":"ann"} (answers CONNECTOR_INACTIVE: not consented)
#   agent-event   target/functions/agent-event/...        POST /agent-event (API key)                  -> 2xx
#                 a generic STATE_CHANGED IDLE event of agent bench-a1 of connector bench-org
#   sync          target/functions/sync/...               POST /sync-tick {} (API key)                 -> 2xx
# Each answer's body is checked too (after the clock stops), so that only the artifact's own route counts.
#
# Preparation: builds the bare app if its jar is missing (./mvnw -B -q -f bench/bare/pom.xml package -DskipTests);
# makes a fresh schema (bench_cs_<time>_<pid>) in the local test database and migrates it once by starting the
# all-in-one (the functions have no Flyway), waiting for /q/health/ready; creates the
# connector bench-org through it (PUT /connectors/bench-org); stops it. The schema is dropped at the end (psql).
#
# Measuring: one warm-up launch per artifact first (not counted: it brings the jars into the page cache, so every
# artifact starts from the same disk state, and creates agent bench-a1), then RUNS rounds, each launching every
# artifact once (round-robin, so that a change in the machine's load hits all artifacts alike). Before each
# launch it waits until the machine is quiet (other processes below QUIET_BUSY % of all CPUs for one second,
# at most QUIET_WAIT s); a launch during which other processes used QUIET_BUSY % or more of the CPUs (all CPU
# time but the launched JVM's, from /proc) is not counted and done again, at most REDO times; the table shows the
# largest such share among the counted launches of each artifact. Polling: first whether the port accepts
# a TCP connection (a bash built-in, no process started, every POLL_MS ms), then the request with curl until the
# expected status; deadline DEADLINE s from the launch.
#
# Output: a markdown table (median and max time to first answer, median RSS, `du -sm quarkus-app/lib`, and their
# ratios to the bare endpoint) on stdout and in bench/results/cold-start.md (OUT=). Exit status 1 if a launch failed.
#
# JDK 25 AOT (hook): for each artifact directory with a quarkus-app/app.aot, and AOT_JAVA set (e.g.
#   AOT_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java), the artifact is also run as
#   `cd quarkus-app && $AOT_JAVA -XX:AOTCache=app.aot -jar quarkus-run.jar` and reported as "<name> (AOT)".
#   The cache must have been made by that very JDK, and the JVM must run from quarkus-app (the cache records the
#   class path relative to it). AOT_OPTS: JVM options for these runs only (e.g. the C1-only option the light
#   functions are deployed with), after JAVA_OPTS; the ratios stay to the bare endpoint's plain JVM start.
#
# JDK 17 AppCDS (CDS=1): every artifact is also run as "<name> (AppCDS)": `java -XX:SharedArchiveFile=<archive>
#   -jar quarkus-run.jar` with the same JDK 17, from a dynamic archive that one training launch per artifact wrote
#   (`-XX:ArchiveClassesAtExit`, up to its first answer, then stopped; not counted). Its ratios are to
#   "bare (AppCDS)", the bare endpoint with its own archive made the same way.
#
# JVM options (JAVA_OPTS): given to every launch alike, the bare endpoint's included (e.g.
#   JAVA_OPTS=-XX:TieredStopAtLevel=1), and named in the table's heading; the ratios stay like for like.
#
# Environment (all optional):
#   RUNS=5  WARMUP=1  JAVA=java  JAVA_OPTS=  AOT_JAVA=  AOT_OPTS=  CDS=0  DEADLINE=30  POLL_MS=5  QUIET_BUSY=25  QUIET_WAIT=300  REDO=5
#   DB_PORT=5432  DB_NAME=test  DB_USER=postgres  (PostgreSQL on 127.0.0.1, trust auth)  KEEP_SCHEMA=0
#   OUT=bench/results/cold-start.md
# Every launch gets QUARKUS_HTTP_HOST=127.0.0.1, a free QUARKUS_HTTP_PORT, CONNECTOR_PUBLIC_URL on it, the schema,
# CONNECTOR_API_KEYS, a throw-away CONNECTOR_SECRET_KEY, a dummy Entra client, and Graph/Entra URLs on 127.0.0.1:9
# (nothing answers there; no start-up contacts them): nothing it starts talks to anything but 127.0.0.1. Other
# CONNECTOR_* / QUARKUS_* variables of the caller reach the launched processes unchanged.
#
# Class lists: PRELOAD_LISTS=1 records, instead of measuring, each function's preload list (what it loads up to its
#   first answer; see the PRELOAD_LISTS section below and io.teamsconnector.web.ClassPreload). Rebuild afterwards.
#
# Usage:   bench/cold-start.sh                 (from anywhere; paths are relative to the repository)
#          RUNS=3 bench/cold-start.sh
#          AOT_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/cold-start.sh
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
AOT_JAVA=${AOT_JAVA:-}
CDS=${CDS:-0}
DEADLINE=${DEADLINE:-30}
POLL_MS=${POLL_MS:-5}
QUIET_BUSY=${QUIET_BUSY:-25}
QUIET_WAIT=${QUIET_WAIT:-300}
REDO=${REDO:-5}
MIGRATE_DEADLINE=${MIGRATE_DEADLINE:-180}
OUT=${OUT:-$ROOT/bench/results/cold-start.md}
FUNCTIONS=(consent graph-webhook expert-lookup agent-event admin sync)

API_KEY=bench-key
ORG=bench-org
SCHEMA=bench_cs_$(date +%Y%m%d%H%M%S)_$$
WORK=$(mktemp -d /tmp/cold-start.XXXXXX)
POLL_S=$(printf '0.%03d' "$POLL_MS")

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"                   # log, die, nap, free_port, stop_pid (LIVE); cleanup on exit
now_us() { local t=$EPOCHREALTIME; NOW=$(( 10#${t/./} )); }     # sets NOW (µs), without starting a process

# ---- processes: everything started is stopped on exit -------------------------------------------------------

# CPU_TOTAL and CPU_BUSY: all CPUs' time and busy time (user+nice+system+irq+softirq+steal) so far, in ticks
cpu_ticks() {
    local a
    read -r -a a </proc/stat
    CPU_TOTAL=$(( a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7] + a[8] ))
    CPU_BUSY=$(( CPU_TOTAL - a[4] - a[5] ))
}
# share of all CPUs busy during one second, in percent
cpu_busy() {
    local t0 b0
    cpu_ticks; t0=$CPU_TOTAL; b0=$CPU_BUSY; nap 1; cpu_ticks
    echo $(( 100 * (CPU_BUSY - b0) / ((CPU_TOTAL - t0) > 0 ? (CPU_TOTAL - t0) : 1) ))
}
# waits for a quiet machine; prints the busy share of the last second measured
wait_quiet() {
    local start busy
    now_us; start=$NOW
    while :; do
        busy=$(cpu_busy); now_us
        if (( busy < QUIET_BUSY )) || (( NOW - start > QUIET_WAIT * 1000000 )); then echo "$busy"; return; fi
    done
}

# ---- artifacts ------------------------------------------------------------------------------------------------
NAMES=(); DIRS=(); KINDS=(); MODES=()
add_artifact() { # name dir kind
    NAMES+=("$1"); DIRS+=("$2"); KINDS+=("$3"); MODES+=(plain)
    # ---- JDK 25 AOT hook: an artifact with quarkus-app/app.aot is also run with $AOT_JAVA -XX:AOTCache (see start) ----
    if [[ -n $AOT_JAVA && -f $2/app.aot ]]; then
        NAMES+=("$1 (AOT)"); DIRS+=("$2"); KINDS+=("$3"); MODES+=(aot)
    fi
    # ---- JDK 17 AppCDS (CDS=1): the same artifact with a dynamic archive of its own (see start) ----
    if [[ $CDS == 1 ]]; then
        NAMES+=("$1 (AppCDS)"); DIRS+=("$2"); KINDS+=("$3"); MODES+=(cds)
    fi
}

BARE=$ROOT/bench/bare/target/quarkus-app
if [[ ! -f $BARE/quarkus-run.jar ]]; then
    log "building the bare reference app (bench/bare)"
    (cd "$ROOT" && ./mvnw -B -q -f bench/bare/pom.xml package -DskipTests) >&2
fi
[[ -f $BARE/quarkus-run.jar ]] || die "no $BARE/quarkus-run.jar after the build"
add_artifact bare "$BARE" bare

ALL=$ROOT/target/quarkus-app
[[ -f $ALL/quarkus-run.jar ]] && add_artifact all-in-one "$ALL" api
for f in "${FUNCTIONS[@]}"; do
    d=$ROOT/target/functions/$f/quarkus-app
    [[ -f $d/quarkus-run.jar ]] || continue
    case $f in
        admin) add_artifact "$f" "$d" api ;;
        *) add_artifact "$f" "$d" "$f" ;;
    esac
done

# ---- first requests -------------------------------------------------------------------------------------------
# sets P_ARGS (curl arguments after the URL base), P_PATH, P_EXPECT (status regex), P_BODY (substring), P_LABEL
probe() {
    local auth=(-H "Authorization: Bearer $API_KEY") json=(-H 'Content-Type: application/json')
    case $1 in
        bare) P_PATH=/hello; P_ARGS=(); P_EXPECT='^2'; P_BODY=hello
              P_LABEL='`GET /hello` → 200' ;;
        api) P_PATH=/connectors/$ORG; P_ARGS=("${auth[@]}"); P_EXPECT='^2'; P_BODY="\"orgId\":\"$ORG\""
             P_LABEL="\`GET /connectors/$ORG\` → 200" ;;
        consent) P_PATH='/consent/start?ticket=bench-no-such-ticket'; P_ARGS=(); P_EXPECT='^400$'
                 P_BODY='unknown, expired or was already used'
                 P_LABEL='`GET /consent/start?ticket=…` (unknown ticket) → 400 refused page, after its database lookup' ;;
        graph-webhook) P_PATH='/graph/notifications?validationToken=abc'; P_ARGS=(-X POST); P_EXPECT='^200$'
                       P_BODY=abc; P_LABEL='`POST /graph/notifications?validationToken=abc` → 200 `abc`' ;;
        expert-lookup) P_PATH=/expert-lookup; P_EXPECT='^2'; P_BODY=unavailableReason
                       P_ARGS=(-X POST "${auth[@]}" "${json[@]}" -d "{\"orgId\":\"$ORG\",\"agentId\":\"a1\",\"query\":\"ann\"}")
                       P_LABEL='`POST /expert-lookup` → 200 (`CONNECTOR_INACTIVE`)' ;;
        agent-event) P_PATH=/agent-event; P_EXPECT='^2'; P_BODY='"agentId":"bench-a1"'
                     P_ARGS=(-X POST "${auth[@]}" "${json[@]}"
                             -d "{\"orgId\":\"$ORG\",\"agentId\":\"bench-a1\",\"type\":\"STATE_CHANGED\",\"state\":\"IDLE\",\"idleCode\":\"bench\"}")
                     P_LABEL='`POST /agent-event` (STATE_CHANGED) → 200' ;;
        sync) P_PATH=/sync-tick; P_EXPECT='^2'; P_BODY='"connectors"'
              P_ARGS=(-X POST "${auth[@]}" "${json[@]}" -d '{}'); P_LABEL='`POST /sync-tick` → 200' ;;
        *) die "no first request for $1" ;;
    esac
}

SECRET_KEY=$(head -c 32 /dev/urandom | base64)
COMMON_ENV=(
    QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$DB_PORT/$DB_NAME"
    QUARKUS_DATASOURCE_USERNAME="$DB_USER"
    CONNECTOR_DB_SCHEMA="$SCHEMA"
    CONNECTOR_API_KEYS="$API_KEY"
    CONNECTOR_SECRET_KEY="$SECRET_KEY"
    CONNECTOR_SECRET_KEY_ID=bench
    CONNECTOR_CLIENT_ID=bench-client-id
    CONNECTOR_CLIENT_SECRET=bench-client-secret
    CONNECTOR_LOGIN_URL=http://127.0.0.1:9
    CONNECTOR_GRAPH_URL=http://127.0.0.1:9/v1.0
)

JVM_FLAGS=()    # only while recording class lists (PRELOAD_LISTS=1)
read -r -a JAVA_OPTS_ARRAY <<<"${JAVA_OPTS:-}"   # the caller's JVM options, for every launch alike
read -r -a AOT_OPTS_ARRAY <<<"${AOT_OPTS:-}"     # and for the AOT runs only
# start <dir> <mode> <port> <logfile>: launches in the background, sets PID
start() {
    local dir=$1 mode=$2 port=$3 logf=$4
    local envs=("${COMMON_ENV[@]}" QUARKUS_HTTP_PORT="$port" CONNECTOR_PUBLIC_URL="http://127.0.0.1:$port")
    if [[ $mode == aot ]]; then
        # ---- JDK 25 AOT hook: the cache is only used when the JVM runs from quarkus-app ----
        (cd "$dir" && exec env "${envs[@]}" "$AOT_JAVA" "${JAVA_OPTS_ARRAY[@]}" "${AOT_OPTS_ARRAY[@]}" -XX:AOTCache=app.aot -jar quarkus-run.jar) >"$logf" 2>&1 &
    else
        # ---- CDS=1: a cds launch runs from its archive; the first one, before the archive exists, writes it ----
        local archive=()
        if [[ $mode == cds ]]; then
            if [[ -s $CDS_ARCHIVE ]]; then archive=(-XX:SharedArchiveFile="$CDS_ARCHIVE"); else archive=(-XX:ArchiveClassesAtExit="$CDS_ARCHIVE"); fi
        fi
        (cd "$WORK" && exec env "${envs[@]}" "$JAVA" "${JAVA_OPTS_ARRAY[@]}" "${JVM_FLAGS[@]}" "${archive[@]}" \
            -jar "$dir/quarkus-run.jar") >"$logf" 2>&1 &
    fi
    PID=$!
    LIVE+=("$PID")
}

# measure <index> <label for the log file>: sets M_MS, M_RSS_KB and M_OTHER (share of all CPUs that other
# processes used during the launch, in percent); returns 1 on failure
measure() {
    local i=$1 tag=$2 port logf body t0 deadline code total0 busy0 own
    probe "${KINDS[$i]}"
    port=$(free_port)
    CDS_ARCHIVE=$WORK/cds-$i.jsa
    logf=$WORK/${NAMES[$i]// /_}-$tag.log
    body=$WORK/body
    cpu_ticks; total0=$CPU_TOTAL; busy0=$CPU_BUSY
    now_us; t0=$NOW
    start "${DIRS[$i]}" "${MODES[$i]}" "$port" "$logf"
    deadline=$(( t0 + DEADLINE * 1000000 ))
    # 1. until the port accepts a connection (built-ins only: no process competes with the start-up)
    until : 2>/dev/null <>"/dev/tcp/127.0.0.1/$port"; do
        now_us
        if ! kill -0 "$PID" 2>/dev/null || (( NOW > deadline )); then
            log "${NAMES[$i]}: no listening port (process exited or ${DEADLINE}s passed); see $logf"
            stop_pid "$PID"; return 1
        fi
        nap "$POLL_S"
    done
    now_us; M_LISTEN_MS=$(( (NOW - t0) / 1000 ))
    # 2. the first request, until it is answered as expected
    while :; do
        code=$(curl -s -o "$body" -w '%{http_code}' --max-time "$DEADLINE" "${P_ARGS[@]}" \
            "http://127.0.0.1:$port$P_PATH") || code=000
        [[ $code =~ $P_EXPECT ]] && break
        now_us
        if ! kill -0 "$PID" 2>/dev/null || (( NOW > deadline )); then
            log "${NAMES[$i]}: no expected answer (last status $code) within ${DEADLINE}s; see $logf"
            stop_pid "$PID"; return 1
        fi
        nap "$POLL_S"
    done
    now_us; M_MS=$(( (NOW - t0) / 1000 ))
    M_RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")
    own=$(proc_ticks "$PID"); cpu_ticks
    M_OTHER=$(( 100 * (CPU_BUSY - busy0 - own) / ((CPU_TOTAL - total0) > 0 ? (CPU_TOTAL - total0) : 1) ))
    (( M_OTHER < 0 )) && M_OTHER=0
    stop_pid "$PID"
    if ! grep -qF -- "$P_BODY" "$body"; then
        log "${NAMES[$i]}: status $code but not the expected body ($P_BODY): $(head -c 300 "$body")"
        return 1
    fi
}

# ---- preparation: a fresh schema, migrated once, with connector bench-org ------------------------------------
# the all-in-one migrates (the functions have no Flyway; in a cluster the migrate Job runs the all-in-one image)
MIGRATOR=$ALL
[[ -f $MIGRATOR/quarkus-run.jar ]] || die "no target/quarkus-app: build the connector first (./mvnw -B package -DskipTests)"
log "schema $SCHEMA: migrating with ${MIGRATOR#"$ROOT"/}"
SCHEMA_MADE=1
port=$(free_port)
start "$MIGRATOR" plain "$port" "$WORK/migrate.log"
now_us; t0=$NOW
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/q/health/ready" || true) == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || die "the migrating process exited; see $WORK/migrate.log"
    now_us; (( NOW - t0 < MIGRATE_DEADLINE * 1000000 )) || die "not ready after ${MIGRATE_DEADLINE}s; see $WORK/migrate.log"
    nap 0.2
done
code=$(curl -s -o "$WORK/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $API_KEY" \
    -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/connectors/$ORG")
[[ $code == 201 || $code == 200 ]] || die "PUT /connectors/$ORG answered $code: $(cat "$WORK/body")"
stop_pid "$PID"
log "migrated; connector $ORG created"

# ---- measuring ------------------------------------------------------------------------------------------------
N=${#NAMES[@]}
declare -a TIMES LISTEN RSS BUSY FAILS REDONE
for ((i = 0; i < N; i++)); do TIMES[i]=; LISTEN[i]=; RSS[i]=; BUSY[i]=0; FAILS[i]=0; REDONE[i]=0; done

# ---- PRELOAD_LISTS=1: record each function's list of classes instead of measuring ------------------------------
# One launch per function with its preloading off and -Xlog:class+load, up to its first answer; the classes it
# loaded from its jars and the JDK after ClassPreload (the start of its main), in order, become
# src/functions/<name>/src/main/resources/META-INF/preload-classes.txt (io.teamsconnector.web.ClassPreload).
# Leaves out what cannot be loaded by name (lambdas, proxies, generated method-handle classes) and what the
# JDK's shared archive holds already. Rebuild the functions afterwards.
if [[ ${PRELOAD_LISTS:-0} == 1 ]]; then
    for ((i = 0; i < N; i++)); do
        name=${NAMES[$i]}
        [[ ${MODES[$i]} == plain && " ${FUNCTIONS[*]} " == *" $name "* ]] || continue
        classes=$WORK/$name.classes
        JVM_FLAGS=(-Dclass-preload=false "-Xlog:class+load=info:file=$classes")
        measure "$i" record || die "$name: no first answer while recording its classes"
        JVM_FLAGS=()
        list=$ROOT/src/functions/$name/src/main/resources/META-INF/preload-classes.txt
        {
            echo "# Classes $name loads up to its first answer, in order: PRELOAD_LISTS=1 bench/cold-start.sh ($(date -u +%Y-%m-%d))"
            awk '{ for (f = 1; f < NF; f++) if ($f == "source:") { name = $(f - 1); src = $(f + 1) } }
                 name == "io.teamsconnector.web.ClassPreload" { on = 1; next }
                 on && (src ~ /^(file|jar|jrt):/) && name !~ /\/|\$\$Lambda|LambdaForm\$|\$Proxy|^jdk\.internal\.reflect\.Generated|Species_/ { print name }' \
                "$classes"
        } >"$list"
        log "$name: $(grep -vc '^#' "$list") classes listed in ${list#"$ROOT"/}"
    done
    exit 0
fi

# ---- CDS=1: one training launch per AppCDS artifact writes its dynamic archive at exit -------------------------
for ((i = 0; i < N; i++)); do
    [[ ${MODES[$i]} == cds ]] || continue
    log "AppCDS training launch: ${NAMES[$i]}"
    measure "$i" cds-training || die "${NAMES[$i]}: no first answer in its AppCDS training launch"
    [[ -s $WORK/cds-$i.jsa ]] || die "${NAMES[$i]}: no archive written; see $WORK"
done

if [[ $WARMUP == 1 ]]; then
    for ((i = 0; i < N; i++)); do
        log "warm-up: ${NAMES[$i]}"
        measure "$i" warmup || true
    done
fi
for ((r = 1; r <= RUNS; r++)); do
    for ((i = 0; i < N; i++)); do
        for ((attempt = 0; ; attempt++)); do
            busy=$(wait_quiet)
            if ! measure "$i" "run$r-$attempt"; then
                FAILS[i]=$(( FAILS[i] + 1 )); FAILED=1; break
            fi
            if (( M_OTHER >= QUIET_BUSY && attempt < REDO )); then
                log "run $r/$RUNS ${NAMES[$i]}: ${M_MS} ms, not counted: other processes used ${M_OTHER}% of the CPUs"
                REDONE[i]=$(( REDONE[i] + 1 )); continue
            fi
            (( M_OTHER > BUSY[i] )) && BUSY[i]=$M_OTHER
            TIMES[i]+="$M_MS "; LISTEN[i]+="$M_LISTEN_MS "; RSS[i]+="$M_RSS_KB "
            log "run $r/$RUNS ${NAMES[$i]}: ${M_MS} ms (listening at ${M_LISTEN_MS} ms), RSS $(( M_RSS_KB / 1024 )) MB (others: ${busy}% before, ${M_OTHER}% during)"
            break
        done
    done
done

# ---- table ----------------------------------------------------------------------------------------------------
# median and max of whitespace-separated numbers
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1}
    END { if (NR == 0) { print "- -"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[NR] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1f×", a / b }'; }
secs() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.2f s", a / 1000 }'; }

# ratios are to the bare endpoint run the same way (plain, or with its own AppCDS archive)
bare_of() { local m=$1 j; for ((j = 0; j < N; j++)); do [[ ${KINDS[$j]} == bare && ${MODES[$j]} == "$m" ]] && { echo "$j"; return; }; done; echo 0; }
bare_lib=$(du -sm "${DIRS[0]}/lib" | cut -f1)

rows=
for ((i = 0; i < N; i++)); do
    b=$(bare_of "${MODES[$i]}")
    read -r bare_med _ < <(stats "${TIMES[$b]}")
    read -r bare_rss _ < <(stats "${RSS[$b]}")
    probe "${KINDS[$i]}"
    read -r med max < <(stats "${TIMES[$i]}")
    read -r listen _ < <(stats "${LISTEN[$i]}")
    read -r rss _ < <(stats "${RSS[$i]}")
    lib=$(du -sm "${DIRS[$i]}/lib" | cut -f1)
    rss_mb=$(awk -v a="$rss" 'BEGIN { if (a == "-") print "-"; else printf "%.0f", a / 1024 }')
    runs_ok=$(wc -w <<<"${TIMES[$i]}")
    fail_note=; (( FAILS[i] > 0 )) && fail_note=" (${FAILS[i]} of $RUNS failed)"
    rows+="| ${NAMES[$i]}$fail_note | $P_LABEL | $(secs "$listen") | $(secs "$med") | $(secs "$max") | $(ratio "$med" "$bare_med") "
    redo_note=; (( REDONE[i] > 0 )) && redo_note=" (${REDONE[i]} redone)"
    rows+="| ${rss_mb} MB | $(ratio "$rss" "$bare_rss") | $lib MB | $(ratio "$lib" "$bare_lib") | ${BUSY[$i]}%$redo_note | $runs_ok |"$'\n'
done

java_version=$("$JAVA" -version 2>&1 | head -1)
for m in "${MODES[@]}"; do
    [[ $m == aot ]] && { java_version+="; AOT runs: $("$AOT_JAVA" -version 2>&1 | head -1)${AOT_OPTS:+ with $AOT_OPTS}"; break; }
done
cds_note=; [[ $CDS == 1 ]] && cds_note="
\"(AppCDS)\": \`java -XX:SharedArchiveFile=<archive> -jar quarkus-run.jar\`, same JDK, with a dynamic archive that one training
launch of the artifact (\`-XX:ArchiveClassesAtExit\`, up to its first answer) wrote; ratios to \"bare (AppCDS)\"."
warm_note=; [[ $WARMUP == 1 ]] && warm_note=" (each artifact launched once more before, not counted)"
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
md="## Cold start: process launch to the first answer

\`bench/cold-start.sh\`, RUNS=$RUNS$warm_note, $(date -u '+%Y-%m-%d %H:%M UTC'),
$(nproc) CPUs, $java_version, commit $commit.
Time: from the launch of \`java${JAVA_OPTS:+ $JAVA_OPTS} -jar quarkus-run.jar\` to the first expected answer to the artifact's own first
request (port open: to the first accepted TCP connection). RSS: VmRSS right after that answer. \`lib/\`: \`du -sm quarkus-app/lib\`. Ratios: to the bare Quarkus
endpoint (quarkus-rest, one \`GET /hello\`). Others' CPU: the largest share of all CPUs that other processes used
during a counted launch; a launch starts after a second in which they used less than ${QUIET_BUSY}% (or after
${QUIET_WAIT}s), and a launch during which they used ${QUIET_BUSY}% or more is done again (up to $REDO times).$cds_note

| artifact | first request | port open (median) | median | max | × bare | RSS (median) | × bare | \`lib/\` | × bare | others' CPU | runs |
|---|---|---|---|---|---|---|---|---|---|---|---|
$rows"
mkdir -p "$(dirname "$OUT")"
printf '%s' "$md" | tee "$OUT"
[[ $FAILED == 0 ]] || { log "some launches failed"; exit 1; }
