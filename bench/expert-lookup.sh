#!/usr/bin/env bash
# bench/expert-lookup.sh: expert lookup as deployed, the packaged expert-lookup function in its own JVM, over a
# directory mirror of USERS (100,000) generated experts, with wrk as the clients (1 connection, then 4).
#
# ExpertLookupBench (./mvnw -B -Pbench verify) measures the same lookups inside one test JVM that also holds its
# client, the Graph fake and Quarkus' test class loader; this measures the function alone in its process, as a
# Knative revision runs it. What runs:
#   - the Entra and Graph fakes of the tests (io.teamsconnector.support.LocalFakes, `./mvnw -q test-compile
#     exec:java`, ports 8181 to 8184, which must be free), the Graph fake answering every user's presence
#     Available (-Dfakes.presence-of-others), as ExpertLookupBench's does for its experts;
#   - the all-in-one (target/quarkus-app) only until its Flyway has migrated a fresh schema
#     (bench_el_<time>_<pid>); then the expert-lookup function (target/functions/expert-lookup/quarkus-app; build
#     both first: ./mvnw -B -q package -DskipTests), with the production settings (presence cache 5 s, presence
#     waited for at most 1 s);
#   - wrk (bench/lua/expert-lookup.lua): the mixed queries of ExpertLookupBench. A warm-up of WARMUP s with one
#     connection and WARMUP s with 4, then DURATION s with 1 connection and DURATION s with 4 (2 threads), each
#     connection a client that sends its next lookup when the last one is answered.
# Seeded with psql: connector el-org (ACTIVE, the fakes' tenant, showUserDetails on) and USERS experts in its
# directory mirror, generated as ExpertLookupBench generates them.
# Reported: lookups/s, p50/p90/p99/p99.9 of the answers (wrk, from each request's send to its answer), lookups that
#   found experts, answers that were not 200 or said unavailable (must be 0: exit status 1 otherwise), the RSS of the
#   function, CPU time of the function and of the whole machine per lookup, and the time the function's JIT
#   compiled during each phase (jcmd PerfCounter.print, java.ci.totalTime).
# Output: markdown on stdout and in OUT (bench/results/expert-lookup-function.md).
#
# Environment (all optional): USERS=100000  WARMUP=20  DURATION=20 (s)  JAVA=java  JAVA_OPTS=  KEEP_SCHEMA=0
#   DB_PORT=5432  DB_NAME=test  DB_USER=postgres  OUT=bench/results/expert-lookup-function.md
# Usage:   bench/expert-lookup.sh
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
USERS=${USERS:-100000}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-20}
OUT=${OUT:-$ROOT/bench/results/expert-lookup-function.md}
LUA=$ROOT/bench/lua/expert-lookup.lua
ORG=el-org
TENANT=aaaaaaaa-0000-0000-0000-000000000001
API_KEY=el-key
SCHEMA=bench_el_$(date +%Y%m%d%H%M%S)_$$
WORK=$(mktemp -d /tmp/expert-lookup.XXXXXX)

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"                   # log, die, psql_q, nap, free_port, launch, stop_pid (LIVE); cleanup on exit

command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"
ALL=$ROOT/target/quarkus-app
FUNCTION=$ROOT/target/functions/expert-lookup/quarkus-app
for d in "$ALL" "$FUNCTION"; do
    [[ -f $d/quarkus-run.jar ]] || die "no $d/quarkus-run.jar: build first (./mvnw -B -q package -DskipTests)"
done

start_fakes -Dfakes.presence-of-others=Available

