#!/bin/sh
# dev.sh: the one entry point for building, running and testing nnlab.
#   ./dev.sh run [ARGS]   install what is missing, build, start nnlab
#   ./dev.sh test         install what is missing, build, run every test
#   ./dev.sh asan         the same tests built with AddressSanitizer + UBSan
#   ./dev.sh bench        benchmarks against PyTorch (installs python3-torch)
#   ./dev.sh fuzz [SECS]  libFuzzer on the CSV, IDX and model-file readers, SECS
#                         (default 60) each, under ASan+UBSan (installs clang);
#                         crashes land in tests/fuzz/regress/<reader>/
#   ./dev.sh deps         only install the system packages
# Packages come from Debian 12. As root apt-get runs directly, otherwise through
# sudo; when neither works the exact apt-get line is printed and we stop.
set -eu
cd "$(dirname "$0")"

PKGS="gcc libc6-dev meson ninja-build pkg-config liblua5.4-dev libreadline-dev \
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libopenblas-dev libcmocka-dev zlib1g-dev libgif-dev \
fonts-dejavu-core xvfb xauth openbox xdotool x11-apps dataset-fashion-mnist wamerican python3 \
python3-sklearn dict-freedict-eng-fra bible-kjv-text"
BENCH_PKGS="python3-torch python3-numpy"
FUZZ_PKGS="clang libclang-rt-14-dev"

missing_packages() {
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
            printf '%s ' "$p"
    done
}

install_packages() {
    need=$(missing_packages "$@")
    [ -z "$need" ] && return 0
    line="apt-get install -y --no-install-recommends $need"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive $line
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $line
    else
        echo "nnlab needs these Debian packages: $need" >&2
        echo "Install them as root, then run this again:" >&2
        echo "  apt-get update && $line" >&2
        exit 1
    fi
}

configure() { # $1 build dir, rest meson options
    dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@"
    fi
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
deps)
    install_packages $PKGS
    ;;
run)
    install_packages $PKGS
    configure build
    ninja -C build
    exec ./build/nnlab "$@"
    ;;
test)
    install_packages $PKGS
    configure build
    ninja -C build
    meson test -C build --print-errorlogs --num-processes 2 "$@"
    ;;
asan)
    install_packages $PKGS
    configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
    ninja -C build-asan
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --print-errorlogs --num-processes 2 -t 4 "$@"
    ;;
bench)
    install_packages $PKGS $BENCH_PKGS
    configure build-release --buildtype=release
    ninja -C build-release
    exec sh bench/run.sh build-release "$@"
    ;;
fuzz)
    install_packages $PKGS $FUZZ_PKGS
    secs=${1:-60}
    CC=clang configure build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args=-fsanitize=fuzzer-no-link
    ninja -C build-fuzz tests/fuzz/fuzz_csv tests/fuzz/fuzz_idx tests/fuzz/fuzz_model
    status=0
    for r in csv idx model; do
        mkdir -p "build-fuzz/corpus/$r" "tests/fuzz/regress/$r"
        before=$(ls "tests/fuzz/regress/$r" | wc -l)
        # a crash is saved as tests/fuzz/regress/<reader>/crash-*, which the
        # fuzz_replay_<reader> test then runs in every build
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "build-fuzz/tests/fuzz/fuzz_$r" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="tests/fuzz/regress/$r/" "build-fuzz/corpus/$r" "tests/fuzz/corpus/$r" \
            2>"build-fuzz/fuzz_$r.log" || status=1
        runs=$(grep -o 'Done [0-9]* runs' "build-fuzz/fuzz_$r.log" | grep -o '[0-9]*' || echo "?")
        echo "fuzz $r: $runs executions in $secs s, $(($(ls "tests/fuzz/regress/$r" | wc -l) - before)) new crash inputs"
        [ $status = 0 ] || tail -40 "build-fuzz/fuzz_$r.log" >&2
    done
    exit $status
    ;;
*)
    echo "usage: ./dev.sh run|test|asan|bench|fuzz|deps" >&2
    exit 2
    ;;
esac
