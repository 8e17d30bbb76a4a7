#!/bin/sh
# char_lstm.sh BUILD_DIR [STEPS] [ROUNDS]: the Char-LSTM benchmark of issue 14: embedding
# 32, LSTM 128, sequences of 32, batch 32, Adam, a per-step dense layer to 128 characters
# and per-step cross-entropy; milliseconds per training step. nnlab (char_lstm.lua) and
# PyTorch (char_lstm.py) each at 1 and 2 threads; nnlab's best against PyTorch's best
# (target: at most a third of its time), and nnlab's step as a fraction of the floor: the
# step's 0.60 GFLOP of matrix products at the rate cblas_sgemm reaches in this same run
# (sgemm_floor's rate, at nnlab's best thread count). Both sides use OpenBLAS: on a CPU
# it does not recognise (a virtual "Intel Xeon Processor") it falls back to its
# Prescott kernels at a quarter of the speed; nnlab then restarts itself with the right
# ones and blas_core.sh gives the floor and PyTorch the same (OPENBLAS_CORETYPE).
# FLOP a step (B T = 1024 rows; E 32, H 128, 4H 512, V 128), 2 m n k each:
#   input projection  X[1024,32] W_x[32,512]            33.6 M, and dW_x, dX: x3
#   recurrent steps   32 x h[32,128] W_h[128,512]      134.2 M, and dW_h, dh: x3
#   dense             H[1024,128] W[128,128]            33.6 M, and dW, dH:    x3
#   total 3 (33.6 + 134.2 + 33.6) M = 604 M
set -eu
build=${1:?usage: sh bench/char_lstm.sh BUILD_DIR [STEPS] [ROUNDS]}
steps=${2:-50}
rounds=${3:-3}
here=$(dirname "$0")
. "$here/blas_core.sh"
py=/usr/bin/python3
flop=604e6
have_torch=no
if "$py" -c "import torch" 2>/dev/null; then have_torch=yes; fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
value() { awk -v m="$1" '$2 == m { print $3 }' "$2"; }
echo "== Char-LSTM step (embedding 32, LSTM 128, T 32, batch 32, Adam; best of $rounds x $steps steps); load $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
best_nn=1e30 best_nn_t=0 best_pt=1e30 best_pt_t=0
for t in 1 2; do
    export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t
    "$build/nnlab" "$here/char_lstm.lua" "$steps" "$rounds" > "$out"
    s=$(value step_ms "$out")
    "$build/bench/sgemm_floor" "$rounds" > "$out"
    gf=$(awk '$2 == "gflops" { print $3 }' "$out")
    eval "gf_$t=$gf"
    echo "nnlab   $t thread(s): $s ms/step (sgemm $gf GFLOP/s)"
    if awk -v a="$s" -v b="$best_nn" 'BEGIN { exit !(a < b) }'; then best_nn=$s best_nn_t=$t; fi
    if [ "$have_torch" = yes ]; then
        "$py" "$here/char_lstm.py" "$t" "$steps" "$rounds" > "$out"
        p=$(value step_ms "$out")
        echo "PyTorch $t thread(s): $p ms/step"
        if awk -v a="$p" -v b="$best_pt" 'BEGIN { exit !(a < b) }'; then best_pt=$p best_pt_t=$t; fi
    fi
done
eval "gf=\$gf_$best_nn_t"
awk -v a="$best_nn" -v t="$best_nn_t" -v g="$gf" -v f="$flop" 'BEGIN {
    fl = f / (g * 1e9) * 1000
    printf "nnlab best: %.2f ms at %d thread(s) = %.0f%% of the floor (%.2f ms: %.2f GFLOP at %.1f GFLOP/s, same run)\n", a, t, 100 * fl / a, fl, f / 1e9, g }'
if [ "$have_torch" = yes ]; then
    awk -v a="$best_nn" -v at="$best_nn_t" -v b="$best_pt" -v bt="$best_pt_t" 'BEGIN {
        printf "against PyTorch at its best (%d thread(s), %.2f ms): nnlab (%d thread(s)) takes %.2f of its time (target: <= 0.33)\n", bt, b, at, a / b }'
else
    echo "(PyTorch not found: ./dev.sh bench installs python3-torch for the comparison)"
fi
