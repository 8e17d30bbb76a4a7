/* parallel.h: the engine's second thread, private to the engine. Kernels that split
 * their work in two fixed halves (the direct convolutions and the LSTM's recurrence by
 * batch rows, the linear layer's big products by columns, the optimizer's passes and
 * large zeroings by parameter range) run the second half on one persistent worker when
 * the engine may use two threads. The halves are fixed whatever the thread count and
 * their partial results are combined in half order, so the same seed gives the same
 * numbers on one thread or two. */
#ifndef NN_PARALLEL_H
#define NN_PARALLEL_H

/* The threads the engine's kernels may use, 1 or 2: OPENBLAS_NUM_THREADS, else
 * OMP_NUM_THREADS, else the online CPUs (read once), unless a test set it. */
int nn_par_threads(void);

/* Sets the thread count (1 or 2; 0 goes back to the environment's). For tests that
 * compare one thread with two. */
void nn_par_set_threads(int threads);

/* Runs half(arg, 0) and half(arg, 1) and returns when both are done: half 1 on the
 * worker when two threads are allowed and the worker is free (another thread of the
 * program may hold it), else both on the caller, half 0 first. */
void nn_par_halves(void (*half)(void *arg, int part), void *arg);

#endif
