#!/usr/bin/env bash
# harness.sh -- start and stop a private metapic-api stack in one directory:
# MariaDB (unix socket only), the worker pool, the export workers, nginx
# (127.0.0.1 only), and on demand the same binary under spawn-fcgi or Apache
# mod_fcgid.
#
#   harness.sh start DIR [HTTP_PORT HTTPS_PORT]   everything, with demo data
#   harness.sh stop DIR                           everything this DIR started
#   harness.sh db-stop|db-start|db-pause|db-resume DIR
#   harness.sh pool-start DIR [max-requests=N]
#   harness.sh pool-stop|pool-stop-async|pool-wait-stopped|pool-reload DIR
#   harness.sh workers-start|workers-stop DIR     the export workers
#   harness.sh exporter DIR [--once|--sweep]      one metapic-export-worker
#   harness.sh spawnfcgi-start|spawnfcgi-stop DIR PORT
#   harness.sh apache-start|apache-stop DIR PORT
#   harness.sh sed-config DIR SED-EXPRESSION      edit the pool's config
#   harness.sh token DIR USER_ID [TTL]
#
# Binaries come from $METAPIC_BUILD (default: the source tree). Used by
# scripts/run, the integration tests and the benchmark.
# METAPIC_DB_BUFFER_POOL: MariaDB's InnoDB buffer pool (default 128M; the
# benchmark gives it what a production box would, bench/run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${METAPIC_BUILD:-$src}
api=$build/metapic-api
tokenbin=$build/metapic-token
exporter=$build/metapic-export-worker

die() { echo "harness: $*" >&2; exit 1; }
log() { echo "harness: $*" >&2; }

