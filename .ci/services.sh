#!/usr/bin/env bash
# Install the Debian tools the tests drive (Chromium for browser tests, nginx and
# HAProxy for the proxy end-to-end tests, memcached for the cache backend, wrk for load), start
# PostgreSQL, Redis and memcached when they are not up, and fail loudly when they
# cannot be reached: tests talk to the real servers, never to mocks.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "services: installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
memcached_up() { (exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'version\r\n' >&3 && head -c 7 <&3 | grep -q VERSION) 2>/dev/null; }

if ! pg_up; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
# The fault tests (test/robustness/faults/) stop and start a PostgreSQL cluster of their own on port 5433,
# never this shared one; create it once (trust on loopback, like the main cluster). They start it themselves.
pg_version="$(ls /etc/postgresql | sort | tail -1)"
if [ -n "$pg_version" ] && [ ! -d "/etc/postgresql/$pg_version/faults" ]; then
  echo "services: creating the PostgreSQL cluster 'faults' on port 5433 for the fault tests"
  pg_createcluster "$pg_version" faults -p 5433 -- --auth=trust >/dev/null || true
fi
if ! redis_up; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
if ! memcached_up; then
  echo "services: starting memcached"
  memcached -d -u memcache -l 127.0.0.1 -p 11211 -m 64 || memcached -d -u root -l 127.0.0.1 -p 11211 -m 64 || true
  for _ in $(seq 1 30); do memcached_up && break; sleep 1; done
fi

pg_up || { echo "services: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
redis_up || { echo "services: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
memcached_up || { echo "services: memcached is not reachable on 127.0.0.1:11211" >&2; exit 1; }
echo "services: PostgreSQL, Redis and memcached are up"
