/* rnn_cpu.h: the CPU kernels of the recurrent cells (rnn_cpu.c), for the CPU backend's
 * table; their contracts are the table's rnn_cell and rnn_cell_back (backend.h). */
#ifndef NN_RNN_CPU_H
#define NN_RNN_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

void nn_cpu_rnn_cell(int cell, int act, int B, int H, const float *xp, int64_t ldx, const float *hp,
                     const float *h0, const float *c0, const float *mask, int64_t ldm, float *gates,
                     float *hpn, float *h1, float *c1, float *out, int64_t ldo);
void nn_cpu_rnn_cell_back(int cell, int act, int B, int H, const float *gates, const float *hpn,
                          const float *h0, const float *c0, const float *h1, const float *c1,
                          const float *mask, int64_t ldm, const float *dy, int64_t ldy, float *dh,
                          float *dc, float *dxp, int64_t ldx, float *dhp);

/* The LSTM's recurrence of a lane in one call (rnn_lstm_cpu.c: AVX-512, W_h packed once);
 * false when it has no kernel for the CPU or shape, or nn_cpu_lstm_fast is false (the
 * tests' switch to the per-step path it is compared with). */
bool nn_cpu_lstm_seq(const nn_lstm_seq *q, bool backward);
bool nn_cpu_lstm_seq_takes(int B, int H);
bool nn_cpu_lstm_seq_grads(const nn_lstm_seq *q, float *dW, float *db);
extern bool nn_cpu_lstm_fast;

#endif
