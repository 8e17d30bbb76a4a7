#!/bin/sh
# run_api_fuzz.sh: a bounded campaign of the Lua-API fuzzer (tests/fuzz/api_fuzz.lua).
#   tests/fuzz/run_api_fuzz.sh BUILD_DIR SECONDS [CALLS [MAX_CHILDREN [FIRST_SEED]]]
# Runs one child nnlab per seed (FIRST_SEED, FIRST_SEED+1, ...), each CALLS calls
# (default 2000) in a scratch folder of its own and under a timeout (CHILD_TIMEOUT,
# default 20 s), until SECONDS have passed or MAX_CHILDREN children have run.
# A child that dies by a signal, reports an AddressSanitizer/UBSan error, or ends
# without its summary line is a crash: its seed, its calls (the child logs each call
# before making it, as Lua that `nnlab api_fuzz.lua replay` runs again) and its
# stderr are kept in CRASH_DIR (default tests/fuzz/crashes/), and the script exits
# 1. A timeout is reported, not a crash (its last calls: CRASH_DIR/timeout_seedN.lua).
# Calls listed in known_crashes are left out (API_FUZZ_SKIP= runs them too).
# Examples:
#   tests/fuzz/run_api_fuzz.sh build 600                 # ten minutes, normal build
#   tests/fuzz/run_api_fuzz.sh build-asan 180 2000 0 100 # 3 min under ASan+UBSan
#   tests/fuzz/run_api_fuzz.sh build 0 5000 1 42         # replay seed 42 alone
set -u
build=${1:?usage: run_api_fuzz.sh BUILD_DIR SECONDS [CALLS [MAX_CHILDREN [FIRST_SEED]]]}
seconds=${2:?usage: run_api_fuzz.sh BUILD_DIR SECONDS [CALLS [MAX_CHILDREN [FIRST_SEED]]]}
calls=${3:-2000}
max_children=${4:-0} # 0: no limit but the time
seed=${5:-1}
here=$(cd "$(dirname "$0")" && pwd)
nnlab=$(cd "$build" && pwd)/nnlab
crash_dir=${CRASH_DIR:-$here/crashes}
child_timeout=${CHILD_TIMEOUT:-20}
[ -x "$nnlab" ] || { echo "run_api_fuzz: no nnlab in $build" >&2; exit 2; }
# crashes already known (known_crashes) are left out unless API_FUZZ_SKIP is set
if [ -z "${API_FUZZ_SKIP+set}" ]; then
    API_FUZZ_SKIP=$(grep -v '^#' "$here/known_crashes" | awk 'NF {print $1}' | paste -sd, -)
fi
export API_FUZZ_SKIP
[ -n "$API_FUZZ_SKIP" ] && echo "leaving out calls that crash already (known_crashes): $API_FUZZ_SKIP"

# Sanitizers: any report ends the child; huge allocations fail (as on a small
# machine) instead of being granted, so that the size checks are what is tested.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:max_allocation_size_mb=2048:rss_limit_mb=4096}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
export SDL_VIDEODRIVER=dummy NO_COLOR=1
is_asan=0
grep -q __asan_init "$nnlab" 2>/dev/null && is_asan=1

work=$(mktemp -d "${TMPDIR:-/tmp}/nnlab_api_fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
start=$(date +%s)
children=0 total_calls=0 total_errors=0 total_internal=0 crashes=0 timeouts=0
: >"$work/sites"

while :; do
    now=$(date +%s)
    [ $children -gt 0 ] && [ $((now - start)) -ge "$seconds" ] && break
    [ "$max_children" -gt 0 ] && [ $children -ge "$max_children" ] && break
    dir="$work/seed$seed"
    mkdir -p "$dir" && touch "$dir/.nnlab_api_fuzz_scratch"
    (
        cd "$dir" || exit 2
        # without ASan, a size nobody checked fails at 4 GB instead of taking the machine
        [ $is_asan = 1 ] || ulimit -v 4194304
        HOME="$dir" XDG_STATE_HOME="$dir" XDG_CONFIG_HOME="$dir" \
            exec timeout -k 5 "$child_timeout" "$nnlab" "$here/api_fuzz.lua" "$seed" "$calls" calls.log \
            >out.txt 2>err.txt </dev/null
    ) 2>/dev/null # the shell's own "Segmentation fault": the summary below says it
    rc=$?
    children=$((children + 1))
    summary=$(grep -a '^api_fuzz: seed' "$dir/out.txt" | tail -1)
    if [ -n "$summary" ]; then
        set -- $summary
        total_calls=$((total_calls + $5)) total_errors=$((total_errors + $7))
        total_internal=$((total_internal + $9))
        grep -a '^api_fuzz site' "$dir/out.txt" >>"$work/sites"
    fi
    sanitizer=$(grep -a -m1 -E 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer' "$dir/err.txt")
    if [ $rc = 124 ] || [ $rc = 137 ] && [ -z "$sanitizer" ]; then
        timeouts=$((timeouts + 1))
        n=$(grep -c '^r = C' "$dir/calls.log" 2>/dev/null)
        echo "seed $seed: timeout after ${child_timeout} s at call ${n:-?}: $(grep '^r = C' "$dir/calls.log" | tail -1)"
        mkdir -p "$crash_dir" && tail -n 40 "$dir/calls.log" >"$crash_dir/timeout_seed$seed.lua"
    elif [ -n "$sanitizer" ] || [ $rc -gt 128 ] || [ -z "$summary" ]; then
        crashes=$((crashes + 1))
        mkdir -p "$crash_dir"
        keep="$crash_dir/seed$seed"
        rm -rf "$keep" && mkdir -p "$keep"
        tail -n 40 "$dir/calls.log" >"$keep/last_calls.lua"
        cp "$dir/calls.log" "$keep/calls.lua"
        cp "$dir/err.txt" "$keep/stderr.txt"
        {
            echo "seed $seed calls $calls exit status $rc"
            echo "again: API_FUZZ_SKIP='$API_FUZZ_SKIP' tests/fuzz/run_api_fuzz.sh $build 0 $calls 1 $seed"
            echo "replay the log (or a part of it) in a scratch folder:"
            echo "  d=\$(mktemp -d) && touch \$d/.nnlab_api_fuzz_scratch && cp calls.lua \$d && cd \$d &&"
            echo "  $nnlab $here/api_fuzz.lua replay calls.lua"
            echo "last call: $(grep '^r = C\|^r = V' "$dir/calls.log" | tail -1)"
            [ -n "$sanitizer" ] && echo "report: $sanitizer"
        } >"$keep/README"
        echo "seed $seed: CRASH (exit status $rc) at: $(grep '^r = C\|^r = V' "$dir/calls.log" | tail -1)"
        [ -n "$sanitizer" ] && echo "  $sanitizer"
        echo "  kept in $keep"
    fi
    rm -rf "$dir"
    seed=$((seed + 1))
done

echo "api_fuzz campaign: $children children, $total_calls calls, $total_errors errors," \
    "$total_internal internal errors (Lua's own 'attempt to ...' inside lua/), $crashes crashes," \
    "$timeouts timeouts, $(($(date +%s) - start)) s"
if [ -s "$work/sites" ]; then
    echo "most frequent internal-error sites:"
    awk '{n = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); c[$0] += n} END {for (s in c) printf "%6d  %s\n", c[s], s}' \
        "$work/sites" | sort -rn | head -10
fi
[ $crashes = 0 ]
