#!/usr/bin/env bash
# bench/run.sh [city|prefecture|province|nation] [engine_bench options...]
#
# The engine benchmark end to end (bench/README.md): install what it needs
# (scripts/setup with bench/debian-packages.txt), build (`make bench`),
# create a SQLite database with the real schema (`xianjiao init`), start a
# throwaway PostgreSQL (bench/pg.sh), and run build/bench/engine_bench at
# nice 10: generate the campaign, feed the engine, load both SQL peers,
# ask the same question of all three, check the answers agree, print the
# table. Everything it creates is removed at the end. The output is also
# kept in build/bench/SCALE.txt.
#
# XJ_BENCH_TMP: where the SQLite file and PostgreSQL's data go (default
# /tmp; the province needs about 50 GB free there).
# XJ_BENCH_PEERS=0: the engine only (no SQLite, no PostgreSQL); the
# default for the nation shard, whose SQL peers would take hours.
set -eu
cd "$(dirname "$0")/.."

scale=${1:-city}
[ $# -gt 0 ] && shift
case $scale in
city | prefecture | province) peers=${XJ_BENCH_PEERS:-1} ;;
nation) peers=${XJ_BENCH_PEERS:-0} ;;
*)
	echo "用法: bench/run.sh [city|prefecture|province|nation] [选项...]" >&2
	exit 2
	;;
esac

scripts/setup
scripts/setup bench/debian-packages.txt
make -s all bench

tmp=${XJ_BENCH_TMP:-/tmp}
work=$(mktemp -d "$tmp/xjbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=build/bench/$scale.txt

{
	echo "bench/run.sh $scale $*"
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
	echo "commit: $(git describe --always --dirty 2>/dev/null || echo '?')"
} | tee "$out"

if [ "$peers" = 1 ]; then
	XJ_ADMIN_PASSWORD=engine-bench-2005 build/xianjiao init \
		--db "$work/bench.db" >/dev/null
	XJ_BENCH_TMP=$tmp nice -n 10 bench/pg.sh build/bench/engine_bench \
		"$scale" --db "$work/bench.db" --pg "$@" 2>&1 | tee -a "$out"
else
	nice -n 10 build/bench/engine_bench "$scale" "$@" 2>&1 | tee -a "$out"
fi
exit "${PIPESTATUS[0]}"
