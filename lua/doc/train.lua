-- doc/train.lua: help entries of layers, losses, models and training (nn.*,
-- module:*, run:*), from lua/nn_train.lua and src/repl/bind_model.c.
return {
  ["nn.step"] = {
    sig = "nn.step()",
    summary = "the step function: 1 where x > 0, else 0; it has no gradient (zero), so nothing below it learns (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.step(), nn.linear(8, 1)}]],
  },
  ["nn.identity"] = {
    sig = "nn.identity()",
    summary = "the linear (identity) activation f(x) = x, as in linear regression (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.identity(), nn.linear(8, 1)}]],
  },
  ["nn.sigmoid"] = {
    sig = "nn.sigmoid([slope])  or  nn.sigmoid{slope = a}",
    summary = "logistic sigmoid 1/(1 + e^(-a x)), a = 1 by default; f' = a f (1 - f) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.sigmoid(), nn.linear(8, 1)}]],
  },
  ["nn.bipolar_sigmoid"] = {
    sig = "nn.bipolar_sigmoid()",
    summary = "bipolar sigmoid (1 - e^-x)/(1 + e^-x) = tanh(x/2), in (-1, 1) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.bipolar_sigmoid(), nn.linear(8, 1)}]],
  },
  ["nn.tanh"] = {
    sig = "nn.tanh()  or  nn.tanh(x)",
    summary = "hyperbolic tangent, in (-1, 1); f' = 1 - f^2 (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}]],
  },
  ["nn.lecun_tanh"] = {
    sig = "nn.lecun_tanh()",
    summary = "LeCun's scaled tanh 1.7159 tanh(2x/3) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.lecun_tanh(), nn.linear(8, 1)}]],
  },
  ["nn.hard_tanh"] = {
    sig = "nn.hard_tanh()",
    summary = "clamp(x, -1, 1): slope 1 inside, 0 outside (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.hard_tanh(), nn.linear(8, 1)}]],
  },
  ["nn.relu"] = {
    sig = "nn.relu()  or  nn.relu(x)",
    summary = "max(0, x); slope 0 for x < 0 (dying ReLU) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)}]],
  },
  ["nn.leaky_relu"] = {
    sig = "nn.leaky_relu([slope])",
    summary = "x for x > 0, slope * x otherwise (slope 0.01 by default) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.leaky_relu(), nn.linear(8, 1)}]],
  },
  ["nn.prelu"] = {
    sig = "nn.prelu([init])",
    summary = "leaky ReLU whose negative slope is learned (one number, 0.25 at start) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.prelu(), nn.linear(8, 1)}]],
  },
  ["nn.elu"] = {
    sig = "nn.elu([alpha])",
    summary = "x for x > 0, alpha (e^x - 1) otherwise (alpha 1) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.elu(), nn.linear(8, 1)}]],
  },
  ["nn.softplus"] = {
    sig = "nn.softplus()",
    summary = "log(1 + e^x), a smooth ReLU; f' = sigmoid(x) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.softplus(), nn.linear(8, 1)}]],
  },
  ["nn.swish"] = {
    sig = "nn.swish()",
    summary = "x sigmoid(x) (swish / SiLU) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.swish(), nn.linear(8, 1)}]],
  },
  ["nn.gelu"] = {
    sig = "nn.gelu()",
    summary = "x Phi(x), Phi the standard normal CDF (exact erf form) (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.gelu(), nn.linear(8, 1)}]],
  },
  ["nn.softmax"] = {
    sig = "nn.softmax()",
    summary = "e^x_j / sum_k e^x_k along each row: probabilities over classes (a module; called on a tensor it applies the function)",
    example = [[m = nn.sequential{nn.linear(2, 8), nn.softmax(), nn.linear(8, 1)}]],
  },
  ["nn.activation"] = {
    sig = "nn.activation(name [, a])",
    summary = "an activation module by name (\"tanh\", \"leaky_relu\", ...; nn.names().activations lists them)",
    example = [[nn.activation("elu", 0.5)]],
  },
  ["nn.linear"] = {
    sig = "nn.linear(in, out [, {init=, bias=, l1=, l2=, freeze=}])",
    summary = "a fully connected layer y = x W + b with W [in, out]",
    text = [[
init is an initialiser name (zeros, constant, uniform, normal, xavier_uniform
(default), xavier_normal, he_uniform, he_normal, lecun_uniform, lecun_normal,
orthogonal), a table {name, a, b} (uniform: [a, b); normal: mean a, std b;
constant: a; orthogonal: gain a) or a number (constant). bias is the same for b
(zeros by default; 0.01 for ReLU layers as the course suggests). l1 and l2 add
l1 sum|w| + l2 sum w^2 to the loss.]],
    example = [[nn.linear(2, 16, {init = "he_normal", bias = 0.01})]],
  },
  ["nn.dropout"] = {
    sig = "nn.dropout(p)",
    summary = "inverted dropout: in training each value is zeroed with probability p and the rest scaled by 1/(1-p); identity in evaluation",
    example = [[nn.sequential{nn.linear(784, 256), nn.relu(), nn.dropout(0.2), nn.linear(256, 10)}]],
  },
  ["nn.batchnorm"] = {
    sig = "nn.batchnorm(features [, {momentum = 0.1, eps = 1e-5}])",
    summary = "batch normalization of each feature: (x - mean)/sqrt(var + eps) * gamma + beta, batch statistics in training, running ones in evaluation",
    example = [[nn.sequential{nn.linear(2, 16), nn.batchnorm(16), nn.relu(), nn.linear(16, 2)}]],
  },
  ["nn.sequential"] = {
    sig = "nn.sequential{m1, m2, ...}",
    summary = "modules applied in order; built-in modules make one C model that trains without Lua per step",
    text = [[
The layers' parameters move into one block owned by the sequential; the layers
stay usable as views of it. A module written in Lua (a table with forward and
parameters) may be mixed in: then the sequential is a Lua module trained through
autograd. A module sits in one model, once: use a new nn.tanh() for each place.]],
    example = [[m = nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 3)}]],
  },
  ["nn.residual"] = {
    sig = "nn.residual(m)",
    summary = "a skip connection: y = x + m(x) (m keeps the width)",
    example = [[nn.residual(nn.sequential{nn.linear(16, 16), nn.relu(), nn.linear(16, 16)})]],
  },
  ["nn.mse"] = {
    sig = "nn.mse(y, t)  or  loss = nn.mse in fit",
    summary = "mean squared error mean((y - t)^2); the mean over the batch",
    example = [[l = nn.mse(y, t); l:backward()]],
  },
  ["nn.mae"] = {
    sig = "nn.mae(y, t)  or  loss = nn.mae in fit",
    summary = "mean absolute error mean|y - t|; the mean over the batch",
    example = [[l = nn.mae(y, t); l:backward()]],
  },
  ["nn.huber"] = {
    sig = "nn.huber(y, t)  or  loss = nn.huber in fit",
    summary = "Huber loss: 0.5 d^2 for |d| <= delta (1), delta (|d| - delta/2) beyond; the mean over the batch",
    example = [[l = nn.huber(y, t); l:backward()]],
  },
  ["nn.bce"] = {
    sig = "nn.bce(y, t)  or  loss = nn.bce in fit",
    summary = "binary cross-entropy on logits (sigmoid fused, stable); targets 0/1; the mean over the batch",
    example = [[l = nn.bce(y, t); l:backward()]],
  },
  ["nn.binary_cross_entropy"] = {
    sig = "nn.binary_cross_entropy(y, t)  or  loss = nn.binary_cross_entropy in fit",
    summary = "the same as nn.bce; the mean over the batch",
    example = [[l = nn.binary_cross_entropy(y, t); l:backward()]],
  },
  ["nn.cross_entropy"] = {
    sig = "nn.cross_entropy(y, t)  or  loss = nn.cross_entropy in fit",
    summary = "categorical cross-entropy on logits (log-softmax fused, stable); targets are class indices (0-based) or one-hot rows; the mean over the batch",
    example = [[l = nn.cross_entropy(y, t); l:backward()]],
  },
  ["nn.hinge"] = {
    sig = "nn.hinge(y, t)  or  loss = nn.hinge in fit",
    summary = "hinge loss mean max(0, 1 - s y) with s = +1/-1 (targets 0/1 or -1/+1); the mean over the batch",
    example = [[l = nn.hinge(y, t); l:backward()]],
  },
  ["nn.multi_hinge"] = {
    sig = "nn.multi_hinge(y, t)  or  loss = nn.multi_hinge in fit",
    summary = "multi-class hinge: per row sum over wrong classes j of max(0, 1 + y_j - y_true); the mean over the batch",
    example = [[l = nn.multi_hinge(y, t); l:backward()]],
  },
  ["nn.save"] = {
    sig = "nn.save(m, path [, optimizer])",
    summary = "writes the model (and the optimizer's state, to resume) to a file, through a temporary file renamed over path",
    text = [[
The format (magic NNLABMDL, version, architecture, parameters, CRC-32) is documented in src/engine/modelfile.c.]],
    example = [[nn.save(m, "spiral.nnl")]],
  },
  ["nn.load"] = {
    sig = "nn.load(path) -> model, optimizer|nil",
    summary = "reads a model file; a truncated, corrupted or foreign file gives nil and the reason",
    example = [[m2 = nn.load("spiral.nnl")]],
  },
  ["nn.evaluate"] = {
    sig = "nn.evaluate(m, data [, loss])",
    summary = "loss, accuracy, precision, recall, F1 (macro) and the confusion matrix of m on a data set",
    example = [[r = nn.evaluate(m, test); print(r.accuracy, r.f1)]],
  },
  ["nn.lr_range_test"] = {
    sig = "nn.lr_range_test{m, data, loss=, batch=32, lr_min=1e-5, lr_max=10, steps=100, optimizer=}",
    summary = "the LR range test: the rate grows exponentially per batch and the loss is recorded; the weights are put back",
    text = [[
Stops early when the loss passes 4 times its minimum or becomes NaN. Returns {lr = {...}, loss = {...}}: plot loss against lr (log scale) and pick a rate a little below the steepest fall.]],
    example = [[r = nn.lr_range_test{m, train, loss = nn.cross_entropy}]],
  },
  ["nn.names"] = {
    sig = "nn.names()",
    summary = "the names of the activations, losses and initialisers",
  },
  ["module:forward"] = {
    sig = "m:forward(x)  or  m(x)",
    summary = "the output for x [batch, features] as a tensor in the autograd graph (w.grad after backward)",
    example = [[y = m(nn.randn{4, 2}); y:sum():backward()]],
  },
  ["module:parameters"] = {
    sig = "m:parameters()",
    summary = "the parameter tensors (weights and biases of every layer); each has .grad after backward",
  },
  ["module:param"] = {
    sig = "m:param(i) -> tensor, name",
    summary = "parameter i of a layer: 1 weight (gamma, alpha), 2 bias (beta)",
    example = [[w = m:children()[1]:param(1)]],
  },
  ["module:children"] = {
    sig = "m:children()",
    summary = "the modules inside a sequential or residual",
  },
  ["module:info"] = {
    sig = "m:info()",
    summary = "a table: name, kind, inputs, outputs, nparams, arg, frozen",
  },
  ["module:train"] = {
    sig = "m:train([on])",
    summary = "training mode (dropout active, batch norm on batch statistics); m:train(false) = m:eval()",
  },
  ["module:eval"] = {
    sig = "m:eval()",
    summary = "evaluation mode: dropout off, batch norm on running statistics",
  },
  ["module:freeze"] = {
    sig = "m:freeze([on])",
    summary = "freezes the module's parameters: they get no gradient and are not updated (transfer learning)",
    text = [[
Works in fit, in m(x) with backward (the parameter tensors stop requiring grad) and
in an optimizer over a Lua module's tensors (a tensor with requires_grad off is left
alone, its optimizer state kept). On a sequential with Lua modules in it, freeze and
unfreeze reach the built-in layers; a Lua module's own tensors are frozen with
t:requires_grad(false).]],
  },
  ["module:unfreeze"] = {
    sig = "m:unfreeze()",
    summary = "makes frozen parameters trainable again (in fit and through autograd)",
  },
  ["module:regularize"] = {
    sig = "m:regularize(l1, l2)",
    summary = "adds l1 sum|w| + l2 sum w^2 of the weights to the loss (elastic net with both)",
    example = [[m:regularize(0, 1e-4)]],
  },
  ["module:penalty"] = {
    sig = "m:penalty()",
    summary = "the current regularisation term",
  },
  ["module:zero_grad"] = {
    sig = "m:zero_grad()",
    summary = "sets every parameter gradient to zero",
  },
  ["module:nparams"] = {
    sig = "m:nparams()",
    summary = "the number of parameters",
  },
  ["module:running"] = {
    sig = "m:running() -> mean, var",
    summary = "batch norm's running mean and variance",
  },
  ["module:free"] = {
    sig = "m:free()",
    summary = "releases the module now (it is unusable afterwards)",
  },
  ["module:evaluate"] = {
    sig = "m:evaluate(data [, loss])",
    summary = "loss, accuracy, precision, recall, F1 and confusion matrix on a data set",
    example = [[print(m:evaluate(test).accuracy)]],
  },
  ["module:predict"] = {
    sig = "m:predict(x)",
    summary = "outputs for x in evaluation mode, without a graph",
  },
  ["module:summary"] = {
    sig = "m:summary([inputs])",
    summary = "prints each layer's output shape and parameter count and the totals, as Keras does",
    example = [[m:summary()]],
  },
  ["module:fit"] = {
    sig = "m:fit{train, validation=, loss=, optimizer=, epochs=10, batch=32, ...} -> run",
    summary = "trains m; at the prompt as a background job, in a script (or with wait = true) in the foreground with a progress line",
    text = [[
Options: validation (a data set, or a fraction such as 0.2 of the training rows, taken
from the end), loss (nn.cross_entropy, nn.mse, ... or a name;
cross_entropy for classes, mse otherwise by default), optimizer (optim.adam(m) by
default), epochs, batch (1 = SGD, 0 = the whole set = GD), shuffle (true),
patience and min_delta (early stopping on the validation loss, restoring the best
weights), on_step (a function(run) called every `every` steps or `every_ms`
milliseconds; returning false stops), class_weights, schedule
(optim.schedule{...} or {kind =, lr0 =, ...}), wait, verbose. A NaN or infinite
loss stops the run and says at which step and why it may have happened.
The run's history has loss, acc, val_loss, val_acc and seconds per epoch.

A model written in Lua (a sequential with a Lua module in it) takes the same
options and gives the same run, progress line and job; each step goes through
autograd (zero_grad, forward, loss, backward, opt:step()), so it is slower. What
differs there: class_weights is refused, the l1/l2 of built-in layers is not added
to the loss, and early stopping puts back the parameters but not batch-norm
running statistics.]],
    example = [[run = m:fit{train, validation = test, loss = nn.cross_entropy, optimizer = optim.adam(m, {lr = 0.01}), epochs = 200}]],
  },
  ["run:run_for"] = {
    sig = "r:run_for(ms)",
    summary = "trains for about ms milliseconds and returns the state (running, done, stopped, failed)",
  },
  ["run:stop"] = {
    sig = "run:stop()",
    summary = "stops the run at its next step",
  },
  ["run:status"] = {
    sig = "run:status()",
    summary = "where the run stands: state, message, epoch, step, steps_per_epoch, last_loss, epoch_loss, best_epoch",
  },
  ["run:history"] = {
    sig = "run.history  or  r:history()",
    summary = "per epoch: loss, acc, val_loss, val_acc, seconds (NaN where there is none)",
  },
  ["run:losses"] = {
    sig = "run:losses([from])",
    summary = "the loss of every step (from step `from` on)",
  },
  ["run:free"] = {
    sig = "r:free()",
    summary = "releases the run's engine object",
  },
  ["run:wait"] = {
    sig = "run:wait()",
    summary = "runs a background fit in the foreground until it ends",
  },
}
