/* nn.h: the public interface of the nnlab engine.
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

/* A tensor. Fields are read-only outside the engine unless a comment says so. */
struct nn_tensor {
    float *data;            /* size floats on `device`; row-major */
    nn_tensor *grad;        /* same shape, or NULL until a backward reaches it */
    int ndim;               /* 1..NN_MAX_DIMS */
    int shape[NN_MAX_DIMS]; /* unused trailing entries are 1 */
    int64_t size;           /* product of the shape */
    nn_device device;
    bool requires_grad; /* leaf: accumulate .grad in backward; result: is in a graph */
    bool in_arena;      /* memory belongs to the step arena */
    bool owns_data;     /* engine-private: data came from the backend's alloc */
    int refcount;
    int op;                           /* kind of the op that made it; NN_OP_LEAF for leaves */
    nn_tensor *inputs[NN_MAX_INPUTS]; /* the op's inputs (referenced), NULL-padded */
    float fargs[2];                   /* op arguments (scalar, exponent, slope...) */
    int iargs[3];                     /* op arguments (axis, flags...) */
    void *saved;                      /* what backward needs, owned like data */
    nn_tensor *base;                  /* for views: the tensor that owns data */
    nn_ctx *ctx;
    const char *name; /* optional label for graph drawings; not owned */
    unsigned mark;    /* engine-private: traversal generation of backward/graph walks */
};

/* ---- context: errors, random generator, arena, grad mode ------------------ */

/* A new context seeded with 0. Returns NULL when out of memory. */
nn_ctx *nn_ctx_new(void);
/* Frees the context and its arena. Tensors made with it must be freed first. */
void nn_ctx_free(nn_ctx *ctx);
/* The message of the last failed call, or "" if none. */
const char *nn_error(const nn_ctx *ctx);
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

/* ---- loss surfaces for optimizer races ----------------------------------- */

/* Built-in 2-D test functions f(x, y) with exact gradient and Hessian, for racing
 * optimizers on two parameters (surface.c). A surface is a small value the caller
 * owns: copy one with nn_surface_get, change its parameter, evaluate it. */

#define NN_SURFACE_MAX_STARTS 4
#define NN_SURFACE_MAX_MINIMA 8

typedef struct nn_surface {
    const char *name;              /* "rosenbrock" */
    const char *formula;           /* "(1-x)^2 + 100(y-x^2)^2", for titles */
    int kind;                      /* private: which function */
    double param;                  /* the surface's parameter (valley: condition number) */
    const char *param_name;        /* "kappa", or NULL for surfaces without one */
    double xmin, xmax, ymin, ymax; /* the view box */
    bool log_levels;               /* values span decades: contour log(f - fmin) */
    int nstarts;                   /* default start points, the first is the usual one */
    double starts[NN_SURFACE_MAX_STARTS][2];
    int nminima; /* known minima, global ones first; 0 if unbounded below */
    int nglobal; /* how many of them are global */
    double minima[NN_SURFACE_MAX_MINIMA][2];
    double minval[NN_SURFACE_MAX_MINIMA]; /* f at each minimum */
} nn_surface;

/* How many built-in surfaces there are; they are numbered 0..count-1. */
int nn_surface_count(void);
/* Copies built-in surface i (with its default parameter) into out. NN_EARG with a
 * message when i is out of range. */
int nn_surface_get(nn_ctx *ctx, int i, nn_surface *out);
/* Copies the built-in surface called name into out; NN_EARG with a message listing
 * the names when there is none. */
int nn_surface_find(nn_ctx *ctx, const char *name, nn_surface *out);
/* Sets the surface's parameter (valley: condition number kappa >= 1). NN_EARG when
 * the surface has none or the value is out of range; s is unchanged then. */
int nn_surface_set_param(nn_ctx *ctx, nn_surface *s, double value);
/* f(x, y); also the gradient {fx, fy} into grad and the Hessian {fxx, fxy, fyy}
 * into hess when they are not NULL. Cannot fail; may return Inf far out. */
double nn_surface_eval(const nn_surface *s, double x, double y, double grad[2], double hess[3]);
/* f on an nx x ny grid over [x0,x1] x [y0,y1] (inclusive ends), row-major with y
 * rising by row: out[j*nx + i] = f(x0 + i*dx, y0 + j*dy). NN_EARG if nx or ny < 2. */
