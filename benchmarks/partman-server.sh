#!/usr/bin/env bash
# Installs Debian's PostgreSQL 15 with pg_partman beside it and prepares a database "bench" for the maintenance
# benchmark's pg_partman cases. Run as root on Debian 12; prints the JDBC URL and the environment to use.
set -euo pipefail
port="${PARTMAN_PORT:-5432}"
password="${PARTMAN_PASSWORD:-bench}"
installed=no
if ! dpkg -s postgresql-15-partman >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-15-partman
    installed=yes
fi
if ! pg_lsclusters -h | awk '$1 == 15 && $2 == "main"' | grep -q .; then
    pg_createcluster 15 main --port "$port"
fi
if [ "$installed" = yes ]; then
    # packages installed or upgraded under a running cluster leave it with the old binaries loaded
    # ("undefined symbol" on the next extension load): restart it on the new ones
    pg_ctlcluster 15 main restart 2>/dev/null || pg_ctlcluster 15 main start
else
    pg_ctlcluster 15 main start 2>/dev/null || true
fi
su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD '$password'\""
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = 'bench'\"" | grep -q 1 \
    || su postgres -c "createdb -p $port bench"
su postgres -c "psql -q -p $port -d bench -c 'CREATE SCHEMA IF NOT EXISTS partman' -c 'CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman'"
echo "PGUSER=postgres PGPASSWORD=$password mvn -B -q -DskipTests -Pbenchmarks package -Dexec.args=\"--url jdbc:postgresql://127.0.0.1:$port/bench --only maintenance\""
