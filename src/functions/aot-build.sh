#!/usr/bin/env bash
# src/functions/aot-build.sh: builds functions with a JDK 25 AOT cache each (Project Leyden, JEP 483).
#
# Usage:   src/functions/aot-build.sh                     all six functions
#          src/functions/aot-build.sh graph-webhook       only the ones named (Maven -pl)
#          src/functions/aot-build.sh -h                  this text
# Works from any directory. Exit status: 0 when every named function has its cache beside its jar.
#
# What it runs, from the repository root, with JAVA_HOME set to a JDK 25:
#   ./mvnw -B -f src/functions/pom.xml verify [-pl <functions>] \
#       -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.phase=integration-tests
# Quarkus then packages each function as an `aot-jar` (the fast-jar layout, loaded by the JDK's application class
# loader so that the JVM can cache its classes) at target/functions/<name>/quarkus-app, and its
# @QuarkusIntegrationTest (src/it/java/io/teamsconnector/functions/<name>) is the training run: the test launcher
# starts quarkus-run.jar with -XX:AOTMode=record -XX:AOTConfiguration=app.aotconf, runs the tests against it,
# stops it, and then makes the cache with -XX:AOTMode=create -XX:AOTCache=app.aot. Both files are written beside
# quarkus-run.jar (the launcher resolves them next to the jar it starts), so with our output directory the cache is
# target/functions/<name>/quarkus-app/app.aot. The tests need the local PostgreSQL (127.0.0.1:5432, db test),
# as in any `verify` of the functions.
#
# Afterwards it checks, for each function, that app.aot is there and newer than quarkus-run.jar (a cache left in
# a module's target/ would be moved beside the jar), and that the JDK that made it accepts it (-XX:AOTMode=on
# makes the JVM fail instead of silently ignoring a cache it cannot use). Then it prints how to run each one.
#
# Running a function with its cache, from inside its quarkus-app (the cache records the class path relative to it):
#   cd target/functions/<name>/quarkus-app && <the same JDK 25>/bin/java -XX:AOTCache=app.aot -jar quarkus-run.jar
# The runtime JDK must be the exact build that made the cache (here Temurin 25.0.3+9). With any other JDK, or a
# rebuilt quarkus-run.jar or lib/, the JVM prints a warning, ignores the cache and starts as slowly as without it.
# Any later build of the functions without these properties replaces quarkus-app; run this script again then.
#
# Environment (optional):
#   AOT_JAVA_HOME    the JDK to build and train with (default: the first JDK 25 under /usr/lib/jvm, Temurin first)
#   AOT_MAVEN_ARGS   more Maven arguments, split on spaces (e.g. "-o" or "-Dit.some=value")
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUNCTIONS_POM=$ROOT/src/functions/pom.xml