int nn_surface_grid(nn_ctx *ctx, const nn_surface *s, double x0, double x1, double y0, double y1,
                    int nx, int ny, float *out);
/* Eigen-decomposition of the symmetric 2x2 matrix {a, b; b, c} given as
 * h = {a, b, c}: val[0] >= val[1], vec[k] the unit eigenvector of val[k]. */
void nn_sym2_eig(const double h[3], double val[2], double vec[2][2]);

/* ==== layers, losses, optimizers, training, data, files ====================
 * The training side of the engine (issue 5). Models are trees of C modules over
 * [batch, features] matrices of floats: leaves (linear, activation, dropout, batch
 * norm) and containers (sequential, residual). A tree's parameters and gradients are
 * each one contiguous block shared by all its nodes, so an optimizer is an update
 * rule over three flat arrays. Forward and backward of the built-in modules are
 * direct kernels (no tape) so that a training step allocates nothing and costs a
 * few microseconds on a tiny net; nn_module_graph builds the same forward from ops,
 * for autograd at the prompt and as the reference the kernels are tested against.
 * A model written outside the engine (in Lua) is a module of the callback kind
 * (nn_callback_new, mod_lua.c) and trains through the same loop. */

typedef struct nn_module nn_module;
typedef struct nn_optim nn_optim;
typedef struct nn_run nn_run;

/* Activation kinds of lesson 03. The float parameter `a` of nn_activation_new is
 * used by: sigmoid and bipolar sigmoid (slope lambda, default 1), leaky ReLU
 * (negative slope, default 0.01), ELU (alpha, default 1), PReLU (initial slope,
 * default 0.25). */
typedef enum nn_act_kind {
    NN_ACT_STEP,       /* x > 0 ? 1 : 0; no gradient (zero) */
    NN_ACT_LINEAR,     /* x */
    NN_ACT_SIGMOID,    /* 1/(1+exp(-a x)) */
    NN_ACT_BIPOLAR,    /* bipolar sigmoid (1-exp(-a x))/(1+exp(-a x)) = tanh(a x/2) */
    NN_ACT_TANH,       /* tanh x */
    NN_ACT_LECUN_TANH, /* 1.7159 tanh(2x/3) */
    NN_ACT_HARD_TANH,  /* clamp(x, -1, 1) */
    NN_ACT_RELU,       /* max(0, x) */
    NN_ACT_LEAKY_RELU, /* x > 0 ? x : a x */
    NN_ACT_PRELU,      /* x > 0 ? x : a_j x, a_j learned (per feature: nn_prelu_new) */
    NN_ACT_ELU,        /* x > 0 ? x : a (exp(x)-1) */
    NN_ACT_SOFTPLUS,   /* log(1+exp(x)) */
    NN_ACT_SWISH,      /* x sigmoid(x) */
    NN_ACT_GELU,       /* x Phi(x), the exact erf form */
    NN_ACT_SOFTMAX,    /* exp(x_j)/sum_k exp(x_k) along each row */
    NN_ACT_COUNT
} nn_act_kind;

/* The name of an activation ("tanh"...) or NULL; and back (-1 if unknown). */
const char *nn_act_name(nn_act_kind k);
int nn_act_from_name(const char *name);
/* The default of an activation's argument a (see nn_act_kind), 0 if it has none. */
float nn_act_default_arg(nn_act_kind k);

/* Initialisers (fan_in/fan_out are the layer's in/out features). */
typedef enum nn_init_kind {
    NN_INIT_ZEROS,
    NN_INIT_CONSTANT,       /* every value = a */
    NN_INIT_UNIFORM,        /* U(a, b) */
    NN_INIT_NORMAL,         /* N(a, b^2): mean a, std b */
    NN_INIT_XAVIER_UNIFORM, /* U(+-sqrt(6/(fan_in+fan_out))) */
    NN_INIT_XAVIER_NORMAL,  /* N(0, 2/(fan_in+fan_out)) */
    NN_INIT_HE_UNIFORM,     /* U(+-sqrt(6/fan_in)) */
    NN_INIT_HE_NORMAL,      /* N(0, 2/fan_in) */
    NN_INIT_LECUN_UNIFORM,  /* U(+-sqrt(3/fan_in)) */
    NN_INIT_LECUN_NORMAL,   /* N(0, 1/fan_in) */
    NN_INIT_ORTHOGONAL, /* rows or columns orthonormal (Gram-Schmidt of N(0,1)), times gain a (0 =
                           1) */
    NN_INIT_COUNT
} nn_init_kind;

