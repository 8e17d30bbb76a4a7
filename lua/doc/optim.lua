-- doc/optim.lua: help entries of the optimizers (optim.*, optimizer:*), from
-- lua/optim.lua and src/repl/bind_optim.c. Update rules: src/engine/optim.c.
return {
  ["optim.gd"] = {
    sig = "optim.gd(m [, {lr=, ...}])",
    summary = "gradient descent w <- w - lr g (use with batch = 0, the whole set)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.gd(m, {lr = 0.01})]],
  },
  ["optim.sgd"] = {
    sig = "optim.sgd(m [, {lr=, ...}])",
    summary = "stochastic gradient descent w <- w - lr g",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.sgd(m, {lr = 0.01})]],
  },
  ["optim.momentum"] = {
    sig = "optim.momentum(m [, {lr=, ...}])",
    summary = "momentum: v <- mu v - lr g; w <- w + v",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01, momentum 0.9. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.momentum(m, {lr = 0.01})]],
  },
  ["optim.nesterov"] = {
    sig = "optim.nesterov(m [, {lr=, ...}])",
    summary = "Nesterov accelerated gradient: the gradient at the look-ahead point (v <- mu v - lr g; w <- w + mu v - lr g)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01, momentum 0.9. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.nesterov(m, {lr = 0.01})]],
  },
  ["optim.adagrad"] = {
    sig = "optim.adagrad(m [, {lr=, ...}])",
    summary = "Adagrad: a <- a + g^2; w <- w - lr g / sqrt(a + eps): per-parameter rates that only shrink",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01, eps 1e-10. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.adagrad(m, {lr = 0.01})]],
  },
  ["optim.rmsprop"] = {
    sig = "optim.rmsprop(m [, {lr=, ...}])",
    summary = "RMSProp: v <- rho v + (1 - rho) g^2; w <- w - lr g / sqrt(v + eps)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001, rho 0.9, eps 1e-10 (the course's values). Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.rmsprop(m, {lr = 0.01})]],
  },
  ["optim.adadelta"] = {
    sig = "optim.adadelta(m [, {lr=, ...}])",
    summary = "AdaDelta: no learning rate to tune (lr 1 scales the step); leaky averages of g^2 and of the squared steps",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 1, rho 0.9, eps 1e-6. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.adadelta(m, {lr = 0.01})]],
  },
  ["optim.adam"] = {
    sig = "optim.adam(m [, {lr=, ...}])",
    summary = "Adam: first and second moment with bias correction; w <- w - lr m^/(sqrt(v^) + eps)",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.adam(m, {lr = 0.01})]],
  },
  ["optim.adamw"] = {
    sig = "optim.adamw(m [, {lr=, ...}])",
    summary = "AdamW: Adam with decoupled weight decay w <- w - lr wd w",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.001, weight_decay 0.01. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.adamw(m, {lr = 0.01})]],
  },
  ["optim.nadam"] = {
    sig = "optim.nadam(m [, {lr=, ...}])",
    summary = "Nadam: Adam with a Nesterov look-ahead on the first moment",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.002. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.nadam(m, {lr = 0.01})]],
  },
  ["optim.rprop"] = {
    sig = "optim.rprop(m [, {lr=, ...}])",
    summary = "Rprop: only the sign of the gradient; each step size grows by eta_plus while the sign holds and shrinks by eta_minus when it flips",
    text = [[
m is a model, a tensor (w with w.grad) or a list of tensors. Defaults: lr 0.01 (first step), eta_plus 1.2, eta_minus 0.5, step_min 1e-6, step_max 50. Every optimizer also takes weight_decay (L2), clip_norm and clip_value; settings are fields: opt.lr = 0.003 takes effect at the next step.]],
    example = [[opt = optim.rprop(m, {lr = 0.01})]],
  },
  ["optim.new"] = {
    sig = "optim.new(kind, m [, opts])",
    summary = "an optimizer by name",
    example = [[optim.new("adam", m, {lr = 0.01})]],
  },
  ["optim.defaults"] = {
    sig = "optim.defaults(kind)",
    summary = "the default settings of an optimizer",
    example = [[optim.defaults("rmsprop").rho  --> 0.9]],
  },
  ["optim.names"] = {
    sig = "optim.names()",
    summary = "the names of the optimizers",
  },
  ["optim.schedule"] = {
    sig = "optim.schedule{kind=, lr0=, lr_min=, gamma=, period=}",
    summary = "a learning-rate schedule for fit (schedule = ...): step, exponential, cosine, cyclic (triangular) or warmup; sched(t) gives the rate at step t",
    example = [[m:fit{train, schedule = optim.schedule{kind = "cosine", lr0 = 0.1, period = 1000}}]],
  },
  ["optimizer:step"] = {
    sig = "opt:step()",
    summary = "one update of the target from its gradients (after backward); returns the gradient norm before clipping",
  },
  ["optimizer:state"] = {
    sig = "opt:state(name|i)",
    summary = "a copy of a state array (velocity, sum_sq, mean_sq, m, v, step...) as a tensor, for plots",
  },
  ["optimizer:state_names"] = {
    sig = "opt:state_names()",
    summary = "the names of the optimizer's state arrays",
  },
  ["optimizer:effective_lr"] = {
    sig = "opt:effective_lr()",
    summary = "the effective per-parameter learning rate now (lr for SGD, lr/sqrt(a + eps) for Adagrad, ...)",
  },
  ["optimizer:reset"] = {
    sig = "opt:reset()",
    summary = "forgets the state and the step count",
  },
  ["optimizer:zero_grad"] = {
    sig = "opt:zero_grad()",
    summary = "zeroes the gradients of the target",
  },
  ["optimizer:steps"] = {
    sig = "opt:steps()",
    summary = "steps taken",
  },
  ["optimizer:kind"] = {
    sig = "opt:kind()",
    summary = "the optimizer's name",
  },
  ["optimizer:hparams"] = {
    sig = "opt:hparams()",
    summary = "all settings as a table (also readable as opt.lr, opt.momentum, ...)",
  },
  ["optimizer:target"] = {
    sig = "opt:target()",
    summary = "what the optimizer updates (model, tensor or list)",
  },
  ["optimizer:free"] = {
    sig = "opt:free()",
    summary = "releases the optimizer now",
  },
}