log() { printf '%s aot-build: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

# ---- the functions -------------------------------------------------------------------------------------------
mapfile -t ALL < <(sed -n 's:.*<module>\([^<]*\)</module>.*:\1:p' "$FUNCTIONS_POM")
(( ${#ALL[@]} > 0 )) || die "no <module> in $FUNCTIONS_POM"
SELECTED=()
for arg in "$@"; do
    case $arg in
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option $arg (see -h)" ;;
    esac
    found=0
    for f in "${ALL[@]}"; do [[ $f == "$arg" ]] && found=1; done
    (( found )) || die "no function '$arg'; the functions are: ${ALL[*]}"
    SELECTED+=("$arg")
done
PL=()
if (( ${#SELECTED[@]} == 0 )); then
    SELECTED=("${ALL[@]}")
else
    PL=(-pl "$(IFS=,; echo "${SELECTED[*]}")")
fi

# ---- the JDK -------------------------------------------------------------------------------------------------
java_major() { "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'; }
if [[ -n ${AOT_JAVA_HOME:-} ]]; then
    JDK=$AOT_JAVA_HOME
    [[ -x $JDK/bin/java && -x $JDK/bin/javac ]] || die "AOT_JAVA_HOME=$JDK is not a JDK (no bin/java and bin/javac)"
    major=$(java_major "$JDK")
    (( ${major:-0} >= 25 )) || die "AOT_JAVA_HOME=$JDK is Java ${major:-?}; the AOT cache needs JDK 25 or newer"
else
    JDK=
    for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
        [[ -x $d/bin/java && -x $d/bin/javac ]] || continue
        if [[ $(java_major "$d") == 25 ]]; then JDK=$d; break; fi
    done
    [[ -n $JDK ]] || die "no JDK 25 under /usr/lib/jvm; set AOT_JAVA_HOME"
fi
JDK=$(cd "$JDK" && pwd -P)
JDK_BUILD=$("$JDK/bin/java" -version 2>&1 | sed -n '2p')
log "JDK: $JDK ($JDK_BUILD)"
log "functions: ${SELECTED[*]}"

# ---- the build, trained by the integration tests -------------------------------------------------------------
out_dir() { echo "$ROOT/target/functions/$1/quarkus-app"; }
for f in "${SELECTED[@]}"; do     # no stale cache may pass the check below
    rm -f "$(out_dir "$f")/app.aot" "$(out_dir "$f")/app.aotconf"
done

read -r -a EXTRA <<<"${AOT_MAVEN_ARGS:-}"
start=$SECONDS
(
    cd "$ROOT"
    export JAVA_HOME=$JDK
    set -x
    ./mvnw -B -f src/functions/pom.xml verify "${PL[@]}" \
        -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.phase=integration-tests "${EXTRA[@]}"
) || die "the Maven build failed (see above)"
log "Maven build done in $(( SECONDS - start )) s"

# ---- the check: a cache beside each jar, accepted by the JDK that made it ------------------------------------
failed=()
for f in "${SELECTED[@]}"; do
    dir=$(out_dir "$f")
    if [[ ! -f $dir/quarkus-run.jar ]]; then
        log "$f: no $dir/quarkus-run.jar"; failed+=("$f"); continue
    fi
    if [[ ! -f $dir/app.aot ]]; then
        # written elsewhere (e.g. the module's target/)? then it belongs beside the jar it was trained with
        other=$(find "$ROOT/src/functions/$f/target" -maxdepth 3 -name app.aot -newer "$dir/quarkus-run.jar" \
            2>/dev/null | head -1 || true)
        if [[ -n $other ]]; then
            log "$f: moving ${other#"$ROOT"/} beside quarkus-run.jar"
            mv "$other" "$dir/app.aot"
        fi
    fi
    if [[ ! -f $dir/app.aot ]]; then
        log "$f: no app.aot in ${dir#"$ROOT"/} (did its integration tests run?)"; failed+=("$f"); continue
    fi
    if [[ $dir/quarkus-run.jar -nt $dir/app.aot ]]; then
        log "$f: app.aot is older than quarkus-run.jar"; failed+=("$f"); continue
    fi
    rm -f "$dir/app.aotconf"
    if ! check=$(cd "$dir" && "$JDK/bin/java" -XX:AOTCache=app.aot -XX:AOTMode=on -cp quarkus-run.jar -version 2>&1); then
        log "$f: the JDK refuses app.aot:"$'\n'"$check"; failed+=("$f"); continue
    fi
    log "$f: ${dir#"$ROOT"/}/app.aot, $(du -m "$dir/app.aot" | cut -f1) MB"
done
(( ${#failed[@]} == 0 )) || die "no usable cache for: ${failed[*]}"

cat <<EOF

AOT caches made with $JDK_BUILD.
Run a function with its cache, from inside its quarkus-app, with that very JDK build (same environment as
without the cache: CONNECTOR_DB_SCHEMA, QUARKUS_HTTP_PORT, ...):
EOF
for f in "${SELECTED[@]}"; do
    printf '  cd %s && %s/bin/java -XX:AOTCache=app.aot -jar quarkus-run.jar\n' "${ROOT}/target/functions/$f/quarkus-app" "$JDK"
done
cat <<EOF
Another JDK build, or a rebuilt jar, makes the JVM warn and ignore the cache (add -Xlog:aot to see it used).
EOF
