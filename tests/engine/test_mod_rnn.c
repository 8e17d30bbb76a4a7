/* test_mod_rnn.c: the recurrent layers (rnn, lstm, gru) and the embedding: parameter
 * counts as the course computes them (the IMDB model), LSTM and GRU forwards against
 * values computed by hand from the formulas, the kernels' gradients against finite
 * differences over several steps (the cell-state path, both directions, stacked layers,
 * pre- and post-padding), the graph against gradcheck and against the kernels,
 * truncated BPTT, the views, shape errors, and the model file. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "module_internal.h"

#define FD_H   2e-3 /* small: relu's kink is crossed less often */
#define FD_TOL 1e-3 /* |kernel - numeric| / max(1, |numeric|); a wrong term gives > 1e-2 */

static nn_module *cell(nn_ctx *ctx, nn_cell_kind c, int in, int h, nn_rnn_opts o) {
    if (!o.layers) o.layers = 1;
    if (!o.act) o.act = NN_ACT_TANH;
    nn_module *m = nn_rnn_new(ctx, c, in, h, &o, gc_init(NN_INIT_XAVIER_UNIFORM));
    assert_non_null(m);
    return m;
}

/* IMDB (course notes 54.10): embedding 5000 x 32 = 160,000; LSTM 4*100*(100+32+1) =
 * 53,200; GRU 3m(n+m+1), RNN m(n+m+1); two directions twice; a second layer takes 2m. */
static void test_rnn_parameter_counts_match_the_course(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *e = nn_embedding_new(ctx, 5000, 32, 0);
    nn_module *l = cell(ctx, NN_CELL_LSTM, 32, 100, (nn_rnn_opts){0});
    assert_int_equal(nn_module_nparams(e), 160000);
    assert_int_equal(nn_module_nparams(l), 53200);
    nn_module *g = cell(ctx, NN_CELL_GRU, 32, 100, (nn_rnn_opts){0});
    assert_int_equal(nn_module_nparams(g), 3 * 100 * (32 + 100 + 1));
    nn_module *r = cell(ctx, NN_CELL_RNN, 32, 100, (nn_rnn_opts){0});
    assert_int_equal(nn_module_nparams(r), 100 * (32 + 100 + 1));
    nn_module *b =
        cell(ctx, NN_CELL_LSTM, 32, 100, (nn_rnn_opts){.layers = 2, .bidirectional = true});
    assert_int_equal(nn_module_nparams(b), 2 * 53200 + 2 * 4 * 100 * (200 + 100 + 1));
    nn_module_free(e), nn_module_free(l), nn_module_free(g), nn_module_free(r), nn_module_free(b);
    nn_ctx_free(ctx);
}

static void set_lane(nn_module *m, int G, const float *wh, const float *wx, const float *b) {
    float *p = nn_module_params(m); /* W [h row; x row] of [1 + 1, G], then b [G] */
    memcpy(p, wh, sizeof(float) * G);
    memcpy(p + G, wx, sizeof(float) * G);
    memcpy(p + 2 * G, b, sizeof(float) * G);
}

static void assert_near(float got, double want, double tol, const char *what) {
    if (fabs(got - want) > tol) fprintf(stderr, "%s: %.9g, want %.9g\n", what, got, want);
    assert_true(fabs(got - want) <= tol);
}

/* One unit, one input, x = 1 then 0.5: f, i, C~, o, C and h from the slides' formulas
 * (worked out by hand in double precision). */
