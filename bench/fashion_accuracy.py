"""fashion_accuracy.py: PyTorch's side of the accuracy check of the mlp workload
(bench/fashion_mlp.sh): 784-256-128-10 ReLU on Fashion-MNIST's 60000 training images,
Xavier-uniform weights and zero biases as nnlab's, batch 64, Adam lr 1e-3,
cross-entropy, shuffled epochs; the test accuracy on the 10000 test images after
`epochs` epochs. Prints "torch fashion test_acc A" and the seconds it trained.
Usage: fashion_accuracy.py threads epochs"""
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
if len(sys.argv) != 3:
    sys.exit("usage: fashion_accuracy.py threads epochs")
threads, epochs = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)

FASHION = "/usr/share/datasets/fashion-mnist/"


def idx(path):
    import gzip
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


x = idx(FASHION + "train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
y = idx(FASHION + "train-labels-idx1-ubyte.gz").long()
xt = idx(FASHION + "t10k-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
yt = idx(FASHION + "t10k-labels-idx1-ubyte.gz").long()
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                            torch.nn.ReLU(), torch.nn.Linear(128, 10))
for layer in model:
    if isinstance(layer, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
n, batch = x.shape[0], 64
t0 = time.perf_counter()
for _ in range(epochs):
    perm = torch.randperm(n)
    for i in range(0, n, batch):
        j = perm[i:i + batch]
        opt.zero_grad()
        loss_fn(model(x[j]), y[j]).backward()
        opt.step()
seconds = time.perf_counter() - t0
with torch.no_grad():
    acc = (model(xt).argmax(1) == yt).float().mean().item()
print("torch fashion test_acc %.4f" % acc)
print("# torch fashion: %d epochs in %.1f s, %d threads" % (epochs, seconds, threads))
