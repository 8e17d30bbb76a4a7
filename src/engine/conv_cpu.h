/* conv_cpu.h: the CPU kernels of 2-D convolution and pooling (conv_cpu.c), for the CPU
 * backend's table; their contracts are the table's conv2d_scratch, conv2d, conv2d_back,
 * pool2d and pool2d_back (backend.h). */
#ifndef NN_CONV_CPU_H
#define NN_CONV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

int64_t nn_cpu_conv2d_scratch(const nn_conv_geom *g);
void nn_cpu_conv2d(const nn_conv_geom *g, const float *x, const float *w, const float *bias,
                   bool relu, float *y, float *col);
void nn_cpu_conv2d_back(const nn_conv_geom *g, const float *x, const float *w, const float *relu_y,
                        const float *dy, float *dw, float *db, float *dx, float *col);
void nn_cpu_pool2d(int kind, const nn_conv_geom *g, const float *x, float *y, float *idx);
void nn_cpu_pool2d_back(int kind, const nn_conv_geom *g, const float *dy, const float *idx,
                        float *dx, bool assign);

/* The direct kernels of thin stride-1 layers (conv_direct.c), which the functions above
 * take where nn_cpu_conv_direct_applies(g); their scratch is
 * nn_cpu_conv_direct_scratch(g) floats. nn_cpu_conv_direct_enable(false) turns them off
 * (the tests compare the two paths). */
bool nn_cpu_conv_direct_applies(const nn_conv_geom *g);
int64_t nn_cpu_conv_direct_scratch(const nn_conv_geom *g);
void nn_cpu_conv_direct_enable(bool on);
void nn_cpu_conv_direct(const nn_conv_geom *g, const float *x, const float *w, const float *bias,
                        bool relu, float *y, float *scratch);
void nn_cpu_conv_direct_back(const nn_conv_geom *g, const float *x, const float *w,
                             const float *relu_y, const float *dy, float *dw, float *db, float *dx,
                             float *scratch);
/* 2x2 max pooling with stride 2 a row of vectors at a time, for maps at most 32 wide
 * (nn_cpu_max_pool_2x2_rows_apply): the same values and positions as the loop. */
bool nn_cpu_max_pool_2x2_rows_apply(const nn_conv_geom *g);
void nn_cpu_max_pool_2x2_rows(const nn_conv_geom *g, const float *x, float *y, float *idx);
void nn_cpu_max_pool_2x2_rows_back(const nn_conv_geom *g, const float *dy, const float *idx,
                                   float *dx);
void nn_cpu_pool_rows_enable(bool on); /* off: the loops of conv_cpu.c (tests compare) */

#endif
