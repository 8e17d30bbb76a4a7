/* nn.h: the public interface of the nnlab engine: the core (this file), the
 * training side (nn_train.h: layers, losses, optimizers, runs, data sets, model
 * files) and the loss surfaces of optimizer races (nn_surface.h), included below.
 *
 * Tensors of float32 (1 to 4 dimensions, contiguous, row-major) on a device; ops
 * that record themselves for reverse-mode automatic differentiation; an arena for
 * the intermediates of a training step; one seeded random generator; errors as
 * returned codes with a message. Knows nothing of Lua, SDL or readline.
 *
 * Conventions:
 *  - Every call that can fail on user input returns NULL (constructors, ops) or a
 *    negative NN_E* code, and leaves a one-line message in nn_error(ctx) naming the
 *    values involved: "matmul: [32,3] x [4,8]: inner sizes 3 and 4 differ".
 *  - Whoever creates a tensor frees it (nn_tensor_free accepts NULL). Tensors are
 *    reference counted because results keep their inputs alive for backward: a
 *    result holds a reference to each input, and nn_tensor_free drops one.
 *  - Between nn_step_begin and nn_step_end, op results come from the arena and are
 *    never freed one by one; nn_tensor_free on them does nothing.
 *  - Axes may be negative (-1 is the last). NN_ALL reduces over every element.
 */
#ifndef NN_H
#define NN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NN_MAX_DIMS   4
#define NN_MAX_INPUTS 3
#define NN_ALL        127 /* axis argument: reduce over all elements */

enum nn_status {
    NN_OK = 0,
    NN_ESHAPE = -1,  /* shapes do not fit the op */
    NN_EARG = -2,    /* an argument out of range */
    NN_ENOMEM = -3,  /* out of memory */
    NN_EIO = -4,     /* a file could not be read or written */
    NN_EFORMAT = -5, /* a file is not what it claims to be */
    NN_ENAN = -6,    /* a NaN or Inf where a number was needed */
    NN_EDEVICE = -7, /* the device is not available, or tensors on two devices */
    NN_ESTATE = -8,  /* the call does not fit the object's state (e.g. freed) */
};

typedef enum nn_device { NN_CPU = 0, NN_CUDA = 1 } nn_device;

typedef struct nn_ctx nn_ctx;
typedef struct nn_tensor nn_tensor;

/* A tensor: what callers read. Fields are read-only outside the engine unless a
 * comment says so. The engine keeps the rest (how it was made, references, who owns
 * the memory) in a private part behind these; the accessors below give what of it
 * callers need. Tensors are made only by the engine. */
struct nn_tensor {
    float *data;            /* size floats on `device`; row-major */
    nn_tensor *grad;        /* same shape, or NULL until a backward reaches it */
    int ndim;               /* 1..NN_MAX_DIMS */
    int shape[NN_MAX_DIMS]; /* unused trailing entries are 1 */
    int64_t size;           /* product of the shape */
    nn_device device;
    bool requires_grad; /* leaf: accumulate .grad in backward; result: is in a graph */
    const char *name;   /* optional label for graph drawings; not owned; settable */
};

/* ---- context: errors, random generator, arena, grad mode ------------------ */

/* A new context seeded with 0. Returns NULL when out of memory. */
nn_ctx *nn_ctx_new(void);
/* Frees the context and its arena. Tensors made with it must be freed first. */
void nn_ctx_free(nn_ctx *ctx);
/* The message of the last failed call, or "" if none. */
const char *nn_error(const nn_ctx *ctx);

/* The OpenBLAS kernel set ("SkylakeX", "Haswell") this CPU can run when OpenBLAS chose
 * a generic one because it does not know the CPU's model (0.3.21 gives Sapphire Rapids
 * the Prescott kernels, about 4x slower at sgemm); NULL when its choice stands. OpenBLAS
 * reads OPENBLAS_CORETYPE only when it loads, so a program applies the answer by
 * setting it and starting again (main.c). */
const char *nn_blas_better_core(void);
/* Forgets the last error message. */
void nn_clear_error(nn_ctx *ctx);

/* Seeds the engine's one random generator; the same seed gives the same bits. */
void nn_seed(nn_ctx *ctx, uint64_t seed);
/* A uniform draw in [0, 1). */
double nn_rand_uniform(nn_ctx *ctx);
/* A standard normal draw. */
double nn_rand_normal(nn_ctx *ctx);
/* A uniform integer in [0, n). */
uint32_t nn_rand_below(nn_ctx *ctx, uint32_t n);