typedef struct nn_init {
    nn_init_kind kind;
    float a, b;
} nn_init;

/* Fills w[rows*cols] (row-major, fan_in = rows, fan_out = cols) from ctx's generator. */
int nn_init_fill(nn_ctx *ctx, nn_init init, float *w, int rows, int cols);
/* The name of an initialiser ("xavier_uniform"...), or NULL; and back (-1 if unknown). */
const char *nn_init_name(nn_init_kind kind);
int nn_init_from_name(const char *name);

/* ---- modules ---- */

typedef enum nn_module_kind {
    NN_MOD_LINEAR,     /* y = x W + b, W [in,out], b [out] */
    NN_MOD_ACTIVATION, /* y = f(x) elementwise (softmax: per row) */
    NN_MOD_DROPOUT,    /* training: y = x m/(1-p), m ~ Bernoulli(1-p); evaluation: y = x */
    NN_MOD_BATCHNORM,  /* y = gamma (x - mean)/sqrt(var + eps) + beta per feature */
    NN_MOD_SEQUENTIAL, /* y = f_n(...f_1(x)) */
    NN_MOD_RESIDUAL,   /* y = x + f(x), f's output width = its input width */
    NN_MOD_CALLBACK,   /* y = f(x) by the caller's function (a model written in Lua) */
    NN_MOD_COUNT
} nn_module_kind;

/* Constructors return a module with one reference, or NULL with the message set. */
nn_module *nn_linear_new(nn_ctx *ctx, int in, int out, nn_init w_init, nn_init b_init);
nn_module *nn_activation_new(nn_ctx *ctx, nn_act_kind kind, float a);
/* PReLU learning one slope per feature (in = out = features) or, with features 0, one
 * slope shared by all (any width, as nn_activation_new(NN_ACT_PRELU, init)); every
 * slope starts at init. */
nn_module *nn_prelu_new(nn_ctx *ctx, int features, float init);
nn_module *nn_dropout_new(nn_ctx *ctx, float p); /* 0 <= p < 1 */
nn_module *nn_batchnorm_new(nn_ctx *ctx, int features, float momentum, float eps);
/* Takes a reference to each child. Widths must chain (width 0 = any: activations,
 * dropout). The children's parameters move into the container's one block: they
 * keep their values and the children become views of the container's block. */
nn_module *nn_sequential_new(nn_ctx *ctx, nn_module *const *children, int n);
nn_module *nn_residual_new(nn_ctx *ctx, nn_module *inner);
/* Adds / drops a reference; frees at zero (with children). Accepts NULL. */
nn_module *nn_module_retain(nn_module *m);
void nn_module_free(nn_module *m);

/* Introspection. in/out widths are 0 for modules that keep any width. */
nn_module_kind nn_module_kind_of(const nn_module *m);
int nn_module_in(const nn_module *m);
int nn_module_out(const nn_module *m);
int nn_module_children(const nn_module *m, nn_module **out, int max); /* returns count */
const char *nn_module_name(const nn_module *m); /* "linear", "tanh", "sequential"... */
nn_act_kind nn_module_act(const nn_module *m);  /* for activations */
float nn_module_arg(const nn_module *m);        /* a, p, momentum: the module's number */
int64_t nn_module_nparams(const nn_module *m);
/* The module's parameters and gradients inside the shared block (NULL if none). */
float *nn_module_params(nn_module *m);
float *nn_module_grads(nn_module *m);
/* The i-th parameter tensor of a leaf (0: weight/gamma/alpha, 1: bias/beta) as
 * [rows, cols] at data; returns NN_EARG when there is none. */
int nn_module_param(nn_module *m, int i, const char **name, float **data, float **grad, int *rows,
                    int *cols);
/* Batch norm's running mean and variance ([features] each); NULL for other kinds. */
float *nn_module_running(nn_module *m);

/* Training mode (dropout active, batch norm on batch statistics) or evaluation. */
void nn_module_train(nn_module *m, bool on);
bool nn_module_training(const nn_module *m); /* whether m is in training mode */
/* Frozen modules get no gradient and are not updated (transfer learning). */
void nn_module_freeze(nn_module *m, bool on);
bool nn_module_frozen(const nn_module *m);
/* L1 and L2 penalties on the weights (not biases) of the module and its children:
 * loss += l1 sum|w| + l2 sum w^2 (Keras' convention; elastic net: both). */