# Waits up to $2 tenths of a second for command $1 to succeed.
wait_for() {
	local tries=$2
	while ! eval "$1" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

stop_pidfile() {
	local f=$1 sig=${2:-TERM} i
	pid_alive "$f" || { rm -f "$f"; return 0; }
	kill "-$sig" "$(cat "$f")" 2>/dev/null || true
	for i in $(seq 1 150); do
		pid_alive "$f" || { rm -f "$f"; return 0; }
		sleep 0.1
	done
	kill -KILL "$(cat "$f")" 2>/dev/null || true
	rm -f "$f"
}

# ---------------------------------------------------------------- MariaDB
db_start() {
	local d=$1
	mkdir -p "$d/db"
	if [ ! -d "$d/db/data/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$d/db/data" --user=root \
			--auth-root-authentication-method=normal --skip-test-db \
			>"$d/db/install.log" 2>&1 || { cat "$d/db/install.log" >&2; die "mariadb-install-db failed"; }
	fi
	pid_alive "$d/db/pid" && return 0
	mariadbd --no-defaults --datadir="$d/db/data" --user=root --skip-networking \
		--socket="$d/db/mysql.sock" --pid-file="$d/db/pid" --log-error="$d/db/err.log" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--default-time-zone=+00:00 --innodb-buffer-pool-size="${METAPIC_DB_BUFFER_POOL:-128M}" \
		--innodb-flush-log-at-trx-commit=2 --max-connections=500 &
	disown
	wait_for "mariadb-admin --no-defaults --socket='$d/db/mysql.sock' -uroot ping" 300 ||
		{ tail -20 "$d/db/err.log" >&2; die "MariaDB did not start"; }
}

db_stop() {
	local d=$1
	pid_alive "$d/db/pid" || return 0
	mariadb-admin --no-defaults --socket="$d/db/mysql.sock" -uroot shutdown 2>/dev/null ||
		stop_pidfile "$d/db/pid"
	wait_for "! kill -0 \$(cat '$d/db/pid' 2>/dev/null) 2>/dev/null" 300 || true
}

db_setup() {
	local d=$1 pw
	if [ ! -f "$d/db-password" ]; then
		(umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$d/db-password")
	fi
	pw=$(cat "$d/db-password")
	"$src/scripts/migrate" --socket "$d/db/mysql.sock" --database metapic --user root --demo >&2
	mariadb --no-defaults --socket="$d/db/mysql.sock" -uroot <<-SQL
		CREATE USER IF NOT EXISTS 'metapic'@'localhost' IDENTIFIED BY '$pw';
		ALTER USER 'metapic'@'localhost' IDENTIFIED BY '$pw';
		GRANT SELECT, INSERT, UPDATE, DELETE ON metapic.* TO 'metapic'@'localhost';
	SQL
}

# ---------------------------------------------------------------- config
write_config() {
	local d=$1
	if [ ! -f "$d/jwt-secret" ]; then
		(umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' >"$d/jwt-secret")
	fi
	mkdir -p "$rt/exports" "$rt/media/tmp" "$rt/invoices"
	# The demo's invoice files (readable by nginx and Apache's users).
	cp -R "$src/sql/demo/files/." "$rt/invoices/"
	chmod -R a+rX "$rt/invoices"
	cat >"$d/metapic.conf" <<-EOF
		# Written by t/integration/harness.sh for a private stack in $d.
		# Every key is documented in conf/metapic.conf.example.
		workers = ${METAPIC_WORKERS:-4}
		shutdown_timeout = 10
		log_file = $d/metapic.log
		log_level = info
		db_socket = $d/db/mysql.sock
		db_name = metapic
		db_user = metapic
		db_password_file = $d/db-password
		db_connect_timeout = 2
		db_read_timeout = ${METAPIC_DB_READ_TIMEOUT:-3}
		db_write_timeout = 3
		jwt_algorithm = HS256
		jwt_secret_file = $d/jwt-secret
		jwt_leeway = 30
		max_body_bytes = 1048576
		rate_limit = ${METAPIC_RATE_LIMIT:-300}
		rate_limit_file = $d/ratelimit
		media_base_url = https://media.metapic.com
		short_link_base = https://mtpc.se
		export_dir = $rt/exports
		accel_redirect = /_exports/
		export_heartbeat_timeout = ${METAPIC_EXPORT_HEARTBEAT:-5}
		export_poll_interval = 100
		media_dir = $rt/media
		invoice_dir = $rt/invoices
		max_upload_bytes = 10485760
	EOF
}

# ---------------------------------------------------------------- pool
pool_start() {
	local d=$1
	pid_alive "$d/pool.pid" && return 0
	[ -x "$api" ] || die "$api is not built (run make)"
	# nginx's workers run as nobody: the socket must be theirs to open.
	# METAPIC_API_WRAPPER: a command to run the pool under (bench/profile's valgrind).
	# shellcheck disable=SC2086
	(umask 000; exec ${METAPIC_API_WRAPPER:-} "$api" --config "$d/metapic.conf" --listen "unix:$rt/fcgi.sock" \
		--pid-file "$d/pool.pid" ${METAPIC_MAX_REQUESTS:+--max-requests $METAPIC_MAX_REQUESTS} \
		>>"$d/metapic.log" 2>&1 </dev/null) &
	disown
	wait_for "[ -S '$rt/fcgi.sock' ] && [ -s '$d/pool.pid' ]" 100 || die "the pool did not start; see $d/metapic.log"
	chmod 0666 "$rt/fcgi.sock"
}

pool_stop() { stop_pidfile "$1/pool.pid" TERM; }
# SIGTERM without waiting; pool-wait-stopped waits (up to 15 s).
pool_stop_async() { pid_alive "$1/pool.pid" && kill -TERM "$(cat "$1/pool.pid")"; }
pool_wait_stopped() {
	wait_for "! kill -0 \$(cat '$1/pool.pid' 2>/dev/null) 2>/dev/null" 150
}
# SIGHUP, then wait (up to 15 s) until every worker that ran the old
# config has exited: the master replaces them one at a time. (Not from the
# log: a test may point the log at /dev/full.)
pool_reload() {
	local pid old p pat=()
	pid_alive "$1/pool.pid" || return 1
	pid=$(cat "$1/pool.pid")
	old=$(pgrep -P "$pid" || true)
	for p in $old; do pat+=(-e "$p"); done
	kill -HUP "$pid"
	[ ${#pat[@]} -gt 0 ] || return 0
	wait_for "! pgrep -P $pid | grep -qx ${pat[*]}" 150
}

# ---------------------------------------------------------------- export workers
# METAPIC_EXPORT_WORKERS (default 2) metapic-export-worker processes,
# each with its pid in DIR/export-worker.N.pid.
workers_start() {
	local d=$1 n=${METAPIC_EXPORT_WORKERS:-2} i
	[ -x "$exporter" ] || die "$exporter is not built (run make)"
	for i in $(seq 1 "$n"); do
		pid_alive "$d/export-worker.$i.pid" && continue
		# nginx (nobody) reads what the workers write.
		(umask 022; exec "$exporter" --config "$d/metapic.conf" \
			--pid-file "$d/export-worker.$i.pid" >>"$d/metapic.log" 2>&1 </dev/null) &
		disown
		wait_for "[ -s '$d/export-worker.$i.pid' ]" 100 ||
			die "export worker $i did not start; see $d/metapic.log"
	done
}

workers_stop() {
	local f
	for f in "$1"/export-worker.*.pid; do
		[ -e "$f" ] && stop_pidfile "$f" TERM
	done
	return 0
}

# ---------------------------------------------------------------- nginx
nginx_conf() {
	local d=$1 name=$2 http=$3 https=$4 sock=$5
	sed -e "s|@RUNDIR@|$rt/$name|g; s|@HTTP_PORT@|$http|g; s|@HTTPS_PORT@|$https|g" \
	    -e "s|@SOCKET@|$sock|g; s|@EXPORT_DIR@|$rt/exports|g" \
	    -e "s|@PARAMS@|$src/conf/nginx/metapic-fastcgi-params|g" \
	    -e "s|@CERT@|$d/tls/cert.pem|g; s|@KEY@|$d/tls/key.pem|g" \
	    "$src/conf/nginx/dev.conf.in" >"$rt/$name/nginx.conf"
}

nginx_start() {
	local d=$1 name=$2 http=$3 https=$4 sock=$5
	mkdir -p "$rt/$name" "$d/tls"
	if [ ! -f "$d/tls/cert.pem" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost \
			-keyout "$d/tls/key.pem" -out "$d/tls/cert.pem" >/dev/null 2>&1 ||
			die "openssl could not make a certificate"
	fi
	nginx_conf "$d" "$name" "$http" "$https" "$sock"
	pid_alive "$rt/$name/nginx.pid" && return 0
	nginx -p "$rt/$name" -c "$rt/$name/nginx.conf" -e "$rt/$name/nginx-error.log" ||
		die "nginx did not start; see $rt/$name/nginx-error.log"
	wait_for "[ -s '$rt/$name/nginx.pid' ]" 50 || die "nginx wrote no pid file"
}

nginx_stop() {
	local d=$1 name=$2
	[ -f "$rt/$name/nginx.conf" ] || return 0
	pid_alive "$rt/$name/nginx.pid" || return 0
	nginx -p "$rt/$name" -c "$rt/$name/nginx.conf" -e "$rt/$name/nginx-error.log" -s quit 2>/dev/null || true
	wait_for "! kill -0 \$(cat '$rt/$name/nginx.pid' 2>/dev/null) 2>/dev/null" 100 ||
		stop_pidfile "$rt/$name/nginx.pid" KILL
}

# ---------------------------------------------------------------- spawn-fcgi
spawnfcgi_start() {
	local d=$1 port=$2
	mkdir -p "$rt/spawn"
	# Files are streamed by the app here, as under any server without
	# nginx's internal location: the mode the tests compare.
	sed -e "s|^accel_redirect = .*|accel_redirect =|" "$d/metapic.conf" >"$rt/spawn/metapic.conf"
	# spawn-fcgi points the app's stdout and stderr at /dev/null: a shell
	# in between sends stderr (crashes, sanitizer reports) to a file of the
	# stack, then becomes the app (same pid, so the pid file stays right).
	METAPIC_SPAWN_STDERR=$d/spawn-fcgi.stderr \
	spawn-fcgi -s "$rt/spawn/fcgi.sock" -M 0666 -P "$rt/spawn/spawn.pid" -- \
		/bin/sh -c 'exec "$0" "$@" 2>>"$METAPIC_SPAWN_STDERR"' \
		"$api" --config "$rt/spawn/metapic.conf" --workers 2 >/dev/null ||
		die "spawn-fcgi failed"
	nginx_start "$d" spawn-nginx "$port" "$((port + 1))" "$rt/spawn/fcgi.sock"
}

spawnfcgi_stop() {
	local d=$1
	nginx_stop "$d" spawn-nginx
	stop_pidfile "$rt/spawn/spawn.pid" TERM
	rm -f "$rt/spawn/fcgi.sock"
}

# ---------------------------------------------------------------- Apache
apache_start() {
	local d=$1 port=$2 a=$1/apache
	mkdir -p "$a"
	# Apache runs its children as www-data: give them a config and files
	# of their own (log, rate limit) they can write.
	sed -e "s|^log_file = .*|log_file = $a/metapic.log|" \
	    -e "s|^rate_limit_file = .*|rate_limit_file = $a/ratelimit|" \
	    -e "s|^accel_redirect = .*|accel_redirect =|" \
	    "$d/metapic.conf" >"$a/metapic.conf"
	# Its children write uploads and the invoice zips too.
	chown -R www-data:www-data "$rt/media" "$rt/exports"
	# The build tree may sit under a directory www-data cannot enter.
	install -m 0755 "$api" "$a/metapic-api"
	touch "$a/metapic.log" "$a/ratelimit"
	chown www-data:www-data "$a" "$a/metapic.log" "$a/ratelimit"
	chmod 0644 "$d/jwt-secret" "$d/db-password"
	sed -e "s|@RUNDIR@|$a|g; s|@PORT@|$port|g; s|@BINARY@|$a/metapic-api|g" \
	    -e "s|@CONFIG@|$a/metapic.conf|g; s|@USER@|www-data|g; s|@GROUP@|www-data|g" \
	    "$src/conf/apache/dev.conf.in" >"$a/httpd.conf"
	# mod_fcgid's children get the environment of FcgidInitialEnv, not
	# Apache's: pass the sanitizers' options on (log_path included), with
	# a copy of any suppressions file where www-data can read it. Their
	# stderr is Apache's ErrorLog, $a/apache-error.log.
	local v val supp
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		val=${!v:-}
		[ -n "$val" ] || continue
		if [[ $val =~ suppressions=([^:]+) ]]; then
			supp=${BASH_REMATCH[1]}
			install -m 0644 "$supp" "$a/$v.supp"
			val=${val//"$supp"/"$a/$v.supp"}
		fi
		printf 'FcgidInitialEnv %s "%s"\n' "$v" "$val" >>"$a/httpd.conf"
	done
	apache2 -f "$a/httpd.conf" -k start || die "apache2 did not start; see $a"
	wait_for "curl -s -o /dev/null http://127.0.0.1:$port/healthz" 100 || die "Apache does not answer"
}

apache_stop() {
	local a=$1/apache
	[ -f "$a/httpd.conf" ] || return 0
	apache2 -f "$a/httpd.conf" -k stop 2>/dev/null || true
	wait_for "! pgrep -f '$a/httpd.conf'" 100 || pkill -KILL -f "$a/httpd.conf" || true
	chmod 0600 "$1/jwt-secret" "$1/db-password" 2>/dev/null || true
}

# ---------------------------------------------------------------- all
start_all() {
	local d=$1 http=${2:-8080} https=${3:-8443}
	mkdir -p "$d"
	chmod 0755 "$d"
	db_start "$d"
	db_setup "$d"
	write_config "$d"
	pool_start "$d"
	workers_start "$d"
	nginx_start "$d" nginx "$http" "$https" "$rt/fcgi.sock"
	echo "$http" >"$d/http_port"
	echo "$https" >"$d/https_port"
	wait_for "curl -sf -o /dev/null http://127.0.0.1:$http/healthz" 100 ||
		die "the API does not answer on http://127.0.0.1:$http/healthz; see $d/metapic.log"
}

stop_all() {
	local d=$1
	apache_stop "$d"
	spawnfcgi_stop "$d"
	nginx_stop "$d" nginx
	pool_stop "$d"
	workers_stop "$d"
	db_stop "$d"
	rm -rf "$rt"
}

cmd=${1:-}; shift || true
[ -n "${1:-}" ] || die "usage: harness.sh COMMAND DIR ..."
dir=$(mkdir -p "$1" && cd "$1" && pwd); shift
# What nginx's workers (nobody) must reach -- sockets, nginx's own temp
# files, exports -- lives in a runtime directory they can enter, whatever
# the modes of the directories above $dir (a checkout under /root, a
# 0700 mktemp directory). One per stack directory, found again by name.
rt=/tmp/metapic-rt-$(printf %s "$dir" | md5sum | cut -c1-12)
if [ -e "$rt" ] || [ -L "$rt" ]; then
	# Someone else's directory (or a link) at that name is never ours to use.
	[ ! -L "$rt" ] && [ -d "$rt" ] && [ -O "$rt" ] || die "$rt exists and is not ours"
else
	mkdir -m 0755 "$rt"
fi
case $cmd in
start) start_all "$dir" "$@" ;;
stop) stop_all "$dir" ;;
db-start) db_start "$dir" ;;
db-stop) db_stop "$dir" ;;
db-pause) kill -STOP "$(cat "$dir/db/pid")" ;;
db-resume)
	# Nothing to resume when the database is not running (stopped by a test).
	! pid_alive "$dir/db/pid" || kill -CONT "$(cat "$dir/db/pid")" ;;
pool-start)
	# pool-start DIR [max-requests=N]
	arg=${1:-}
	case $arg in max-requests=*) export METAPIC_MAX_REQUESTS=${arg#max-requests=} ;; esac
	pool_start "$dir" ;;
pool-stop-async) pool_stop_async "$dir" ;;
pool-wait-stopped) pool_wait_stopped "$dir" ;;
pool-stop) pool_stop "$dir" ;;
workers-start) workers_start "$dir" ;;
workers-stop) workers_stop "$dir" ;;
exporter) "$exporter" --config "$dir/metapic.conf" "$@" ;;
pool-reload) pool_reload "$dir" ;;
spawnfcgi-start) spawnfcgi_start "$dir" "$@" ;;
spawnfcgi-stop) spawnfcgi_stop "$dir" ;;
apache-start) apache_start "$dir" "$@" ;;
apache-stop) apache_stop "$dir" ;;
sed-config) sed -i -e "$1" "$dir/metapic.conf" ;;
token) "$tokenbin" --config "$dir/metapic.conf" --sub "$1" --ttl "${2:-86400}" ;;
*) die "unknown command $cmd" ;;
esac
