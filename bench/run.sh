#!/bin/sh
# run.sh BUILD_DIR [THREADS] [ROUNDS]: every benchmark of nnlab, from a
# buildtype=release build (./dev.sh bench). The training workloads (issue 5) run in
# nnlab (bench_train: the C loop that m:fit runs) and in PyTorch (bench/*.py,
# /usr/bin/python3 with Debian's python3-torch) as identical workloads: the same data
# (bench_train writes the playground's points, playground.py reads them; both read
# Fashion-MNIST), the same initialisation, the same thread count, 100 warm-up steps
# and the best of ROUNDS rounds (default 3) on both sides; both figures and the ratio
# are printed. Then the core's and the viz's benchmarks run when their binaries
# exist, the optimizer race's frames per second and the views' cost (views_fps).
set -eu
build=${1:?usage: sh bench/run.sh BUILD_DIR [THREADS]}
cores=$(nproc 2>/dev/null || echo 2) # before OMP_NUM_THREADS is set: nproc obeys it
threads=${2:-$cores}
rounds=${3:-3}
here=$(dirname "$0")
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
py=/usr/bin/python3
have_torch=no
if "$py" -c "import torch" 2>/dev/null; then have_torch=yes; fi

echo "== training workloads: nnlab vs PyTorch, $threads threads ($cores cores, load $(cut -d' ' -f1 /proc/loadavg))"
[ "$have_torch" = yes ] || echo "   (PyTorch not found: install python3-torch for the comparison)"

# value METRIC FILE: the number on the line "<who> <workload> METRIC <value>"
value() { awk -v m="$1" '$3 == m { print $4 }' "$2"; }

out=$(mktemp)
points=$(mktemp)
trap 'rm -f "$out" "$points"' EXIT

# playground: steps per second (best of $rounds rounds of 1 s), higher is better;
# target >= 50x PyTorch
"$build/bench/bench_train" playground 1 "$rounds" "$points" > "$out"
grep '^#' "$out" || true
nn_steps=$(value steps_per_s "$out")
if [ -x "$build/nnlab" ]; then # the same through m:fit in Lua: no Lua per step
    "$build/nnlab" "$here/playground.lua" | grep -v '^nnlab-lua' || true
fi
if [ "$have_torch" = yes ]; then
    "$py" "$here/playground.py" "$threads" 1 "$rounds" "$points" > "$out"
    grep '^#' "$out" || true
    pt_steps=$(value steps_per_s "$out")
    awk -v a="$nn_steps" -v b="$pt_steps" -v r="$rounds" 'BEGIN {
        printf "playground (2-8-8-1 tanh, batch 10, SGD, best of %d): nnlab %.0f steps/s, PyTorch %.0f steps/s: %.1fx (target >= 50x)\n", r, a, b, a / b }'
else
    echo "playground (2-8-8-1 tanh, batch 10, SGD): nnlab $nn_steps steps/s"
fi

# mlp: one epoch of Fashion-MNIST (best of $rounds), lower is better; target <= 1/4 of
# PyTorch's time. About 85 GFLOP an epoch (3x the forward's 28 GFLOP); 180 GFLOP/s is
# the floor's rate.
"$build/bench/bench_train" mlp 1 "$rounds" > "$out"
grep '^#' "$out" || true
nn_s=$(value epoch_s "$out")
awk -v a="$nn_s" 'BEGIN { printf "mlp: nnlab %.3f s/epoch = %.1f GFLOP/s = %.0f%% of the 180 GFLOP/s floor (%.2f s)\n", a, 84.5 / a, 100 * (84.5 / 180) / a, 84.5 / 180 }'
if [ "$have_torch" = yes ]; then
    "$py" "$here/mlp.py" "$threads" "$rounds" > "$out"
    grep '^#' "$out" || true
    pt_s=$(value epoch_s "$out")
    awk -v a="$nn_s" -v b="$pt_s" -v r="$rounds" 'BEGIN {
        printf "mlp (784-256-128-10 ReLU, batch 64, Adam, best of %d epochs): nnlab %.3f s, PyTorch %.3f s: %.3f of PyTorch'"'"'s time (target <= 0.25)\n", r, a, b, a / b }'
fi

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
