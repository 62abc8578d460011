#!/usr/bin/env bash
# run.sh [CRITERION-ARGS] -- the integration suite: starts a private MariaDB, pool and nginx
# on free 127.0.0.1 ports in a temporary directory, runs the Criterion
# suite against them (TAP on stdout, for make check), stops everything.
#
# A sanitizer report from any process fails the run: every process started
# here (the pool and its workers, the app under spawn-fcgi and under Apache
# mod_fcgid, the CGI runs, metapic-token, the test binary) writes its
# AddressSanitizer, LeakSanitizer and UBSan reports to files under
# DIR/san (log_path, exported below; the harness passes it to mod_fcgid's
# children); their stderr is searched too: the pool's log, Apache's error
# log, spawn-fcgi's stderr file.
# METAPIC_SKIP_INTEGRATION=1 skips the suite: one TAP SKIP, counted as such
# by scripts/test (and a failure under CI).
set -u
src=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
build=$(cd "${top_builddir:-.}" && pwd)
harness=$src/t/integration/harness.sh

if [ -n "${METAPIC_SKIP_INTEGRATION:-}" ]; then
	echo "1..0 # SKIP METAPIC_SKIP_INTEGRATION is set"
	exit 0
fi

# Ports below the kernel's ephemeral range (32768-60999 here): the load
# tests' own client connections take ports from that range and could hold
# one of ours just when a server of the suite binds it.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=
for _ in $(seq 1 50); do
	b=$((10000 + RANDOM % 20000))
	if port_free "$b" && port_free $((b + 1)) && port_free $((b + 2)) &&
	    port_free $((b + 3)) && port_free $((b + 4)); then
		base=$b
		break
	fi
done
[ -n "$base" ] || { echo "Bail out! no free ports"; exit 1; }

dir=$(mktemp -d /tmp/metapic-it.XXXXXX)
export METAPIC_BUILD=$build
# Reports to files, one per process (log_path.PID), writable by Apache's
# www-data children. Harmless for a build without sanitizers.
san=$dir/san
mkdir -m 1777 "$san"
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	export "$v=${!v:+${!v}:}log_path=$san/report"
done
# Load tests send thousands of requests a minute; the rate-limit test
# lowers the limit itself with a live reload.
export METAPIC_RATE_LIMIT=100000
cleanup() { "$harness" stop "$dir" >/dev/null 2>&1 || true; }

# Prints every sanitizer report of the stack in $1 to stderr; 1 if any.
san_check() {
	local d=$1 found=0 f
	for f in "$d"/san/*; do
		[ -s "$f" ] || continue
		echo "run.sh: sanitizer report $f:" >&2
		head -n 60 "$f" >&2
		found=1
	done
	# Stderr of the processes, for reports written before log_path applied
	# or by a process that did not get it.
	for f in "$d/metapic.log" "$d/apache/metapic.log" "$d/apache/apache-error.log" \
	    "$d/spawn-fcgi.stderr"; do
		[ -f "$f" ] || continue
		if grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer' \
		    "$f" >&2; then
			echo "run.sh: sanitizer reports in $f (above)" >&2
			found=1
		fi
	done
	[ "$found" -eq 0 ]
}
trap cleanup EXIT

if ! "$harness" start "$dir" "$base" $((base + 1)) >&2; then
	echo "Bail out! the private stack did not start (see $dir)"
	exit 1
fi
for u in 1 2 3 4 5 6 7 8 9; do
	"$harness" token "$dir" "$u" >"$dir/token.$u"
done

export METAPIC_DIR=$dir METAPIC_HARNESS=$harness top_srcdir=$src
export METAPIC_HTTP=http://127.0.0.1:$base METAPIC_HTTPS=https://127.0.0.1:$((base + 1))
export METAPIC_SPARE_PORT=$((base + 2))
# Arguments go to the Criterion binary: `run.sh --filter 'tenancy/*'` runs
# one part (see t/ROBUSTNESS.md).
"$build/t/integration/test_integration" --jobs 1 "$@"
rc=$?

# Everything stops first: LeakSanitizer reports when a process exits.
cleanup
trap - EXIT
if ! san_check "$dir"; then
	rc=1
fi
# In a sanitizer build every worker runs LeakSanitizer before it exits
# (pool.c): show how many did, and fail when none did, since then the
# check did not run at all. The count goes to scripts/test's summary.
lsan=$(cat "$dir/metapic.log" "$dir/apache/metapic.log" 2>/dev/null |
	grep -c 'LeakSanitizer: worker [0-9]* checked')
echo "$lsan" >"$build/t/integration/lsan-workers"
if ldd "$build/metapic-api" 2>/dev/null | grep -q libasan; then
	echo "run.sh: LeakSanitizer checked $lsan worker exits" >&2
	if [ "$lsan" -eq 0 ]; then
		echo "run.sh: no worker ran its leak check" >&2
		rc=1
	fi
fi
# Criterion ignores failures in a test's .fini: test_ops.c writes them here.
if [ -s "$dir/cleanup-failures" ]; then
	echo "run.sh: a test's cleanup failed:" >&2
	cat "$dir/cleanup-failures" >&2
	rc=1
fi
if [ "$rc" -eq 0 ]; then
	rm -rf "$dir"
else
	echo "run.sh: failed; the stack's files are kept in $dir" >&2
	tail -n 30 "$dir/metapic.log" >&2 || true
fi
exit "$rc"
