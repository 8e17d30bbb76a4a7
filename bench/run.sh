#!/bin/sh
# run.sh BUILD_DIR [THREADS] [ROUNDS]: every benchmark of nnlab, from a
# buildtype=release build (./dev.sh bench). The training workloads (issue 5) run in
# nnlab (bench_train: the C loop that m:fit runs) and in PyTorch (bench/*.py,
# /usr/bin/python3 with Debian's python3-torch) as identical workloads: the same data
# (bench_train writes the playground's points, playground.py reads them; both read
# Fashion-MNIST), the same initialisation, 100 warm-up steps and the best of ROUNDS
# rounds (default 3) on both sides, each side at 1 and at 2 threads and compared at
# its best thread count (named); both figures and the ratio are printed. THREADS
# sets the threads of the core's and the viz's benchmarks, which run next when their binaries
# exist, the optimizer race's frames per second and the views' cost (views_fps).
set -eu
build=${1:?usage: sh bench/run.sh BUILD_DIR [THREADS]}
cores=$(nproc 2>/dev/null || echo 2) # before OMP_NUM_THREADS is set: nproc obeys it
threads=${2:-$cores}
rounds=${3:-3}
here=$(dirname "$0")
. "$here/blas_core.sh"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
py=/usr/bin/python3
have_torch=no
if "$py" -c "import torch" 2>/dev/null; then have_torch=yes; fi

echo "== training workloads: nnlab vs PyTorch, each at 1 and 2 threads ($cores cores, load $(cut -d' ' -f1 /proc/loadavg))"
[ "$have_torch" = yes ] || echo "   (PyTorch not found: install python3-torch for the comparison)"

# value METRIC FILE: the number on the line "<who> <workload> METRIC <value>"
value() { awk -v m="$1" '$3 == m { print $4 }' "$2"; }

out=$(mktemp)
points=$(mktemp)
trap 'rm -f "$out" "$points"' EXIT

# playground: steps per second (best of $rounds rounds of 1 s), higher is better;
# target >= 50x PyTorch. Both sides run at 1 and at 2 threads and are compared at
# their best thread count, named (PyTorch here is often slower with 2 than with 1).
best_nn=0 best_nn_t=0 best_pt=0 best_pt_t=0
for t in 1 2; do
    OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t "$build/bench/bench_train" playground 1 "$rounds" "$points" > "$out"
    grep '^#' "$out" || true
    s=$(value steps_per_s "$out")
    echo "playground nnlab   $t thread(s): $s steps/s"
    if awk -v a="$s" -v b="$best_nn" 'BEGIN { exit !(a > b) }'; then best_nn=$s best_nn_t=$t; fi
    if [ "$have_torch" = yes ]; then
        "$py" "$here/playground.py" "$t" 1 "$rounds" "$points" > "$out"
        grep '^#' "$out" || true
        s=$(value steps_per_s "$out")
        echo "playground PyTorch $t thread(s): $s steps/s"
        if awk -v a="$s" -v b="$best_pt" 'BEGIN { exit !(a > b) }'; then best_pt=$s best_pt_t=$t; fi
    fi
done
if [ -x "$build/nnlab" ]; then # the same through m:fit in Lua: no Lua per step
    "$build/nnlab" "$here/playground.lua" | grep -v '^nnlab-lua' || true
fi
if [ "$have_torch" = yes ]; then
    awk -v a="$best_nn" -v at="$best_nn_t" -v b="$best_pt" -v bt="$best_pt_t" -v r="$rounds" 'BEGIN {
        printf "playground (2-8-8-1 tanh, batch 10, SGD, best of %d): nnlab %.0f steps/s (%d thread(s)), PyTorch at its best %.0f steps/s (%d thread(s)): %.1fx (target >= 50x)\n", r, a, at, b, bt, a / b }'
else
    echo "playground (2-8-8-1 tanh, batch 10, SGD): nnlab $best_nn steps/s ($best_nn_t thread(s))"
fi

# mlp: one epoch of Fashion-MNIST at 1 and 2 threads on each side, the best of each
# compared, nnlab as a fraction of the measured sgemm floor, and the test accuracy
# after 5 epochs against PyTorch's (bench/fashion_mlp.sh)
sh "$here/fashion_mlp.sh" "$build" "$rounds" 5
# LeNet-5 (issue 13): the same comparison, and the test accuracy after 3 epochs
sh "$here/lenet.sh" "$build" "$rounds" 3

for b in bench_core bench_viz; do
    if [ -x "$build/bench/$b" ]; then
        echo "== $b"
        "$build/bench/$b"
    fi
done

# optimizer race window (issue 7): 10 optimizers, 1000 steps, offscreen on SDL's dummy driver
if [ -x "$build/nnlab" ]; then
    echo "== race_fps"
    SDL_VIDEODRIVER=dummy "$build/nnlab" "$here/race_fps.lua" 1000
fi
# the cost of watching a net learn (issue 6): steps/s with and without the
# playground's views, and the decision view's frames per second, offscreen
if [ -x "$build/nnlab" ]; then
    echo "== views_fps"
    SDL_VIDEODRIVER=dummy "$build/nnlab" "$here/views_fps.lua" 3
fi
