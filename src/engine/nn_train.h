/* nn_train.h: the training side of the engine's public interface (nn.h includes
 * it): modules, activations and initialisers, losses, optimizers and schedules,
 * data sets and their loaders, metrics, the training loop and model files. The
 * conventions of nn.h hold here. */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include "nn.h"

/* ==== layers, losses, optimizers, training, data, files ====================
 * The training side of the engine (issue 5). Models are trees of C modules over
 * inputs [batch, ...] of any rank up to NN_MAX_DIMS: leaves (linear, activation,
 * dropout, batch norm, flatten, reshape) and containers (sequential, residual), one
 * entry each in the module-kind table (src/engine/module_internal.h). A tree's parameters and
 * gradients are each one contiguous block shared by all its nodes, so an optimizer is an update
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
    NN_MOD_RESIDUAL,   /* y = x + f(x), f keeps its input's shape */
    NN_MOD_FLATTEN,    /* [batch, d1, ..., dk] -> [batch, d1*...*dk] */
    NN_MOD_RESHAPE,    /* [batch, ...] -> [batch, t1, ..., tk], as many values a sample */
    NN_MOD_CALLBACK,   /* y = f(x) by the caller's function (a model written in Lua) */
    NN_MOD_CONV2D,     /* [batch, C, H, W] -> [batch, K, OH, OW] */
    NN_MOD_POOL2D,     /* max, average or global average pooling of [batch, C, H, W] */
    /* issue 13: conv2d's adjoint; dropout of whole maps; [f_1(x), ..., f_n(x)] on axis 1 */
    NN_MOD_CONV_TRANSPOSE2D,
    NN_MOD_DROPOUT2D,
    NN_MOD_CONCAT,
    NN_MOD_EMBEDDING, /* [batch, T] ids -> [batch, T, dim], rows of a table */
    NN_MOD_RNN,       /* h_t = f(W [h_{t-1}, x_t] + b) over [batch, T, F] */
    NN_MOD_LSTM,      /* the course's LSTM over [batch, T, F] */
    NN_MOD_GRU,       /* the textbook's GRU over [batch, T, F] */
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
/* Takes a reference to each child. Shapes must chain as far as they are known
 * without data (each child's output shape fits the next child's input; the message
 * names the child and both shapes). The children's parameters move into the
 * container's one block: they keep their values and the children become views of
 * the container's block. */
nn_module *nn_sequential_new(nn_ctx *ctx, nn_module *const *children, int n);
nn_module *nn_residual_new(nn_ctx *ctx, nn_module *inner);
/* y = f(x) + shortcut(x) (ResNet's projection when f changes the shape); the two
 * outputs must have one shape. A NULL shortcut is nn_residual_new. */
nn_module *nn_residual_shortcut_new(nn_ctx *ctx, nn_module *inner, nn_module *shortcut);
/* Branches side by side: y = [f_1(x), ..., f_n(x)] joined along axis 1 (channels), as
 * in GoogLeNet's inception module; 1 <= n <= 64, the outputs alike but in axis 1. */
nn_module *nn_concat_new(nn_ctx *ctx, nn_module *const *branches, int n);
/* Dropout of whole channels of [batch, C, ...]: each map is kept, times 1/(1-p), with
 * probability 1-p, or zeroed; the identity in evaluation. 0 <= p < 1. */
nn_module *nn_dropout2d_new(nn_ctx *ctx, float p);
/* Flatten each sample: [batch, ...] -> [batch, product of the rest]. */
nn_module *nn_flatten_new(nn_ctx *ctx);
/* Reshape each sample to shape[0..ndim) (1 <= ndim <= NN_MAX_DIMS-1; one size may be
 * -1 for what the others leave): [batch, ...] -> [batch, shape...]. */
nn_module *nn_reshape_new(nn_ctx *ctx, int ndim, const int *shape);

/* The window of a conv2d or pooling layer: kernel kh x kw, stride sh x sw, dilation
 * dh x dw, zero padding pad[4] = {top, bottom, left, right}, or `same` (output size
 * ceil(H / sh), the padding split with the odd one below and right, as TensorFlow's). */
typedef struct nn_window {
    int kh, kw, sh, sw, dh, dw;
    int pad[4];
    bool same;
} nn_window;
/* conv2d [batch, in, H, W] -> [batch, out, OH, OW], OH = floor((H + pt + pb - dh (kh - 1)
 * - 1) / sh) + 1, as cross-correlation (the kernel is not flipped); groups divides in
 * and out (groups = in: depthwise); weight [out, in/groups, kh, kw] (He uniform by
 * default, fan in = in/groups kh kw), bias [out] (zeros) when bias. */
nn_module *nn_conv2d_new(nn_ctx *ctx, int in, int out, const nn_window *win, int groups, bool bias,
                         nn_init w_init, nn_init b_init);
/* The flip option of a conv2d module (no effect on other kinds): on, the layer computes
 * true convolution, y[oh, ow] = sum w[i, j] x[oh*sh - pt + (kh-1-i) dh, ...] (the kernel
 * turned by 180 degrees), kept in the model file. */
