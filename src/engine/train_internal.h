/* train_internal.h: what the training files of the engine share (module.c and the
 * mod_<kind>.c files, activation.c, loss.c, optim.c, train.c, modelfile.c and the
 * graph builders): the module struct and the kernels. Nothing here is public; see
 * nn_train.h for contracts and module_internal.h for the module-kind table. */
#ifndef NN_TRAIN_INTERNAL_H
#define NN_TRAIN_INTERNAL_H

#include "internal.h"

/* The parameters and gradients of one module tree: two blocks of n floats, shared
 * by every node of the tree (reference counted by the nodes). The memory belongs to
 * two 1-D tensors, so that parameter tensors handed out (views with base = them)
 * keep it alive after the modules are gone. */
typedef struct nn_block {
    float *p, *g; /* pt->data, gt->data */
    nn_tensor *pt, *gt;
    int64_t n;
    int refs;
    /* g may be other than zeros: a backward ran or g was handed out. Until then g is
     * neither filled nor copied, so a model that never trains (nn.arch's) keeps its
     * gradient memory untouched, which on the CPU takes none. */
    bool g_used;
} nn_block;

struct nn_module {
    nn_ctx *ctx;
    nn_module_kind kind;
    int refs;
    int in, out;     /* widths of [batch, width] inputs and outputs; 0 = any or not 2-D */
    nn_act_kind act; /* activations */
    float a;         /* activation argument, dropout p, batch-norm momentum */
    float eps;       /* batch norm */
    nn_init w_init, b_init;
    nn_block *blk; /* parameters [off, off+np) of blk; NULL when np == 0 */
    int64_t off, np;
    nn_module **kids;
    int nkids;
    bool training, frozen;
    int parents; /* containers holding it: a module sits in at most one */
    float l1, l2;
    float *running; /* batch norm: mean[out] then var[out] */
    /* Buffers, grown to the largest input or output (floats) seen, never shrunk. */
    int64_t ycap, scap, dxcap;
    float *y;          /* output (sequential: none, the last child's) */
    float *saved;      /* dropout mask; batch norm x_hat then rstd */
    float *dx;         /* d(loss)/d(input), written for the parent */
    const float *yout; /* the last forward's output */
    /* The last forward's input and output shapes, batch first, and their sizes. */
    int in_nd, out_nd;
    bool shape_known; /* oshape follows from ishape without running (see nn_module_fwd) */
    int ishape[NN_MAX_DIMS], oshape[NN_MAX_DIMS];
    int64_t nin, nout;
    int tshape_nd; /* reshape: the per-sample target shape (one -1 allowed) */
    int tshape[NN_MAX_DIMS - 1];
    void *kstate;     /* a kind's own state, released by its def's free */
    nn_tensor *pt[2]; /* parameter tensors over the block, made by nn_module_graph */
};

/* An AVX2+FMA copy of a hot loop beside the baseline one, picked at load time
 * (GCC's function multiversioning), so one binary runs everywhere and uses 8 lanes
 * where it can. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) &&       \
    !defined(__SANITIZE_THREAD__) /* ThreadSanitizer: resolvers run before its runtime */
#define NN_VECTOR_CLONES __attribute__((target_clones("avx2,fma", "default")))
#else
#define NN_VECTOR_CLONES
#endif

/* e^x, branch-free so that a row's loop vectorizes (libm's expf is a call: a third of an
 * RNN step's time, a tenth of the char-LSTM's loss): x = n ln 2 + r with |r| <= ln2/2, e^r
 * by its degree-6 Taylor polynomial (relative error below 2e-7), times 2^n made in the
 * exponent bits. x is clamped to [-87, 87], where e^x stays a normal float. */
static inline __attribute__((always_inline)) float nn_fexp(float x) {
    x = x < -87.0f ? -87.0f : x > 87.0f ? 87.0f : x;
    float n = __builtin_rintf(x * 1.44269504f);
    float r = x - n * 0.693145752f - n * 1.42860677e-6f; /* ln 2 in two parts */
    float p =
        1.0f +
        r * (1.0f +
             r * (0.5f + r * (1.66666667e-1f +
                              r * (4.16666667e-2f + r * (8.33333333e-3f + r * 1.38888889e-3f)))));
    union {
        int32_t i;
        float f;
    } scale = {.i = ((int32_t)n + 127) << 23};
    return p * scale.f;
}

/* Activation kernels (activation.c). */
void nn_act_forward(nn_act_kind k, float a, const float *x, float *y, int64_t rows, int cols);
void nn_act_backward(nn_act_kind k, float a, const float *x, const float *y, const float *dy,
                     float *dx, int64_t rows, int cols, float *da);

/* Grows *buf to hold n floats (counted heap); NN_OK or NN_ENOMEM. */
int nn_grow(nn_ctx *ctx, float **buf, int64_t *cap, int64_t n);
/* Whether m or a module inside it has an L1/L2 penalty. */
bool nn_module_regularized(const nn_module *m);
/* The running statistics of the batch norms in m (floats), and a copy of them into
 * buf (save) or from it; returns the position after them in buf. */
int64_t nn_module_stats_size(const nn_module *m);
float *nn_module_stats_copy(nn_module *m, float *buf, bool save);
/* Calls fn on every leaf of m that has parameters, with frozen = whether it or an
 * ancestor is frozen. */
void nn_module_each_leaf(nn_module *m, void (*fn)(nn_module *leaf, void *user), void *user);

/* The parameters of m, copied into buf (save) or from it (nparams floats); returns the
 * position after them in buf. */
float *nn_module_params_copy(nn_module *m, float *buf, bool save);

/* NN_OK, or an error naming the loss when class weights are given to a regression
 * loss (which has no class to weigh by). */
int nn_loss_check_weights(nn_ctx *ctx, nn_loss_kind kind, const float *weights);

/* Per-step cross-entropy (loss_seq.c): logits y [B, T C] (a sample's [T, C]) against
 * class indices t [B, T] (tcols = T); a negative target is padding and counts nowhere.
 * The mean over the real steps into *loss, its gradient into dy (when not NULL; 0 on
 * padding); an error naming the shapes or a bad class. */
int nn_seq_ce(nn_ctx *ctx, const float *y, int B, int k, const float *t, int tcols, double *loss,
              float *dy);

#endif
