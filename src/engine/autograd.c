/* autograd.c: the op table, running an op (nn_op_apply: check, allocate, forward,
 * record) and reverse-mode differentiation over the recorded graph (nn_backward),
 * plus the graph walk for drawings (nn_graph). The ops themselves are in op_*.c.
 *
 * The graph is kept by parent pointers (micrograd-style): a result references its
 * inputs. Backward sorts the nodes topologically with an explicit stack (no recursion,
 * so deep graphs of RNNs are fine) into a scratch list kept in the context. */
#include <string.h>

#include "internal.h"

const nn_op_def *const nn_ops[NN_OP_COUNT] = {
    [NN_OP_RESHAPE] = &nn_op_reshape,
    [NN_OP_TRANSPOSE] = &nn_op_transpose,
    [NN_OP_SLICE_ROWS] = &nn_op_slice_rows,
    [NN_OP_GATHER_ROWS] = &nn_op_gather_rows,
    [NN_OP_ADD] = &nn_op_add,
    [NN_OP_SUB] = &nn_op_sub,
    [NN_OP_MUL] = &nn_op_mul,
    [NN_OP_DIV] = &nn_op_div,
    [NN_OP_SCALE] = &nn_op_scale,
    [NN_OP_ADD_SCALAR] = &nn_op_add_scalar,
    [NN_OP_POW] = &nn_op_pow,
    [NN_OP_NEG] = &nn_op_neg,
    [NN_OP_EXP] = &nn_op_exp,
    [NN_OP_LOG] = &nn_op_log,
    [NN_OP_SQRT] = &nn_op_sqrt,
    [NN_OP_ABS] = &nn_op_abs,
    [NN_OP_TANH] = &nn_op_tanh,
    [NN_OP_SIGMOID] = &nn_op_sigmoid,
    [NN_OP_RELU] = &nn_op_relu,
    [NN_OP_SUM] = &nn_op_sum,
    [NN_OP_MEAN] = &nn_op_mean,
    [NN_OP_MAX] = &nn_op_max,
    [NN_OP_ARGMAX] = &nn_op_argmax,
    [NN_OP_MATMUL] = &nn_op_matmul,
    [NN_OP_SOFTMAX] = &nn_op_softmax,
    [NN_OP_LOG_SOFTMAX] = &nn_op_log_softmax,
    [NN_OP_ACTIVATION] = &nn_op_activation,
    [NN_OP_PRELU] = &nn_op_prelu,
    [NN_OP_DROPOUT] = &nn_op_dropout,
    [NN_OP_LOSS] = &nn_op_loss,
    [NN_OP_CONV2D] = &nn_op_conv2d,
    [NN_OP_POOL2D] = &nn_op_pool2d,
    [NN_OP_CONV_TRANSPOSE2D] = &nn_op_conv_transpose2d,
    [NN_OP_CONCAT] = &nn_op_concat,
};

const char *nn_op_name(int op) {
    if (op == NN_OP_LEAF) return "leaf";
    if (op < 0 || op >= NN_OP_COUNT || !nn_ops[op]) return "unknown";
    return nn_ops[op]->name;
}

