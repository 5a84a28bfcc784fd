#!/bin/sh
# Builds the apk reference harness from an apk-tools checkout (its own
# src/version.c, src/blob.c and src/ctype.c, unchanged) into $2.
# Usage: build.sh /path/to/apk-tools /tmp/apkvercmp
set -eu
APK=$1
OUT=$2
HERE=$(dirname "$0")
# blob.c refers to apk_digest_alg_len for digest blobs, which versions never use.
echo 'int apk_digest_alg_len(unsigned char alg) { (void)alg; return 0; }' > "$OUT.stub.c"
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$APK/src" -I"$APK/portability" -include stdbool.h -o "$OUT" \
  "$HERE/main.c" "$OUT.stub.c" "$APK/src/version.c" "$APK/src/blob.c" "$APK/src/ctype.c"
