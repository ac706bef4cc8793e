#!/usr/bin/env bash
# bench/import.sh [N] - import a roster of N (default 100,000) members
# into the demo campaign and compare with the peer: SQLite's own CSV
# import (sqlite3 .import) of the same file into one table with a unique
# index on the ID number, measured in the same run. Prints the ratio.
set -eu
cd "$(dirname "$0")/.."
n=${1:-100000}
make -s all
mkdir -p build/bench
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude bench/gen_roster.c build/libxianjiao.a \
	$(pkg-config --libs sqlite3 libsodium) -o build/bench/gen_roster
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/xianjiao demo --db "$work/x.db" >/dev/null
codes=$(sqlite3 "$work/x.db" "SELECT code FROM orgs WHERE type = 4")
# shellcheck disable=SC2086
build/bench/gen_roster "$n" $codes >"$work/roster.csv"
size=$(du -h "$work/roster.csv" | cut -f1)

now() { date +%s.%N; }
t0=$(now)
build/xianjiao import members "$work/roster.csv" --db "$work/x.db" >"$work/out.txt"
t1=$(now)
sqlite3 "$work/peer.db" "CREATE TABLE m (idn TEXT, name TEXT, sex TEXT,
	birth TEXT, joined TEXT, org TEXT, cat TEXT);
	CREATE UNIQUE INDEX m_idn ON m (idn);"
t2=$(now)
sqlite3 "$work/peer.db" ".import --csv --skip 1 $work/roster.csv m"
t3=$(now)

ours=$(echo "$t1 - $t0" | bc -l)
peer=$(echo "$t3 - $t2" | bc -l)
printf 'import of %d members (%s CSV): xianjiao %.2f s, sqlite3 .import %.2f s, ratio %.1f\n' \
	"$n" "$size" "$ours" "$peer" "$(echo "$ours / $peer" | bc -l)"
cat "$work/out.txt"
