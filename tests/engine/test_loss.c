/* test_loss.c: every loss against values worked by hand (and PyTorch where it has
 * the loss), its gradient against central finite differences, class weights and the
 * messages for bad targets. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "nn.h"

static double L(nn_ctx *ctx, nn_loss_kind k, const float *y, int B, int K, const float *t, int tc,
                const float *w) {
    double l = NAN;
    assert_int_equal(nn_loss(ctx, k, y, B, K, t, tc, w, 1.0f, &l, NULL), NN_OK);
    return l;
}

static void test_known_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[3] = {1, 2, 3}, t[3] = {1, 1, 1};
    /* differences 0, 1, 2: MSE (0+1+4)/3, MAE (0+1+2)/3, Huber(1) (0 + 0.5 + 1.5)/3 */
    assert_float_equal(L(ctx, NN_LOSS_MSE, y, 3, 1, t, 1, NULL), 5.0 / 3, 1e-9);
    assert_float_equal(L(ctx, NN_LOSS_MAE, y, 3, 1, t, 1, NULL), 1.0, 1e-9);
    assert_float_equal(L(ctx, NN_LOSS_HUBER, y, 3, 1, t, 1, NULL), 2.0 / 3, 1e-9);
    /* BCE with logits (0, 2) and targets (1, 0): (log 2 + 2 + log(1 + e^-2))/2; PyTorch's
     * binary_cross_entropy_with_logits gives 1.4100376 */
    float yb[2] = {0, 2}, tb[2] = {1, 0};
    assert_float_equal(L(ctx, NN_LOSS_BCE, yb, 2, 1, tb, 1, NULL), 1.4100376, 1e-6);
    /* CE of logits (1,2,3), class 2: log(e + e^2 + e^3) - 3 = 0.40760596 (PyTorch's
     * cross_entropy); as a one-hot row too */
    float c[1] = {2}, oh[3] = {0, 0, 1};
    assert_float_equal(L(ctx, NN_LOSS_CE, y, 1, 3, c, 1, NULL), 0.40760596, 1e-6);
    assert_float_equal(L(ctx, NN_LOSS_CE, y, 1, 3, oh, 3, NULL), 0.40760596, 1e-6);
    /* hinge: scores (0.5, -2) with labels (1, 0) -> signs (+1, -1): (0.5 + 0)/2 */
    float yh[2] = {0.5f, -2}, th[2] = {1, 0};
    assert_float_equal(L(ctx, NN_LOSS_HINGE, yh, 2, 1, th, 1, NULL), 0.25, 1e-9);
    /* multi-class hinge, class 0 of (1,2,3): max(0, 1+2-1) + max(0, 1+3-1) = 5 */
    float c0[1] = {0};
    assert_float_equal(L(ctx, NN_LOSS_MULTI_HINGE, y, 1, 3, c0, 1, NULL), 5.0, 1e-9);
    /* a large logit does not overflow: CE of (1000, 0), class 1 = 1000 */
    float big[2] = {1000, 0}, c1[1] = {1};
    assert_float_equal(L(ctx, NN_LOSS_CE, big, 1, 2, c1, 1, NULL), 1000.0, 1e-3);
    nn_ctx_free(ctx);
}

/* Class weights: rows of classes 0 and 1 with losses l0, l1 and weights 1, 3 give
 * (l0 + 3 l1)/4, PyTorch's weighted mean. */
static void test_class_weights(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[4] = {2, 0, 0, 1}, t[2] = {0, 1}, w[2] = {1, 3};
    double l0 = log(1 + exp(-2.0)), l1 = log(1 + exp(-1.0));
    assert_float_equal(L(ctx, NN_LOSS_CE, y, 2, 2, t, 1, w), (l0 + 3 * l1) / 4, 1e-6);
    nn_ctx_free(ctx);
}

static void check_grad(nn_ctx *ctx, nn_loss_kind k, float *y, int B, int K, const float *t, int tc,
                       const float *w) {
    float dy[32];
    double l;
    assert_int_equal(nn_loss(ctx, k, y, B, K, t, tc, w, 0.7f, &l, dy), NN_OK);
    for (int i = 0; i < B * K; i++) {
        float keep = y[i];
        double lp, lm, h = 1e-3;
        y[i] = keep + (float)h;
        nn_loss(ctx, k, y, B, K, t, tc, w, 0.7f, &lp, NULL);
        y[i] = keep - (float)h;
        nn_loss(ctx, k, y, B, K, t, tc, w, 0.7f, &lm, NULL);
        y[i] = keep;
        double num = (lp - lm) / (2 * h);
        if (fabs(num - dy[i]) > 2e-3)
            fail_msg("%s: d/dy[%d] = %g, numeric %g", nn_loss_name(k), i, dy[i], num);
    }
}

