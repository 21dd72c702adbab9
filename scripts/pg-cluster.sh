# Shell functions for a throwaway PostgreSQL cluster: data and socket in a temporary folder, a free port on
# 127.0.0.1, run as the `postgres` user when the caller is root. Sourced by scripts/test and bench/run.
#   pg_cluster_start   sets PGBIN, PGTMP, PGPORT, PG_AS (the command prefix that runs as postgres); exits on failure
#   pg_cluster_stop    stops the cluster (and any cluster a test started below it) and removes the folder

pg_find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true; }

pg_cluster_install() {
  PGBIN=$(pg_find_bin)
  if [ -z "$PGBIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib </dev/null >/dev/null \
      || { apt-get update -q </dev/null >/dev/null \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib </dev/null >/dev/null; }
    PGBIN=$(pg_find_bin)
  fi
}

pg_cluster_start() {
  local max_connections=${1:-300}
  PGTMP=$(mktemp -d /tmp/taskd-pg.XXXXXX)
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGTMP"; PG_AS=(runuser -u postgres --); fi
  PGPORT=""
  for p in $(seq 25432 25632); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { PGPORT=$p; break; }; done
  [ -n "$PGPORT" ] || { echo "no free port for PostgreSQL" >&2; exit 1; }
  (cd / && "${PG_AS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -N -E UTF8 --locale=C.UTF-8 \
      >"$PGTMP/initdb.log" 2>&1) || { cat "$PGTMP/initdb.log" >&2; exit 1; }
  (cd / && "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w -t 60 start \
      -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=$max_connections ${PG_EXTRA_OPTIONS:-}" \
      >/dev/null) || { cat "$PGTMP/pg.log" >&2; exit 1; }
}

pg_cluster_stop() {
  [ -n "${PGTMP:-}" ] || return 0
  local data
  for data in "$PGTMP"/data "$PGTMP"/own.*/data; do
    if [ -f "$data/postmaster.pid" ]; then
      (cd / && "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true)
    fi
  done
  rm -rf "$PGTMP"
}
