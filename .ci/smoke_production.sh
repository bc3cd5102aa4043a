#!/usr/bin/env bash
# CI: the documented production deployment (docs/deployment.md) serves its pages.
# With production settings: migrate, collectstatic (whitenoise's manifest storage), then
# gunicorn on a free loopback port, and the main pages and one hashed static file must
# answer as a visitor behind the TLS proxy would see them. Run from anywhere:
#   bash .ci/smoke_production.sh            (uses ./.venv)
#   VENV=/path/to/venv bash .ci/smoke_production.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
GUNICORN="$VENV/bin/gunicorn"
[ -x "$PY" ] || { echo "smoke: no python at $PY (run make setup or set VENV)" >&2; exit 1; }
[ -x "$GUNICORN" ] || { echo "smoke: no gunicorn at $GUNICORN" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zonegov-smoke.XXXXXX")"
GUNICORN_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Production settings, as docs/deployment.md lists them. The signing files are the only
# ones the pages below do not need; they point at an empty directory so nothing demo-made
# is picked up (production refuses the demo CA).
export ZONEGOV_PRODUCTION=1
SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export SECRET_KEY
export ALLOWED_HOSTS="127.0.0.1,localhost"
ZONEGOV_AUDIT_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")"
export ZONEGOV_AUDIT_KEY
export DATABASE_URL="sqlite:///$WORK/zonegov.sqlite3"
export ZONEGOV_VAR_DIR="$WORK/var"
export STATIC_ROOT="$WORK/staticfiles"
export ZONEGOV_SIGNING_KEY="$WORK/pki/signer.key.pem"
export ZONEGOV_SIGNING_CERT="$WORK/pki/signer.cert.pem"
export ZONEGOV_SIGNING_CHAIN="$WORK/pki/ca.cert.pem"
export ZONEGOV_PUBLIC_BASE_URL="https://localhost"
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
unset DEBUG

echo "== production: migrate =="
"$PY" manage.py migrate --noinput >"$WORK/migrate.log" || { cat "$WORK/migrate.log"; exit 1; }
echo "== production: collectstatic =="
"$PY" manage.py collectstatic --noinput
echo "== production: check --deploy =="
"$PY" manage.py check --deploy --fail-level WARNING

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== production: gunicorn on 127.0.0.1:$PORT =="
"$GUNICORN" zonegov.wsgi:application -w 2 -b "127.0.0.1:$PORT" --timeout 60 \
  --error-logfile "$WORK/gunicorn.log" --capture-output &
GUNICORN_PID=$!

BASE="http://127.0.0.1:$PORT"
# What the TLS reverse proxy sends (docs/deployment.md); settings trust X-Forwarded-Proto.
CURL=(curl -sS -o "$WORK/body" -w '%{http_code}' -H 'X-Forwarded-Proto: https' -H 'Host: localhost' --max-time 30)

ready=""
for _ in $(seq 1 60); do
  if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then
    echo "smoke: gunicorn exited" >&2; cat "$WORK/gunicorn.log" >&2; exit 1
  fi
  if curl -s -o /dev/null --max-time 2 -H 'X-Forwarded-Proto: https' -H 'Host: localhost' \
    "$BASE/accounts/login/"; then
    ready=1; break
  fi
  sleep 0.5
done
[ -n "$ready" ] || { echo "smoke: gunicorn not ready after 30 s" >&2; cat "$WORK/gunicorn.log" >&2; exit 1; }

failures=0
expect() {  # expect <path> <status...>
  local path="$1"; shift
  local code
  code="$("${CURL[@]}" "$BASE$path")" || code="curl-error"
  for want in "$@"; do
    if [ "$code" = "$want" ]; then
      echo "ok   $code $path"; return 0
    fi
  done
  echo "FAIL $code $path (expected $*)" >&2
  head -c 2000 "$WORK/body" >&2 || true; echo >&2
  failures=$((failures + 1))
  return 0
}

expect / 200                       # the public front door (办事服务) for a visitor
expect /services/ 200
expect /guide/licensing.filing.new/ 200
expect /privacy/ 200
expect /no-such-page/ 404          # the Chinese 404 page, with the site shell
grep -q "页面不存在\|找不到" "$WORK/body" || { echo "FAIL the 404 page is not the Chinese one" >&2; failures=$((failures + 1)); }
expect /accounts/login/ 200
# The hashed name of the stylesheet the login page links (manifest storage at work).
STATIC_PATH="$(grep -o '/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]\{12\}\.css' "$WORK/body" | head -n 1 || true)"
expect /verify/ 200
expect /gongshi/ 200
expect /gongshi/rss/ 200
expect /gongshi/atom/ 200
expect /api/openapi.json 200
if [ -n "$STATIC_PATH" ]; then
  expect "$STATIC_PATH" 200
else
  echo "FAIL the login page links no hashed bootstrap stylesheet" >&2
  failures=$((failures + 1))
fi

# A malformed multipart body is the client's error: 400 in the API's JSON shape, not 500.
expect_post_400() {  # expect_post_400 <path> <content-type> <body file>
  local code
  code="$(curl -sS -o "$WORK/body" -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    -H 'Host: localhost' -H "Content-Type: $2" --data-binary "@$3" --max-time 30 \
    "$BASE$1")" || code="curl-error"
  if [ "$code" = 400 ] && grep -q '"message"' "$WORK/body" && grep -q boundary "$WORK/body"; then
    echo "ok   $code POST $1 ($2)"
  else
    echo "FAIL $code POST $1 ($2) (expected 400 with the API's error shape)" >&2
    head -c 2000 "$WORK/body" >&2 || true; echo >&2
    failures=$((failures + 1))
  fi
}
printf '%%PDF-1.7\n' >"$WORK/no-boundary.bin"
LONG_NAME="$(printf 'a%.0s' $(seq 1 1200)).pdf"
printf -- '--zgb\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.7\r\n--zgb--\r\n' \
  "$LONG_NAME" >"$WORK/long-name.bin"
expect_post_400 /api/documents/verify "multipart/form-data" "$WORK/no-boundary.bin"
expect_post_400 /api/documents/verify "multipart/form-data; boundary=zgb" "$WORK/long-name.bin"

# The task runner under the same settings: qcluster starts, takes a queued task and
# records its success (docs/deployment.md "Task runner").
echo "== production: qcluster runs a queued task =="
"$PY" manage.py sync_schedules >/dev/null
"$PY" manage.py qcluster >"$WORK/qcluster.log" 2>&1 &
QCLUSTER_PID=$!
"$PY" manage.py shell -v 0 -c "from django_q.tasks import async_task; async_task('zonegov.core.tasks.outbox_deliver', task_name='smoke-outbox')"
task_ok=""
for _ in $(seq 1 60); do
  if "$PY" manage.py shell -v 0 -c "from django_q.models import Success; import sys; sys.exit(0 if Success.objects.filter(name='smoke-outbox').exists() else 1)" 2>/dev/null; then
    task_ok=1; break
  fi
  sleep 1
done
kill "$QCLUSTER_PID" 2>/dev/null || true
wait "$QCLUSTER_PID" 2>/dev/null || true
if [ -n "$task_ok" ]; then
  echo "ok   qcluster ran the queued outbox delivery"
else
  echo "FAIL qcluster did not run the queued task within 60 s" >&2
  tail -n 30 "$WORK/qcluster.log" >&2
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "smoke: $failures failure(s); gunicorn log:" >&2
  tail -n 50 "$WORK/gunicorn.log" >&2
  exit 1
fi
echo "== production smoke test passed =="