void nn_module_regularize(nn_module *m, float l1, float l2);
/* The penalty of the current weights (training adds it to the loss it reports). */
double nn_module_penalty(const nn_module *m);
void nn_module_zero_grad(nn_module *m);

/* Direct forward of x[batch, width] into the module's own buffer, returned in *y
 * (valid until the next forward). The buffers grow to the largest batch seen and
 * are kept, so a steady-state step allocates nothing. */
int nn_module_forward(nn_module *m, const float *x, int batch, int width, const float **y);
/* Backward after nn_module_forward with the same x and batch: adds d(loss)/d(params) into the
 * gradient block (plus the regularizer's gradient), and writes d(loss)/dx into dx
 * when dx is not NULL. dy[batch, out] is d(loss)/dy. */
int nn_module_backward(nn_module *m, const float *x, const float *dy, float *dx, int batch);
/* The same forward built from ops on tensors (autograd records it when grad is on);
 * the parameters take part as tensors over the block whose .grad is the gradient
 * block, so backward through this graph accumulates where the kernels do. */
nn_tensor *nn_module_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x);

/* The i-th parameter (0: weight/gamma/alpha, 1: bias/beta) of a leaf as a tensor over
 * the block with .grad over the gradient block; owned by the module (retain to keep;
 * it stays valid while the module lives and is not put into another container). */
nn_tensor *nn_module_param_tensor(nn_module *m, int i);

/* A module whose forward is a function of the caller's, over tensors (a model written
 * in Lua; mod_lua.c): it trains through the same loop (nn_run_*) and evaluates as the
 * built-in ones. Its forward calls fns->forward on a new tensor over the batch, with
 * gradient recording on in training mode (off in evaluation), and keeps the output;
 * its backward is autograd from that output, seeded with d(loss)/dy. */
typedef struct nn_callback_fns {
    /* y [batch, out] = f(x) for x [batch, width]; returns a reference to y that the
     * module takes over, or NULL with the reason written into err. */
    nn_tensor *(*forward)(void *user, nn_tensor *x, char *err, size_t errlen);
    /* Sets the training mode of the caller's model (may be NULL). */
    void (*train)(void *user, bool on);
    /* Whether the caller's model is in training mode (may be NULL: the module's flag). */
    bool (*training)(void *user);
} nn_callback_fns;
/* params: the model's parameter tensors, in the order its optimizer's state is laid
 * out (nn_optim_step_parts); a tensor that does not require grad (a frozen layer's)
 * is not updated. inner: the built-in modules inside the model, which become its
 * children for their L1/L2 penalties (loss and gradient), batch-norm statistics and
 * modes. out: the output width (>= 1). Retains the tensors and modules. Returns NULL
 * with the message set on failure. */
nn_module *nn_callback_new(nn_ctx *ctx, const nn_callback_fns *fns, void *user,
                           nn_tensor *const *params, int nparams, nn_module *const *inner,
                           int ninner, int out);

/* Training ops (autograd): activation f(x; a) elementwise (softmax: last axis);
 * PReLU with learned slopes alpha: [1] shared, or one per feature of the last axis;
 * inverted dropout (identity unless training). */
nn_tensor *nn_activation(nn_ctx *ctx, nn_tensor *x, nn_act_kind kind, float a);
nn_tensor *nn_prelu(nn_ctx *ctx, nn_tensor *x, nn_tensor *alpha);
nn_tensor *nn_dropout(nn_ctx *ctx, nn_tensor *x, float p, bool training);

/* ---- losses: mean over the batch (weighted mean with class weights) ---- */

typedef enum nn_loss_kind {
    NN_LOSS_MSE,         /* mean over elements of (y - t)^2 */
    NN_LOSS_MAE,         /* mean |y - t| */
    NN_LOSS_HUBER,       /* mean of 0.5 d^2 if |d| <= delta else delta(|d| - 0.5 delta) */
    NN_LOSS_BCE,         /* binary CE with logits: mean of max(y,0) - y t + log(1+exp(-|y|)) */
    NN_LOSS_CE,          /* categorical CE with logits: -log softmax(y)[class], per row */
    NN_LOSS_HINGE,       /* mean max(0, 1 - s y), s = +-1 (targets 0/1 map to -1/+1) */
    NN_LOSS_MULTI_HINGE, /* per row: sum_{j != c} max(0, 1 + y_j - y_c) (Weston-Watkins) */
    NN_LOSS_COUNT
} nn_loss_kind;

