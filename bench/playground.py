"""playground.py: PyTorch's side of the playground workload (bench/bench_train.c):
a 2-8-8-1 tanh net on the same 500 2-D points (the circle set with noise 0.1 that
bench_train writes to DATA.csv), Xavier-uniform weights and zero biases as nnlab's,
batch 10, SGD lr 0.03, BCE on the logit, shuffled every epoch, in the usual PyTorch
loop. After WARMUP_STEPS steps, prints the best training steps per second of
`rounds` rounds of `seconds` each. Usage: playground.py threads seconds rounds DATA.csv"""
import sys
import time

import torch

WARMUP_STEPS = 100  # as bench_train.c

if len(sys.argv) != 5:
    sys.exit("usage: playground.py threads seconds rounds DATA.csv (DATA.csv from bench_train)")
threads, seconds, rounds = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)

with open(sys.argv[4]) as f:
    header = f.readline().strip().split(",")
    assert header == ["x1", "x2", "label"], header
    rows = [[float(v) for v in line.split(",")] for line in f if line.strip()]
data = torch.tensor(rows, dtype=torch.float32)
x, y = data[:, :2].contiguous(), data[:, 2:].contiguous()
n = x.shape[0]

model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                            torch.nn.Tanh(), torch.nn.Linear(8, 1))
for layer in model:
    if isinstance(layer, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.03)
loss_fn = torch.nn.BCEWithLogitsLoss()
batch = 10


def batches():
    """Mini-batches of shuffled epochs, without end."""
    while True:
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            yield perm[i:i + batch]


stream = batches()


def train_step():
    idx = next(stream)
    opt.zero_grad()
    loss = loss_fn(model(x[idx]), y[idx])
    loss.backward()
    opt.step()
    return loss


def run(budget):
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < budget:
        for _ in range(n // batch):  # an epoch between looks at the clock
            loss = train_step()
            steps += 1
    return steps, time.perf_counter() - t0, loss.item()


for _ in range(WARMUP_STEPS):
    train_step()
best = (0, 1, 0)
for _ in range(rounds):
    steps, t, loss = run(seconds)
    if steps / t > best[0] / best[1]:
        best = (steps, t, loss)
steps, t, loss = best
print("torch playground steps_per_s %.0f" % (steps / t))
print("# torch playground: best of %d rounds: %d steps in %.2f s (%.1f us/step), last loss %.4f, "
      "%d threads" % (rounds, steps, t, 1e6 * t / steps, loss, threads))
