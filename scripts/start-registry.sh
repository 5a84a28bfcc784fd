#!/bin/sh
# Starts Debian's docker-registry (distribution v2) on 127.0.0.1 with temporary storage, for
# manual use and CI. Prints the registry address and the PID; stop it with `kill <PID>`.
#
#   scripts/start-registry.sh [PORT]         (default 5000)
#   REGISTRY_HTPASSWD=/path/htpasswd scripts/start-registry.sh   (require Basic auth)
#
# Needs: apt-get install -y docker-registry   (binary /usr/bin/docker-registry)
# The Debian package also installs a service with /etc/docker/registry/config.yml; this
# script does not use it (no root, no :5000 on all interfaces, no persistent storage).
set -eu

PORT="${1:-5000}"
BIN="${CHAINPROOF_DOCKER_REGISTRY:-/usr/bin/docker-registry}"
if [ ! -x "$BIN" ]; then
    if command -v registry >/dev/null 2>&1; then
        BIN="$(command -v registry)"
    else
        echo "start-registry: $BIN not found; apt-get install -y docker-registry" >&2
        exit 1
    fi
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/chainproof-registry.XXXXXX")"
mkdir -p "$DIR/storage"
{
    echo "version: 0.1"
    echo "log:"
    echo "  level: warn"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $DIR/storage"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$PORT"
    echo "  secret: chainproof-local-registry"
    if [ -n "${REGISTRY_HTPASSWD:-}" ]; then
        echo "auth:"
        echo "  htpasswd:"
        echo "    realm: chainproof"
        echo "    path: $REGISTRY_HTPASSWD"
    fi
} > "$DIR/config.yml"

nohup "$BIN" serve "$DIR/config.yml" > "$DIR/registry.log" 2>&1 &
PID=$!
echo "$PID" > "$DIR/pid"

i=0
while [ "$i" -lt 100 ]; do
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "start-registry: docker-registry exited; log:" >&2
        cat "$DIR/registry.log" >&2
        exit 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" 2>/dev/null || true)"
    if [ "$code" = "200" ] || [ "$code" = "401" ]; then
        echo "registry 127.0.0.1:$PORT pid $PID storage $DIR/storage log $DIR/registry.log"
        exit 0
    fi
    i=$((i + 1))
    sleep 0.1
done
echo "start-registry: no answer on http://127.0.0.1:$PORT/v2/ after 10 s; log:" >&2
cat "$DIR/registry.log" >&2
kill "$PID" 2>/dev/null || true
exit 1