/* Turns gradient recording on or off (a no-grad scope); returns the previous mode.
 * With a NULL ctx both do nothing and return false. */
bool nn_set_grad_enabled(nn_ctx *ctx, bool enabled);
bool nn_grad_enabled(const nn_ctx *ctx);

/* Starts a step: resets the arena and sends op results to it until nn_step_end.
 * Tensors from an earlier step must not be used after this. Makers (nn_zeros,
 * nn_copy, ...) still use the heap. Arena results hold no references to their
 * inputs: the caller keeps parameters and data alive through the step. Leaves'
 * .grad buffers are made once on the heap; intermediates' come from the arena. */
void nn_step_begin(nn_ctx *ctx);
/* Ends a step: op results go to the heap again. Arena tensors stay readable until
 * the next nn_step_begin. */
void nn_step_end(nn_ctx *ctx);
/* How many heap allocations the engine has made with this context (for tests that
 * prove a steady-state step allocates nothing). */
uint64_t nn_heap_allocs(const nn_ctx *ctx);

/* ---- tensors ----------------------------------------------------------- */

/* Creation. Shapes are given as (ndim, shape); every size must be >= 1. */
nn_tensor *nn_zeros(nn_ctx *ctx, int ndim, const int *shape);
nn_tensor *nn_ones(nn_ctx *ctx, int ndim, const int *shape);
nn_tensor *nn_full(nn_ctx *ctx, int ndim, const int *shape, float value);
nn_tensor *nn_from_array(nn_ctx *ctx, int ndim, const int *shape, const float *values);
/* [start, stop) in steps of step; fails if the range is empty or step is 0. */
nn_tensor *nn_arange(nn_ctx *ctx, float start, float stop, float step);
/* n evenly spaced values from a to b inclusive. */
nn_tensor *nn_linspace(nn_ctx *ctx, float a, float b, int n);
/* Uniform in [lo, hi), and normal with mean and standard deviation. */
nn_tensor *nn_rand(nn_ctx *ctx, int ndim, const int *shape, float lo, float hi);
nn_tensor *nn_randn(nn_ctx *ctx, int ndim, const int *shape, float mean, float std);
/* A tensor over memory the caller owns and keeps alive (parameter blocks). */
nn_tensor *nn_wrap(nn_ctx *ctx, int ndim, const int *shape, float *data);

/* Whether t's memory belongs to the step arena (valid until the next nn_step_begin). */
bool nn_tensor_in_arena(const nn_tensor *t);
/* The kind of the op that made t (NN_OP_LEAF for leaves; nn_op_name names it), and
 * its i-th input (NULL past the last): for drawing and printing graphs. */
int nn_tensor_op(const nn_tensor *t);
nn_tensor *nn_tensor_input(const nn_tensor *t, int i);

/* Drops one reference; frees at zero. Accepts NULL. Arena tensors are ignored. */
void nn_tensor_free(nn_tensor *t);
/* Adds a reference (for bindings that hand one tensor to two owners). */
nn_tensor *nn_tensor_retain(nn_tensor *t);

/* Marks a leaf as needing gradients. Fails on a non-leaf. */
int nn_requires_grad(nn_tensor *t, bool on);
/* Sets .grad to zero (one memset); keeps the buffer. */
void nn_zero_grad(nn_tensor *t);
/* A new leaf with the same values and no graph (torch's detach + clone); NULL with a
 * message when t is NULL. */
nn_tensor *nn_copy(nn_ctx *ctx, const nn_tensor *t);
/* Copies values of src into dst; shapes must have equal sizes; NN_EARG if either is
 * NULL. */
int nn_copy_into(nn_tensor *dst, const nn_tensor *src);
/* Sets every value; NN_EARG when t is NULL. */
int nn_fill(nn_tensor *t, float value);

/* Shape helpers. nn_shape_str writes "[32,3]" into buf and returns buf. */
char *nn_shape_str(const nn_tensor *t, char *buf, size_t len);
bool nn_same_shape(const nn_tensor *a, const nn_tensor *b);
/* Value at a flat index, wherever the tensor lives (copies from the device). NaN for a
 * NULL tensor, and NaN with a message in t's context for an index outside
 * [0, size). */
