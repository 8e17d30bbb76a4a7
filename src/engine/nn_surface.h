/* nn_surface.h: the built-in 2-D loss surfaces that optimizers race on (surface.c),
 * with exact gradients and Hessians. Part of the engine's public interface (nn.h
 * includes it). */
#ifndef NN_SURFACE_H
#define NN_SURFACE_H

#include "nn.h"

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

#endif
