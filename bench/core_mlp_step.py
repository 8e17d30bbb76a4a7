"""core_mlp_step.py: PyTorch's side of bench_core's MLP step: 784-256-128-10 ReLU,
batch 64 sliced from 1024 random examples, cross-entropy composed as
-mean(sum(onehot * log_softmax(z))), backward, SGD lr 0.05 by hand. Prints the
best time per step of five rounds. Usage: core_mlp_step.py [threads] [wall|cpu]
(cpu: process CPU time, as bench_core's "cpu" argument)."""
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
clock = time.process_time if len(sys.argv) > 2 and sys.argv[2] == "cpu" else time.perf_counter
torch.set_num_threads(threads)
torch.manual_seed(1)
x = torch.randn(1024, 784)
y = torch.nn.functional.one_hot(torch.randint(0, 10, (1024,)), 10).float()
ws = [torch.randn(784, 256) / 28, torch.zeros(256), torch.randn(256, 128) / 16,
      torch.zeros(128), torch.randn(128, 10) / 11.3, torch.zeros(10)]
for w in ws:
    w.requires_grad_()
step = 0


def one():
    global step
    s = (step * 64) % 1024
    step += 1
    xb, yb = x[s:s + 64], y[s:s + 64]
    h = torch.relu(xb @ ws[0] + ws[1])
    h = torch.relu(h @ ws[2] + ws[3])
    z = h @ ws[4] + ws[5]
    loss = -(torch.log_softmax(z, -1) * yb).sum(1).mean()
    loss.backward()
    with torch.no_grad():
        for w in ws:
            w -= 0.05 * w.grad
            w.grad.zero_()


for _ in range(20):
    one()
best = 1e9
for _ in range(5):
    t0, n = clock(), 0
    while clock() - t0 < 0.4:
        one()
        n += 1
    best = min(best, (clock() - t0) / n)
print("PyTorch %s: %.3f ms per step, %.0f steps/s" % (torch.__version__, best * 1e3, 1 / best))