float nn_get(const nn_tensor *t, int64_t index);
/* Copies all values to host memory out[size] (from the device). NN_EARG (with a
 * message when t is given) for a NULL t or out. */
int nn_read(const nn_tensor *t, float *out);

/* ---- ops: each records itself when grad is on and an input requires grad -- */

/* Views and data movement. */
nn_tensor *nn_reshape(nn_ctx *ctx, nn_tensor *a, int ndim,
                      const int *shape);                                   /* one dim may be -1 */
nn_tensor *nn_transpose(nn_ctx *ctx, nn_tensor *a);                        /* 2-D only */
nn_tensor *nn_slice_rows(nn_ctx *ctx, nn_tensor *a, int start, int count); /* along axis 0 */
nn_tensor *nn_gather_rows(nn_ctx *ctx, nn_tensor *a, const int *rows, int n); /* a[rows[i]] */

/* Elementwise binary, with NumPy broadcasting (a row [m] or [1,m], a column [n,1],
 * a scalar [1], or any shapes that broadcast). */
nn_tensor *nn_add(nn_ctx *ctx, nn_tensor *a, nn_tensor *b);
nn_tensor *nn_sub(nn_ctx *ctx, nn_tensor *a, nn_tensor *b);
nn_tensor *nn_mul(nn_ctx *ctx, nn_tensor *a, nn_tensor *b);
nn_tensor *nn_div(nn_ctx *ctx, nn_tensor *a, nn_tensor *b);

/* Elementwise with a scalar or unary. */
nn_tensor *nn_scale(nn_ctx *ctx, nn_tensor *a, float s);      /* s*a */
nn_tensor *nn_add_scalar(nn_ctx *ctx, nn_tensor *a, float s); /* a+s */
nn_tensor *nn_pow(nn_ctx *ctx, nn_tensor *a, float p);        /* a^p */
nn_tensor *nn_neg(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_exp(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_log(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_sqrt(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_abs(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_tanh(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_sigmoid(nn_ctx *ctx, nn_tensor *a);
nn_tensor *nn_relu(nn_ctx *ctx, nn_tensor *a);

/* Reductions along an axis, or NN_ALL for a [1] result. keepdim keeps the reduced
 * axis with size 1 (for broadcasting back). */
nn_tensor *nn_sum(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim);
nn_tensor *nn_mean(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim);
nn_tensor *nn_max(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim);
/* Indices (as floats) of the maxima along axis; no gradient. */
nn_tensor *nn_argmax(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim);

/* op(a) x op(b) for 2-D tensors, op = transpose when trans_* is set. */
nn_tensor *nn_matmul(nn_ctx *ctx, nn_tensor *a, nn_tensor *b, bool trans_a, bool trans_b);
nn_tensor *nn_softmax(nn_ctx *ctx, nn_tensor *a, int axis);
nn_tensor *nn_log_softmax(nn_ctx *ctx, nn_tensor *a, int axis);

/* ---- autograd ---------------------------------------------------------- */

/* Back-propagates from a one-element tensor: every leaf that requires grad gets
 * d(loss)/d(leaf) added into its .grad (allocated zeroed on first use). */
int nn_backward(nn_ctx *ctx, nn_tensor *loss);
/* Back-propagates a given gradient dy[y->size] = d(loss)/dy from a result y of any
 * shape (a model's output, with dy from a loss computed outside the graph): as
 * nn_backward of sum(y * dy). NN_ESTATE when y does not require grad. */
int nn_backward_grad(nn_ctx *ctx, nn_tensor *y, const float *dy);

/* The graph that produced root, in topological order (inputs before results, root
 * last). Writes at most max pointers and returns the node count, which may exceed
 * max (out may be NULL when max is 0: only the count); returns a negative code with a
 * message on failure (no root, max < 0, or no out for max > 0). */
int nn_graph(nn_ctx *ctx, nn_tensor *root, nn_tensor **out, int max);
/* The name of an op kind ("matmul", "leaf"...). */
const char *nn_op_name(int op);
/* Op kind of leaves. */
#define NN_OP_LEAF 0

/* The race surfaces and the training side have headers of their own; nn.h gives
 * a caller all of the engine. */
#include "nn_surface.h"
#include "nn_train.h"
#include "nn_rbm.h"

#endif
