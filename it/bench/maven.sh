# Sourced by the bench scripts (and it/rtt.sh). bench_mvn WHAT LOG ARGS... runs `mvn -B -ntp ARGS`
# with its output kept in LOG, and on failure prints the end of LOG, what was being done and the
# fix, then exits 1: a bench command never ends on a bare exit status. Nothing here installs into
# the local repository (~/.m2): the modules of this work tree come from the reactor (-am) instead.
bench_mvn() {
  local what=$1 log=$2 me
  shift 2
  me=$(basename "$0")
  command -v mvn >/dev/null || { echo "$me: needs Maven to $what (apt-get install maven)" >&2; exit 2; }
  mkdir -p "$(dirname "$log")"
  if ! mvn -B -ntp "$@" >"$log" 2>&1; then
    # Maven's errors without its closing advice (re-run with -e, -X, the wiki's links).
    grep -E '^\[(ERROR|FATAL)\] .' "$log" | grep -vE 'Re-run Maven|To see the full|For more information|\[Help [0-9]|^\[ERROR\] -> ' \
      | head -n 20 >&2 || true
    echo "$me: Maven could not $what: the lines above, all of it in $log (command: mvn -B -ntp $*)." >&2
    echo "$me: fix: if a dependency could not be resolved, run \`mvn -B -ntp -DskipTests package\` once with" \
      "network access (it fills ~/.m2), then run $me again" >&2
    exit 1
  fi
}
