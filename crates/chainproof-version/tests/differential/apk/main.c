/* Reference harness for the apk differential fixtures: links apk-tools' own
 * version.c (see build.sh). Reads lines "A<TAB>B" and prints apk_version_compare
 * as <, = or >; with the argument "valid", reads lines "A" and prints
 * apk_version_validate (1 or 0). */
#include <stdio.h>
#include <string.h>
#include "apk_version.h"
int main(int argc, char **argv) {
    char line[8192];
    int mode = argc > 1 && strcmp(argv[1], "valid") == 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n-1] == '\n') line[--n] = 0;
        if (mode) { printf("%d\n", apk_version_validate(APK_BLOB_PTR_LEN(line, n))); continue; }
        char *tab = strchr(line, '\t');
        if (!tab) return 2;
        *tab = 0;
        int r = apk_version_compare(APK_BLOB_STR(line), APK_BLOB_STR(tab + 1));
        printf("%s\n", apk_version_op_string(r));
    }
    return 0;
}
