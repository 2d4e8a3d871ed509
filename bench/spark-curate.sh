#!/usr/bin/env bash
# curate on one input with the local runner and with --engine spark --master local[N], timed end to
# end (JVM start included), then checks both releases hold the same bytes.
# Usage: bench/spark-curate.sh INPUT WORKDIR [MASTER] [extra curate flags...]
# Runs from a snapshot of the built jars (WORKDIR/dist), so a rebuild during a long run cannot
# change the code under test. Build first: mvn -B -DskipTests package -pl cli -am
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
input="$1"; work="$2"; master="${3:-local[2]}"; shift 3 || shift $#
mkdir -p "$work"
dist="$work/dist"
rm -rf "$dist"; mkdir -p "$dist/mods"
cp -r "$here/cli/target/chatcorpus.jar" "$here/cli/target/lib" "$dist/"
# The spark class path names the modules' jars in the work tree: snapshot those too.
cp_line=""
for f in $(cat "$here/spark/target/spark-classpath.txt" "$here/spark/target/runtime-classpath.txt" | tr ':' '\n'); do
  case "$f" in
    "$here"/*) cp "$f" "$dist/mods/"; f="$dist/mods/$(basename "$f")";;
  esac
  cp_line="$cp_line:$f"
done
opts="${CHATCORPUS_JAVA_OPTS:--Xmx4g}"
spark_opts="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true -Dlog4j.configurationFile=org/chatcorpus/spark/log4j2-cli.properties -Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider -Dslf4j.internal.verbosity=WARN"
rm -rf "$work/local" "$work/local.work" "$work/spark" "$work/spark.work"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
java $opts -jar "$dist/chatcorpus.jar" curate "$input" --out "$work/local" "$@" > "$work/local.log" 2>&1
t1=$(date +%s.%N)
# shellcheck disable=SC2086
java $opts $spark_opts -cp "${cp_line#:}:$dist/chatcorpus.jar" org.chatcorpus.cli.ChatCorpus curate "$input" --out "$work/spark" \
  --engine spark --master "$master" "$@" > "$work/spark.log" 2>&1
t2=$(date +%s.%N)
same="yes"
for f in "$work"/local/data/*.parquet "$work/local/README.md"; do
  cmp -s "$f" "$work/spark/${f#"$work"/local/}" || same="NO ($f differs)"
done
python3 - "$t0" "$t1" "$t2" "$same" "$master" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4])
local, spark = t1 - t0, t2 - t1
print(f"local runner: {local:.1f} s   spark {sys.argv[5]}: {spark:.1f} s   spark/local: {spark/local:.2f}   same release bytes: {sys.argv[4]}")
PY
