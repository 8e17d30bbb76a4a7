-- doc/optim.lua: help entries of the optimizers (optim.*, optimizer:*), from
-- lua/optim.lua and src/repl/bind_optim.c. Update rules: src/engine/optim.c.
return {
  ["optim.gd"] = {
    sig = "optim.gd(m [, {lr=, ...}])",
    summary = "gradient descent w <- w - lr g (use with batch = 0, the whole set)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01.
Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are
fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.gd(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.sgd"] = {
    sig = "optim.sgd(m [, {lr=, momentum=, nesterov=, weight_decay=, ...}])",
    summary = "stochastic gradient descent as PyTorch's: v <- mu v + g; w <- w - lr v (w <- w - lr g without momentum)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01,
momentum 0 (plain SGD). With momentum mu > 0 the velocity sums gradients; nesterov =
true steps w <- w - lr (g + mu v) instead. weight_decay adds wd w to g first. Every
optimizer also takes clip_norm and clip_value; an option it does not take is refused
with the list of those it does. Settings are fields: opt.lr = 0.003 takes effect at
the next step. optim.momentum and optim.nesterov are the course's forms.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.sgd(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.momentum"] = {
    sig = "optim.momentum(m [, {lr=, ...}])",
    summary = "momentum: v <- mu v - lr g; w <- w + v",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01,
momentum 0.9. Every optimizer also takes weight_decay (L2), clip_norm and
clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.momentum(w, {lr = 0.05})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.nesterov"] = {
    sig = "optim.nesterov(m [, {lr=, ...}])",
    summary = "Nesterov accelerated gradient: the gradient at the look-ahead point (v <- mu v - lr g; w <- w + mu v - lr g)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01,
momentum 0.9. Every optimizer also takes weight_decay (L2), clip_norm and
clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.nesterov(w, {lr = 0.05})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.adagrad"] = {
    sig = "optim.adagrad(m [, {lr=, ...}])",
    summary = "Adagrad: a <- a + g^2; w <- w - lr g / sqrt(a + eps): per-parameter rates that only shrink",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01, eps
1e-10. Every optimizer also takes weight_decay (L2), clip_norm and clip_value;
settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.adagrad(w, {lr = 1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.rmsprop"] = {
    sig = "optim.rmsprop(m [, {lr=, ...}])",
    summary = "RMSProp: v <- rho v + (1 - rho) g^2; w <- w - lr g / sqrt(v + eps)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001, rho
0.9, eps 1e-10 (the course's values). Every optimizer also takes weight_decay (L2),
clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the
next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.rmsprop(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.adadelta"] = {
    sig = "optim.adadelta(m [, {lr=, ...}])",
    summary = "AdaDelta: no learning rate to tune (lr 1 scales the step); leaky averages of g^2 and of the squared steps",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 1, rho
0.9, eps 1e-6. Every optimizer also takes weight_decay (L2), clip_norm and
clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.adadelta(w, {lr = 1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- 0.39: AdaDelta's first steps are tiny, its rate grows with them]],
  },
  ["optim.adam"] = {
    sig = "optim.adam(m [, {lr=, ...}])",
    summary = "Adam: first and second moment with bias correction; w <- w - lr m^/(sqrt(v^) + eps)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001,
beta1 0.9, beta2 0.999, eps 1e-8. Every optimizer also takes weight_decay (L2),
clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the
next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.adam(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.adamw"] = {
    sig = "optim.adamw(m [, {lr=, ...}])",
    summary = "AdamW: Adam with decoupled weight decay w <- w - lr wd w",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001,
weight_decay 0.01. Every optimizer also takes weight_decay (L2), clip_norm and
clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.adamw(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.nadam"] = {
    sig = "optim.nadam(m [, {lr=, ...}])",
    summary = "Nadam: Adam with a Nesterov look-ahead on the first moment",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.002.
Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are
fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.nadam(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.rprop"] = {
    sig = "optim.rprop(m [, {lr=, ...}])",
    summary = "Rprop: only the sign of the gradient; each step size grows by eta_plus while the sign holds and shrinks by eta_minus when it flips",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01
(first step), eta_plus 1.2, eta_minus 0.5, step_min 1e-6, step_max 50. Every
optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are
fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[
w = nn.tensor{0}:requires_grad()   -- minimise (w - 3)^2
opt = optim.rprop(w, {lr = 0.1})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item())   -- near 3]],
  },
  ["optim.new"] = {
    sig = "optim.new(kind, m [, opts])",
    summary = "an optimizer by name",
    example = [[
m = nn.sequential{nn.linear(2, 1)}
opt = optim.new("adam", m, {lr = 0.01}); print(opt:kind(), opt.lr)]],
    text = [[
kind is one of optim.names() ("sgd", "adam", ...); an unknown name is refused with
it. The same as optim[kind](m, opts); what the races use.]],
  },
  ["optim.defaults"] = {
    sig = "optim.defaults(kind)",
    summary = "the default settings of an optimizer",
    example = [[
d = optim.defaults("rmsprop"); print(d.lr, d.rho, d.eps)]],
    text = [[
A table of the settings (lr, momentum, rho, beta1, beta2, eps, weight_decay,
clip_norm, clip_value, ...) as a new optimizer of that kind starts with; the values
are the course's.]],
  },
  ["optim.names"] = {
    sig = "optim.names()",
    summary = "the names of the optimizers",
    text = [[
gd sgd momentum nesterov adagrad rmsprop adadelta adam adamw nadam rprop: each is
also optim.<name>(m, opts).]],
    example = [[
print(table.concat(optim.names(), " "))]],
  },
  ["optim.schedule"] = {
    sig = "optim.schedule{kind=, lr0=, lr_min=, gamma=, period=}",
    summary = "a learning-rate schedule for fit (schedule = ...): step, exponential, cosine, cyclic (triangular) or warmup; sched(t) gives the rate at step t",
    example = [[
s = optim.schedule{kind = "cosine", lr0 = 0.1, period = 1000}
print(s(0), s(500), s(1000))   --> 0.1 0.05 0.0]],
    text = [[
lr0 (0.01) is the starting rate; t counts steps from 0. step: lr0 gamma^(t // period);
exponential: lr0 gamma^t; cosine: from lr0 down to lr_min (0) over period steps, then
lr_min; cyclic: triangular between lr_min and lr0 with half-period period; warmup:
rising linearly to lr0 over period steps. gamma defaults to 0.5, period to 10. fit
sets the optimizer's lr from it before each step (a table {kind =, ...} works there
too). An unknown kind is refused.]],
  },
  ["optimizer:step"] = {
    sig = "opt:step()",
    summary = "one update of the target from its gradients (after backward); returns the gradient norm before clipping",
    text = [[
Each target tensor must have a gradient (run backward first), else the error says
which. Weight decay, clipping (clip_norm, clip_value) and the update rule are
applied in C. It does not zero the gradients: call opt:zero_grad() before the next
backward.]],
    example = [[
w = nn.tensor{1, 2}:requires_grad()
opt = optim.adam(w, {lr = 0.1});
(w * w):sum():backward(); opt:step()
print(w)   -- each moved by about lr]],
  },
  ["optimizer:state"] = {
    sig = "opt:state(name|i)",
    summary = "a copy of a state array (velocity, sum_sq, mean_sq, m, v, step...) as a tensor, for plots",
    text = [[
name is one of opt:state_names() or its index; the tensor is a copy with one value
per parameter, so changing it changes nothing. Momentum's velocity, Adagrad's sum of
squares, Adam's m and v: what the race's step view draws.]],
    example = [[
w = nn.tensor{1, 2}:requires_grad()
opt = optim.adam(w, {lr = 0.1});
(w * w):sum():backward(); opt:step()
print(opt:state("m"))   -- Adam's first moment]],
  },
  ["optimizer:state_names"] = {
    sig = "opt:state_names()",
    summary = "the names of the optimizer's state arrays",
    text = [[
Momentum and Nesterov have velocity, Adagrad sum_sq, RMSProp mean_sq, AdaDelta
mean_sq and mean_dx_sq, Adam, AdamW and Nadam m and v, Rprop prev_grad and step;
plain GD and SGD none.]],
    example = [[
print(table.concat(optim.adam(nn.ones(2):requires_grad()):state_names(), " "))]],
  },
  ["optimizer:effective_lr"] = {
    sig = "opt:effective_lr()",
    summary = "the effective per-parameter learning rate now (lr for SGD, lr/sqrt(a + eps) for Adagrad, ...)",
    text = [[
A tensor with one rate per parameter: how far one unit of gradient moves that
parameter now. For the adaptive optimizers it shows how each coordinate gets its
own, shrinking, rate.]],
    example = [[
w = nn.tensor{1, 10}:requires_grad(); opt = optim.adagrad(w, {lr = 0.5});
(w * w):sum():backward(); opt:step()
print(opt:effective_lr())   -- the big gradient got the small rate]],
  },
  ["optimizer:reset"] = {
    sig = "opt:reset()",
    summary = "forgets the state and the step count",
    text = [[
All state arrays go to zero and the step count to 0, as a new optimizer; the
settings (lr, ...) stay. Returns opt.]],
    example = [[
w = nn.tensor{1, 2}:requires_grad()
opt = optim.adam(w, {lr = 0.1});
(w * w):sum():backward(); opt:step()
opt:reset(); print(opt:steps())   --> 0]],
  },
  ["optimizer:zero_grad"] = {
    sig = "opt:zero_grad()",
    summary = "zeroes the gradients of the target",
    text = [[
Sets the gradients of every tensor the optimizer updates to zero; call it before
each backward, since gradients accumulate.]],
    example = [[
w = nn.tensor{1, 2}:requires_grad()
opt = optim.adam(w, {lr = 0.1});
(w * w):sum():backward(); opt:step()
opt:zero_grad(); print(w.grad)   -- zeros]],
  },
  ["optimizer:steps"] = {
    sig = "opt:steps()",
    summary = "steps taken",
    text = [[
The number of opt:step() calls since it was made or reset: the t of Adam's bias correction.]],
    example = [[
w = nn.tensor{1, 2}:requires_grad()
opt = optim.adam(w, {lr = 0.1});
(w * w):sum():backward(); opt:step()
print(opt:steps())   --> 1]],
  },
  ["optimizer:kind"] = {
    sig = "opt:kind()",
    summary = "the optimizer's name",
    text = [[
One of optim.names().]],
    example = [[
print(optim.sgd(nn.ones(1):requires_grad()):kind())   --> sgd]],
  },
  ["optimizer:hparams"] = {
    sig = "opt:hparams()",
    summary = "all settings as a table (also readable as opt.lr, opt.momentum, ...)",
    text = [[
A copy: change settings through fields (opt.lr = 0.003), which are checked (a
negative value or an unknown name is refused) and apply at the next step.]],
    example = [[
opt = optim.momentum(nn.ones(1):requires_grad())
for k, v in pairs(opt:hparams()) do print(k, v) end]],
  },
  ["optimizer:target"] = {
    sig = "opt:target()",
    summary = "what the optimizer updates (model, tensor or list)",
    text = [[
The model, tensor or list of tensors it was made on; it keeps that alive.]],
    example = [[
w = nn.ones(2):requires_grad(); print(optim.sgd(w):target() == w)]],
  },
  ["optimizer:free"] = {
    sig = "opt:free()",
    summary = "releases the optimizer now",
    text = [[
Frees the state at once rather than at garbage collection; later use raises
'optimizer was freed'.]],
    example = [[
opt = optim.adam(nn.ones(2):requires_grad()); opt:free()]],
  },
}