/* Targets t: [batch, k] like y, or for CE and multi-hinge [batch, 1] class indices
 * (0-based, as floats) or [batch, k] one-hot/probabilities. weights: NULL or one per
 * class (CE, multi-hinge; BCE and hinge: [w0, w1]), a weighted mean over the rows by
 * target class; MSE, MAE and Huber refuse them. Writes dy = d(loss)/dy if dy is not NULL.
 * Returns NN_OK and the loss in *loss, or an error naming the shapes/classes. */
int nn_loss(nn_ctx *ctx, nn_loss_kind kind, const float *y, int batch, int k, const float *t,
            int tcols, const float *weights, float delta, double *loss, float *dy);
const char *nn_loss_name(nn_loss_kind kind);
int nn_loss_from_name(const char *name);
/* The loss as one fused autograd op on y [B,k] and targets (as nn_loss, without
 * class weights): a [1] tensor whose backward adds d(loss)/dy into y's grad. */
nn_tensor *nn_loss_graph(nn_ctx *ctx, nn_loss_kind kind, nn_tensor *y, nn_tensor *t, float delta);

/* ---- optimizers ---- */

typedef enum nn_optim_kind {
    NN_OPT_GD,
    NN_OPT_SGD,
    NN_OPT_MOMENTUM,
    NN_OPT_NESTEROV,
    NN_OPT_ADAGRAD,
    NN_OPT_RMSPROP,
    NN_OPT_ADADELTA,
    NN_OPT_ADAM,
    NN_OPT_ADAMW,
    NN_OPT_NADAM,
    NN_OPT_RPROP,
    NN_OPT_COUNT
} nn_optim_kind;

/* Hyper-parameters, settable between steps. Unused ones are ignored. */
typedef struct nn_optim_hp {
    float lr;
    float momentum;     /* momentum, nesterov: mu */
    float beta1, beta2; /* adam, adamw, nadam */
    float rho;          /* rmsprop, adadelta: decay of the squared-gradient average */
    float eps;
    float weight_decay; /* L2 added to the gradient (adamw: decoupled) */
    float clip_norm;    /* > 0: scale the gradient to at most this global norm */
    float clip_value;   /* > 0: clamp each gradient component to [-v, v] */
    float eta_plus, eta_minus, step_min, step_max; /* rprop */
    float nesterov; /* sgd: nonzero for Nesterov momentum (needs momentum > 0) */
} nn_optim_hp;

/* The defaults of a kind (see optim.c for each rule and where its numbers come from). */
nn_optim_hp nn_optim_defaults(nn_optim_kind kind);
/* An optimizer over n parameters (its state is one zeroed block). NULL with a message
 * for a bad kind or size, or for sgd's nesterov without a momentum > 0. */
nn_optim *nn_optim_new(nn_ctx *ctx, nn_optim_kind kind, nn_optim_hp hp, int64_t n);
void nn_optim_free(nn_optim *o);
nn_optim_hp *nn_optim_hparams(nn_optim *o); /* read and write between steps */
/* The name of hyper-parameter i of nn_optim_hp ("lr", "momentum", ...), or NULL when
 * i is past the last; for bindings that expose them by name. */
const char *nn_optim_hp_name(int i);
/* The field of hp called name, or NULL when there is none. */
float *nn_optim_hp_field(nn_optim_hp *hp, const char *name);
/* The name of the i-th setting that kind takes ("lr", "momentum", ...; the others do
 * nothing in its rule), or NULL when i is past the last; and whether it takes name. */
const char *nn_optim_option(nn_optim_kind kind, int i);
bool nn_optim_takes(nn_optim_kind kind, const char *name);
nn_optim_kind nn_optim_kind_of(const nn_optim *o);
const char *nn_optim_name(nn_optim_kind kind);
int nn_optim_from_name(const char *name);
int64_t nn_optim_steps(const nn_optim *o);
/* One update of p[n] from g[n] (clipping g first). Returns g's norm before clipping. */
double nn_optim_step(nn_optim *o, float *p, float *g);
/* One update over separate arrays p[k][n[k]] (tensors of a module written in Lua):
 * the state is laid out part after part; sum n[k] must be the optimizer's size. A
 * part with p[k] NULL is frozen: it keeps its place in the state but is neither
 * updated nor counted in the norm (g[k] is not read). */
