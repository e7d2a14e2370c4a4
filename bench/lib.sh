# bench/lib.sh: what the bench scripts share (sourced by cold-start.sh, webhook-throughput.sh, soak.sh).
# Expects set -euo pipefail, and WORK (a directory of logs) and SCHEMA set. On exit, stops every pid in LIVE, drops
# SCHEMA once SCHEMA_MADE=1 (unless KEEP_SCHEMA=1), and removes WORK unless the exit status or FAILED says
# something failed, or KEEP_WORK=1.

JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
DB_PORT=${DB_PORT:-5432}
DB_NAME=${DB_NAME:-test}
DB_USER=${DB_USER:-postgres}
KEEP_SCHEMA=${KEEP_SCHEMA:-0}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" "$@"; }

exec {SLEEP_FD}<> <(:)                        # read -t on this descriptor sleeps without starting a process
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

# a port nothing listens on, below the ephemeral range (32768+), where outgoing connections hold ports
# seed_subscribed_connector SCHEMA ORG TENANT SUBSCRIPTION CLIENT_STATE ACCOUNT: an ACTIVE connector (its row and
# its admin consent, as V9 stores them) with one presence subscription whose clientState is CLIENT_STATE; the
# subscription upkeep leaves it alone for a day (a running sync would otherwise remove a subscription it has no
# service account for)
seed_subscribed_connector() {
    local hash
    hash=$(printf '%s' "$5" | sha256sum | cut -d' ' -f1)
    psql_q <<SQL
SET search_path TO "$1";
BEGIN;
INSERT INTO connectors (org_id, created_at, updated_at) VALUES ('$2', now(), now());
INSERT INTO entra_consents (org_id, tenant_id, granted_at) VALUES ('$2', '$3', now());
INSERT INTO subscription_checks (org_id, next_check_at) VALUES ('$2', now() + interval '1 day');
INSERT INTO presence_subscriptions (id, org_id, service_account_id, client_state_hash, user_ids, include_resource_data,
    expires_at, authorized_at, created_at)
VALUES ('$4', '$2', '$6', '$hash', '{}', false, now() + interval '1 day', now(), now());
COMMIT;
SQL
}

# CPU ticks (USER_HZ, 100 per second) a process has used, and the whole machine's busy ticks (not idle, not iowait)
proc_ticks() { local s f; s=$(<"/proc/$1/stat"); s=${s##*) }; read -r -a f <<<"$s"; echo $(( f[11] + f[12] )); }
machine_ticks() { local a; read -r -a a </proc/stat; echo $(( a[1] + a[2] + a[3] + a[6] + a[7] + a[8] )); }
# the ticks of every PostgreSQL server process (the backends of a pool live as long as their connections)
postgres_ticks() { local p t=0; for p in $(pgrep -x postgres); do t=$(( t + $(proc_ticks "$p" 2>/dev/null || echo 0) )); done; echo "$t"; }

free_port() {
    local p
    while :; do
        p=$(( 20000 + RANDOM % 12000 ))
        : 2>/dev/null <>"/dev/tcp/127.0.0.1/$p" || { echo "$p"; return; }
    done
}

# launch <name> <quarkus-app dir> <port> [jvm flags...]: starts `java -jar quarkus-run.jar` in WORK with the
# caller's APP_ENV (an array of NAME=value) plus its port and public URL, its output in WORK/<name>.log; waits until
# READY_PATH (default /q/health/ready) answers 200, at most 300 s; sets PID and adds it to LIVE
launch() {
    local name=$1 dir=$2 port=$3 ready=${READY_PATH:-/q/health/ready} i
    shift 3
    log "starting $name on $port"
    # shellcheck disable=SC2086
    (cd "$WORK" && exec env "${APP_ENV[@]}" QUARKUS_HTTP_PORT="$port" CONNECTOR_PUBLIC_URL="http://127.0.0.1:$port" \
        "$JAVA" $JAVA_OPTS "$@" -jar "$dir/quarkus-run.jar") >"$WORK/$name.log" 2>&1 &
    PID=$!
    LIVE+=("$PID")
    for ((i = 0; i < 1200; i++)); do
        kill -0 "$PID" 2>/dev/null || die "$name exited; see $WORK/$name.log"
        curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$ready" 2>/dev/null | grep -q '^200$' && return 0
        sleep 0.25
    done
    die "$name not ready after 300 s; see $WORK/$name.log"
}

# stop_pid <pid>: TERM, then KILL after 20 s; forgets it in LIVE
LIVE=()
stop_pid() {
    local pid=$1 i
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; nap 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    local keep=()
    for i in "${LIVE[@]}"; do [[ $i == "$pid" ]] || keep+=("$i"); done
    LIVE=("${keep[@]}")
}

# stop_all_and_drop_schema <schema or empty>: the cleanup of every script (processes, then the schema)
stop_all_and_drop_schema() {
    local pid
    for pid in "${LIVE[@]}"; do stop_pid "$pid"; done
    if [[ -n $1 && ${KEEP_SCHEMA:-0} != 1 ]]; then
        if command -v psql >/dev/null; then
            psql_q -c "DROP SCHEMA IF EXISTS \"$1\" CASCADE" >/dev/null 2>&1 || log "could not drop schema $1"
        else
            log "no psql: schema $1 left in database $DB_NAME"
        fi
    fi
}

SCHEMA_MADE=0
FAILED=0
bench_cleanup() {
    local rc=$?
    stop_all_and_drop_schema "$([[ $SCHEMA_MADE == 1 ]] && echo "$SCHEMA")"
    if [[ $rc == 0 && $FAILED == 0 && ${KEEP_WORK:-0} != 1 ]]; then rm -rf "$WORK"; else log "logs kept in $WORK"; fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# start_fakes [maven arguments...]: the tests' Entra and Graph fakes (io.teamsconnector.support.LocalFakes, `./mvnw -q
# test-compile exec:java`, ports 8181 to 8184, which must be free), their output in WORK/fakes.log; adds the pid to
# LIVE and returns once the Graph fake listens
start_fakes() {
    local p i
    for p in 8181 8182 8183 8184; do
        if : 2>/dev/null <>"/dev/tcp/127.0.0.1/$p"; then die "port $p is taken: the fakes need 8181 to 8184"; fi
    done
    log "starting the Entra and Graph fakes (./mvnw -q test-compile exec:java)"
    (cd "$ROOT" && exec ./mvnw -B -q test-compile exec:java "$@") >"$WORK/fakes.log" 2>&1 &
    LIVE+=("$!")
    for ((i = 0; i < 1200; i++)); do
        kill -0 "${LIVE[-1]}" 2>/dev/null || die "the fakes exited; see $WORK/fakes.log"
        : 2>/dev/null <>"/dev/tcp/127.0.0.1/8182" && return 0
        sleep 0.25
    done
    die "the Graph fake is not listening after 300 s; see $WORK/fakes.log"
}
