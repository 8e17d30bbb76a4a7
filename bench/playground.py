"""playground.py: PyTorch's side of the playground workload (bench/bench_train.c):
a 2-8-8-1 tanh net on 500 2-D points, batch 10, SGD lr 0.03, BCE on the logit,
shuffled every epoch, in the usual PyTorch loop. Prints training steps per second.
Usage: playground.py [threads] [seconds]"""
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
torch.set_num_threads(threads)
torch.manual_seed(1)

# the circle set of TensorFlow Playground: class 1 inside radius 2.5, 0 in 3.5..5
n = 500
angle = torch.rand(n) * 2 * torch.pi
inside = torch.arange(n) % 2 == 1
radius = torch.where(inside, torch.rand(n) * 2.5, 3.5 + torch.rand(n) * 1.5)
x = torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], 1)
y = inside.float().unsqueeze(1)

model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                            torch.nn.Tanh(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.03)
loss_fn = torch.nn.BCEWithLogitsLoss()
batch = 10


def run(budget):
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < budget:
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            steps += 1
    return steps, time.perf_counter() - t0


run(0.2)  # warm-up
steps, t = run(seconds)
print("torch playground steps_per_s %.0f" % (steps / t))
print("# torch playground: %d steps in %.2f s (%.1f us/step), %d threads" %
      (steps, t, 1e6 * t / steps, threads))
