/* backend.h: the kernels a device provides, as a table of function pointers.
 *
 * Ops check shapes and manage memory; they compute only through ctx->backend. The CPU
 * table (backend_cpu.c) is the reference; a CUDA table with the same entries plugs in
 * later. Pointers are device pointers. Backward kernels ADD into their outputs.
 */
#ifndef NN_BACKEND_H
#define NN_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

/* Elementwise binary with NumPy broadcasting, over shapes padded to 4 dims:
 * out[i0,i1,i2,i3] = f(a[sum ik*sa[k]], b[sum ik*sb[k]]); a stride of 0 marks an axis
 * that input is broadcast along. */
typedef struct nn_bcast {
    int shape[4];  /* the result's shape, padded in front with 1s */
    int64_t sa[4]; /* a's strides in floats (0 along broadcast axes) */
    int64_t sb[4]; /* b's strides */
    int64_t size;  /* product of shape */
    bool same;     /* a, b and out have one shape: a flat loop */
} nn_bcast;

/* A reduction viewed as [outer, n, inner] -> [outer, inner]. */
typedef struct nn_rdims {
    int64_t outer, n, inner;
} nn_rdims;

/* Kernel kinds of the elementwise tables (a subset of the op kinds, own numbering so
 * the backend need not know the op enum). */
enum nn_unary_kind {
    NN_U_SCALE,
    NN_U_ADD_SCALAR,
    NN_U_POW,
    NN_U_NEG,
    NN_U_EXP,
    NN_U_LOG,
    NN_U_SQRT,
    NN_U_ABS,
    NN_U_TANH,
    NN_U_SIGMOID,
    NN_U_RELU
};
enum nn_binary_kind { NN_B_ADD, NN_B_SUB, NN_B_MUL, NN_B_DIV };
enum nn_reduce_kind { NN_R_SUM, NN_R_MEAN, NN_R_MAX };

typedef struct nn_backend {
    const char *name;
    void (*fill)(float *x, int64_t n, float v);
    void (*copy)(float *dst, const float *src, int64_t n);
    void (*acc)(float *dst, const float *src, int64_t n); /* dst += src */
    /* y = f(x; p) elementwise; p is the kind's scalar (factor, addend, exponent). */
    void (*unary)(int kind, const float *x, float *y, int64_t n, float p);
    /* gx += f'(x; p) * gy, given x and the forward's y. */
    void (*unary_back)(int kind, const float *x, const float *y, const float *gy, float *gx,
                       int64_t n, float p);
    void (*binary)(int kind, const nn_bcast *bc, const float *a, const float *b, float *y);
    /* ga += d/da, gb += d/db (summed over broadcast axes); either may be NULL. */
    void (*binary_back)(int kind, const nn_bcast *bc, const float *a, const float *b,
                        const float *gy, float *ga, float *gb);
    /* y[o,i] = reduce over j of x[o,j,i]; for NN_R_MAX idx gets the first argmax j. */
    void (*reduce)(int kind, nn_rdims d, const float *x, float *y, float *idx);
    /* gx[o,j,i] += gy[o,i] (sum), gy/n (mean), or gy where j == idx[o,i] (max). */
    void (*reduce_back)(int kind, nn_rdims d, const float *gy, const float *idx, float *gx);
    /* C = alpha op(A) op(B) + beta C, row-major, as cblas_sgemm. */
    void (*gemm)(bool ta, bool tb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
    /* Softmax (or log-softmax) along the middle axis of [outer, n, inner]. */
    void (*softmax)(bool take_log, nn_rdims d, const float *x, float *y);
    /* gx += J^T gy, from the forward's y. */
    void (*softmax_back)(bool take_log, nn_rdims d, const float *y, const float *gy, float *gx);
    /* y[i,:] = x[rows[i],:] with rows of `cols` floats; back: gx[rows[i],:] += gy[i,:]. */
    void (*gather_rows)(const float *x, const int *rows, int n, int64_t cols, float *y);
    void (*gather_rows_back)(const float *gy, const int *rows, int n, int64_t cols, float *gx);
    /* y = x^T for x of r rows and c columns; back adds: gx += gy^T. */
    void (*transpose)(const float *x, int r, int c, float *y);
    void (*transpose_back)(const float *gy, int r, int c, float *gx);
} nn_backend;

extern const nn_backend nn_backend_cpu;

#endif