double nn_optim_step_parts(nn_optim *o, float *const *p, float *const *g, const int64_t *n,
                           int parts);
/* Sets the step count (bias corrections use it), e.g. when resuming from a file. */
void nn_optim_set_steps(nn_optim *o, int64_t t);
/* Names and arrays of the state ("velocity", "sum_sq"...; n floats each). */
int nn_optim_nstate(const nn_optim *o);
const char *nn_optim_state_name(const nn_optim *o, int i);
float *nn_optim_state(nn_optim *o, int i);
/* The effective per-parameter step size at the current state into out[n] (lr for
 * plain SGD, lr/sqrt(acc+eps) for Adagrad, ...). */
void nn_optim_effective_lr(const nn_optim *o, float *out);
void nn_optim_reset(nn_optim *o); /* zero the state and the step count */
int64_t nn_optim_size(const nn_optim *o);

/* One optimizer step over a module's block, skipping frozen modules; the gradient
 * norm, or NaN with the message set when o does not fit m. */
double nn_optim_step_module(nn_optim *o, nn_module *m);

/* ---- learning-rate schedules ---- */

typedef enum nn_sched_kind {
    NN_SCHED_CONSTANT,
    NN_SCHED_STEP,        /* lr0 gamma^floor(t/period) */
    NN_SCHED_EXPONENTIAL, /* lr0 gamma^t */
    NN_SCHED_COSINE,      /* lr_min + (lr0-lr_min)(1+cos(pi t/period))/2, t clamped to period */
    NN_SCHED_CYCLIC,      /* triangular between lr_min and lr0, half-cycle = period */
    NN_SCHED_WARMUP,      /* lr0 min(1, (t+1)/period) */
    NN_SCHED_COUNT
} nn_sched_kind;
typedef struct nn_sched {
    nn_sched_kind kind;
    double lr0, lr_min, gamma;
    int period;
} nn_sched;
/* The learning rate at step t (0-based), in double (what Lua's optim.schedule gives)
 * and as the float an optimizer uses. The one place the formulas are written. */
double nn_sched_rate(const nn_sched *s, int64_t t);
float nn_sched_lr(const nn_sched *s, int64_t t);
/* NN_OK, or NN_EARG with a message naming the setting and its value: a kind out of
 * range, lr0 or lr_min < 0, gamma <= 0, period < 1. */
int nn_sched_check(nn_ctx *ctx, const nn_sched *s);
const char *nn_sched_name(nn_sched_kind kind);
int nn_sched_from_name(const char *name);

/* ---- data sets: x [n, nx] and y [n, ny], rows are samples ---- */

typedef struct nn_dataset {
    int n, nx, ny;
    int classes; /* > 0: y is [n,1] class indices 0..classes-1; 0 for regression */
    float *x, *y;
} nn_dataset;

nn_dataset *nn_dataset_new(nn_ctx *ctx, int n, int nx, int ny, int classes);
void nn_dataset_free(nn_dataset *d);
/* Synthetic sets of TensorFlow Playground and the course. Points in [-6, 6]^2 (the
 * Playground's scale), labels 0/1 (or 0..classes-1), noise in data units. */
typedef enum nn_synth_kind {
    NN_SYN_CIRCLE,
    NN_SYN_XOR,
    NN_SYN_GAUSS,
    NN_SYN_SPIRAL,
    NN_SYN_MOONS,
    NN_SYN_BLOBS,
    NN_SYN_PLANE,
    NN_SYN_GAUSS_SUM,
    NN_SYN_SINE,
    NN_SYN_COUNT
} nn_synth_kind;
nn_dataset *nn_synth(nn_ctx *ctx, nn_synth_kind kind, int n, int classes, float noise);
const char *nn_synth_name(nn_synth_kind kind);
int nn_synth_from_name(const char *name);
/* Playground features of 2-D points: flags bit 0 x1, 1 x2, 2 x1^2, 3 x2^2, 4 x1 x2,
 * 5 sin x1, 6 sin x2; a new set with the chosen columns in that order. */