nn_tensor *nn_op_apply(nn_ctx *ctx, int op, nn_tensor *const *inputs, int n, const float *fargs,
                       const int *iargs, const void *extra) {
    const nn_op_def *def = nn_ops[op];
    for (int i = 0; i < n; i++) {
        if (!inputs[i]) {
            nn_errorf(ctx, NN_EARG, "%s: input %d is missing", def->name, i + 1);
            return NULL;
        }
        if (inputs[i]->device != inputs[0]->device) {
            nn_errorf(ctx, NN_EDEVICE, "%s: inputs are on two devices", def->name);
            return NULL;
        }
    }
    nn_tnode tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.op = op;
    tmp.ctx = ctx;
    for (int i = 0; i < n; i++) tmp.inputs[i] = inputs[i];
    for (int i = 0; i < 2; i++) tmp.fargs[i] = fargs ? fargs[i] : 0.0f;
    for (int i = 0; i < 3; i++) tmp.iargs[i] = iargs ? iargs[i] : 0;
    for (int i = 0; i < NN_MAX_DIMS; i++) tmp.pub.shape[i] = 1;
    tmp.saved = (void *)extra;
    size_t saved = 0;
    if (def->shape(ctx, &tmp.pub, &saved) != NN_OK) return NULL;

    bool arena = ctx->in_step;
    nn_tensor *out = nn_tensor_alloc(ctx, tmp.pub.ndim, tmp.pub.shape, arena, !def->view);
    if (!out) return NULL;
    nn_tn(out)->op = op;
    out->device = inputs[0]->device;
    memcpy(nn_tn(out)->inputs, tmp.inputs, sizeof nn_tn(out)->inputs);
    memcpy(nn_tn(out)->fargs, tmp.fargs, sizeof nn_tn(out)->fargs);
    memcpy(nn_tn(out)->iargs, tmp.iargs, sizeof nn_tn(out)->iargs);
    if (saved) {
        size_t bytes = nn_float_bytes((int64_t)saved);
        nn_tn(out)->saved = arena ? nn_arena_alloc(ctx, bytes) : nn_malloc(ctx, bytes);
        if (!nn_tn(out)->saved) {
            nn_tn(out)->inputs[0] = nn_tn(out)->inputs[1] = nn_tn(out)->inputs[2] = NULL;
            nn_tensor_free(out);
            return NULL;
        }
        if (extra)
            memcpy(nn_tn(out)->saved, extra,
                   def->extra_bytes && def->extra_bytes < saved * sizeof(float)
                       ? def->extra_bytes
                       : saved * sizeof(float));
    }
    def->forward(ctx, out);

    bool record = false;
    if (ctx->grad_enabled && def->differentiable)
        for (int i = 0; i < n; i++) record |= inputs[i]->requires_grad;
    out->requires_grad = record;
    if (def->view && !arena) /* the view keeps its memory's owner alive */
        nn_tn(out)->base =
            nn_tensor_retain(nn_tn(inputs[0])->base ? nn_tn(inputs[0])->base : inputs[0]);
    if (!record) {
        /* Not in a graph: forget the inputs, so chains of no-grad results do not keep
         * each other alive. The op kind stays for display. */
        memset(nn_tn(out)->inputs, 0, sizeof nn_tn(out)->inputs);
        if (!arena) {
            nn_mfree(nn_tn(out)->saved);
            nn_tn(out)->saved = NULL;
        }
    } else if (!arena) {
        for (int i = 0; i < n; i++) nn_tensor_retain(nn_tn(out)->inputs[i]);
    }
    return out;
}

/* ---- topological order ---------------------------------------------------------- */

static int grow_scratch(nn_ctx *ctx, size_t need) {
    if (need <= ctx->topo_cap) return NN_OK;
    size_t cap = ctx->topo_cap ? ctx->topo_cap : 64;
    while (cap < need) cap *= 2;
    nn_tensor **topo = nn_realloc(ctx, ctx->topo, cap * sizeof *topo);
    if (!topo) return NN_ENOMEM;
    ctx->topo = topo;
    nn_tensor **stack = nn_realloc(ctx, ctx->stack, cap * sizeof *stack);
    if (!stack) return NN_ENOMEM;
    ctx->stack = stack;
    ctx->topo_cap = cap;
    return NN_OK;
}

/* Fills ctx->topo with the graph under root, inputs before results, and returns the
 * count (or a negative code). With only_grad, follows only inputs that require
 * grad. Marks: a node is new, expanded (mark == gen: its inputs are on the stack) or
 * done (mark == gen + 1: in the list). A node may be pushed twice; the copy found
 * done is skipped, which keeps the order right when two results share an input. */
static int64_t topo_sort(nn_ctx *ctx, nn_tensor *root, bool only_grad) {
    ctx->mark += 2;
    unsigned expanded = ctx->mark, done = ctx->mark + 1;
    size_t sp = 0, count = 0;
    if (grow_scratch(ctx, 64) != NN_OK) return NN_ENOMEM;
    ctx->stack[sp++] = root;
    while (sp > 0) {
        nn_tensor *t = ctx->stack[sp - 1];
        if (nn_tn(t)->mark == done) {
            sp--;
        } else if (nn_tn(t)->mark == expanded) {
            sp--;
            nn_tn(t)->mark = done;
            /* a wide graph (a tree of adds) has far more nodes than stack depth */
            if (grow_scratch(ctx, count + 1) != NN_OK) return NN_ENOMEM;
            ctx->topo[count++] = t;
        } else {
            nn_tn(t)->mark = expanded;
            if (grow_scratch(ctx, sp + NN_MAX_INPUTS + 1) != NN_OK) return NN_ENOMEM;
            for (int i = NN_MAX_INPUTS - 1; i >= 0; i--) {
                nn_tensor *in = nn_tn(t)->inputs[i];
                if (in && nn_tn(in)->mark != done && (!only_grad || in->requires_grad))
                    ctx->stack[sp++] = in;
            }
        }
    }
    return (int64_t)count;
}

