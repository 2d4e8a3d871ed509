#!/usr/bin/env bash
# Runs one benchmark main class with the bench module's full classpath.
# Usage: bench/run.sh org.chatcorpus.bench.arena.LeaderboardBench [ARGS...]   (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# One reactor run, so sibling modules resolve to their freshly built jars (nothing is installed).
mvn -B -q -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
cls="$1"; shift
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$cls" "$@"