nn_dataset *nn_features(nn_ctx *ctx, const nn_dataset *d, unsigned flags);
/* Shuffles rows in place with ctx's generator. */
void nn_dataset_shuffle(nn_ctx *ctx, nn_dataset *d);
/* The first (1-frac) rows into *a and the rest into *b (copies). 0 < frac < 1. */
int nn_dataset_split(nn_ctx *ctx, const nn_dataset *d, float frac, nn_dataset **a, nn_dataset **b);
/* Rows [start, start+count) as a new set. */
nn_dataset *nn_dataset_slice(nn_ctx *ctx, const nn_dataset *d, int start, int count);
/* Column statistics of x fitted on one set, applied to any: standardise (mean 0,
 * std 1; a constant column keeps std 1) or min-max to [0, 1]. stats: 2*nx floats. */
void nn_fit_standardize(const nn_dataset *d, float *stats);
void nn_fit_minmax(const nn_dataset *d, float *stats);
void nn_apply_scaling(nn_dataset *d, const float *stats); /* x = (x - s[j]) / s[nx+j] */
/* One-hot rows of class indices: out[n*classes]; fails on an index out of range. */
int nn_one_hot(nn_ctx *ctx, const float *labels, int n, int classes, float *out);
/* What a CSV file calls its columns and labels (from nn_csv_load; the caller frees
 * it with nn_csv_names_free). */
typedef struct nn_csv_names {
    int ncols;      /* columns of the header */
    char **columns; /* their names, in file order; x holds all but the label's */
    int label_col;  /* the label's column (0-based), -1 for none */
    int nclasses;   /* text labels: how many; 0 when the labels were numbers */
    char **classes; /* class k's text label is classes[k] (NULL without text labels) */
} nn_csv_names;
/* CSV with a header row. The label column is the one whose header is `label` (when
 * not NULL) or else the 0-based label_col (-1 = none); it becomes y. Numeric labels
 * are targets, or class indices with classify; text labels (any of them with
 * classify, or all of them) are classes numbered in order of first appearance.
 * names, if not NULL, gets the header and the label names. Returns NULL with a
 * message naming the file, the line and the column on failure. */
nn_dataset *nn_csv_load(nn_ctx *ctx, const char *path, const char *label, int label_col,
                        bool classify, nn_csv_names *names);
void nn_csv_names_free(nn_csv_names *names); /* accepts NULL */
/* IDX files (gzip or raw): images [n, rows*cols] scaled to [0,1], labels [n,1]. */
nn_dataset *nn_idx_load(nn_ctx *ctx, const char *images, const char *labels, int limit);

/* ---- metrics ---- */

/* Confusion matrix cm[classes*classes] (row = true class, column = predicted) from
 * scores y[batch, k]: the argmax, or for k = 1 class 1 when y > threshold (0 for a
 * logit, 0.5 for a probability). Adds into cm. */
void nn_confusion_add(const float *y, int batch, int k, const float *labels, int classes,
                      float threshold, int64_t *cm);
typedef struct nn_metrics {
    double accuracy, precision, recall, f1; /* macro averages over classes */
} nn_metrics;
nn_metrics nn_metrics_from_confusion(const int64_t *cm, int classes);

/* ---- the training loop ---- */

typedef struct nn_fit_opts {
    nn_loss_kind loss;
    float huber_delta;
    const float *class_weights; /* NULL or one per class; copied */
    int epochs;
    int batch; /* 0 = the whole set (GD) */
    bool shuffle;
    int patience;    /* > 0: early stopping on the validation loss (training loss without
                      * a validation set), restoring the best epoch's weights and batch-norm
                      * statistics, also when the epochs run out */
    float min_delta; /* an improvement smaller than this does not count */
    int every_steps; /* callback every N steps (0 = never by steps) */
    double every_ms; /* callback every M ms (0 = never by time) */
    nn_sched sched;  /* applied when sched.lr0 > 0 */
    /* NULL, or the rate of each step 0..n_lr_steps-1 (copied; the last one holds
     * after them), used instead of sched: a schedule given as a function, sampled
     * once when the run is made so that the loop calls no function per step. */
    const float *lr_steps;
    int64_t n_lr_steps;
    /* The clock of every_ms callbacks and epoch times in milliseconds, given user;
     * NULL = CLOCK_MONOTONIC. Tests pass a fake one. */
    double (*clock_ms)(void *user);
    /* Called every N steps / M ms and at each epoch end (epoch_end true); a nonzero
     * return stops the run. */
    int (*callback)(nn_run *run, bool epoch_end, void *user);
    void *user;
} nn_fit_opts;

