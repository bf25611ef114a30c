# shellcheck shell=bash
# result NAME OK(0|1) [LOG]: one `PASS usr:NAME` or `FAIL usr:NAME` line,
# to stdout and to $results; a failure shows the end of LOG and sets
# failed=1.  Sourced by run.sh and replay.sh.
result() {
	if [ "$2" -eq 0 ]; then
		echo "PASS usr:$1" | tee -a "$results"
	else
		[ -z "${3:-}" ] || { echo "usr: $1 failed (log $3):" >&2; tail -n 25 "$3" >&2; }
		echo "FAIL usr:$1" | tee -a "$results"
		failed=1
	fi
}
