/* gradcheck.h: checks autograd gradients against central finite differences.
 *
 * How to use it (layers and losses too):
 *
 *   static nn_tensor *f(nn_ctx *ctx, nn_tensor **in, void *ud) {
 *       return nn_tanh(ctx, nn_matmul(ctx, in[0], in[1], false, false)); // any shape
 *   }
 *   nn_tensor *in[2] = {x, w};            // leaves; each is set to requires grad
 *   double err = gradcheck(ctx, f, in, 2, NULL);
 *   assert_true(err <= GC_TOL);           // GC_TOL = 1: within the mixed tolerance
 *
 * f builds a tensor from the inputs with engine ops. gradcheck calls it between
 * nn_step_begin and nn_step_end, so its results come from the arena and f frees
 * nothing (do not call gradcheck inside a step of your own). The
 * scalar checked is L = sum(f(in) * R) with R a fixed random tensor, so every output
 * element counts with a different weight. gradcheck sets requires_grad on every
 * input, zeroes their .grad, runs nn_backward on L, then for every element x of every
 * input compares dL/dx with (L(x+h) - L(x-h)) / 2h (h = GC_EPS, L summed in double,
 * grad off). An element passes when |auto - numeric| <= GC_ATOL + GC_RTOL |numeric|;
 * gradcheck returns the largest |auto - numeric| / (GC_ATOL + GC_RTOL |numeric|), so a
 * result <= GC_TOL (1) means every element passed, and prints the worst element when it
 * did not. Returns INFINITY if f fails. Use inputs away from kinks (relu at 0, abs at 0,
 * max ties) and in float range.
 *
 * Why these numbers: with float32 forwards and h = 1e-2 the central difference is off by
 * about h^2 f'''/6 (~2e-5 relative for tanh or exp) plus float rounding of the affected
 * outputs over 2h (~1e-6 for outputs of order 1), so rtol 1e-3 leaves a margin of 50
 * while a 1% error in a derivative fails; the absolute part only covers gradients that
 * are zero or nearly so (relu's flat side, a max's losers), where a relative error
 * means nothing. The old test, |a - n| / max(1, |n|) < 1e-2, let a 2% error through
 * wherever the gradient was below 1, which is almost everywhere. */
#ifndef GRADCHECK_H
#define GRADCHECK_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "module_internal.h"
#include "nn.h"

#define GC_EPS  1e-2
#define GC_RTOL 1e-3
#define GC_ATOL 1e-4
#define GC_TOL  1.0 /* gradcheck's result is a multiple of the allowed error */

typedef nn_tensor *(*gc_fn)(nn_ctx *ctx, nn_tensor **in, void *ud);

/* L = sum(out * r) in double, r's values as floats. */
static inline double gc_dot(const nn_tensor *out, const float *r) {
    double s = 0.0;
    for (int64_t i = 0; i < out->size; i++) s += (double)out->data[i] * r[i];
    return s;
}

static inline double gc_eval(nn_ctx *ctx, gc_fn f, nn_tensor **in, void *ud, const float *r,
                             int64_t rsize) {
    bool was = nn_set_grad_enabled(ctx, false);
    nn_step_begin(ctx);
    nn_tensor *out = f(ctx, in, ud);
    double v = out && out->size == rsize ? gc_dot(out, r) : NAN;
    nn_step_end(ctx);
    nn_set_grad_enabled(ctx, was);
    return v;
}

static inline double gradcheck(nn_ctx *ctx, gc_fn f, nn_tensor **in, int n, void *ud) {
    for (int i = 0; i < n; i++) {
        nn_requires_grad(in[i], true);
        nn_zero_grad(in[i]);
    }
    nn_step_begin(ctx);
    nn_tensor *out = f(ctx, in, ud);
    if (!out) {
        printf("gradcheck: f failed: %s\n", nn_error(ctx));
        nn_step_end(ctx);
        return INFINITY;
    }
    nn_tensor *r = nn_randn(ctx, out->ndim, out->shape, 0.0f, 1.0f); /* heap, as all makers */
    nn_tensor *loss = nn_sum(ctx, nn_mul(ctx, out, r), NN_ALL, false);
    if (!loss || nn_backward(ctx, loss) != NN_OK) {
        printf("gradcheck: backward failed: %s\n", nn_error(ctx));
        nn_step_end(ctx);
        nn_tensor_free(r);
        return INFINITY;
    }
    nn_step_end(ctx);
    double worst = 0.0;
    int worst_in = -1;
    int64_t worst_i = -1;
    double worst_auto = 0.0, worst_num = 0.0;
    for (int k = 0; k < n; k++) {
        nn_tensor *x = in[k];
        for (int64_t i = 0; i < x->size; i++) {
            float keep = x->data[i];
            x->data[i] = keep + (float)GC_EPS;
            double lp = gc_eval(ctx, f, in, ud, r->data, r->size);
            x->data[i] = keep - (float)GC_EPS;
            double lm = gc_eval(ctx, f, in, ud, r->data, r->size);
            x->data[i] = keep;
            /* divide by the step actually taken in float */
            double h = (double)(keep + (float)GC_EPS) - (double)(keep - (float)GC_EPS);
            double num = (lp - lm) / h;
            double aut = x->grad ? x->grad->data[i] : 0.0;
            double err = fabs(aut - num) / (GC_ATOL + GC_RTOL * fabs(num));
            if (!(err <= worst)) {
                worst = isnan(err) ? INFINITY : err;
                worst_in = k, worst_i = i, worst_auto = aut, worst_num = num;
            }
        }
    }
    if (worst > GC_TOL)
        printf("gradcheck: input %d element %lld: autograd %.7g, finite difference %.7g "
               "(%.3g times the tolerance)\n",
               worst_in + 1, (long long)worst_i, worst_auto, worst_num, worst);
    nn_tensor_free(r);
    return worst;
}

