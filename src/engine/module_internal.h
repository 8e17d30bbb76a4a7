/* module_internal.h: the module-kind table. Each layer kind is one file
 * (mod_<kind>.c) holding one nn_module_def: its shape check, forward, backward,
 * graph (the same forward from autograd ops), parameters, penalty, name, and its
 * record in the model file; module.c keeps what every kind shares (blocks,
 * lifecycle, modes, freezing, traversal) and dispatches through the table.
 *
 * Shapes are full shapes with the batch first, [batch, ...] of 2 to NN_MAX_DIMS
 * dimensions (a per-sample rank of 1 to 3); messages print the batch as "batch":
 * "linear expects [batch, 784], got [batch, 1, 28, 28]".
 *
 * Adding a layer kind (flatten and reshape were added this way):
 *  1. src/engine/mod_<kind>.c: a constructor nn_<kind>_new (built on nn_module_alloc,
 *     or nn_module_container for a kind with children) and
 *     `const nn_module_def nn_mod_<kind> = {...}` with at least kind, shape, forward,
 *     backward and graph. State of the kind lives in the common fields (a, eps, act,
 *     in, out, tshape), or behind kstate, released by the def's free.
 *  2. One enum line NN_MOD_<KIND> before NN_MOD_COUNT (nn_train.h); in module.c the
 *     def's name in the extern list and one line in the table nn_module_defs; the
 *     file's name in engine_src (src/engine/meson.build). The model file needs no
 *     new code: a kind with extra state writes it in save and reads it in load.
 *  3. The constructor in nn_train.h; its binding in src/repl/bind_model.c (t_<kind>
 *     and a line in module_fns); the Lua constructor nn.<kind> (lua/nn.lua) and its
 *     help entry (lua/doc/), whose examples tests/lua/test_help_coverage.lua runs.
 *  4. Tests: tests/engine/test_mod_<kind>.c (values, shape errors, finite-difference
 *     gradients of the kernels and of the graph; a line in tests/engine/meson.build)
 *     and a Lua test in tests/lua/. test_mod_flatten.c already fails for a kind
 *     whose table line is missing or incomplete.
 * Summaries, m:info(), save/load, fit, evaluate and predict work through the table. */
#ifndef NN_MODULE_INTERNAL_H
#define NN_MODULE_INTERNAL_H

#include "train_internal.h"

/* A parameter tensor of a leaf inside the module's slice of the block. */
typedef struct nn_param_desc {
    const char *name; /* "weight", "bias", "gamma", "beta", "alpha" */
    int64_t at;       /* offset from the module's first parameter */
    int ndim;         /* 2: [rows, cols]; 1: [cols] */
    int rows, cols;
} nn_param_desc;

/* The common part of a module's model-file record (modelfile.c writes and reads it;
 * a kind's load builds the module from it). */
typedef struct nn_module_rec {
    int kind, in, out, act;
    float a, eps;
    int nkids;
} nn_module_rec;

/* modelfile.c's writer and reader, for the extra state a kind keeps in its record. */
typedef struct nn_mfile_out nn_mfile_out;
typedef struct nn_mfile_in nn_mfile_in;
void nn_mfile_write(nn_mfile_out *w, const void *src, size_t bytes);
/* false (and the reader marked bad) when the record is cut short */
bool nn_mfile_read(nn_mfile_in *r, void *dst, size_t bytes);
/* A kind's load calls this with the floats its record says follow in the file (its
 * parameters, its extra state) before it allocates anything: false, with a message
 * naming the kind (what) and the reader marked bad, when all that the records read
 * so far claim does not fit in the bytes left, so that a crafted size can make the
 * loader neither allocate gigabytes nor read past the end. */
bool nn_mfile_claim(nn_mfile_in *r, int64_t floats, const char *what);