static void test_lstm_forward_matches_hand_computed_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = cell(ctx, NN_CELL_LSTM, 1, 1, (nn_rnn_opts){.all_steps = true});
    set_lane(m, 4, (float[]){0.1f, 0.2f, 0.3f, 0.4f}, (float[]){0.5f, 0.6f, 0.7f, 0.8f},
             (float[]){1.0f, 0.0f, -0.1f, 0.1f});
    float x[2] = {1.0f, 0.5f}, out[2];
    int shape[3] = {1, 2, 1};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
    assert_near(y[0], 0.23709428995959003, 1e-6, "h1");
    assert_near(y[1], 0.27344180411833585, 1e-6, "h2");
    assert_int_equal(nn_rnn_trace(m, "c", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[0], 0.3467494396881143, 1e-6, "C1");
    assert_near(out[1], 0.4529081169963004, 1e-6, "C2");
    assert_int_equal(nn_rnn_trace(m, "f", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.7813770796684154, 1e-6, "f2");
    assert_int_equal(nn_rnn_trace(m, "i", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.5859915190821504, 1e-6, "i2");
    assert_int_equal(nn_rnn_trace(m, "g", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[0], 0.5370495669980353, 1e-6, "C~1");
    assert_int_equal(nn_rnn_trace(m, "o", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.6444743709030473, 1e-6, "o2");
    assert_true(nn_rnn_trace(m, "r", 0, 0, 0, out, 2, NULL) < 0); /* no reset gate in an LSTM */
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* The textbook's GRU: r, z, h~ = tanh(W_xh x + r (W_hh h) + b_h), h = (1 - z) h + z h~. */
static void test_gru_forward_matches_hand_computed_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = cell(ctx, NN_CELL_GRU, 1, 1, (nn_rnn_opts){.all_steps = true});
    set_lane(m, 3, (float[]){0.1f, 0.2f, 0.3f}, (float[]){0.5f, 0.6f, 0.7f},
             (float[]){0.1f, -0.2f, 0.05f});
    float x[2] = {1.0f, 0.5f}, out[2];
    int shape[3] = {1, 2, 1};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
    assert_near(y[0], 0.3802558401276202, 1e-6, "h1");
    assert_near(y[1], 0.41087738192865, 1e-6, "h2");
    assert_int_equal(nn_rnn_trace(m, "r", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.5958073086250539, 1e-6, "r2");
    assert_int_equal(nn_rnn_trace(m, "z", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.5438994654810473, 1e-6, "z2");
    assert_int_equal(nn_rnn_trace(m, "n", 0, 0, 0, out, 2, NULL), 2);
    assert_near(out[1], 0.43655584361070293, 1e-6, "h~2");
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* The input [B, T, F] with the padding of sample b (pre: the first pads[b] steps; post:
 * the last) set to zeros. */
static void fill_input(nn_ctx *ctx, float *x, const int *shape, const int *pads, bool pre) {
    int B = shape[0], T = shape[1], F = shape[2];
    for (int64_t i = 0; i < (int64_t)B * T * F; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    for (int b = 0; pads && b < B; b++)
        for (int k = 0; k < pads[b]; k++) {
            int t = pre ? k : T - 1 - k;
            memset(x + ((int64_t)b * T + t) * F, 0, sizeof(float) * F);
        }
}

/* The module's backward (dx and every parameter's gradient) against central differences
 * of its forward, for L = sum(y r); the padding steps stay unmoved. */
static double module_fd(nn_ctx *ctx, nn_module *m, const int *shape, const int *pads, bool pre) {
    int64_t nx = (int64_t)shape[0] * shape[1] * shape[2];
    float *x = malloc(sizeof(float) * nx);
    fill_input(ctx, x, shape, pads, pre);
    double w = gc_module_fd(ctx, m, x, 3, shape, FD_H, true);
    free(x);
    return w;
}

typedef struct gc_rnn {
    nn_module *m;
    nn_tensor *x; /* NULL: the input is in[2] */
} gc_rnn;

/* in: the weight, the bias (the module's own tensors) and, unless the input is fixed,
 * the input; a masked input stays fixed (moving a padding value makes its step real) */
static nn_tensor *graph_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    gc_rnn *g = ud;
    return nn_module_graph(ctx, g->m, g->x ? g->x : in[2]);
}

typedef struct rnn_case {
    nn_cell_kind cell;
    nn_rnn_opts o;
    int pads[3]; /* per sample */
    bool pre;
} rnn_case;

static const rnn_case cases[] = {
    {NN_CELL_RNN, {NN_ACT_TANH, 1, false, true, false, 0}, {0}, false},
    {NN_CELL_RNN, {NN_ACT_RELU, 1, false, false, false, 0}, {0}, false},
    {NN_CELL_LSTM, {NN_ACT_TANH, 1, false, false, false, 0}, {0}, false},
    {NN_CELL_LSTM, {NN_ACT_TANH, 1, false, true, false, 0}, {0}, false},
    {NN_CELL_GRU, {NN_ACT_TANH, 1, false, true, false, 0}, {0}, false},
    {NN_CELL_LSTM, {NN_ACT_TANH, 1, true, true, false, 0}, {0}, false},       /* bidirectional */
    {NN_CELL_GRU, {NN_ACT_TANH, 2, true, false, false, 0}, {0}, false},       /* stacked, bi */
    {NN_CELL_LSTM, {NN_ACT_TANH, 2, false, true, true, 0}, {0, 2, 4}, false}, /* post-padding */
    {NN_CELL_GRU, {NN_ACT_TANH, 1, true, false, true, 0}, {1, 0, 3}, true},   /* pre-padding */
    {NN_CELL_RNN, {NN_ACT_TANH, 1, true, true, true, 0}, {2, 0, 1}, true},
};

/* Five steps, three samples, every case: kernels against finite differences, the graph
 * against gradcheck, and the graph's outputs and gradients against the kernels'. */
static void test_rnn_gradients_match_finite_differences(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 5);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        nn_module *m = cell(ctx, cases[c].cell, 2, 3, cases[c].o);
        float *p = nn_module_params(m);
        for (int64_t j = 0; j < nn_module_nparams(m); j++)
            p[j] = (float)(nn_rand_uniform(ctx) * 1.6 - 0.8);
        int shape[3] = {3, 5, 2};
        double fd = module_fd(ctx, m, shape, cases[c].pads, cases[c].pre);
        printf("case %zu (%s): kernels vs finite differences %.2e\n", c, nn_module_name(m), fd);
        assert_true(fd < FD_TOL);
        /* the graph: gradcheck over the input and the weights */
        float x[30];
        fill_input(ctx, x, shape, cases[c].pads, cases[c].pre);
        nn_tensor *xt = nn_from_array(ctx, 3, shape, x);
        gc_rnn gc = {m, cases[c].o.mask ? xt : NULL};
        nn_tensor *in[3] = {nn_module_param_tensor(m, 0), nn_module_param_tensor(m, 1), xt};
        double err = gradcheck(ctx, graph_fn, in, cases[c].o.mask ? 2 : 3, &gc);
        printf("case %zu: graph gradcheck %.3f\n", c, err);
        /* relu's kink lies within gradcheck's step of 1e-2 somewhere over 5 steps: its
         * kernels are checked above with a smaller step, its graph by the values below */
        if (cases[c].o.act != NN_ACT_RELU) assert_true(err <= GC_TOL);
        /* the graph's output is the kernels' */
        const float *y;
        assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
        nn_tensor *yg = nn_module_graph(ctx, m, xt);
        assert_non_null(yg);
        assert_int_equal(yg->size, m->nout);
        double dmax = 0;
        for (int64_t i = 0; i < yg->size; i++) dmax = fmax(dmax, fabs(yg->data[i] - y[i]));
        printf("case %zu: graph vs kernels %.2e\n", c, dmax);
        assert_true(dmax < 1e-5);
        nn_tensor_free(yg), nn_tensor_free(xt);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* The gradients of an LSTM trained with bptt = k >= T are those of full BPTT; k < T cuts
 * them (the forward is the same). */
static void test_truncated_bptt_equals_full_when_the_segment_covers_the_sequence(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    int shape[3] = {2, 6, 2};
    float x[24], r[12], dx[24];
    nn_seed(ctx, 9);
    fill_input(ctx, x, shape, NULL, false);
    for (int i = 0; i < 12; i++) r[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    float *grads[3];
    int ks[3] = {0, 6, 2};
    for (int v = 0; v < 3; v++) {
        nn_seed(ctx, 1);
        nn_module *m =
            cell(ctx, NN_CELL_LSTM, 2, 3, (nn_rnn_opts){.all_steps = true, .bptt = ks[v]});
        const float *y;
        assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
        nn_module_zero_grad(m);
        /* the loss only at the last step, so that a cut changes the first steps' gradients */
        float dy[36] = {0};
        for (int b = 0; b < 2; b++)
            for (int j = 0; j < 3; j++) dy[(b * 6 + 5) * 3 + j] = r[b * 3 + j];
        assert_int_equal(nn_module_backward(m, x, dy, dx, 2), NN_OK);
        int64_t n = nn_module_nparams(m);
        grads[v] = malloc(sizeof(float) * n);
        memcpy(grads[v], nn_module_grads(m), sizeof(float) * n);
        nn_module_free(m);
    }
    double same = 0, cut = 0;
    for (int i = 0; i < 4 * 3 * (3 + 2 + 1); i++) {
        same = fmax(same, fabs(grads[0][i] - grads[1][i]));
        cut = fmax(cut, fabs(grads[0][i] - grads[2][i]));
    }
    printf("bptt 6 vs full %.2e, bptt 2 vs full %.2e\n", same, cut);
    assert_true(same == 0);
    assert_true(cut > 1e-4);
    for (int v = 0; v < 3; v++) free(grads[v]);
    nn_ctx_free(ctx);
}

/* Padding: the last real step of a post-padded sequence is what the same sequence
 * without the padding gives, and so is a pre-padded one. */
static void test_masked_last_step_ignores_padding(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 2);
    nn_module *m = cell(ctx, NN_CELL_LSTM, 2, 4, (nn_rnn_opts){.mask = true});
    float real[6] = {0.5f, -1, 0.25f, 2, -0.75f, 1}, post[10] = {0}, pre[10] = {0};
    memcpy(post, real, sizeof real);
    memcpy(pre + 4, real, sizeof real);
    int s3[3] = {1, 3, 2}, s5[3] = {1, 5, 2};
    const float *y;
    float want[4], got[4];
    assert_int_equal(nn_module_forward(m, real, 3, s3, &y), NN_OK);
    memcpy(want, y, sizeof want);
    assert_int_equal(nn_module_forward(m, post, 3, s5, &y), NN_OK);
    memcpy(got, y, sizeof got);
    for (int j = 0; j < 4; j++) assert_near(got[j], want[j], 1e-6, "post-padded");
    assert_int_equal(nn_module_forward(m, pre, 3, s5, &y), NN_OK);
    for (int j = 0; j < 4; j++) assert_near(y[j], want[j], 1e-6, "pre-padded");
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static void test_rnn_shape_errors_name_the_shapes(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = cell(ctx, NN_CELL_GRU, 4, 8, (nn_rnn_opts){0});
    float x[24] = {0};
    int bad[3] = {2, 3, 5}, flat[2] = {2, 12};
    const float *y;
    assert_true(nn_module_forward(m, x, 3, bad, &y) < 0);
    assert_non_null(strstr(nn_error(ctx), "[batch, T, 4]"));
    assert_true(nn_module_forward(m, x, 2, flat, &y) < 0);
    assert_non_null(strstr(nn_error(ctx), "nn.embedding"));
    nn_rnn_opts o = {.act = NN_ACT_SIGMOID, .layers = 1};
    assert_null(nn_rnn_new(ctx, NN_CELL_RNN, 2, 2, &o, gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "tanh or relu"));
    nn_module *e = nn_embedding_new(ctx, 10, 3, -1);
    float ids[4] = {1, 2, 10, 0};
    int s[2] = {2, 2};
    assert_true(nn_module_forward(e, ids, 2, s, &y) < 0);
    assert_non_null(strstr(nn_error(ctx), "id 10 at [2, 1]"));
    nn_module_free(m), nn_module_free(e);
    nn_ctx_free(ctx);
}

/* Rows of the table; the padding id gives zeros and its row no gradient. */
static void test_embedding_gathers_rows_and_skips_padding(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *e = nn_embedding_new(ctx, 4, 2, 0);
    float *p = nn_module_params(e);
    for (int i = 0; i < 8; i++) p[i] = i < 2 ? 0 : (float)i;
    float ids[4] = {3, 0, 1, 3}, dy[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    int s[2] = {2, 2};
    const float *y;
    assert_int_equal(nn_module_forward(e, ids, 2, s, &y), NN_OK);
    float want[8] = {6, 7, 0, 0, 2, 3, 6, 7};
    for (int i = 0; i < 8; i++) assert_near(y[i], want[i], 0, "embedding");
    nn_module_zero_grad(e);
    assert_int_equal(nn_module_backward(e, ids, dy, NULL, 2), NN_OK);
    float *g = nn_module_grads(e), gw[8] = {0, 0, 1, 1, 0, 0, 2, 2};
    for (int i = 0; i < 8; i++) assert_near(g[i], gw[i], 0, "embedding gradient");
    nn_module_free(e);
    nn_ctx_free(ctx);
}

/* The gradient norms of a many-to-one RNN shrink back in time when the recurrent weight
 * is below 1 and grow when it is above (one unit, relu, so that the factor is w). */
static void test_grad_norms_vanish_and_explode(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float ws[2] = {0.5f, 1.5f};
    for (int v = 0; v < 2; v++) {
        nn_module *m = cell(ctx, NN_CELL_RNN, 1, 1, (nn_rnn_opts){.act = NN_ACT_RELU});
        set_lane(m, 1, (float[]){ws[v]}, (float[]){1.0f}, (float[]){0.0f});
        float x[8] = {1, 1, 1, 1, 1, 1, 1, 1}, dy[1] = {1}, n[8];
        int shape[3] = {1, 8, 1};
        const float *y;
        assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
        assert_int_equal(nn_module_backward(m, x, dy, NULL, 1), NN_OK);
        assert_int_equal(nn_rnn_grad_norms(m, n, 8), 8);
        for (int t = 0; t < 8; t++) assert_near(n[t], pow(ws[v], 7 - t), 1e-5, "norm");
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* Each kind through the model file keeps its options and outputs. */
static void test_rnn_save_and_load_keep_each_kind(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    char path[] = "/tmp/test_mod_rnn_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (int c = 0; c < 3; c++) {
        nn_module *m = cell(ctx, (nn_cell_kind)c, 2, 3,
                            (nn_rnn_opts){.layers = 2,
                                          .bidirectional = c != 1,
                                          .all_steps = c == 2,
                                          .mask = true,
                                          .bptt = 3});
        float x[20];
        int shape[3] = {2, 5, 2};
        fill_input(ctx, x, shape, (int[]){1, 0}, false);
        const float *y;
        assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
        float *want = malloc(sizeof(float) * m->nout);
        memcpy(want, y, sizeof(float) * m->nout);
        assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
        nn_module *l = nn_model_load(ctx, path, NULL);
        assert_non_null(l);
        assert_string_equal(nn_module_name(l), nn_module_name(m));
        assert_int_equal(nn_module_nparams(l), nn_module_nparams(m));
        assert_int_equal(nn_module_forward(l, x, 3, shape, &y), NN_OK);
        for (int64_t i = 0; i < m->nout; i++) assert_near(y[i], want[i], 0, "loaded");
        free(want);
        nn_module_free(m), nn_module_free(l);
    }
    nn_module *e = nn_embedding_new(ctx, 7, 3, 2);
    assert_int_equal(nn_model_save(ctx, e, NULL, path), NN_OK);
    nn_module *l = nn_model_load(ctx, path, NULL);
    assert_non_null(l);
    assert_memory_equal(nn_module_params(l), nn_module_params(e), sizeof(float) * 21);
    float ids[2] = {2, 2};
    int s[2] = {1, 2};
    const float *y;
    float dy[6] = {1, 1, 1, 1, 1, 1};
    assert_int_equal(nn_module_forward(l, ids, 2, s, &y), NN_OK);
    nn_module_zero_grad(l);
    assert_int_equal(nn_module_backward(l, ids, dy, NULL, 1), NN_OK);
    for (int i = 0; i < 21; i++) assert_near(nn_module_grads(l)[i], 0, 0, "padding kept");
    nn_module_free(e), nn_module_free(l);
    unlink(path);
    nn_ctx_free(ctx);
}

/* Per-step cross-entropy: a padding step (target -1) counts nowhere; the mean is over
 * the real steps (log 2 for an even step alone; with the second step, (log 2 +
 * log(1 + e) - 1) / 2); the gradient against finite differences. */
static void test_seq_cross_entropy_ignores_padding(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[4] = {0, 0, 1, 0}, pad[2] = {1, -1}, both[2] = {1, 0}, dy[4];
    double l;
    assert_int_equal(nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, pad, 2, NULL, 0, &l, dy), NN_OK);
    assert_near((float)l, log(2.0), 1e-6, "padded");
    assert_near(dy[2], 0, 0, "padding's gradient");
    assert_int_equal(nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, both, 2, NULL, 0, &l, dy), NN_OK);
    assert_near((float)l, (log(2.0) + log(1 + exp(1.0)) - 1) / 2, 1e-6, "both steps");
    for (int i = 0; i < 4; i++) {
        float v = y[i];
        double lp, lm;
        y[i] = v + 1e-2f;
        nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, both, 2, NULL, 0, &lp, NULL);
        y[i] = v - 1e-2f;
        nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, both, 2, NULL, 0, &lm, NULL);
        y[i] = v;
        assert_near(dy[i], (lp - lm) / 2e-2, 1e-4, "seq_cross_entropy gradient");
    }
    float bad[2] = {2, 0};
    assert_true(nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, bad, 2, NULL, 0, &l, dy) < 0);
    assert_non_null(strstr(nn_error(ctx), "target 2 at [1, 1] is not a class 0..1"));
    assert_true(nn_loss(ctx, NN_LOSS_SEQ_CE, y, 1, 4, both, 3, NULL, 0, &l, dy) < 0);
    nn_ctx_free(ctx);
}

/* A linear layer on [batch, T, in] is the same layer on each step: the rows of
 * [batch T, in], values and gradients alike. */
static void test_linear_applies_to_each_step(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 6);
    nn_module *m =
        nn_linear_new(ctx, 3, 2, gc_init(NN_INIT_XAVIER_UNIFORM), gc_init(NN_INIT_ZEROS));
    float x[24], dy[16], dx3[24], dx2[24], y3[16], g3[8];
    for (int i = 0; i < 24; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    for (int i = 0; i < 16; i++) dy[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    int s3[3] = {2, 4, 3}, s2[2] = {8, 3}, out[3];
    const float *y;
    assert_int_equal(nn_module_out_shape(m, 3, s3, out), 3);
    assert_true(out[0] == 2 && out[1] == 4 && out[2] == 2);
    assert_int_equal(nn_module_forward(m, x, 3, s3, &y), NN_OK);
    memcpy(y3, y, sizeof y3);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, dy, dx3, 2), NN_OK);
    memcpy(g3, nn_module_grads(m), sizeof g3);
    assert_int_equal(nn_module_forward(m, x, 2, s2, &y), NN_OK);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, dy, dx2, 8), NN_OK);
    for (int i = 0; i < 16; i++) assert_near(y3[i], y[i], 0, "steps' values");
    for (int i = 0; i < 8; i++) assert_near(g3[i], nn_module_grads(m)[i], 0, "gradients");
    for (int i = 0; i < 24; i++) assert_near(dx3[i], dx2[i], 0, "dx");
    nn_tensor *xt = nn_from_array(ctx, 3, s3, x), *yg = nn_module_graph(ctx, m, xt);
    assert_non_null(yg);
    assert_int_equal(yg->ndim, 3);
    for (int i = 0; i < 16; i++) assert_near(yg->data[i], y3[i], 1e-6, "graph");
    nn_tensor_free(yg), nn_tensor_free(xt), nn_module_free(m);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnn_parameter_counts_match_the_course),
        cmocka_unit_test(test_lstm_forward_matches_hand_computed_values),
        cmocka_unit_test(test_gru_forward_matches_hand_computed_values),
        cmocka_unit_test(test_rnn_gradients_match_finite_differences),
        cmocka_unit_test(test_truncated_bptt_equals_full_when_the_segment_covers_the_sequence),
        cmocka_unit_test(test_masked_last_step_ignores_padding),
        cmocka_unit_test(test_rnn_shape_errors_name_the_shapes),
        cmocka_unit_test(test_embedding_gathers_rows_and_skips_padding),
        cmocka_unit_test(test_grad_norms_vanish_and_explode),
        cmocka_unit_test(test_rnn_save_and_load_keep_each_kind),
        cmocka_unit_test(test_seq_cross_entropy_ignores_padding),
        cmocka_unit_test(test_linear_applies_to_each_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
