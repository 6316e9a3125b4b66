#!/usr/bin/env bash
# Wall time from a fresh `git clone` to the demo's login page.
#
# Clones the repository into a temporary folder, runs `./renkei demo --port PORT` there
# (which creates .venv, installs the locked Python packages with uv and the front-end
# packages with npm from their registries, migrates a new SQLite database, seeds the demo
# data and starts gunicorn and the worker), polls http://127.0.0.1:PORT/login/ until it
# answers 200, prints the elapsed time, then stops the demo and removes the clone.
#
# By default the package managers use their usual caches (~/.cache/uv, ~/.npm), as on a
# developer's machine that has installed Python and npm packages before; --cold-cache gives
# them empty caches, so every package is downloaded.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: benchmarks/fresh_clone_demo.sh [--port N] [--repo PATH_OR_URL] [--cold-cache] [--keep] [--timeout S]

  --port N          port for ./renkei demo (default 8090)
  --repo SOURCE     what to clone (default: this repository; its committed HEAD)
  --cold-cache      give uv and npm empty caches, so everything is downloaded
  --keep            keep the clone and its log afterwards
  --timeout S       give up after S seconds (default 900)
EOF
}

PORT=8090
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$ROOT"
COLD=0
KEEP=0
TIMEOUT=900
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --repo) REPO="$2"; shift 2 ;;
    --cold-cache) COLD=1; shift ;;
    --keep) KEEP=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "fresh_clone_demo: something already listens on port $PORT; pick another with --port" >&2
  exit 1
fi

WORK="$(mktemp -d -t renkei-fresh-XXXXXX)"
DEMO_PID=""
cleanup() {
  if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
    # The demo runs in its own session: stop its whole process group (gunicorn, worker).
    kill -TERM -- "-$DEMO_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$DEMO_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$DEMO_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then
    echo "(kept $WORK)"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores)"
echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2/1024/1024}' /proc/meminfo)"
echo "os:       $(uname -sr)"
echo "tools:    git $(git --version | cut -d' ' -f3), node $(node --version 2>/dev/null || echo none), npm $(npm --version 2>/dev/null || echo none), $(python3 --version 2>&1)"
echo "source:   $REPO ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo remote))"
ENVIRONMENT=(env -u DATABASE_URL -u RENKEI_DATA_DIR -u SECRET_KEY -u VIRTUAL_ENV -u PYTHONPATH)
if [ "$COLD" = 1 ]; then
  mkdir -p "$WORK/cache/uv" "$WORK/cache/npm" "$WORK/cache/pip"
  ENVIRONMENT+=(UV_CACHE_DIR="$WORK/cache/uv" npm_config_cache="$WORK/cache/npm" PIP_CACHE_DIR="$WORK/cache/pip" PIP_NO_CACHE_DIR=1)
  echo "caches:   cold (empty uv, npm and pip caches)"
else
  echo "caches:   warm (the user's uv and npm caches)"
fi
echo

start=$(date +%s%N)
git clone --quiet "$REPO" "$WORK/renkei"
cloned=$(date +%s%N)
cd "$WORK/renkei"
# Each line of the demo's output, stamped with the seconds since the clone started.
stamp() {
  local line
  while IFS= read -r line; do
    printf '%7.1f  %s\n' "$(awk -v a="$start" -v b="${EPOCHREALTIME/./}" 'BEGIN { print (b * 1000 - a) / 1e9 }')" "$line"
  done
}
setsid "${ENVIRONMENT[@]}" ./renkei demo --port "$PORT" > >(stamp >"$WORK/demo.log") 2>&1 &
DEMO_PID=$!

status=""
while :; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login/" || true)"
  [ "$status" = "200" ] && break
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then
    echo "fresh_clone_demo: ./renkei demo exited before serving the login page; its log:" >&2
    tail -40 "$WORK/demo.log" >&2
    exit 1
  fi
  if [ $(( ($(date +%s%N) - start) / 1000000000 )) -ge "$TIMEOUT" ]; then
    echo "fresh_clone_demo: no login page after $TIMEOUT s; the log:" >&2
    tail -40 "$WORK/demo.log" >&2
    exit 1
  fi
  sleep 0.25
done
end=$(date +%s%N)

seconds() { awk -v ns="$1" 'BEGIN { printf "%6.1f", ns / 1e9 }'; }
echo "git clone:                 $(seconds $((cloned - start))) s"
echo "clone → login page (200):  $(seconds $((end - start))) s"
echo
echo "the demo's own messages (seconds since the clone started):"
grep -E 'renkei:|Renkei is running|demo seed:' "$WORK/demo.log" | sed 's/^/  /' || true