SCHEMA_MADE=1
APP_ENV=(QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$DB_PORT/$DB_NAME" QUARKUS_DATASOURCE_USERNAME="$DB_USER"
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$DB_PORT/$DB_NAME"
    CONNECTOR_DB_SCHEMA="$SCHEMA" CONNECTOR_API_KEYS="$API_KEY" CONNECTOR_SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
    CONNECTOR_SECRET_KEY_ID=el CONNECTOR_CLIENT_ID=11111111-2222-3333-4444-555555555555
    CONNECTOR_CLIENT_SECRET=fake-client-secret CONNECTOR_LOGIN_URL=http://127.0.0.1:8181
    CONNECTOR_GRAPH_URL=http://127.0.0.1:8182/v1.0 QUARKUS_LOG_LEVEL=WARN)
launch migrate "$ALL" "$(free_port)"          # its Flyway migrates the schema; then it goes
stop_pid "$PID"

log "seeding connector $ORG and $USERS experts"
seed_subscribed_connector "$SCHEMA" "$ORG" "$TENANT" el-sub el-client-state el-account
arr() { local IFS=,; echo "{$*}"; }
GIVEN=(Ada Adam Alan Alice Amir Anna Ben Bea Carl Chloe Dan Dora Eli Emma Finn Gita Hugo Ines Ivan Jana Jon Kai Lena Leo
    Mara Max Nina Noah Olga Omar Pia Raj Rosa Sam Sara Tom Una Vera Will Yara Zoe Zeno)
SURNAME=(Adams Baker Becker Brown Castro Chen Costa Dubois Evans Fischer Garcia Gupta Hansen Ito Jansen Kim Kowalski
    Lopez Martin Meyer Moreau Murphy Nakamura Novak Olsen Patel Perez Rossi Schmidt Silva Smith Suzuki Tanaka Taylor
    Ueda Varga Wagner Walsh Weber Wilson Yilmaz Young Zhang Ziegler)
DEPARTMENT=(Sales Support Billing Engineering Legal Finance Marketing Operations Research Logistics Procurement
    Security Training Claims Underwriting '"Human Resources"' Facilities Quality Compliance Product)
TITLE=(Analyst Architect '"Account Executive"' Advisor Consultant Coordinator Director Engineer Specialist Manager Lead
    Officer Representative Technician Underwriter Agent Planner Auditor Designer Scientist)
psql_q <<SQL
SET search_path TO "$SCHEMA";
UPDATE connectors SET show_user_details = true WHERE org_id = '$ORG';
INSERT INTO directory_users (org_id, user_id, display_name, given_name, surname, job_title, department, mail,
    business_phones, account_enabled, searchable, business_phone, e164_phones, search_display, search_given,
    search_surname, search_department, search_job_title, sync_generation, updated_at)
SELECT '$ORG', gen_random_uuid()::text, g || ' ' || s, g, s, t, d, lower(g) || n || '@contoso.example', ARRAY[p], true,
    true, p, ARRAY[p], lower(g || ' ' || s), lower(g), lower(s), lower(d), lower(t), 1, now()
FROM (SELECT n, (a.g)[1 + n % array_length(a.g, 1)] AS g, (a.s)[1 + (n / 7) % array_length(a.s, 1)] AS s,
             (a.d)[1 + (n / 11) % array_length(a.d, 1)] AS d, (a.t)[1 + (n / 13) % array_length(a.t, 1)] AS t,
             '+1415' || lpad(n::text, 7, '0') AS p
      FROM generate_series(1, $USERS) n,
           (SELECT '$(arr "${GIVEN[@]}")'::text[] AS g, '$(arr "${SURNAME[@]}")'::text[] AS s,
                   '$(arr "${DEPARTMENT[@]}")'::text[] AS d, '$(arr "${TITLE[@]}")'::text[] AS t) a) x;
VACUUM ANALYZE directory_users;
SQL

PORT=$(free_port)
launch expert-lookup "$FUNCTION" "$PORT"
FPID=$PID

# jit_ms <pid>: milliseconds the JVM's JIT compilers have compiled so far (its java.ci.totalTime counter), 0 if unread
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
jit_ms() {
    "$JCMD" "$1" PerfCounter.print 2>/dev/null | awk -F= '/^java.ci.totalTime=/ { t = $2 } /^sun.os.hrt.frequency=/ { f = $2 }
        END { if (f > 0) printf "%d", t * 1000 / f; else print 0 }'
}

# run <connections> <threads> <seconds> <name>: wrk, its LUA lines in $WORK/<name>.txt; sets R_* for the table
run() {
    local m0 p0 j0
    m0=$(machine_ticks); p0=$(proc_ticks "$FPID"); j0=$(jit_ms "$FPID")
    ORG=$ORG API_KEY=$API_KEY USERS=$USERS wrk -t"$2" -c"$1" -d"$3s" --timeout 10s --latency -s "$LUA" \
        "http://127.0.0.1:$PORT" >"$WORK/$4.txt" 2>&1 || die "wrk failed; see $WORK/$4.txt"
    local f="$WORK/$4.txt" req dur bad
    req=$(sed -n 's/^LUA requests=//p' "$f"); dur=$(sed -n 's/^LUA duration_us=//p' "$f"); bad=$(sed -n 's/^LUA bad=//p' "$f")
    (( bad == 0 )) || { log "$4: $bad answers not 200 or unavailable"; FAILED=1; }
    R_ROW=$(awk -v r="$req" -v d="$dur" -v c="$1" -v found="$(sed -n 's/^LUA found=//p' "$f")" -v bad="$bad" \
        -v p50="$(sed -n 's/^LUA p50_us=//p' "$f")" -v p90="$(sed -n 's/^LUA p90_us=//p' "$f")" \
        -v p99="$(sed -n 's/^LUA p99_us=//p' "$f")" -v p999="$(sed -n 's/^LUA p99.9_us=//p' "$f")" \
        -v mt="$(( $(machine_ticks) - m0 ))" -v pt="$(( $(proc_ticks "$FPID") - p0 ))" \
        -v rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$FPID/status")" -v jit="$(( $(jit_ms "$FPID") - j0 ))" -v secs="$3" \
        'BEGIN { printf "| %d | %.0f lookups/s | %.1f ms | %.1f ms | **%.1f ms** | %.1f ms | %d of %d | %d | %.1f / %.1f ms | %.0f MB | %d ms (%.0f %%) |", c, r / (d / 1e6), p50 / 1000, p90 / 1000, p99 / 1000, p999 / 1000, found, r, bad, mt * 10 / r, pt * 10 / r, rss / 1024, jit, jit / (secs * 10) }')
}
# the warm-up has both kinds of load: with one connection only, the function's JIT still compiled for a third of the
# 4-connection phase (JIT counter, 2026-12-03), code that only runs with lookups at once (waits, contended paths)
log "warm-up: ${WARMUP}s with 1 connection, ${WARMUP}s with 4"
run 1 1 "$WARMUP" warmup
run 4 2 "$WARMUP" warmup4
log "1 connection, ${DURATION}s"
run 1 1 "$DURATION" one; ONE=$R_ROW
log "4 connections, ${DURATION}s"
run 4 2 "$DURATION" four; FOUR=$R_ROW

# how the pages got their presence, over all three runs (the function's expert_presence_total{source})
SOURCES=$(curl -s "http://127.0.0.1:$PORT/q/metrics" | awk -F'[{}" ]+' '/^expert_presence_total\{/ {
    for (i = 2; i < NF; i++) if ($i == "source=") s = $(i + 1); printf "%s%s %d", sep, s, $NF; sep = ", " }')
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Expert lookup as deployed: the expert-lookup function in its own process"
    echo
    echo "\`bench/expert-lookup.sh\`, $(date -u +%Y-%m-%dT%H:%MZ), commit \`$COMMIT\`, $(nproc) CPUs shared by the function,"
    echo "PostgreSQL, the fakes' JVM and wrk; $USERS experts; warm-up ${WARMUP}s with 1 connection and ${WARMUP}s with 4, then ${DURATION}s each."
    echo
    echo "| clients (connections) | throughput | p50 | p90 | p99 | p99.9 | found experts | bad answers | CPU per lookup: machine / function | RSS of the function | the function's JIT compiling (share of the phase) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    echo "$ONE"
    echo "$FOUR"
    echo
    echo "Presence of the pages, warm-up included (cache: read within the last 5 s; graph: read for the page;"
    echo "throttled: the tenant's budget of 1,400 reads per 30 s had no room, the page went without presence): $SOURCES."
} | tee "$OUT"
