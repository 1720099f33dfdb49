#!/usr/bin/env bash
# Prints the tests that failed in this build's surefire/failsafe reports, at the end of the log, where a CI that keeps
# only the tail of the output still shows them: each failed test, its message and the top of its stack, lines cut short.
cd "$(dirname "$0")/../.."
shopt -s nullglob
found=0
for f in target/surefire-reports/*.txt target/failsafe-reports*/*.txt; do
  grep -q '<<< \(FAILURE\|ERROR\)!' "$f" || continue
  found=1
  echo "==== failed: $f"
  # from each failed test's line, its message and stack, at most 25 lines a test, 400 characters a line
  awk '/<<< (FAILURE|ERROR)!/ && / -- Time elapsed/ { n = 25 } n > 0 { print substr($0, 1, 400); n-- }' "$f" | head -120
done
for h in target/test-hang-*.txt; do
  found=1
  echo "==== hang: $h"
  head -60 "$h" | cut -c1-400
done
[ "$found" = 1 ] || echo "==== no failed test in the reports (the build failed elsewhere: see above)"