typedef enum nn_run_state {
    NN_RUN_RUNNING,
    NN_RUN_DONE,
    NN_RUN_STOPPED,
    NN_RUN_FAILED
} nn_run_state;

/* One epoch's record. Validation fields are NaN without a validation set; accuracy
 * NaN for regression. */
typedef struct nn_epoch_rec {
    double loss, acc, val_loss, val_acc, seconds;
    /* as nn_metrics_reported gives them; NaN for regression (val_: without validation) */
    double precision, recall, f1, val_precision, val_recall, val_f1;
} nn_epoch_rec;

/* The mini-batch size fit uses on n rows: batch, or n (the whole set) when batch is 0
 * or more than n. The one place the batch is clamped. */
int nn_fit_batch(int batch, int n);

/* A run trains m with o on train (and reports on val, which may be NULL). It takes
 * references to nothing: the caller keeps m, o and the data alive until it frees
 * the run. Every option is checked (NULL with a message naming the option and its
 * value); the defaults are the caller's (lua/nn_train.lua's for fit). */
nn_run *nn_run_new(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *train,
                   const nn_dataset *val, const nn_fit_opts *opts);
void nn_run_free(nn_run *r);
/* Trains for about ms milliseconds (ms <= 0: to the end) and returns the state.
 * A NaN/Inf loss fails the run with a message naming the step (nn_run_message). */
nn_run_state nn_run_for(nn_run *r, double ms);
void nn_run_stop(nn_run *r); /* the next nn_run_for returns NN_RUN_STOPPED */
nn_run_state nn_run_status(const nn_run *r);
const char *nn_run_message(const nn_run *r); /* why it stopped or failed, or "" */
int nn_run_epoch(const nn_run *r);           /* epochs finished */
int64_t nn_run_step(const nn_run *r);        /* steps done */
int nn_run_steps_per_epoch(const nn_run *r);
int nn_run_step_in_epoch(const nn_run *r);
double nn_run_last_loss(const nn_run *r);  /* loss of the last step */
double nn_run_epoch_loss(const nn_run *r); /* running mean of this epoch */
double nn_run_epoch_acc(const nn_run *r);  /* running accuracy of this epoch */
int nn_run_best_epoch(const nn_run *r);    /* 1-based; 0 if none */
const nn_epoch_rec *nn_run_history(const nn_run *r, int *n);
/* Step losses of the whole run (one per step). */
const float *nn_run_step_losses(const nn_run *r, int64_t *n);
/* The confusion matrix (row = true class) of the last finished epoch: of the training
 * batches as they were trained (validation false) or of the validation set; NULL
 * before the first epoch, for regression, or without a validation set. *classes gets
 * its size. */
const int64_t *nn_run_confusion(const nn_run *r, bool validation, int *classes);
/* Precision, recall and F1 as fit reports them: of class 1 for two classes (binary),
 * else the macro averages of nn_metrics_from_confusion. */
nn_metrics nn_metrics_reported(const int64_t *cm, int classes);
/* Loss and metrics of m on a whole set, in evaluation mode, in batches. cm may be
 * NULL, else classes*classes counts. */
int nn_evaluate(nn_ctx *ctx, nn_module *m, const nn_dataset *d, nn_loss_kind loss, float delta,
                double *loss_out, double *acc_out, int64_t *cm);

/* LR range test: batches of d with lr growing exponentially from lr_min to lr_max
 * over n steps (plain SGD unless o is given), writes lr[i], loss[i]; stops early when
 * the loss passes 4x its minimum or is not finite. Returns the steps done. The
 * module's weights are restored afterwards. */
int nn_lr_range_test(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *d, nn_loss_kind loss,
                     int batch, float lr_min, float lr_max, int n, float *lr, float *loss_out);

/* ---- model files ---- */

/* Writes m (architecture, parameters, batch-norm statistics, and o's state when o is
 * not NULL) to path through a temporary file renamed over it. See modelfile.c for
 * the format. */
int nn_model_save(nn_ctx *ctx, nn_module *m, const nn_optim *o, const char *path);
/* Reads a model file; *o (if not NULL) gets the saved optimizer or NULL. A file that
 * is truncated, corrupted (CRC) or not a model is refused with the reason. */
nn_module *nn_model_load(nn_ctx *ctx, const char *path, nn_optim **o);

#endif
