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
#include <stdio.h>

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

#endif