void nn_conv2d_flip(nn_module *m, bool on);
bool nn_conv2d_flipped(const nn_module *m);
/* Transposed conv2d [batch, in, H, W] -> [batch, out, OH, OW] with OH = (H - 1) sh -
 * 2 ph + dh (kh - 1) + out_pad_h + 1 (likewise OW); win's padding must be symmetric
 * per axis (pad[0] = pad[1] = ph, pad[2] = pad[3] = pw), or `same`: OH = H sh (the
 * padding ignored, no out_pad; see mod_convt2d.c); out_pad below the
 * stride or the dilation; groups divides in and out; weight [in, out/groups, kh, kw]
 * (PyTorch's layout), bias [out] when bias. */
nn_module *nn_conv_transpose2d_new(nn_ctx *ctx, int in, int out, const nn_window *win,
                                   int out_pad_h, int out_pad_w, int groups, bool bias,
                                   nn_init w_init, nn_init b_init);
typedef enum { NN_POOL2D_MAX, NN_POOL2D_AVG, NN_POOL2D_GLOBAL_AVG } nn_pool2d_kind;
/* Pooling per channel over the window: max (the padding never wins) or average (the
 * padding counted as zeros, divided by kh kw); global average takes no window and
 * gives [batch, C]. */
nn_module *nn_pool2d_new(nn_ctx *ctx, nn_pool2d_kind kind, const nn_window *win);
/* The window of a conv2d module and its groups, or of a pooling module and its kind
 * (receptive fields, the explainer's sliding kernel); false, changing nothing, for a
 * module of another kind. */
bool nn_conv2d_window(const nn_module *m, nn_window *win, int *groups);
bool nn_pool2d_window(const nn_module *m, nn_window *win, nn_pool2d_kind *kind);

/* Embedding: ids [batch, T] (whole numbers 0 .. vocab-1, as floats) -> [batch, T, dim],
 * row id of a weight table [vocab, dim] (uniform +-0.05, as Keras). With padding >= 0
 * that id is padding: it maps to zeros and its row gets no gradient. */
nn_module *nn_embedding_new(nn_ctx *ctx, int vocab, int dim, int padding);

/* Recurrent cells; the gates' order in the weight columns:
 *   RNN  h_t = act(W [h_{t-1}, x_t] + b)                        (tanh or relu)
 *   LSTM f, i, C~, o as the lecture slides: f_t = sig(W_f [h_{t-1}, x_t] + b_f),
 *        i_t = sig(W_i [..] + b_i), C~_t = tanh(W_C [..] + b_C), C_t = f_t C_{t-1} +
 *        i_t C~_t, o_t = sig(W_o [..] + b_o), h_t = o_t tanh(C_t)
 *   GRU  r, z, h~ as the textbook: r_t = sig(W_xr x_t + W_hr h_{t-1} + b_r), z_t likewise,
 *        h~_t = tanh(W_xh x_t + r_t (W_hh h_{t-1}) + b_h), h_t = (1 - z_t) h_{t-1} + z_t h~_t
 * Each layer and direction has one weight [H + F, G H] (rows: h's, then x's; G = 1, 4, 3
 * gates) and one bias [G H]: G m (n + m + 1) parameters for n inputs and m units. */
typedef enum { NN_CELL_RNN, NN_CELL_LSTM, NN_CELL_GRU } nn_cell_kind;
typedef struct nn_rnn_opts {
    nn_act_kind act;    /* the vanilla cell's: NN_ACT_TANH or NN_ACT_RELU */
    int layers;         /* stacked layers, >= 1 (each after the first takes D H inputs) */
    bool bidirectional; /* D = 2: a second pass from the end, outputs side by side */
    bool all_steps;     /* [batch, T, D H]; else the last real step's [batch, D H] */
    bool mask;          /* a step whose input is all zeros is padding (pre or post) */
    int bptt;           /* truncated BPTT: gradients flow back within segments of this
                         * many steps (in each direction's order); 0: the whole sequence */
} nn_rnn_opts;
/* [batch, T, in] -> as opts say; weights by w_init (fans H + in, G H), biases 0 (the
 * LSTM's forget gate 1, as Keras). */
nn_module *nn_rnn_new(nn_ctx *ctx, nn_cell_kind cell, int in, int hidden, const nn_rnn_opts *o,
                      nn_init w_init);
/* Views of the last forward and backward of a recurrent module m, for one sample of the
 * batch: what = "h" (hidden states), "c" (LSTM cell states) or a gate's letter ("f",
 * "i", "g", "o"; "r", "z", "n") of layer (0-based) and direction; writes [T, H] floats
 * (time order; padding steps carry the state, their gates read 0) into out (T H floats
 * at most max; NULL: only the sizes), sets *units = H (when units is not NULL) and
 * returns T, or a negative code with a message. */
int nn_rnn_trace(nn_module *m, const char *what, int layer, int dir, int sample, float *out,
                 int64_t max, int *units);
