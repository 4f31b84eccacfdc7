#!/usr/bin/env bash
# The full test suite, as the README's second command and CI (.ci/run) run it: every default
# nox session. The package is built once (session "package": the wheel every other session
# installs) and js/node_modules installed once, then the sessions run side by side
# (CI_JOBS at a time, default 3: most of a session is waiting on installs), each one's
# output printed whole when it ends. One pip cache and one npm cache serve them all.
# Prints how long each part took; exits 1 when any part failed (every part still runs).
# Under CI=true a session whose toolchain is missing fails instead of skipping.
set -uo pipefail
cd "$(dirname "$0")/.."
# One cache each, shared by every session (and by the next run, where a CI keeps $HOME).
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export npm_config_prefer_offline=true
NOX_VERSION=2026.10.20
NOX_VENV=.nox/_ci-nox
LOGS=.nox/_ci-logs
JOBS="${CI_JOBS:-3}"
# Started first, being the longest; the other sessions follow in nox's order.
LONG_FIRST=(engines tests typecheck compat lint)

names=()
seconds=()
cpu=()
results=()
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# CPU seconds (user + system, children included) from a file of bash `time` output.
cpu_in() { awk '{ printf "%.1f", $1 + $2 }' "$1"; }
record() { names+=("$1"); seconds+=("$2"); cpu+=("$3"); results+=("$4"); }
TIMEFORMAT='%3U %3S'

# part NAME COMMAND...: run COMMAND in the foreground, timed.
part() {
  local name=$1 start status=ok
  shift
  echo "::: ${name}"
  start=$(now)
  { time "$@" 2>&3 || status=FAILED; } 3>&2 2>"${LOGS}/part.cpu"
  record "${name}" "$(since "${start}")" "$(cpu_in "${LOGS}/part.cpu")" "${status}"
}

install_nox() {
  # In its own virtual environment: a system Python may refuse `pip install` (PEP 668).
  if python3 -m venv "${NOX_VENV}" 2>/dev/null; then
    "${NOX_VENV}/bin/python" -m pip install --quiet "nox==${NOX_VERSION}"
  else
    python3 -m pip install --quiet "nox==${NOX_VERSION}"
  fi
}

npm_ci() {
  [ -d js/node_modules ] || npm ci --prefix js --no-audit --no-fund
}

# In the background: one session, its output to its log, its result to a file.
session_job() {
  local session=$1 start status=ok
  start=$(now)
  { time "${NOX[@]}" --session "${session}" >"${LOGS}/${session}.log" 2>&1 || status=FAILED; } \
    2>"${LOGS}/${session}.cpu"
  echo "$(since "${start}") $(cpu_in "${LOGS}/${session}.cpu") ${status}" \
    >"${LOGS}/${session}.result"
}

declare -A job_session=()
# Wait for one background session to end; print its output and record it.
reap() {
  local pid session took used status
  wait -n -p pid
  session=${job_session[${pid}]}
  unset "job_session[${pid}]"
  read -r took used status <"${LOGS}/${session}.result"
  echo "::: ${session} (${took} s, ${status})"
  cat "${LOGS}/${session}.log"
  record "${session}" "${took}" "${used}" "${status}"
}

started=$(now)
rm -rf "${LOGS}"
mkdir -p "${LOGS}"
part "install nox" install_nox
if [ -x "${NOX_VENV}/bin/python" ]; then NOX=("${NOX_VENV}/bin/python" -m nox); else NOX=(python3 -m nox); fi
mapfile -t listed < <("${NOX[@]}" --list --json | python3 -c '
import json, sys
print("\n".join(entry["session"] for entry in json.load(sys.stdin)))')
part "package" "${NOX[@]}" --session package
part "npm ci" npm_ci

queue=()
for session in "${LONG_FIRST[@]}" "${listed[@]}"; do
  [[ " ${listed[*]} " == *" ${session} "* ]] || continue
  [[ "${session}" == package || " ${queue[*]} " == *" ${session} "* ]] && continue
  queue+=("${session}")
done
for session in "${queue[@]}"; do
  while [ "${#job_session[@]}" -ge "${JOBS}" ]; do reap; done
  session_job "${session}" &
  job_session[$!]=${session}
done
while [ "${#job_session[@]}" -gt 0 ]; do reap; done

echo
echo "CI parts (sessions after 'npm ci' overlap, ${JOBS} at a time; CPU is user + system):"
printf '  %-16s %8s %8s\n' part "wall s" "CPU s"
failed=0
for index in "${!names[@]}"; do
  printf '  %-16s %8s %8s  %s\n' "${names[index]}" "${seconds[index]}" "${cpu[index]}" \
    "${results[index]}"
  [ "${results[index]}" = ok ] || failed=1
done
times >"${LOGS}/total.cpu"
printf '  %-16s %8s %8s\n' total "$(since "${started}")" \
  "$(awk 'NR == 2 { gsub(/[ms]/, " "); printf "%.1f", $1 * 60 + $2 + $3 * 60 + $4 }' "${LOGS}/total.cpu")"
exit "${failed}"
