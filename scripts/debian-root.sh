#!/bin/sh
# Builds a minimal Debian bookworm root filesystem in DIR with debootstrap, for the
# real-Debian tests (CHAINPROOF_DEBIAN_ROOT=DIR cargo test -p chainproof-catalog --test os_debian_root).
# The mirror is taken from the host's apt sources (deb822 `URIs:` or one-line `deb` entries),
# falling back to deb.debian.org. Needs root and `apt-get install -y debootstrap`.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
mirror=""
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    m=$(grep -hE '^(URIs:[[:space:]]+|deb[[:space:]]+)[^[:space:]]*/debian/?([[:space:]]|$)' "$f" \
        | sed -E 's/^URIs:[[:space:]]+//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*$//' \
        | head -n 1)
    if [ -n "$m" ]; then
        mirror=$m
        break
    fi
done
: "${mirror:=http://deb.debian.org/debian}"
echo "debootstrap --variant=minbase bookworm $dir $mirror" >&2
exec debootstrap --variant=minbase bookworm "$dir" "$mirror"
