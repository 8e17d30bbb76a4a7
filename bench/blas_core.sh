# blas_core.sh (sourced by the bench scripts, with $build set): nnlab restarts itself
# with the OpenBLAS kernels the CPU can run when OpenBLAS picked generic ones for a CPU
# model it does not know (src/repl/main.c). Export the same choice so that the sgemm
# floor and PyTorch (which links the same OpenBLAS) run on the same kernels: the
# comparison is between the programs, not between kernel sets.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    core=$("$build/nnlab" -e 'io.write(os.getenv("OPENBLAS_CORETYPE") or "")')
    if [ -n "$core" ]; then export OPENBLAS_CORETYPE="$core"; fi
fi
echo "OpenBLAS kernels: ${OPENBLAS_CORETYPE:-as OpenBLAS chose}"