/* The norm over the batch of d(loss)/dh_t at each step t of the last backward (top layer,
 * forward direction, time order) into out (at most max); returns T, or a negative code. */
int nn_rnn_grad_norms(nn_module *m, float *out, int max);
/* Adds / drops a reference; frees at zero (with children). Accepts NULL. */
nn_module *nn_module_retain(nn_module *m);
void nn_module_free(nn_module *m);

/* Introspection. in/out are the widths of [batch, width] inputs and outputs, 0 for
 * modules that take any shape or whose output is not [batch, width] without data. */
nn_module_kind nn_module_kind_of(const nn_module *m);
const char *nn_module_kind_name(const nn_module *m); /* "linear", "activation"... */
bool nn_module_is_container(const nn_module *m);     /* sequential, residual */
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

/* The output shape out[] (batch first) of m for an input of shape (ndim, in), batch
 * first (2 <= ndim <= NN_MAX_DIMS; 0: no input, what m fixes by itself, as a reshape's
 * target); returns its ndim (0 when only a forward can tell),
 * or NN_ESHAPE with a message naming both shapes: "linear expects [batch, 784], got
 * [batch, 1, 28, 28]". */
int nn_module_out_shape(nn_module *m, int ndim, const int *in, int *out);
/* Direct forward of x of shape (ndim, shape), batch first, into the module's own
 * buffer (or x itself for flatten and the like), returned in *y (valid until the
 * next forward); its shape is nn_module_out_shape's. The buffers grow to the largest
 * batch seen and are kept, so a steady-state step allocates nothing. */
int nn_module_forward(nn_module *m, const float *x, int ndim, const int *shape, const float **y);
/* Backward after nn_module_forward with the same x and batch: adds d(loss)/d(params) into the
 * gradient block (plus the regularizer's gradient), and writes d(loss)/dx into dx
 * when dx is not NULL. dy (the output's shape) is d(loss)/dy. */
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
 * built-in ones. Its forward calls fns->forward on a new tensor over the batch (of
 * the data's shape [batch, ...]), with gradient recording on in training mode (off
 * in evaluation), and keeps the output; its backward is autograd from that output,
 * seeded with d(loss)/dy. */
typedef struct nn_callback_fns {
    /* y [batch, out] = f(x) for x [batch, ...]; returns a reference to y that the
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
    NN_LOSS_SEQ_CE,      /* per step CE of [batch, T, C] logits, targets [batch, T]; < 0: padding */
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

/* ---- data sets: x [n, ...] and y [n, ...], rows are samples ---- */

/* A sample of x has the shape x_shape[0..x_ndim) (images 1 x 28 x 28, sequences T or
 * T x F, points 2), stored as a row of nx floats (the product); y likewise. */
typedef struct nn_dataset {
    int n, nx, ny; /* samples, and floats a sample of x and of y */
    int classes;   /* > 0: y holds class indices 0..classes-1, [n,1] one a sample or
                    * [n, T] one a step (a tagger's; -1 pads); 0 for regression */
    float *x, *y;
    int x_ndim, y_ndim; /* 1..NN_MAX_DIMS-1 */
    int x_shape[NN_MAX_DIMS - 1], y_shape[NN_MAX_DIMS - 1];
} nn_dataset;

/* A zeroed set of n samples, x [n, nx] and y [n, ny]. */
nn_dataset *nn_dataset_new(nn_ctx *ctx, int n, int nx, int ny, int classes);
/* The same with samples of any shape: x [n, x_shape...], y [n, y_shape...]. */
nn_dataset *nn_dataset_new_shaped(nn_ctx *ctx, int n, int x_ndim, const int *x_shape, int y_ndim,
                                  const int *y_shape, int classes);
/* Gives the samples of x (or of y, when of_y) the shape (ndim, shape), of as many
 * floats (images [n, 784] as [n, 1, 28, 28]); no copy. NN_ESHAPE with a message when
 * the sizes differ, and d is unchanged. */
int nn_dataset_reshape(nn_ctx *ctx, nn_dataset *d, bool of_y, int ndim, const int *shape);
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
/* The same for labels[batch, ny]: ny > 1 labels a sample (one a step), each scored by
 * k / ny of its outputs; a negative label is padding and not counted. Adds into cm
 * (may be NULL); *right gets the number predicted right. Returns the labels counted
 * (0 when k is not a multiple of ny). */
int64_t nn_labels_score(const float *y, int batch, int k, const float *labels, int ny, int classes,
                        float threshold, int64_t *cm, int64_t *right);
/* Runs and nn_evaluate keep confusion matrices up to this many classes (a word
 * model's vocabulary would need its square); above, accuracy alone. */
#define NN_CONFUSION_MAX_CLASSES 512
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
/* A new module like m with copies of its parameters, batch-norm statistics, frozen
 * flags and penalties (through the model format in memory); NULL and an error for a
 * kind that cannot be saved. */
nn_module *nn_model_copy(nn_ctx *ctx, nn_module *m);

#endif
