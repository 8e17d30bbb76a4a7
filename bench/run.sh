#!/bin/sh
# run.sh BUILD_DIR [THREADS]: every benchmark of nnlab, from a buildtype=release build
# (./dev.sh bench). The training workloads (issue 5) run in nnlab (bench_train: the
# C loop that m:fit runs) and in PyTorch (bench/*.py, /usr/bin/python3 with Debian's
# python3-torch) with the same thread count, and print both figures and the ratio;
# then the core's and the viz's benchmarks run when their binaries exist.
set -eu
build=${1:?usage: sh bench/run.sh BUILD_DIR [THREADS]}
threads=${2:-$(nproc 2>/dev/null || echo 2)}
here=$(dirname "$0")
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
py=/usr/bin/python3
have_torch=no
if "$py" -c "import torch" 2>/dev/null; then have_torch=yes; fi

echo "== training workloads: nnlab vs PyTorch, $threads threads ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
[ "$have_torch" = yes ] || echo "   (PyTorch not found: install python3-torch for the comparison)"

# value METRIC FILE: the number on the line "<who> <workload> METRIC <value>"
value() { awk -v m="$1" '$3 == m { print $4 }' "$2"; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# playground: steps per second, higher is better; target >= 50x PyTorch
"$build/bench/bench_train" playground 3 > "$out"
grep '^#' "$out" || true
nn_steps=$(value steps_per_s "$out")
if [ -x "$build/nnlab" ]; then # the same through m:fit in Lua: no Lua per step
    "$build/nnlab" "$here/playground.lua" | grep -v '^nnlab-lua' || true
fi
if [ "$have_torch" = yes ]; then
    "$py" "$here/playground.py" "$threads" 3 > "$out"
    grep '^#' "$out" || true
    pt_steps=$(value steps_per_s "$out")
    awk -v a="$nn_steps" -v b="$pt_steps" 'BEGIN {
        printf "playground (2-8-8-1 tanh, batch 10, SGD): nnlab %.0f steps/s, PyTorch %.0f steps/s: %.1fx (target >= 50x)\n", a, b, a / b }'
else
    echo "playground (2-8-8-1 tanh, batch 10, SGD): nnlab $nn_steps steps/s"
fi

# mlp: one epoch of Fashion-MNIST, lower is better; target <= 1/4 of PyTorch's time.
# About 85 GFLOP an epoch (3x the forward's 28 GFLOP); 180 GFLOP/s is the floor's rate.
"$build/bench/bench_train" mlp 2 3 > "$out"
grep '^#' "$out" || true
nn_s=$(value epoch_s "$out")
awk -v a="$nn_s" 'BEGIN { printf "mlp: nnlab %.3f s/epoch = %.1f GFLOP/s = %.0f%% of the 180 GFLOP/s floor (%.2f s)\n", a, 84.5 / a, 100 * (84.5 / 180) / a, 84.5 / 180 }'
if [ "$have_torch" = yes ]; then
    "$py" "$here/mlp.py" "$threads" 1 > "$out"
    grep '^#' "$out" || true
    pt_s=$(value epoch_s "$out")
    awk -v a="$nn_s" -v b="$pt_s" 'BEGIN {
        printf "mlp (784-256-128-10 ReLU, batch 64, Adam, 1 epoch): nnlab %.3f s, PyTorch %.3f s: %.3f of PyTorch'"'"'s time (target <= 0.25)\n", a, b, a / b }'
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