/* Modules: a layer's own backward (nn_module_backward, dx and every parameter
 * gradient) against central differences of its forward, for L = sum(y r) with r a
 * fixed random vector. The test for an element is looser than gradcheck's:
 * |kernel - numeric| / max(1, |numeric|), the worst of which gc_module_fd returns. */

/* An initialiser of the kind with no options. */
static inline nn_init gc_init(nn_init_kind k) {
    return (nn_init){k, 0, 0};
}

/* A square window: kernel k, stride s, padding p on every side, dilation d. */
static inline nn_window gc_window(int k, int s, int p, int d) {
    return (nn_window){k, k, s, s, d, d, {p, p, p, p}, false};
}

/* Fills n floats with distinct values spaced 0.05 apart in random order (max pooling
 * has no near ties for finite differences to cross). */
static inline void gc_distinct(nn_ctx *ctx, float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = (float)(i - n / 2) * 0.05f;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(nn_rand_uniform(ctx) * (i + 1));
        float t = x[i];
        x[i] = x[j], x[j] = t;
    }
}

/* L = sum(y r) through the module (double sum of the float outputs). */
static inline double gc_module_loss(nn_module *m, const float *x, int nd, const int *shape,
                                    const float *r) {
    const float *y;
    assert_int_equal(nn_module_forward(m, x, nd, shape, &y), NN_OK);
    double s = 0;
    for (int64_t i = 0; i < m->nout; i++) s += (double)y[i] * r[i];
    return s;
}

/* The larger of w and the error of autograd a against numeric n. */
static inline double gc_worst(double a, double n, double w) {
    double e = fabs(a - n) / fmax(1.0, fabs(n));
    return e > w ? e : w;
}

/* The worst of w and the errors of the gradients grad of the n values v (the input x
 * or the parameters) against central differences of L = sum(y r) of step h. */
static inline double gc_module_fd_over(nn_module *m, float *x, int nd, const int *shape,
                                       const float *r, float *v, const float *grad, int64_t n,
                                       double h, bool skip_zeros, double w) {
    for (int64_t i = 0; i < n; i++) {
        float keep = v[i];
        if (skip_zeros && keep == 0.0f) continue;
        v[i] = keep + (float)h;
        double lp = gc_module_loss(m, x, nd, shape, r);
        v[i] = keep - (float)h;
        double lm = gc_module_loss(m, x, nd, shape, r);
        v[i] = keep;
        w = gc_worst(grad[i], (lp - lm) / (2 * h), w);
    }
    return w;
}

/* The module's backward against central differences of step h, on the input x (of nd
 * dimensions, the caller's values, left as they were); skip_zeros leaves the elements
 * of x that are 0 unmoved (padding steps: moving one would make it real). */
static inline double gc_module_fd(nn_ctx *ctx, nn_module *m, float *x, int nd, const int *shape,
                                  double h, bool skip_zeros) {
    int64_t nx = nn_dims_prod(nd, shape, 0);
    float *dx = malloc(sizeof(float) * nx);
    const float *y;
    assert_int_equal(nn_module_forward(m, x, nd, shape, &y), NN_OK);
    int64_t ny = m->nout;
    float *r = malloc(sizeof(float) * ny);
    for (int64_t i = 0; i < ny; i++) r[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, r, dx, shape[0]), NN_OK);
    double w = gc_module_fd_over(m, x, nd, shape, r, x, dx, nx, h, skip_zeros, 0);
    w = gc_module_fd_over(m, x, nd, shape, r, nn_module_params(m), nn_module_grads(m),
                          nn_module_nparams(m), h, false, w);
    free(dx), free(r);
    return w;
}

#endif