static void test_grads_match_finite_difference(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    /* predictions away from the kinks of MAE, Huber (delta 0.7) and the hinges */
    float y[12] = {0.3f,  -1.2f, 2.1f,  0.45f, -0.35f, 1.6f,
                   -2.2f, 0.9f,  0.15f, -0.6f, 1.25f,  -1.55f};
    float t[12] = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0};
    float cls[4] = {2, 0, 1, 2}, w[3] = {0.5f, 2, 1}, wb[2] = {1, 4};
    for (int k = NN_LOSS_MSE; k <= NN_LOSS_HINGE; k++)
        if (k != NN_LOSS_CE) check_grad(ctx, (nn_loss_kind)k, y, 4, 3, t, 3, NULL);
    check_grad(ctx, NN_LOSS_BCE, y, 4, 3, t, 3, wb);
    check_grad(ctx, NN_LOSS_CE, y, 4, 3, cls, 1, NULL);
    check_grad(ctx, NN_LOSS_CE, y, 4, 3, cls, 1, w);
    check_grad(ctx, NN_LOSS_CE, y, 4, 3, t, 3, NULL); /* soft / multi-hot targets */
    check_grad(ctx, NN_LOSS_MULTI_HINGE, y, 4, 3, cls, 1, NULL);
    check_grad(ctx, NN_LOSS_MULTI_HINGE, y, 4, 3, cls, 1, w);
    nn_ctx_free(ctx);
}

/* Hinge weighs each sample by its target's class as BCE does: scores (0.5, -0.5, 2)
 * with labels (1, 0, 0) have margins 0.5, 0.5, 3; weights w0 = 3, w1 = 1 give
 * (1*0.5 + 3*0.5 + 3*3) / (1 + 3 + 3) = 11/7, unweighted (0.5 + 0.5 + 3)/3. */
static void test_hinge_class_weights(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[3] = {0.5f, -0.5f, 2}, t[3] = {1, 0, 0}, w[2] = {3, 1}, ones[2] = {1, 1};
    assert_float_equal(L(ctx, NN_LOSS_HINGE, y, 3, 1, t, 1, NULL), 4.0 / 3, 1e-9);
    assert_float_equal(L(ctx, NN_LOSS_HINGE, y, 3, 1, t, 1, ones), 4.0 / 3, 1e-9);
    assert_float_equal(L(ctx, NN_LOSS_HINGE, y, 3, 1, t, 1, w), 11.0 / 7, 1e-7);
    float yg[3] = {0.5f, -0.5f, 2};
    check_grad(ctx, NN_LOSS_HINGE, yg, 3, 1, t, 1, w);
    nn_ctx_free(ctx);
}

/* MSE, MAE and Huber have no class per sample: weights are refused, naming the loss. */
static void test_regression_losses_refuse_class_weights(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[2] = {1, 2}, t[2] = {0, 1}, w[2] = {1, 2};
    double l = 0;
    nn_loss_kind kinds[3] = {NN_LOSS_MSE, NN_LOSS_MAE, NN_LOSS_HUBER};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(nn_loss(ctx, kinds[i], y, 2, 1, t, 1, w, 1, &l, NULL), NN_EARG);
        char want[128];
        snprintf(want, sizeof want, "%s: class weights need a classification loss",
                 nn_loss_name(kinds[i]));
        assert_non_null(strstr(nn_error(ctx), want));
    }
    nn_ctx_free(ctx);
}

