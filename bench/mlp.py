"""mlp.py: PyTorch's side of the mlp workload (bench/bench_train.c): 784-256-128-10
ReLU on Fashion-MNIST's 60000 training images (Debian's dataset-fashion-mnist; a
generated stand-in of the same shape if missing), Xavier-uniform weights and zero
biases as nnlab's, batch 64, Adam lr 1e-3, cross-entropy, shuffled epochs in the
usual PyTorch loop. After WARMUP_STEPS steps of a throwaway model, as bench_train,
prints the best epoch time of `rounds` epochs, each of a new model.
Usage: mlp.py threads rounds"""
import gzip
import os
import sys
import time

import torch

WARMUP_STEPS = 100  # as bench_train.c

if len(sys.argv) != 3:
    sys.exit("usage: mlp.py threads rounds")
threads, rounds = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)

FASHION = "/usr/share/datasets/fashion-mnist/"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    body = torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8)
    return body.reshape(dims)


if os.path.exists(FASHION + "train-images-idx3-ubyte.gz"):
    x = idx(FASHION + "train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
    y = idx(FASHION + "train-labels-idx1-ubyte.gz").long()
else:
    print("# torch mlp: using generated data")
    x, y = torch.rand(60000, 784), torch.randint(0, 10, (60000,))
n, batch = x.shape[0], 64


def new_model():
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


loss_fn = torch.nn.CrossEntropyLoss()


def epoch(model, opt, steps=None):
    """One shuffled epoch (or its first `steps` batches): seconds and mean loss."""
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    total, seen = 0.0, 0
    for s, i in enumerate(range(0, n, batch)):
        if steps is not None and s == steps:
            break
        idx_ = perm[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx_]), y[idx_])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx_)
        seen += len(idx_)
    return time.perf_counter() - t0, total / seen


epoch(*new_model(), steps=WARMUP_STEPS)
best, loss = 1e30, 0
for _ in range(rounds):
    t, loss = epoch(*new_model())
    best = min(best, t)
print("torch mlp epoch_s %.3f" % best)
print("# torch mlp: %d images, best of %d epochs %.3f s (after %d warm-up steps), epoch loss "
      "%.4f, %d threads" % (n, rounds, best, WARMUP_STEPS, loss, threads))
