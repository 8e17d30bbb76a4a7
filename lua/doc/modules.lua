-- doc/modules.lua: the entries of the modules themselves (help(nn), ?plot): what each
-- holds and its main functions. dual, race, lesson and repl have theirs beside their
-- functions' entries (doc/dual.lua, doc/race.lua, ...).
return {
  ["nn"] = {
    sig = "nn",
    summary = "tensors with autograd, layers, activations, losses, models, training, model files",
    text = [[
Tensors: nn.tensor, nn.zeros, nn.ones, nn.full, nn.arange, nn.linspace, nn.rand,
nn.randn; nn.seed(n) seeds the one generator; nn.no_grad, nn.graph. Tensor methods
(?tensor:matmul): arithmetic with broadcasting, matmul, sum/mean/max, activations,
softmax, reshape, rows, backward, grad.
Layers and models: nn.linear, nn.dropout, nn.batchnorm, nn.flatten, nn.reshape,
nn.conv2d, nn.maxpool2d, nn.avgpool2d, nn.global_avgpool, nn.sequential, nn.residual (inputs [batch, ...] of any rank: images, sequences);
activations nn.relu, nn.tanh, nn.sigmoid, ... (nn.names().activations), or
nn.activation(name). Model methods (?module:fit): forward, fit, evaluate, predict,
summary, parameters, freeze.
Losses: nn.mse, nn.mae, nn.huber, nn.bce, nn.cross_entropy, nn.hinge, nn.multi_hinge.
Tools: nn.save, nn.load, nn.evaluate, nn.lr_range_test, nn.names.
help() lists every topic; apropos("word") searches them.]],
    example = [[
nn.seed(42)
x = nn.tensor{{1, 2}, {3, 4}}; w = nn.randn{2, 1}:requires_grad()
loss = (x:matmul(w) - 1):pow(2):mean(); loss:backward(); print(w.grad)
m = nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 3)}; m:summary()]],
  },
  ["optim"] = {
    sig = "optim",
    summary = "the optimizers of the course (GD to Nadam) and learning-rate schedules",
    text = [[
Makers, each optim.<name>(m [, {lr =, ...}]) over a model, a tensor or a list of
tensors: optim.gd, optim.sgd, optim.momentum, optim.nesterov, optim.adagrad,
optim.rmsprop, optim.adadelta, optim.adam, optim.adamw, optim.nadam, optim.rprop;
also optim.new(name, m, opts). optim.defaults(name) and optim.names() describe them;
optim.schedule{kind =, ...} makes a learning-rate schedule for fit.
Optimizer methods (?optimizer:step): step, zero_grad, state, effective_lr, reset.
Settings are fields: opt.lr = 0.003 takes effect at the next step, mid-training too.]],
    example = [[
w = nn.tensor{0}:requires_grad()
opt = optim.momentum(w, {lr = 0.05})
for i = 1, 100 do opt:zero_grad(); (w - 3):pow(2):sum():backward(); opt:step() end
print(w:item(), opt:steps())]],
  },
  ["data"] = {
    sig = "data",
    summary = "data sets: the Playground's 2-D sets, regression sets, CSV, Fashion-MNIST, sets from tensors",
    text = [[
Classification: data.circle, data.xor, data.gauss, data.spiral, data.moons, data.blobs.
Regression: data.plane, data.gauss_sum, data.sine. Each takes {n =, noise =,
classes =, seed =, test =} and with test = f returns train, test.
From files and tensors: data.csv, data.idx, data.fashion_mnist (data.fashion_labels
names its classes), data.from(x, y). Scaling: data.standardize, data.minmax.
Data set methods (?dataset:x): x, y, one_hot, info, shuffle, split, slice, playground,
scaler, scale.]],
    example = [[
train, test = data.spiral{n = 400, classes = 3, noise = 0.1, test = 0.3, seed = 1}
print(train:info().n, test:info().n, train:info().classes)]],
  },
  ["plot"] = {
    sig = "plot",
    summary = "plots in windows and PNG files: lines, fields, images, bars, histograms, networks, graphs, live training views",
    text = [[
Panels: plot.lines, plot.field, plot.surface, plot.images, plot.bars, plot.hist,
plot.scatter, plot.network, plot.graph, plot.text; plot.window{...} groups them.
Live views of training: plot.loss(run), plot.decision(model, data),
plot.network(model) (see help("views")). Views of a classifier: plot.confusion,
plot.samples, plot.probabilities, plot.layers, plot.lr_range.
Panel methods (?plot:push): push, add, marker, update, save, on_click, on_hover, ...;
window methods (?window:save): add, show, close, save, record, frame, projector.
Also plot.display() (can windows open?) and plot.pump(). Every plot takes show = false
(no window) and saves to PNG with or without a display.]],
    example = [[
p = plot.lines{title = "loss", xlabel = "step", ylog = true, show = false}
for i = 1, 50 do p:push("train", 1 / i) end
p:save("loss.png")]],
  },
}
