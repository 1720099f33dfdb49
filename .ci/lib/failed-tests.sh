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
  # each failed test: its line, the first 10 lines of its message, and from the assertion's end ("==>") or the first
  # stack line on, 8 lines (a long message, e.g. a process's output, is cut in the middle); 400 characters a line
  awk 'function flush() { if (n == 0) return; for (i = 1; i <= n && i <= 11; i++) print substr(b[i], 1, 400)
         s = 0; for (i = 12; i <= n; i++) if (b[i] ~ /==>|^\tat /) { s = i; break }
         if (s > 12) print "  [... " (s - 12) " lines ...]"
         if (s > 0) for (i = s; i <= n && i < s + 8; i++) print substr(b[i], 1, 400)
         n = 0 }
       /<<< (FAILURE|ERROR)!/ && / -- Time elapsed/ { flush(); on = 1 }
       on { b[++n] = $0 }
       END { flush() }' "$f" | head -150
done
for h in target/test-hang-*.txt; do
  found=1
  echo "==== hang: $h"
  head -60 "$h" | cut -c1-400
done
[ "$found" = 1 ] || echo "==== no failed test in the reports (the build failed elsewhere: see above)"
