/* activation.c: the activation functions of lesson 03 as kernels over float arrays:
 * y = f(x) and dx += f'(x) dy, shared by the activation module (module.c) and the
 * activation op (op_activation.c). Softmax works per row; the rest elementwise. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

#define LECUN_A 1.7159f
#define LECUN_B (2.0f / 3.0f)

/* tanh as a rational function, Eigen's generic_fast_tanh_float: odd polynomial of
 * degree 13 over even of degree 6 on x clamped to +-7.9053 (where tanh rounds to
 * +-1), a few ulp from tanhf and about 5x faster than glibc's (which goes through
 * expm1f); with no libm call and no branch (tiny x return x by a select, computed
 * after the quotient) the loops vectorize: an early return kept them scalar, a third
 * of a decision view's frame. */
static inline float fast_tanh(float x) {
    const float clamp = 7.90531110763549805f;
    x = x > clamp ? clamp : x;
    x = x < -clamp ? -clamp : x;
    float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    p = x * p;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    float r = p / q;
    return fabsf(x) < 0.0004f ? x : r;
}

static inline float sigm(float x) {
    return 1.0f / (1.0f + expf(-x));
}

static void softmax_rows(const float *x, float *y, int64_t rows, int cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float mx = xr[0];
        for (int j = 1; j < cols; j++) mx = xr[j] > mx ? xr[j] : mx;
        float s = 0;
        for (int j = 0; j < cols; j++) s += (yr[j] = expf(xr[j] - mx));
        float inv = 1.0f / s;
        for (int j = 0; j < cols; j++) yr[j] *= inv;
    }
}

NN_VECTOR_CLONES void nn_act_forward(nn_act_kind k, float a, const float *x, float *y, int64_t rows,
                                     int cols) {
    int64_t n = rows * cols;
    switch (k) {
    case NN_ACT_STEP:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? 1.0f : 0.0f;
        break;
    case NN_ACT_LINEAR:
        for (int64_t i = 0; i < n; i++) y[i] = x[i];
        break;
    case NN_ACT_SIGMOID:
        for (int64_t i = 0; i < n; i++) y[i] = sigm(a * x[i]);
        break;
    case NN_ACT_BIPOLAR: /* (1-e^-ax)/(1+e^-ax) = tanh(ax/2), the stable way */
        for (int64_t i = 0; i < n; i++) y[i] = fast_tanh(0.5f * a * x[i]);
        break;
    case NN_ACT_TANH:
        for (int64_t i = 0; i < n; i++) y[i] = fast_tanh(x[i]);
        break;
    case NN_ACT_LECUN_TANH:
        for (int64_t i = 0; i < n; i++) y[i] = LECUN_A * fast_tanh(LECUN_B * x[i]);
        break;
    case NN_ACT_HARD_TANH:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] < -1 ? -1.0f : x[i] > 1 ? 1.0f : x[i];
        break;
    case NN_ACT_RELU:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.0f;
        break;
    case NN_ACT_LEAKY_RELU:
    case NN_ACT_PRELU: /* a is the learned slope for PReLU */
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : a * x[i];
        break;
    case NN_ACT_ELU:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : a * expm1f(x[i]);
        break;
    case NN_ACT_SOFTPLUS: /* max(x,0) + log1p(exp(-|x|)): no overflow for large x */
        for (int64_t i = 0; i < n; i++) y[i] = fmaxf(x[i], 0) + log1pf(expf(-fabsf(x[i])));
        break;
    case NN_ACT_SWISH:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] * sigm(x[i]);
        break;
    case NN_ACT_GELU:
        for (int64_t i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * (float)M_SQRT1_2));
        break;
    case NN_ACT_SOFTMAX:
        softmax_rows(x, y, rows, cols);
        break;
    case NN_ACT_COUNT:
        break;
    }
}

/* dx += f'(x) dy, given the forward's x and y. For PReLU *da (if not NULL) gets
 * d(loss)/da = sum over x <= 0 of x dy added. */