typedef struct nn_module_def {
    const char *kind; /* "linear": m:info().kind and the summary's type */
    bool container;   /* has children; its forward sets its own output shape */
    bool keeps_shape; /* output shape = input shape (activation, dropout): a container
                       * looks through it for the input a model needs */
    /* The output shape out[] for the input (ndim, in) with in[0] the batch, or a
     * negative code with an NN_ESHAPE message naming both shapes. ndim 0 asks at build
     * time, with the input unknown: the output shape when the kind fixes it without
     * the input (linear [batch, out], reshape), else 0 (unknown). Returns the output
     * ndim. Runs on every forward: messages are formatted only on failure. A kind
     * whose output shape is known only by running it (a forward written in Lua) may
     * return 0 for a known input too: its forward then sets m->out_nd, m->oshape
     * and m->nout itself, as a container's does. */
    int (*shape)(const nn_module *m, int ndim, const int *in, int *out);
    /* y = f(x) for x of shape m->ishape (m->nin floats) into m->yout (its own
     * buffer m->y, or x itself for a view), after shape set m->oshape (m->nout
     * floats). NN_OK or an error code with its message. */
    int (*forward)(nn_module *m, const float *x);
    /* After forward with the same x: adds d(loss)/d(params) into the gradient block
     * (not when frozen) and writes d(loss)/dx into dx when dx is not NULL. */
    int (*backward)(nn_module *m, const float *x, const float *dy, float *dx);
    /* The same forward built from autograd ops (x's shape already checked). Outside a
     * step, every op result made here and not returned is freed here. */
    nn_tensor *(*graph)(nn_ctx *ctx, nn_module *m, nn_tensor *x);
    /* Parameter i (0, 1) of a leaf; false when there is none. NULL: no parameters. */
    bool (*param)(const nn_module *m, int i, nn_param_desc *p);
    double (*penalty)(const nn_module *m);             /* L1/L2 of the weights; NULL: none */
    const char *(*name)(const nn_module *m);           /* "tanh"; NULL: kind */
    float (*arg)(const nn_module *m);                  /* the module's number; NULL: m->a */
    void (*save)(const nn_module *m, nn_mfile_out *w); /* extra record; NULL: none */
    /* The module of a record, children (already read) given; NULL with a message.
     * Extra state is read from r. NULL: the kind cannot be kept in a model file
     * (saving refuses it, naming it). */
    nn_module *(*load)(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                       nn_mfile_in *r);
    void (*free)(nn_module *m); /* releases kstate; NULL: none */
    /* Kinds whose parameters are not in the block (a model written in Lua: the
     * caller's tensors) say how each generic walk reaches them; NULL: the block. */
    void (*release)(nn_module *m); /* before the children are released */
    void (*set_training)(nn_module *m, bool on);
    bool (*is_training)(const nn_module *m);
    void (*zero_grad)(nn_module *m);
    /* copies the parameters to buf (save) or back; returns the position after them */
    float *(*params_copy)(nn_module *m, float *buf, bool save);
    double (*optim_step)(nn_optim *o, nn_module *m); /* one update; the gradient norm */
} nn_module_def;

/* The table, indexed by nn_module_kind (module.c, beside the defs' declarations). */
extern const nn_module_def *const nn_module_defs[NN_MOD_COUNT];

static inline const nn_module_def *nn_module_def_of(const nn_module *m) {
    return nn_module_defs[m->kind];
}

/* A module of kind with in/out widths (0 = any) and np parameters in a new zeroed
 * block, in training mode, one reference; NULL when out of memory. */
nn_module *nn_module_alloc(nn_ctx *ctx, nn_module_kind kind, int in, int out, int64_t np);
/* A container of kind over kids[0..n) (each referenced; their parameters move into
 * the container's block); in/out as nn_module_alloc. */
nn_module *nn_module_container(nn_ctx *ctx, nn_module_kind kind, nn_module *const *kids, int n,
                               int in, int out);
/* true (with a message naming who and module i) when kid k cannot go into a new
 * container: it already sits in one, or appears among earlier[0..i). */
bool nn_module_in_use(nn_ctx *ctx, const char *who, const nn_module *k, nn_module *const *earlier,
                      int i);

/* Forward of m for x of shape (ndim, shape) through the table: records the input
 * shape, checks it and sets the output shape (leaves), runs the kind's forward. */
int nn_module_fwd(nn_module *m, const float *x, int ndim, const int *shape);
/* Backward of the last nn_module_fwd; dx may be NULL. */
int nn_module_bwd(nn_module *m, const float *x, const float *dy, float *dx);

/* "[batch, 1, 28, 28]" of a full shape (the batch entry is not printed); ndim 0
 * gives "[batch, ...]" (any). Returns buf. */
char *nn_batch_shape_str(int ndim, const int *shape, char *buf, size_t len);
/* NN_ESHAPE with "<name> expects <want>, got <shape>" (and the hint when not NULL). */
int nn_module_shape_error(const nn_module *m, const char *want, int ndim, const int *in,
                          const char *hint);
/* Product of shape[from..ndim). */
static inline int64_t nn_dims_prod(int ndim, const int *shape, int from) {
    int64_t n = 1;
    for (int i = from; i < ndim; i++) n *= shape[i];
    return n;
}

/* Kernel, stride and dilation sizes of a window are 1 to NN_WINDOW_MAX, padding 0 to
 * NN_WINDOW_MAX: nn_window_ok checks them (false with a message naming who). */
#define NN_WINDOW_MAX 4096
bool nn_window_ok(nn_ctx *ctx, const char *who, const nn_window *w);
/* The geometry of a conv2d or pooling module m with window win over an input (ndim,
 * in) that must be [batch, C, H, W] (C = channels, or any when 0): fills g (K = C) or
 * returns NN_ESHAPE with a message naming the shapes (mod_conv2d.c). */
int nn_window_geom(const nn_module *m, const nn_window *win, int channels, int ndim, const int *in,
                   nn_conv_geom *g);

/* A conv2d followed by a ReLU in a sequential computes both in one pass: called before
 * conv m's forward with the module after it, true (and the forward rectifies its output,
 * its backward masks dy by it) when next is a ReLU; the sequential then passes the ReLU
 * through (its output is its input) and skips its backward (mod_conv2d.c).
 * nn_conv2d_relu_fused: whether m's last forward did so. */
bool nn_conv2d_fuse_relu(nn_module *m, const nn_module *next);
bool nn_conv2d_relu_fused(const nn_module *m);

#endif
