"""char_lstm.py THREADS [STEPS] [ROUNDS]: the Char-LSTM training step of issue 14 in
PyTorch, as bench/char_lstm.lua builds it in nnlab: embedding 32 of 128 characters,
LSTM 128 (batch first, every step's output), a linear layer to the 128 characters at
each step, cross-entropy over every step, Adam (lr 0.002), sequences of 32, batch 32,
random ids. Prints "pytorch step_ms MS", the best of ROUNDS rounds of STEPS steps
after a warm-up round."""
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 50
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
torch.set_num_threads(threads)
torch.manual_seed(1)
V, E, H, T, B = 128, 32, 128, 32, 32


class CharLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V, E)
        self.lstm = torch.nn.LSTM(E, H, batch_first=True)
        self.out = torch.nn.Linear(H, V)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(h)


model = CharLSTM()
opt = torch.optim.Adam(model.parameters(), lr=0.002)
loss_fn = torch.nn.CrossEntropyLoss()
xs = torch.randint(0, V, (steps, B, T))
ys = torch.randint(0, V, (steps, B, T))


def epoch():
    for i in range(steps):
        opt.zero_grad()
        logits = model(xs[i])
        loss = loss_fn(logits.reshape(-1, V), ys[i].reshape(-1))
        loss.backward()
        opt.step()


epoch()  # warm-up
best = float("inf")
for _ in range(rounds):
    t0 = time.perf_counter()
    epoch()
    best = min(best, (time.perf_counter() - t0) * 1000 / steps)
print("pytorch step_ms %.3f" % best)