NN_VECTOR_CLONES void nn_act_backward(nn_act_kind k, float a, const float *x, const float *y,
                                      const float *dy, float *dx, int64_t rows, int cols,
                                      float *da) {
    int64_t n = rows * cols;
    switch (k) {
    case NN_ACT_STEP: /* flat almost everywhere: no gradient, as the lesson shows */
        break;
    case NN_ACT_LINEAR:
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i];
        break;
    case NN_ACT_SIGMOID: /* y = s(a x): dy/dx = a y (1 - y) */
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * a * y[i] * (1 - y[i]);
        break;
    case NN_ACT_BIPOLAR: /* y = tanh(ax/2): dy/dx = (a/2)(1 - y^2) (course ACT-06) */
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * 0.5f * a * (1 - y[i] * y[i]);
        break;
    case NN_ACT_TANH:
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * (1 - y[i] * y[i]);
        break;
    case NN_ACT_LECUN_TANH: /* y = A tanh(Bx): dy/dx = A B (1 - (y/A)^2) */
        for (int64_t i = 0; i < n; i++) {
            float t = y[i] / LECUN_A;
            dx[i] += dy[i] * LECUN_A * LECUN_B * (1 - t * t);
        }
        break;
    case NN_ACT_HARD_TANH:
        for (int64_t i = 0; i < n; i++) dx[i] += (x[i] > -1 && x[i] < 1) ? dy[i] : 0.0f;
        break;
    case NN_ACT_RELU:
        for (int64_t i = 0; i < n; i++) dx[i] += x[i] > 0 ? dy[i] : 0.0f;
        break;
    case NN_ACT_LEAKY_RELU:
    case NN_ACT_PRELU: {
        double s = 0;
        for (int64_t i = 0; i < n; i++) {
            if (x[i] > 0) {
                dx[i] += dy[i];
            } else {
                dx[i] += a * dy[i];
                s += (double)x[i] * dy[i];
            }
        }
        if (k == NN_ACT_PRELU && da) *da += (float)s;
        break;
    }
    case NN_ACT_ELU: /* x <= 0: y = a(e^x - 1), dy/dx = a e^x = y + a */
        for (int64_t i = 0; i < n; i++) dx[i] += x[i] > 0 ? dy[i] : dy[i] * (y[i] + a);
        break;
    case NN_ACT_SOFTPLUS:
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * sigm(x[i]);
        break;
    case NN_ACT_SWISH: /* y = x s(x): dy/dx = s + x s (1 - s) */
        for (int64_t i = 0; i < n; i++) {
            float s = sigm(x[i]);
            dx[i] += dy[i] * (s + x[i] * s * (1 - s));
        }
        break;
    case NN_ACT_GELU: /* y = x Phi(x): dy/dx = Phi(x) + x phi(x) */
        for (int64_t i = 0; i < n; i++) {
            float cdf = 0.5f * (1.0f + erff(x[i] * (float)M_SQRT1_2));
            float pdf = expf(-0.5f * x[i] * x[i]) * 0.3989422804014327f;
            dx[i] += dy[i] * (cdf + x[i] * pdf);
        }
        break;
    case NN_ACT_SOFTMAX: /* dx_j = y_j (dy_j - sum_k dy_k y_k), per row */
        for (int64_t r = 0; r < rows; r++) {
            const float *yr = y + r * cols, *gr = dy + r * cols;
            float dot = 0;
            for (int j = 0; j < cols; j++) dot += gr[j] * yr[j];
            for (int j = 0; j < cols; j++) dx[r * cols + j] += yr[j] * (gr[j] - dot);
        }
        break;
    case NN_ACT_COUNT:
        break;
    }
}

static const char *const act_names[NN_ACT_COUNT] = {
    "step",      "linear", "sigmoid",    "bipolar_sigmoid", "tanh", "lecun_tanh",
    "hard_tanh", "relu",   "leaky_relu", "prelu",           "elu",  "softplus",
    "swish",     "gelu",   "softmax",
};

const char *nn_act_name(nn_act_kind k) {
    return (unsigned)k < NN_ACT_COUNT ? act_names[k] : NULL;
}

int nn_act_from_name(const char *name) {
    return nn_kind_from_name(name, act_names, NN_ACT_COUNT, NULL);
}

float nn_act_default_arg(nn_act_kind k) {
    switch (k) {
    case NN_ACT_SIGMOID:
    case NN_ACT_BIPOLAR:
        return 1.0f;
    case NN_ACT_LEAKY_RELU:
        return 0.01f;
    case NN_ACT_ELU:
        return 1.0f;
    case NN_ACT_PRELU:
        return 0.25f;
    default:
        return 0.0f;
    }
}