int nn_graph(nn_ctx *ctx, nn_tensor *root, nn_tensor **out, int max) {
    if (!root) return nn_errorf(ctx, NN_EARG, "graph: no tensor given");
    if (max < 0) return nn_errorf(ctx, NN_EARG, "graph: room for %d nodes is not >= 0", max);
    if (!out && max > 0) return nn_errorf(ctx, NN_EARG, "graph: no array given for %d nodes", max);
    int64_t n = topo_sort(ctx, root, false);
    if (n < 0) return (int)n;
    for (int64_t i = 0; i < n && i < max; i++) out[i] = ctx->topo[i];
    return (int)n;
}

/* ---- backward ------------------------------------------------------------------ */

/* Drops the gradients of intermediate nodes: like PyTorch, only leaves keep .grad, so
 * a second backward over a shared graph starts from zero. */
static void drop_intermediate_grads(nn_ctx *ctx, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        nn_tensor *t = ctx->topo[i];
        if (nn_tn(t)->op == NN_OP_LEAF || !t->grad) continue;
        nn_tensor_free(t->grad); /* nothing for arena grads */
        t->grad = NULL;
    }
}

/* Walks the graph under root backward, root->grad already seeded. */
static int backprop(nn_ctx *ctx, int64_t n) {
    int rc = NN_OK;
    for (int64_t i = n - 1; i >= 0; i--) {
        nn_tensor *t = ctx->topo[i];
        if (nn_tn(t)->op == NN_OP_LEAF) continue;
        for (int k = 0; k < NN_MAX_INPUTS; k++) {
            nn_tensor *in = nn_tn(t)->inputs[k];
            if (in && in->requires_grad && (rc = nn_ensure_grad(ctx, in)) != NN_OK) {
                drop_intermediate_grads(ctx, n);
                return rc;
            }
        }
        nn_ops[nn_tn(t)->op]->backward(ctx, t);
    }
    drop_intermediate_grads(ctx, n);
    return NN_OK;
}

int nn_backward(nn_ctx *ctx, nn_tensor *loss) {
    if (!loss) return nn_errorf(ctx, NN_EARG, "backward: no tensor given");
    if (loss->size != 1) {
        char s[64];
        return nn_errorf(ctx, NN_ESHAPE,
                         "backward: the loss has shape %s; it must have one element "
                         "(take sum() or mean() first)",
                         nn_shape_str(loss, s, sizeof s));
    }
    if (!loss->requires_grad)
        return nn_errorf(ctx, NN_ESTATE,
                         "backward: the loss does not require grad (no input of it requires "
                         "grad, or it was computed with grad off)");
    int64_t n = topo_sort(ctx, loss, true);
    if (n < 0) return (int)n;
    int rc = nn_ensure_grad(ctx, loss);
    if (rc != NN_OK) return rc;
    float seed; /* d(loss)/d(loss) += 1, on the device: a leaf loss accumulates */
    ctx->backend->download(&seed, loss->grad->data, 1);
    seed += 1.0f;
    ctx->backend->upload(loss->grad->data, &seed, 1);
    return backprop(ctx, n);
}

int nn_backward_grad(nn_ctx *ctx, nn_tensor *y, const float *dy) {
    if (!y || !dy) return nn_errorf(ctx, NN_EARG, "backward: no tensor or no gradient given");
    if (!y->requires_grad)
        return nn_errorf(ctx, NN_ESTATE,
                         "backward: the output does not require grad (no parameter reaches "
                         "it, or it was computed with grad off)");
    int64_t n = topo_sort(ctx, y, true);
    if (n < 0) return (int)n;
    int rc = nn_ensure_grad(ctx, y);
    if (rc != NN_OK) return rc;
    ctx->backend->acc(y->grad->data, dy, y->size); /* d(sum(y*dy))/dy = dy, accumulated */
    return backprop(ctx, n);
}
