#!/bin/sh
# fashion_mlp.sh BUILD_DIR [ROUNDS] [EPOCHS]: the mlp workload of issue 12, honestly:
# 784-256-128-10 ReLU on the real Fashion-MNIST (60000 images), batch 64, Adam, one
# epoch. nnlab (bench_train mlp) and PyTorch (mlp.py) each run at 1 and at 2 threads,
# and each side is compared at its best thread count, named (PyTorch on this kind of
# machine is often slower with 2 threads than with 1). The physical floor is the
# epoch's sgemm calls alone at the rate cblas_sgemm reaches in this same run
# (sgemm_floor, at nnlab's best thread count); nnlab's epoch is reported as a fraction
# of it. Then the test accuracy after EPOCHS (5) epochs of the same recipe on both
# sides, each at its best thread count. ROUNDS (default 3) epochs, the best kept.
# Also the epoch's Adam pass alone (bench_train adam, one thread), which is bound by
# memory, not flops: the sgemm floor plus it is what one thread cannot beat. With two,
# nnlab runs the big products and the Adam pass as two one-threaded halves (parallel.h),
# not through OpenBLAS's own threads, so it can beat the floor's two-thread sgemm.
set -eu
build=${1:?usage: sh bench/fashion_mlp.sh BUILD_DIR [ROUNDS] [EPOCHS]}
rounds=${2:-3}
epochs=${3:-5}
here=$(dirname "$0")
. "$here/blas_core.sh"
py=/usr/bin/python3
have_torch=no
if "$py" -c "import torch" 2>/dev/null; then have_torch=yes; fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
value() { awk -v m="$1" '$3 == m { print $4 }' "$2"; }
echo "== mlp 784-256-128-10 on Fashion-MNIST, batch 64, Adam, one epoch (best of $rounds); load $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
best_nn=1e30 best_nn_t=0 best_pt=1e30 best_pt_t=0
for t in 1 2; do
    export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t
    "$build/bench/bench_train" mlp 1 "$rounds" > "$out"
    s=$(value epoch_s "$out")
    "$build/bench/sgemm_floor" "$rounds" > "$out"
    floor=$(awk '$2 == "mlp_floor_s" { print $3 }' "$out")
    gf=$(awk '$2 == "gflops" { print $3 }' "$out")
    echo "nnlab   $t thread(s): $s s/epoch; sgemm floor $floor s ($gf GFLOP/s)"
    eval "floor_$t=$floor"
    if awk -v a="$s" -v b="$best_nn" 'BEGIN { exit !(a < b) }'; then best_nn=$s best_nn_t=$t; fi
    if [ "$have_torch" = yes ]; then
        "$py" "$here/mlp.py" "$t" "$rounds" > "$out"
        p=$(value epoch_s "$out")
        echo "PyTorch $t thread(s): $p s/epoch"
        if awk -v a="$p" -v b="$best_pt" 'BEGIN { exit !(a < b) }'; then best_pt=$p best_pt_t=$t; fi
    fi
done
eval "floor=\$floor_$best_nn_t"
awk -v a="$best_nn" -v t="$best_nn_t" -v f="$floor" 'BEGIN {
    printf "nnlab best: %.3f s at %d thread(s) = %.0f%% of the floor (%.3f s of sgemm at %d thread(s), same run)\n", a, t, 100 * f / a, f, t }'
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$build/bench/bench_train" adam 1 "$rounds" > "$out"
adam=$(value epoch_s "$out")
awk -v a="$best_nn" -v f="$floor" -v o="$adam" 'BEGIN {
    printf "Adam pass of the epoch alone: %.3f s (1 thread); sgemm floor + Adam pass = %.3f s = %.0f%% of the nnlab epoch\n", o, f + o, 100 * (f + o) / a }'
if [ "$have_torch" = yes ]; then
    awk -v a="$best_nn" -v at="$best_nn_t" -v b="$best_pt" -v bt="$best_pt_t" 'BEGIN {
        printf "against PyTorch at its best (%d thread(s), %.3f s): nnlab (%d thread(s)) takes %.2f of its time\n", bt, b, at, a / b }'
else
    echo "(PyTorch not found: install python3-torch for the comparison)"
fi
[ "$epochs" -gt 0 ] || exit 0
echo "== test accuracy after $epochs epochs, same recipe"
OPENBLAS_NUM_THREADS=$best_nn_t OMP_NUM_THREADS=$best_nn_t "$build/nnlab" "$here/fashion_accuracy.lua" "$epochs" > "$out"
cat "$out"
na=$(value test_acc "$out")
if [ "$have_torch" = yes ]; then
    "$py" "$here/fashion_accuracy.py" "$best_pt_t" "$epochs" > "$out"
    cat "$out"
    pa=$(value test_acc "$out")
    awk -v a="$na" -v b="$pa" 'BEGIN { d = 100 * (a - b); printf "test accuracy: nnlab %.2f%%, PyTorch %.2f%%: %+.2f points (target: within 1)\n", 100 * a, 100 * b, d }'
fi
