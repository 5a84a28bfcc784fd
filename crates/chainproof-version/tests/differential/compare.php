<?php
// Reference side of gen_lang.py for Packagist: Composer\Semver's VersionParser::normalize,
// then PHP's version_compare on the normalized strings, which is what Composer's
// Constraint::versionCompare does for non-branch versions. A string is valid when normalize
// accepts it and the result is not a branch ("dev-..."), which Composer never orders.
// Protocol: see maven/Compare.java.
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\Semver\VersionParser;
$parser = new VersionParser();
$in = fopen('php://stdin', 'r');
$mode = trim(fgets($in));
$n = (int) trim(fgets($in));
$norm = [];
for ($i = 0; $i < $n; $i++) {
    $s = hex2bin(trim(fgets($in)));
    try {
        $v = $parser->normalize($s);
        $norm[] = strpos($v, 'dev-') === 0 ? null : $v;
    } catch (\Exception $e) {
        $norm[] = null;
    }
}
if ($mode === 'sort') {
    $idx = [];
    foreach ($norm as $i => $v) {
        echo $v === null ? "0\n" : "1\n";
        if ($v !== null) $idx[] = $i;
    }
    usort($idx, function ($a, $b) use ($norm) { return version_compare($norm[$a], $norm[$b]); });
    echo implode(' ', $idx), "\n";
} else {
    while (($line = fgets($in)) !== false) {
        $line = trim($line);
        if ($line === '') continue;
        [$i, $j] = array_map('intval', explode(' ', $line));
        $c = version_compare($norm[$i], $norm[$j]);
        echo $c < 0 ? "<\n" : ($c > 0 ? ">\n" : "=\n");
    }
}