static void test_rejects_bad_targets(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float y[6] = {0}, t[2] = {0, 3};
    double l;
    assert_int_equal(nn_loss(ctx, NN_LOSS_CE, y, 2, 3, t, 1, NULL, 1, &l, NULL), NN_EARG);
    assert_string_equal(nn_error(ctx), "cross_entropy: target 3 of row 2 is not a class 0..2");
    assert_int_equal(nn_loss(ctx, NN_LOSS_MSE, y, 2, 3, t, 1, NULL, 1, &l, NULL), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "mse: predictions [2,3] and targets [2,1] differ");
    assert_int_equal(nn_loss(ctx, NN_LOSS_CE, y, 2, 1, t, 1, NULL, 1, &l, NULL), NN_EARG);
    assert_int_equal(nn_loss_from_name("cross_entropy"), NN_LOSS_CE);
    /* the names table, then the aliases; NULL and unknown names are -1 */
    assert_int_equal(nn_loss_from_name("binary_crossentropy"), NN_LOSS_BCE);
    assert_int_equal(nn_loss_from_name("ce"), NN_LOSS_CE);
    assert_int_equal(nn_loss_from_name("multi_hinge"), NN_LOSS_MULTI_HINGE);
    assert_int_equal(nn_loss_from_name("hinge_loss"), -1);
    assert_int_equal(nn_loss_from_name(NULL), -1);
    assert_int_equal(nn_init_from_name("lecun"), NN_INIT_LECUN_NORMAL);
    assert_int_equal(nn_synth_from_name("moons"), NN_SYN_MOONS);
    assert_int_equal(nn_act_from_name("gelu"), NN_ACT_GELU);
    assert_int_equal(nn_sched_from_name("cosine"), NN_SCHED_COSINE);
    nn_ctx_free(ctx);
}

/* Metrics from a confusion matrix: rows true, columns predicted.
 *   [[3, 1],     accuracy 5/8; class 0: precision 3/6, recall 3/4;
 *    [3, 1]]     class 1: precision 1/2, recall 1/4 */
static void test_metrics(void **state) {
    (void)state;
    int64_t cm[4] = {3, 1, 3, 1};
    nn_metrics m = nn_metrics_from_confusion(cm, 2);
    assert_float_equal(m.accuracy, 0.5, 1e-12);
    assert_float_equal(m.precision, 0.5, 1e-12);
    assert_float_equal(m.recall, 0.5, 1e-12);
    /* F1: class 0 2(.5)(.75)/1.25 = 0.6, class 1 2(.5)(.25)/.75 = 1/3 */
    assert_float_equal(m.f1, (0.6 + 1.0 / 3) / 2, 1e-12);
    float y[6] = {1, 0, 0, 1, 2, 1}, lab[3] = {0, 0, 1};
    int64_t c2[4] = {0};
    nn_confusion_add(y, 3, 2, lab, 2, 0, c2);
    assert_int_equal(c2[0], 1); /* row 1 predicted 0, true 0 */
    assert_int_equal(c2[1], 1); /* row 2 predicted 1, true 0 */
    assert_int_equal(c2[2], 1); /* row 3 predicted 0, true 1 */
}

/* A tagger's labels: one a step, scored by the C outputs of that step; -1 pads.
 *   sample 1: logits (2,1) (0,3) (9,0), tags 0 1 -1 -> predicted 0 1, the pad skipped
 *   sample 2: logits (0,1) (5,4) (1,0), tags 1 1 0  -> predicted 1 0 0
 * 5 tags counted, 4 right; confusion [[2, 0], [1, 2]]. */
static void test_metrics_per_step_labels_skip_padding(void **state) {
    (void)state;
    float y[12] = {2, 1, 0, 3, 9, 0, 0, 1, 5, 4, 1, 0}, lab[6] = {0, 1, -1, 1, 1, 0};
    int64_t cm[4] = {0}, right = -1;
    assert_int_equal(nn_labels_score(y, 2, 6, lab, 3, 2, 0.5f, cm, &right), 5);
    assert_int_equal(right, 4);
    assert_int_equal(cm[0], 2);
    assert_int_equal(cm[1], 0);
    assert_int_equal(cm[2], 1);
    assert_int_equal(cm[3], 2);
    /* one output a step (a logit): class 1 above the threshold */
    float z[3] = {1.5f, -2, 0.2f}, zl[3] = {1, 0, 0};
    assert_int_equal(nn_labels_score(z, 1, 3, zl, 3, 2, 0, NULL, &right), 3);
    assert_int_equal(right, 2);
    /* outputs that do not divide among the steps: nothing counted */
    assert_int_equal(nn_labels_score(y, 2, 5, lab, 3, 2, 0, NULL, &right), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_class_weights),
        cmocka_unit_test(test_hinge_class_weights),
        cmocka_unit_test(test_regression_losses_refuse_class_weights),
        cmocka_unit_test(test_grads_match_finite_difference),
        cmocka_unit_test(test_rejects_bad_targets),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_metrics_per_step_labels_skip_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
