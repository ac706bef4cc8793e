#!/usr/bin/env bash
# bench/pg.sh CMD [ARG...] - run CMD against a throwaway PostgreSQL server.
#
# initdb into a new temporary directory (under $XJ_BENCH_TMP, default
# /tmp), a server listening only on a unix socket in that directory (no
# TCP, on a port number no other server here uses), CMD run with PGHOST,
# PGPORT, PGUSER and PGDATABASE naming it; then the server is stopped and
# the directory removed, whatever happens (trap).
#
# Settings are a bulk-load benchmark's, not a production server's: fsync,
# full_page_writes and synchronous_commit off, wal_level minimal (a table
# created and filled in one transaction writes no WAL), autovacuum off
# (the load runs ANALYZE itself), 4 GB of shared buffers. The server runs
# as the user "postgres" when this script runs as root (PostgreSQL refuses
# to run as root).
set -eu

[ $# -ge 1 ] || {
	echo "用法: bench/pg.sh CMD [ARG...]" >&2
	exit 2
}

if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
	bindir=$(dirname "$(command -v initdb)")
else
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || {
	echo "bench/pg.sh: 找不到 PostgreSQL (initdb); 请运行 bench/run.sh 安装" >&2
	exit 1
}

work=$(mktemp -d "${XJ_BENCH_TMP:-/tmp}/xjbench-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$work"
	as_pg=(runuser -u postgres --)
fi

stop() {
	if [ -f "$work/data/postmaster.pid" ]; then
		"${as_pg[@]}" "$bindir/pg_ctl" -D "$work/data" -m fast -w stop \
			>/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A port number nobody is listening on; only the socket file's name
# carries it, since the server opens no TCP socket.
port=54329
while [ -e "/tmp/.s.PGSQL.$port" ] ||
	{ command -v ss >/dev/null 2>&1 && ss -ltn 2>/dev/null | grep -q ":$port "; }; do
	port=$((port + 1))
done

"${as_pg[@]}" "$bindir/initdb" -D "$work/data" -U postgres --auth=trust \
	-E UTF8 --no-locale >"$work/initdb.log" 2>&1 || {
	cat "$work/initdb.log" >&2
	exit 1
}
cat >>"$work/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$work'
port = $port
fsync = off
full_page_writes = off
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 16GB
checkpoint_timeout = 1h
autovacuum = off
shared_buffers = 4GB
effective_cache_size = 12GB
maintenance_work_mem = 2GB
work_mem = 512MB
EOF
"${as_pg[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
	start >/dev/null || {
	cat "$work/server.log" >&2
	exit 1
}
echo "bench/pg.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}')" \
	"在 $work (端口 $port)" >&2

PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres "$@"
