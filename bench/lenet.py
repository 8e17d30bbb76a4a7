"""lenet.py: PyTorch's side of the LeNet-5 workload (bench/lenet.sh, issue 13), the
recipe of bench/lenet.lua: conv 6@5x5 pad 2, ReLU, max pool 2, conv 16@5x5, ReLU, max
pool 2, flatten, 120, ReLU, 84, ReLU, 10 on Fashion-MNIST's 60000 training images
[n, 1, 28, 28] scaled to [0, 1]; He-uniform conv and Xavier-uniform linear weights with
zero biases (nnlab's defaults), batch 64, SGD lr 0.01 momentum 0.9, cross-entropy,
shuffled epochs in the usual PyTorch loop.
  lenet.py time THREADS ROUNDS: after 100 warm-up steps of a throwaway model, the best
    epoch time of ROUNDS epochs, each of a new model ("torch lenet epoch_s S");
  lenet.py accuracy THREADS EPOCHS [SEEDS]: the test accuracy after EPOCHS epochs, the
    mean over seeds 1..SEEDS (default 3) ("torch lenet test_acc A"), as bench/lenet.lua;
  lenet.py same THREADS EPOCHS FILE: the test accuracy after EPOCHS epochs from the
    initial weights and the epochs' row orders that `nnlab bench/lenet.lua same` wrote to
    FILE, and the first epoch's mean loss ("torch lenet same test_acc A")."""
import gzip
import sys
import time

import torch

WARMUP_STEPS = 100  # as bench/lenet.lua
FASHION = "/usr/share/datasets/fashion-mnist/"

if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("time", "accuracy", "same") or \
        (sys.argv[1] == "same") != (len(sys.argv) == 5 and not sys.argv[4].isdigit()):
    sys.exit("usage: lenet.py time THREADS ROUNDS | lenet.py accuracy THREADS EPOCHS [SEEDS]"
             " | lenet.py same THREADS EPOCHS FILE")
mode, threads, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seeds = int(sys.argv[4]) if len(sys.argv) == 5 and mode == "accuracy" else 3
torch.set_num_threads(threads)
torch.manual_seed(1)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def images(which):
    x = idx(FASHION + which + "-images-idx3-ubyte.gz").reshape(-1, 1, 28, 28).float() / 255
    return x, idx(FASHION + which + "-labels-idx1-ubyte.gz").long()


def lenet():
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                          nn.Linear(84, 10))
    for layer in model:
        if isinstance(layer, nn.Conv2d):
            nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


loss_fn = torch.nn.CrossEntropyLoss()
x, y = images("train")
n, batch = x.shape[0], 64


def epoch(model, opt, steps=None, perm=None):
    """One shuffled epoch (or its first `steps` batches; in the order perm if given):
    its seconds and, with perm (the loss read back only then, to leave the timed loop
    as it was), its mean loss."""
    t0 = time.perf_counter()
    keep_loss = perm is not None
    perm = torch.randperm(n) if perm is None else perm
    total = 0.0
    for s, i in enumerate(range(0, n, batch)):
        if steps is not None and s == steps:
            break
        j = perm[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[j]), y[j])
        loss.backward()
        opt.step()
        if keep_loss:
            total += loss.item() * len(j)
    return time.perf_counter() - t0, total / n


def test_accuracy(model):
    xt, yt = images("t10k")
    with torch.no_grad():
        return (model(xt).argmax(1) == yt).float().mean().item()


if mode == "time":
    epoch(*lenet(), steps=WARMUP_STEPS)
    best = min(epoch(*lenet())[0] for _ in range(count))
    print("torch lenet epoch_s %.3f" % best)
    print("# torch lenet: %d images, best of %d epochs, %d threads" % (n, count, threads))
elif mode == "same":
    blocks = {}
    with open(sys.argv[4]) as f:
        for head in f:
            tag, size = head.split()
            blocks[tag] = torch.tensor([float(v) for v in f.readline().split()])
            assert blocks[tag].numel() == int(size), tag
    model, opt = lenet()
    with torch.no_grad():
        for i, p in enumerate(model.parameters(), 1):
            v = blocks["param%d" % i]
            # nnlab's linear weights are [in, out]
            p.copy_(v.reshape(p.shape[1], p.shape[0]).t() if p.dim() == 2 else v.reshape(p.shape))
    for e in range(1, count + 1):
        _, loss = epoch(model, opt, perm=blocks["order%d" % e].long())
        print("# torch lenet same epoch %d loss %.6f" % (e, loss))
    print("torch lenet same test_acc %.4f" % test_accuracy(model))
else:
    total = 0.0
    for seed in range(1, seeds + 1):
        torch.manual_seed(seed)
        model, opt = lenet()
        for _ in range(count):
            epoch(model, opt)
        acc = test_accuracy(model)
        print("# torch lenet seed %d test_acc %.4f" % (seed, acc))
        total += acc
    print("torch lenet test_acc %.4f" % (total / seeds))
