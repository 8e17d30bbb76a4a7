-- doc/train.lua: help entries of layers, losses, models and training (nn.*,
-- module:*, run:*), from lua/nn_train.lua and src/repl/bind_model.c.
return {
  ["nn.step"] = {
    sig = "nn.step()",
    summary = "the step function: 1 where x > 0, else 0; it has no gradient (zero), so nothing below it learns (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.step(), nn.linear(8, 1)}
print(nn.step(nn.tensor{-2, 0, 2}))]],
    text = [[
The perceptron's threshold unit (lesson 01). Gradient descent cannot train the
layers below it: use it to show why smooth activations are needed.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.identity"] = {
    sig = "nn.identity()",
    summary = "the linear (identity) activation f(x) = x, as in linear regression (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.identity(), nn.linear(8, 1)}
print(nn.identity(nn.tensor{-2, 0, 2}))]],
    text = [[
A layer with no activation: stacking linear layers with identity between them is
still one linear map.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.sigmoid"] = {
    sig = "nn.sigmoid([slope])  or  nn.sigmoid{slope = a}",
    summary = "logistic sigmoid 1/(1 + e^(-a x)), a = 1 by default; f' = a f (1 - f) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.sigmoid(), nn.linear(8, 1)}
print(nn.sigmoid(nn.tensor{-2, 0, 2}))]],
    text = [[
Saturates for large |x| (derivative at most a/4), the cause of vanishing gradients
in deep sigmoid nets; a larger slope a makes it steeper. Pair a sigmoid output with
nn.bce, which fuses it stably (nn.bce takes logits).
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.bipolar_sigmoid"] = {
    sig = "nn.bipolar_sigmoid([{slope = 1}])",
    summary = "bipolar sigmoid (1 - e^-λx)/(1 + e^-λx) = tanh(λx/2), in (-1, 1) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.bipolar_sigmoid(), nn.linear(8, 1)}
print(nn.bipolar_sigmoid(nn.tensor{-2, 0, 2}))
print(nn.bipolar_sigmoid{slope = 2})]],
    text = [[
The sigmoid rescaled to (-1, 1): 2 sigmoid(λx) - 1, with slope λ (1 by default), as
the course writes it; f'(x) = (λ/2)(1 - f(x)^2). Zero-centred like tanh; with λ = 2 it
is tanh itself. Called with no tensor it makes a module for nn.sequential (a new one
for each place it is used); called on a tensor it applies the function there, in the
autograd graph.]],
  },
  ["nn.tanh"] = {
    sig = "nn.tanh()  or  nn.tanh(x)",
    summary = "hyperbolic tangent, in (-1, 1); f' = 1 - f^2 (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
print(nn.tanh(nn.tensor{-2, 0, 2}))]],
    text = [[
Zero-centred, which helps the next layer; it saturates like the sigmoid, with
derivative 1 at 0.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.lecun_tanh"] = {
    sig = "nn.lecun_tanh()",
    summary = "LeCun's scaled tanh 1.7159 tanh(2x/3) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.lecun_tanh(), nn.linear(8, 1)}
print(nn.lecun_tanh(nn.tensor{-2, 0, 2}))]],
    text = [[
Chosen by LeCun so that f(1) = 1 and f(-1) = -1 with unit-variance inputs keeping
about unit variance.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.hard_tanh"] = {
    sig = "nn.hard_tanh()",
    summary = "clamp(x, -1, 1): slope 1 inside, 0 outside (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.hard_tanh(), nn.linear(8, 1)}
print(nn.hard_tanh(nn.tensor{-2, 0, 2}))]],
    text = [[
A piecewise-linear, cheap tanh; no gradient where |x| > 1.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.relu"] = {
    sig = "nn.relu()  or  nn.relu(x)",
    summary = "max(0, x); slope 0 for x < 0 (dying ReLU) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)}
print(nn.relu(nn.tensor{-2, 0, 2}))]],
    text = [[
Cheap and non-saturating for x > 0, the default of deep nets; a unit whose input
stays negative gets no gradient and stops learning. He initialisation
(init = "he_normal") suits it.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.leaky_relu"] = {
    sig = "nn.leaky_relu([slope])",
    summary = "x for x > 0, slope * x otherwise (slope 0.01 by default) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.leaky_relu(), nn.linear(8, 1)}
print(nn.leaky_relu(nn.tensor{-2, 0, 2}))]],
    text = [[
A small slope for x < 0 keeps some gradient flowing, so units cannot die.
nn.leaky_relu{slope = 0.1} works too.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.prelu"] = {
    sig = "nn.prelu([features] [, {init = 0.25}])",
    summary = "leaky ReLU whose negative slopes are learned: one per feature, or one shared (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.prelu(8), nn.linear(8, 1)}
print(m:children()[2]:param(1))        -- the 8 slopes, 0.25 at start
print(nn.prelu{init = 0.1}, nn.prelu(nn.tensor{-2, 0, 2}))]],
    text = [[
f(x) = x for x > 0 and a_j x otherwise, where a_j is learned with the weights.
nn.prelu(n) learns one slope per feature of an n-wide layer (He et al.'s channel-wise
PReLU); nn.prelu() learns one slope shared by all. init is the starting slope. The
slopes are the module's parameter (m:param(1)) and are saved with the model.
Called with a tensor it applies a fixed shared slope there, in the autograd graph.]],
  },
  ["nn.elu"] = {
    sig = "nn.elu([alpha])",
    summary = "x for x > 0, alpha (e^x - 1) otherwise (alpha 1) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.elu(), nn.linear(8, 1)}
print(nn.elu(nn.tensor{-2, 0, 2}))]],
    text = [[
Smooth at 0 for alpha = 1, negative outputs push the mean activation towards zero;
saturates to -alpha for very negative x.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.softplus"] = {
    sig = "nn.softplus()",
    summary = "log(1 + e^x), a smooth ReLU; f' = sigmoid(x) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.softplus(), nn.linear(8, 1)}
print(nn.softplus(nn.tensor{-2, 0, 2}))]],
    text = [[
Positive and smooth everywhere; it never has a zero gradient, unlike ReLU.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.swish"] = {
    sig = "nn.swish()",
    summary = "x sigmoid(x) (swish / SiLU) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.swish(), nn.linear(8, 1)}
print(nn.swish(nn.tensor{-2, 0, 2}))]],
    text = [[
Non-monotonic near 0 and smooth; often a little better than ReLU in deep nets.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.gelu"] = {
    sig = "nn.gelu()",
    summary = "x Phi(x), Phi the standard normal CDF (exact erf form) (a module; called on a tensor it applies the function)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.gelu(), nn.linear(8, 1)}
print(nn.gelu(nn.tensor{-2, 0, 2}))]],
    text = [[
The activation of transformers (BERT, GPT); close to swish(1.702 x).
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.softmax"] = {
    sig = "nn.softmax()",
    summary = "e^x_j / sum_k e^x_k along each row: probabilities over classes (a module; called on a tensor it applies the function)",
    example = [[
print(nn.softmax(nn.tensor{{1, 2, 3}}))   -- each row sums to 1]],
    text = [[
Use it to read probabilities at the output; for training, give the logits to
nn.cross_entropy, which fuses log-softmax stably, rather than putting a softmax
layer before the loss.
Called with no tensor it makes a module for nn.sequential (a new one for each place
it is used); called on a tensor it applies the function there, in the autograd
graph.]],
  },
  ["nn.activation"] = {
    sig = "nn.activation(name [, a])",
    summary = "an activation module by name (\"tanh\", \"leaky_relu\", ...; nn.names().activations lists them)",
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.activation("elu", 0.5), nn.linear(4, 1)}
print(table.concat(nn.names().activations, " "))]],
    text = [[
The same modules as nn.tanh() and the others, chosen by a string (what the
playground's activation setting uses). a is the parameter of the activations that
have one (slope, alpha, init). An unknown name is refused with the list of names.]],
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
    example = [[
l = nn.linear(2, 16, {init = "he_normal", bias = 0.01})
print(l:info().nparams)   --> 48]],
  },
  ["nn.dropout"] = {
    sig = "nn.dropout(p)",
    summary = "inverted dropout: in training each value is zeroed with probability p and the rest scaled by 1/(1-p); identity in evaluation",
    example = [[
m = nn.sequential{nn.linear(4, 16), nn.relu(), nn.dropout(0.2), nn.linear(16, 2)}
m:eval(); print(m(nn.ones(1, 4)))]],
    text = [[
p defaults to 0.5 and must be in [0, 1). It draws from the engine's generator, so
runs repeat with the same nn.seed. m:eval() turns it off, and predict and evaluate
run without it.]],
  },
  ["nn.batchnorm"] = {
    sig = "nn.batchnorm(features [, {momentum = 0.1, eps = 1e-5}])",
    summary = "batch normalization of each feature: (x - mean)/sqrt(var + eps) * gamma + beta, batch statistics in training, running ones in evaluation",
    example = [[
bn = nn.batchnorm(16)
m = nn.sequential{nn.linear(2, 16), bn, nn.relu(), nn.linear(16, 2)}
print(bn:running())]],
    text = [[
features is the width of the layer before it. gamma starts at 1 and beta at 0, both
learned; the running statistics move by momentum each training step and are read
back with m:running(). Put it between a linear layer and its activation, as Ioffe
and Szegedy did. On images [batch, C, H, W] it normalises each channel over the
batch and every position (features = C; nn.batchnorm2d is the same layer).]],
  },
  ["nn.sequential"] = {
    sig = "nn.sequential{m1, m2, ...}",
    summary = "modules applied in order; built-in modules make one C model that trains without Lua per step",
    text = [[
The layers' parameters move into one block owned by the sequential; the layers
stay usable as views of it. A module written in Lua (a table with forward and
parameters) may be mixed in: then the sequential is a Lua module whose forward the
training loop calls back, with autograd for the backward. A module sits in one model, once: use a new nn.tanh() for each place.]],
    example = [[
m = nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 3)}
print(m(nn.ones(4, 2)).shape[2])   --> 3]],
  },
  ["nn.residual"] = {
    sig = "nn.residual(m [, shortcut])",
    summary = "a skip connection: y = x + m(x) (m keeps the width), or m(x) + shortcut(x)",
    example = [[
r = nn.residual(nn.sequential{nn.linear(16, 16), nn.relu(), nn.linear(16, 16)})
m = nn.sequential{nn.linear(2, 16), r, nn.linear(16, 1)}
print(m(nn.ones(1, 2)))]],
    text = [[
The inner module's output width must equal its input width, else the error names
both. The gradient reaches x both through m and directly, which is why deep residual
nets still train. With a shortcut module (ResNet's 1x1 convolution with a stride
when m changes the shape) y = m(x) + shortcut(x), the two shapes equal; see
nn.resblock.]],
  },
  ["nn.flatten"] = {
    sig = "nn.flatten()",
    summary = "flattens each sample: [batch, 1, 28, 28] -> [batch, 784], so a linear layer can take images",
    example = [[
m = nn.sequential{nn.flatten(), nn.linear(784, 10)}
print(m:predict(nn.zeros{2, 1, 28, 28}).shape[2])   --> 10
print(m:out_shape{1, 28, 28}[1])                     --> 10]],
    text = [[
As Keras' Flatten: the values of each sample in the order they lie in memory (row by
row), no copy; the gradient passes through unchanged. nn.linear takes only
[batch, features], so an image set (data.fashion_mnist{shape = "image"}) needs a
flatten before the first linear layer; without it the error says so.]],
  },
  ["nn.conv2d"] = {
    sig = "nn.conv2d(in, out, k [, {stride =, padding =, dilation =, groups =, bias =, init =, flip =}])",
    summary = "2-D convolution of images: [batch, in, H, W] -> [batch, out, H', W'], as cross-correlation",
    example = [[
c = nn.conv2d(1, 6, 5, {padding = 2})
print(table.concat(c:out_shape{1, 28, 28}, " "))          --> 6 28 28
print(table.concat(nn.conv2d(3, 8, 3, {stride = 2}):out_shape{3, 7, 7}, " "))   --> 8 3 3
m = nn.sequential{c, nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(6 * 14 * 14, 10)}
m:summary{1, 28, 28}]],
    text = [[
Each of the out kernels (in/groups x k x k weights and a bias) slides over the input
and takes the sum of products at each position, without flipping the kernel (the
course's grids are computed this way). k, stride and dilation are a number or
{height, width}. padding: a number, {ph, pw}, {top, bottom, left, right}, "valid" (0,
the default) or "same" (output size ceil(H / stride)). The output size is
floor((H + 2P - d(k - 1) - 1) / S) + 1: for d = 1, floor((W - F + 2P)/S) + 1. groups
splits the channels into groups convolved apart (groups = in: depthwise). bias = false
leaves the bias out; init names the weights' initialiser (he_uniform by default).
flip = true computes true convolution instead: the kernel turned by 180 degrees
(kept in model files). Input of another shape is refused with both shapes named.]],
  },
  ["nn.maxpool2d"] = {
    sig = "nn.maxpool2d(k [, {stride =, padding =, dilation =}])",
    summary = "max pooling: the largest value of each k x k window, per channel",
    example = [[
p = nn.maxpool2d(2)
x = nn.tensor{1, 2, 2, 3, 4, 6, 6, 8, 3, 1, 1, 0, 1, 2, 2, 4}:reshape{1, 1, 4, 4}
print(p:forward(x))   -- 6 8 / 3 4]],
    text = [[
The stride is the window's size unless given; padding (at most half the window) is
never taken as the maximum. The gradient goes to the largest value of each window (the
first one on a tie).]],
  },
  ["nn.avgpool2d"] = {
    sig = "nn.avgpool2d(k [, {stride =, padding =, dilation =}])",
    summary = "average pooling: the mean of each k x k window, per channel",
    example = [[
p = nn.avgpool2d(2)
x = nn.tensor{4, 3, 1, 5, 1, 3, 4, 8, 4, 5, 4, 3, 6, 5, 9, 4}:reshape{1, 1, 4, 4}
print(p:forward(x))   -- 2.75 4.5 / 5 5]],
    text = [[
The stride is the window's size unless given; padding counts as zeros in the mean
(divided by k x k, as PyTorch's default). The gradient shares dy equally over the
window.]],
  },
  ["nn.global_avgpool"] = {
    sig = "nn.global_avgpool()",
    summary = "global average pooling: [batch, C, H, W] -> [batch, C], the mean of each map",
    example = [[
m = nn.sequential{nn.conv2d(1, 8, 3), nn.relu(), nn.global_avgpool(), nn.linear(8, 10)}
print(table.concat(m:out_shape{1, 28, 28}, " "))   --> 10]],
    text = [[
One number per channel, whatever the map size: a head for a conv net without a large
linear layer (used after the last Inception module).]],
  },
  ["nn.reshape"] = {
    sig = "nn.reshape{sizes...}",
    summary = "reshapes each sample to the given sizes: nn.reshape{1, 28, 28} makes [batch, 784] into [batch, 1, 28, 28]",
    example = [[
m = nn.sequential{nn.linear(4, 6), nn.reshape{2, 3}}
print(table.concat(m:predict(nn.ones{5, 4}).shape, " "))   --> 5 2 3
print(table.concat(nn.reshape{-1, 2}:out_shape{6}, " "))   --> 3 2]],
    text = [[
The batch stays; each sample keeps its values in order and gets the new shape of 1 to 3
sizes. One size may be -1: what the others leave. A sample of another number of
values is refused with both shapes in the message. The gradient passes through
unchanged.]],
  },
  ["nn.mse"] = {
    sig = "nn.mse(y, t)  or  loss = nn.mse in fit",
    summary = "mean squared error mean((y - t)^2); the mean over the batch",
    example = [[
y = nn.tensor{{0.5}, {2.0}}; t = nn.tensor{{1}, {1}}
l = nn.mse(y, t); print(l:item())   --> 0.625]],
    text = [[
The loss of regression, and of the course's first networks. y and t have the same
shape (an error names both otherwise). Returns a one-element tensor in the graph:
call :backward() on it. In fit, pass loss = nn.mse or "mse".]],
  },
  ["nn.mae"] = {
    sig = "nn.mae(y, t)  or  loss = nn.mae in fit",
    summary = "mean absolute error mean|y - t|; the mean over the batch",
    example = [[
y = nn.tensor{{0.5}, {2.0}}; t = nn.tensor{{1}, {1}}
print(nn.mae(y, t):item())   --> 0.75]],
    text = [[
Less sensitive to outliers than MSE; its gradient is sign(y - t)/n, the same size
however far off. Same shapes and use as nn.mse.]],
  },
  ["nn.huber"] = {
    sig = "nn.huber(y, t)  or  loss = nn.huber in fit",
    summary = "Huber loss: 0.5 d^2 for |d| <= delta (1), delta (|d| - delta/2) beyond; the mean over the batch",
    example = [[
y = nn.tensor{{0.5}, {2.0}}; t = nn.tensor{{1}, {1}}
print(nn.huber(y, t):item())]],
    text = [[
Quadratic near the target and linear far away: MSE's smooth minimum with MAE's
robustness. delta is a third argument (nn.huber(y, t, 0.5)) or fit's delta = option.]],
  },
  ["nn.bce"] = {
    sig = "nn.bce(y, t)  or  loss = nn.bce in fit",
    summary = "binary cross-entropy on logits (sigmoid fused, stable); targets 0/1; the mean over the batch",
    example = [[
y = nn.tensor{{2.0}, {-1.0}}; t = nn.tensor{{1}, {0}}
print(nn.bce(y, t):item())]],
    text = [[
y are logits (no sigmoid layer before it): the loss is computed as max(y,0) - y t +
log(1 + e^-|y|), which cannot overflow. y and t are [n, 1]. In fit, loss = nn.bce or
"bce".]],
  },
  ["nn.binary_cross_entropy"] = {
    sig = "nn.binary_cross_entropy(y, t)  or  loss = nn.binary_cross_entropy in fit",
    summary = "the same as nn.bce; the mean over the batch",
    example = [[
y = nn.tensor{{2.0}, {-1.0}}; t = nn.tensor{{1}, {0}}
print(nn.binary_cross_entropy(y, t):item())]],
    text = [[
The long name of nn.bce (the same function): logits in, targets 0/1, sigmoid fused and stable.]],
  },
  ["nn.cross_entropy"] = {
    sig = "nn.cross_entropy(y, t)  or  loss = nn.cross_entropy in fit",
    summary = "categorical cross-entropy on logits (log-softmax fused, stable); targets are class indices (0-based) or one-hot rows; the mean over the batch",
    example = [[
y = nn.tensor{{2.0, 0.5, -1.0}}; t = nn.tensor{{0}}
print(nn.cross_entropy(y, t):item())   -- -log of softmax(y) at class 0]],
    text = [[
y are the logits [n, classes] of the last linear layer (no softmax layer before it);
t is [n, 1] of class indices from 0, as data sets give them, or [n, classes] one-hot
rows. The loss is -log softmax(y)[true class], averaged. In fit it is the default
loss for classification sets.]],
  },
  ["nn.hinge"] = {
    sig = "nn.hinge(y, t)  or  loss = nn.hinge in fit",
    summary = "hinge loss mean max(0, 1 - s y) with s = +1/-1 (targets 0/1 or -1/+1); the mean over the batch",
    example = [[
y = nn.tensor{{2.0}, {0.5}}; t = nn.tensor{{1}, {0}}
print(nn.hinge(y, t):item())   --> 0.75]],
    text = [[
The SVM loss on one output per row: zero once the score y has the right sign with
margin 1. y and t are [n, 1].]],
  },
  ["nn.multi_hinge"] = {
    sig = "nn.multi_hinge(y, t)  or  loss = nn.multi_hinge in fit",
    summary = "multi-class hinge: per row sum over wrong classes j of max(0, 1 + y_j - y_true); the mean over the batch",
    example = [[
y = nn.tensor{{3.0, 1.0, 2.5}}; t = nn.tensor{{0}}
print(nn.multi_hinge(y, t):item())   --> 0.5]],
    text = [[
The multi-class SVM (Weston-Watkins) loss: y [n, classes] scores, t [n, 1] class
indices from 0. Zero when the true class beats every other by a margin of 1.]],
  },
  ["nn.save"] = {
    sig = "nn.save(m, path [, optimizer])",
    summary = "writes the model (and the optimizer's state, to resume) to a file, through a temporary file renamed over path",
    text = [[
Saves built-in models (C modules). A model with a module written in Lua is refused
with an error that says so: save its weights with nn.save_params instead. Passing the
optimizer too keeps its state (moments, step count), so that training resumes where
it stopped. Returns true; an unwritable path is an error naming it. The format
(magic NNLABMDL, version, architecture, parameters, CRC-32) is documented in
src/engine/modelfile.c.]],
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
nn.save(m, "tiny.nnl", optim.adam(m))]],
  },
  ["nn.load"] = {
    sig = "nn.load(path) -> model, optimizer|nil",
    summary = "reads a model file; a truncated, corrupted or foreign file gives nil and the reason",
    example = [[
nn.save(nn.sequential{nn.linear(2, 1)}, "one.nnl")
m2 = nn.load("one.nnl"); print(m2(nn.ones(1, 2)))
print(nn.load("no-such-file.nnl"))   --> nil and why]],
    text = [[
Returns the model and, when the file holds one, its optimizer ready to go on
training. A missing, truncated, corrupted (CRC) or foreign file is not an error but
nil and the reason, so check the first result.]],
  },
  ["nn.evaluate"] = {
    sig = "nn.evaluate(m, data [, loss])",
    summary = "loss, accuracy, precision, recall, F1 (macro) and the confusion matrix of m on a data set",
    example = [[
train, test = data.xor{n = 200, test = 0.3, seed = 1}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
r = nn.evaluate(m, test); print(r.loss, r.accuracy, r.f1)]],
    text = [[
The loss defaults to cross_entropy for classification sets and mse otherwise. Runs
in evaluation mode (no dropout). The result has loss and, for classes, accuracy,
confusion (rows: true class, columns: predicted) and the macro averages precision,
recall and f1.]],
  },
  ["nn.lr_range_test"] = {
    sig = "nn.lr_range_test{m, data, loss=, batch=32, lr_min=1e-5, lr_max=10, steps=100, optimizer=}",
    summary = "the LR range test: the rate grows exponentially per batch and the loss is recorded; the weights are put back",
    text = [[
Stops early when the loss passes 4 times its minimum or becomes NaN. Afterwards the
weights, batch-norm statistics, the model's mode and the state of an optimizer that
was passed in are all put back, so it can be run before training. Returns {lr =
{...}, loss = {...}}: plot loss against lr (log scale) and pick a rate a little
below the steepest fall.]],
    example = [[
nn.seed(1)
train = data.spiral{n = 200}
m = nn.sequential{nn.linear(2, 16), nn.relu(), nn.linear(16, 2)}
r = nn.lr_range_test{m, train, loss = nn.cross_entropy, steps = 50}
print(#r.lr, r.lr[1], r.loss[1])]],
  },
  ["nn.names"] = {
    sig = "nn.names()",
    summary = "the names of the activations, losses and initialisers",
    text = [[
A table with three lists: activations (for nn.activation and the playground), losses
(the names fit accepts) and inits (for init = and bias = of nn.linear).]],
    example = [[
n = nn.names(); print(table.concat(n.losses, " "))]],
  },
  ["module:forward"] = {
    sig = "m:forward(x)  or  m(x)",
    summary = "the output for x [batch, features] as a tensor in the autograd graph (w.grad after backward)",
    example = [[
m = nn.sequential{nn.linear(2, 3), nn.tanh(), nn.linear(3, 1)}
y = m(nn.ones(4, 2)); y:sum():backward()
print(m:parameters()[1].grad)]],
    text = [[
x is [batch, inputs]; the width must match the first layer's (the error names both).
In training mode dropout is active; use m:predict(x) for outputs without a graph. A
module written in Lua is called the same way.]],
  },
  ["module:parameters"] = {
    sig = "m:parameters()",
    summary = "the parameter tensors (weights and biases of every layer); each has .grad after backward",
    text = [[
Tensors that view the model's own memory (changing them changes the model); they
require grad unless frozen. An optimizer made on the model updates them.]],
    example = [[
m = nn.sequential{nn.linear(2, 3), nn.tanh(), nn.linear(3, 1)}
for i, p in ipairs(m:parameters()) do print(i, p.shape[1], p.shape[2]) end]],
  },
  ["module:param"] = {
    sig = "m:param(i) -> tensor, name",
    summary = "parameter i of a layer: 1 weight (gamma, alpha), 2 bias (beta)",
    example = [[
m = nn.sequential{nn.linear(2, 3), nn.tanh()}
w, name = m:children()[1]:param(1); print(name, w.shape[1], w.shape[2])]],
    text = [[
Returns the tensor (a view of the layer's memory) and its name ("weight", "bias",
"gamma", ...). Layers without parameters, or an i beyond them, give an error.]],
  },
  ["module:children"] = {
    sig = "m:children()",
    summary = "the modules inside a sequential or residual",
    text = [[
A list of the inner modules in order (empty for a layer). They are the same objects
as those passed to nn.sequential.]],
    example = [[
m = nn.sequential{nn.linear(2, 3), nn.tanh(), nn.linear(3, 1)}
for _, c in ipairs(m:children()) do print(c:info().name) end]],
  },
  ["module:info"] = {
    sig = "m:info()",
    summary = "a table: name, kind, container, inputs, outputs, nparams, arg, frozen",
    text = [[
name is what summary prints ("linear", "tanh"...), kind the module kind ("linear",
"activation", "flatten"...), container whether it holds other modules (sequential,
residual), inputs and outputs the widths of [batch, width] data (0 when any shape fits
or the width depends on the input: m:out_shape tells), nparams the parameter count,
arg the activation's parameter, frozen whether it is frozen.]],
    example = [[
i = nn.linear(2, 3):info(); print(i.name, i.inputs, i.outputs, i.nparams)]],
  },
  ["module:train"] = {
    sig = "m:train([on])",
    summary = "training mode (dropout active, batch norm on batch statistics); m:train(false) = m:eval()",
    text = [[
Applies to the module and everything inside it; returns m. fit switches to training
mode itself and predict/evaluate to evaluation mode.]],
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.dropout(0.5)}; m:train(); print(m(nn.ones(1, 2)))]],
  },
  ["module:eval"] = {
    sig = "m:eval()",
    summary = "evaluation mode: dropout off, batch norm on running statistics",
    text = [[
Call it before reading outputs yourself with m(x); returns m. m:train() switches back.]],
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.dropout(0.5)}; m:eval()
print(m(nn.ones(1, 2)))   -- the same numbers every call]],
  },
  ["module:freeze"] = {
    sig = "m:freeze([on]) | m:freeze(i [, j])",
    summary = "freezes the module's parameters: they get no gradient and are not updated (transfer learning)",
    text = [[
m:freeze(i, j) freezes layers i to j of a model (as m:children() counts them);
returns m. The optimizer keeps no state moving for frozen weights (lua/transfer.lua).
Works in fit, in m(x) with backward (the parameter tensors stop requiring grad) and
in an optimizer over a Lua module's tensors (a tensor with requires_grad off is left
alone, its optimizer state kept). On a sequential with Lua modules in it, freeze and
unfreeze reach the built-in layers; a Lua module's own tensors are frozen with
t:requires_grad(false).]],
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
m:children()[1]:freeze(); m:summary()   -- 24 non-trainable params]],
  },
  ["module:unfreeze"] = {
    sig = "m:unfreeze() | m:unfreeze(i [, j])",
    summary = "makes frozen parameters trainable again (in fit and through autograd)",
    text = [[
The same as m:freeze(false); returns m. m:unfreeze(i, j) unfreezes layers i to j. The optimizer's state of those parameters
was kept, so training resumes smoothly.]],
    example = [[
l = nn.linear(2, 2); l:freeze(); l:unfreeze(); print(l:info().frozen)   --> false]],
  },
  ["module:regularize"] = {
    sig = "m:regularize(l1, l2)",
    summary = "adds l1 sum|w| + l2 sum w^2 of the weights to the loss (elastic net with both)",
    example = [[
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
m:regularize(0, 1e-4); print(m:penalty())]],
    text = [[
Applies to the weights of the module's linear layers, not their biases. fit adds the
penalty to the loss it reports; m:penalty() reads it. nn.linear's l1 = and l2 =
options do the same per layer.]],
  },
  ["module:penalty"] = {
    sig = "m:penalty()",
    summary = "the current regularisation term",
    text = [[
l1 sum|w| + l2 sum w^2 over the regularised weights, with the weights as they are
now; 0 without regularisation.]],
    example = [[
l = nn.linear(2, 2, {init = 1}); l:regularize(0.5, 0); print(l:penalty())   --> 2]],
  },
  ["module:zero_grad"] = {
    sig = "m:zero_grad()",
    summary = "sets every parameter gradient to zero",
    text = [[
Use it before a backward of your own (m(x) ... :backward()); fit and opt:step do
their own zeroing.]],
    example = [[
m = nn.linear(2, 1); m(nn.ones(1, 2)):sum():backward(); m:zero_grad()
print(m:parameters()[1].grad)]],
  },
  ["module:nparams"] = {
    sig = "m:nparams()",
    summary = "the number of parameters",
    text = [[
Counts weights and biases of every layer inside, frozen or not.]],
    example = [[
print(nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 3)}:nparams())   --> 99]],
  },
  ["module:running"] = {
    sig = "m:running() -> mean, var",
    summary = "batch norm's running mean and variance",
    text = [[
Two tensors of the layer's width; only batch-norm layers have them (other modules
return nothing). They move during training and are what evaluation mode normalises
with.]],
    example = [[
bn = nn.batchnorm(3); mean, var = bn:running(); print(mean, var)]],
  },
  ["module:free"] = {
    sig = "m:free()",
    summary = "releases the module now (it is unusable afterwards)",
    text = [[
Frees the engine object at once rather than at garbage collection; later use raises an error.]],
    example = [[
m = nn.linear(100, 100); m:free()]],
  },
  ["module:evaluate"] = {
    sig = "m:evaluate(data [, loss])",
    summary = "loss, accuracy, precision, recall, F1 and confusion matrix on a data set",
    example = [[
test = data.xor{n = 100, seed = 2}
m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
print(m:evaluate(test).accuracy)]],
    text = [[
The same as nn.evaluate(m, data, loss): loss, and for classes accuracy, precision,
recall, f1 and confusion (rows true, columns predicted). With two classes precision,
recall and f1 are those of class 1 (binary); with more they are macro averages. The
model runs in evaluation mode and keeps the mode it had. Models with modules written
in Lua work too.]],
  },
  ["module:predict"] = {
    sig = "m:predict(x)",
    summary = "outputs for x in evaluation mode, without a graph",
    text = [[
x is [n, inputs]; it runs in evaluation mode (dropout off, batch norm's running
statistics) and puts the model's mode back after. Outputs are raw (logits for
classifiers): take :argmax(2) for classes.]],
    example = [[
m = nn.sequential{nn.linear(2, 3)}
print(m:predict(nn.ones(2, 2)):argmax(2))]],
  },
  ["module:out_shape"] = {
    sig = "m:out_shape{sizes...} -> {sizes...}",
    summary = "the shape of one output sample for input samples of the given shape (the batch left out)",
    example = [[
m = nn.sequential{nn.flatten(), nn.linear(784, 10), nn.relu()}
print(table.concat(m:out_shape{1, 28, 28}, " "))   --> 10]],
    text = [[
Checks the shapes on the way as fit and predict do: a layer that cannot take its
input raises an error naming what it expects and what it got, such as
"linear expects [batch, 784], got [batch, 1, 28, 28]".]],
  },
  ["module:summary"] = {
    sig = "m:summary([inputs])",
    summary = "prints each layer's output shape and parameter count and the totals, as Keras does",
    example = [[
nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 3)}:summary()]],
    text = [[
inputs is the input width when the first layer does not fix it. Prints the table
once and returns nothing; m:summary{print = false} returns the text instead. Frozen
parameters are counted as non-trainable. For a model with modules written in Lua the
shapes come from a forward pass on a batch of zeros. At the prompt a model prints as
this table too.]],
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
(optim.schedule{...}, a table {kind =, lr =, ...}, or a function(step) returning the
rate), metrics (a list of "precision", "recall", "f1": recorded per epoch for
training and validation and shown in the progress line), wait, verbose, snapshots
(the weights kept after each epoch for run:seek: a memory budget in MB, 64 by
default, or false for none). The model
trains in training mode and validation runs in evaluation mode; the mode the model
had is given back. A NaN or infinite loss stops the run with a message, printed
once, that says at which step and why it may have happened; the weights (and the
optimizer's state) are put back as they were at the run's start or at the start of
the epoch after its lowest epoch loss, whichever was lower, so that a smaller lr can
be tried on the same model at once. The run is still returned, with run.state
"failed" and run.error the message.
The run's history has loss, acc, val_loss, val_acc and seconds per epoch, and the
chosen metrics (precision, val_precision, ...).

A model written in Lua (a sequential with a Lua module in it) trains through the
same C loop, with the same options, run, progress line and job: each step calls its
forward on the batch and back-propagates through autograd, so it is slower. Class
weights, the l1/l2 of the built-in layers inside it, early stopping (weights and
batch-norm statistics) and the NaN safe point work as for a built-in model.]],
    example = [[
nn.seed(1)
train, test = data.spiral{n = 200, test = 0.3}
m = nn.sequential{nn.linear(2, 16), nn.tanh(), nn.linear(16, 2)}
run = m:fit{train, validation = test, loss = nn.cross_entropy,
            optimizer = optim.adam(m, {lr = 0.01}), epochs = 20}
print(run.history.val_acc[20])]],
  },
  ["run:run_for"] = {
    sig = "r:run_for(ms)",
    summary = "trains for about ms milliseconds and returns the state (running, done, stopped, failed)",
    text = [[
The engine run behind a fit (run._r); fit and its job call it for you. Returns the
state as a string after about ms milliseconds of steps; "running" means more to do.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
print(run._r:run_for(10))   --> done: this run already ended]],
  },
  ["run:stop"] = {
    sig = "run:stop()",
    summary = "stops the run at its next step",
    text = [[
The run keeps its weights as they are (the best ones when early stopping had found
them); its state becomes "stopped" and a background job ends. Returns the run.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
run:stop(); print(run:status().state)]],
  },
  ["run:status"] = {
    sig = "run:status()",
    summary = "where the run stands: state, message, epoch, step, steps_per_epoch, last_loss, epoch_loss, best_epoch",
    text = [[
A table: state (running, done, stopped, failed), message (why it stopped, e.g. early
stopping or a NaN), epoch, step, steps_per_epoch, step_in_epoch, last_loss,
epoch_loss, epoch_acc, best_epoch. Also run.state, run.epoch, run.message,
run.best_epoch read single fields.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
s = run:status(); print(s.state, s.epoch, s.step, s.last_loss)]],
  },
  ["nn.save_params"] = {
    sig = "nn.save_params(m, path)",
    summary = "writes the parameter tensors of any model (also one with modules written in Lua) to a file",
    text = [[
The parameters in m:parameters() order, as float32, after a short header. Unlike
nn.save it stores no architecture: load them with nn.load_params into a model built
the same way. An unwritable path is an error naming it.]],
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
nn.save_params(m, "tiny.params")
m2 = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
print(nn.load_params(m2, "tiny.params"))]],
  },
  ["nn.load_params"] = {
    sig = "nn.load_params(m, path) -> true, or nil and the reason",
    summary = "puts parameters saved by nn.save_params back into a model of the same shape",
    text = [[
Checks the whole file first (header, number of tensors, each tensor's size, nothing
left over), and only then copies, so a file that does not fit leaves m untouched and
gives nil and the reason.]],
    example = [[
m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
nn.save_params(m, "tiny.params")
print(nn.load_params(nn.sequential{nn.linear(2, 3)}, "tiny.params"))  --> nil and why]],
  },
  ["run:confusion"] = {
    sig = "run:confusion([\"train\" | \"validation\"]) -> confusion, metrics",
    summary = "the confusion matrix of the last epoch (training or validation set) and its metrics",
    text = [[
Rows are the true classes, columns the predicted ones, counted over the last
finished epoch. The second result has accuracy, precision, recall and f1 (class 1
for two classes, macro averages for more). Only for classification runs.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 3, verbose = false}
cm, mt = run:confusion(); print(cm[1][1], mt.f1)]],
  },
  ["run:history"] = {
    sig = "run.history  or  r:history()",
    summary = "per epoch: loss, acc, val_loss, val_acc, seconds and the chosen metrics (NaN where there is none)",
    text = [[
A table of lists indexed by epoch: loss, acc (training), val_loss, val_acc
(validation), seconds. Values a run has not measured (accuracy of a regression,
validation without a validation set) are NaN. run.history is read fresh each time.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
h = run.history; print(#h.loss, h.loss[1], h.loss[3])]],
  },
  ["run:losses"] = {
    sig = "run:losses([from])",
    summary = "the loss of every step (from step `from` on)",
    text = [[
A list of numbers, one per mini-batch step since the start (or since step from,
counted from 1): the raw curve plot.loss smooths.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
print(#run:losses(), run:losses(5)[1])]],
  },
  ["run:free"] = {
    sig = "r:free()",
    summary = "releases the run's engine object",
    text = [[
For the engine run behind a fit (run._r): releases its memory now; the model and
optimizer stay. Later use raises an error.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
run._r:free()]],
  },
  ["run:seek"] = {
    sig = "run:seek(epoch | \"latest\") -> the epoch shown",
    summary = "move the run's views back to the model of an earlier epoch (or to the latest)",
    text = [[
A run keeps its weights (and batch norm's running statistics) after every epoch
within a memory budget (fit's snapshots =, 64 MB by default; when over it, every 2nd,
then 4th... epoch is kept). seek(e) shows the model of epoch e (the nearest kept one
at or before it; 0 is before training) in every view of the run: plot.decision and
plot.network with run =, plot.loss(run) (a marker at the epoch), plot.confusion(run)
and plot.samples with run =. "latest" shows the model as it is now. The left and
right arrow keys in those views' windows do the same a snapshot at a time. Training
goes on undisturbed.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
d = data.xor{n = 100}
run = m:fit{d, epochs = 6, batch = 1, verbose = false}
v = plot.decision(m, d, {run = run, show = false})
run:seek(2)               -- the surface after epoch 2
v:save("epoch2.png")
run:seek("latest")]],
  },
  ["run:snapshots"] = {
    sig = "run:snapshots() -> {epochs =, stride =, bytes =, budget =}",
    summary = "the epochs whose weights the run keeps for run:seek, and the memory they take",
    text = [[
epochs lists the kept epochs (0 is before training), stride the spacing (1 while
every epoch fits the budget, then 2, 4...; epochs of fewer than 64 steps start
with the stride that puts 64 steps or more between snapshots), bytes what they take and budget the
limit (fit's snapshots = MB; snapshots = false keeps none).]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
print(table.concat(run:snapshots().epochs, " "))   --> 0 1 2 3 4 5 6]],
  },
  ["run:shown_epoch"] = {
    sig = "run:shown_epoch() -> epoch",
    summary = "the epoch the run's views show (the current one unless run:seek chose another)",
    text = [[
After run:seek(e) it is e (or the kept epoch before it); after run:seek("latest") the
epoch the run has reached.]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
run:seek(3); print(run:shown_epoch())   --> 3]],
  },
  ["run:step_back"] = {
    sig = "run:step_back() -> epoch",
    summary = "show the previous kept epoch in the run's views (the left arrow key)",
    text = [[
Seeks the kept snapshot before the one shown; at epoch 0 it stays.]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
print(run:step_back())   --> 5]],
  },
  ["run:step_forward"] = {
    sig = "run:step_forward() -> epoch",
    summary = "show the next kept epoch in the run's views (the right arrow key)",
    text = [[
Seeks the kept snapshot after the one shown; past the last one the views show the
latest model.]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
run:seek(2); print(run:step_forward())   --> 3]],
  },
  ["run:key"] = {
    sig = "run:key(key) -> true | false",
    summary = "what a view's window does with a key: the arrows step back and forward, Home and End",
    text = [[
The views of a run call it with the keys pressed in their windows: the left and right
arrows step one kept epoch back and forward, Home shows the first kept epoch (0, the
model before training), End the latest. run.KEY_LEFT, run.KEY_RIGHT, run.KEY_HOME
and run.KEY_END are the keys' names ("left", "right", "home" and "end" work too).
Returns whether the key was one of them.]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
run:key("left"); print(run:shown_epoch())   --> 5]],
  },
  ["run:with_shown"] = {
    sig = "run:with_shown(fn, ...) -> fn's results",
    summary = "calls fn with the model's weights of the epoch shown (run:seek), then puts the live ones back",
    text = [[
What the views draw with: inside fn the model has the weights of the epoch shown;
after it (also after an error) the live weights are back bit for bit. Nothing trains
meanwhile: runs and views share one thread.]],
    example = [[nn.seed(1); m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
run = m:fit{data.xor{n = 100}, epochs = 6, batch = 1, verbose = false}
run:seek(0)
print(run:with_shown(function() return nn.evaluate(m, data.xor{n = 100}).accuracy end))]],
  },
  ["run:wait"] = {
    sig = "run:wait()",
    summary = "runs a background fit in the foreground until it ends",
    text = [[
Returns when the run is done, stopped or failed (raising a failure's message);
Ctrl-C stops it. In a script fit already runs in the foreground, so wait returns at
once.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
run:wait(); print(run.state)]],
  },
  ["run:pause"] = {
    sig = "run:pause()",
    summary = "pause a run training in the background (space in its plot window does the same)",
    text = [[
Only a background run (a fit at the prompt, or with its job) can pause; in a script,
where fit runs in the foreground, it does nothing. Returns the run. run:step() then
advances one mini-batch, run:resume() goes on.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
run:pause(); run:resume()]],
  },
  ["run:resume"] = {
    sig = "run:resume()",
    summary = "go on training a paused background run",
    text = [[
Undoes run:pause() (or a space in the plot window); returns the run. Nothing happens
to a run that is not paused.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
run:pause():resume()]],
  },
  ["run:step"] = {
    sig = "run:step() -> status",
    summary = "one mini-batch step of a paused (or foreground) run, then its status",
    text = [[
Lets you watch training one update at a time: pause the run, then step it and look
at the plots or at run:status().last_loss. Raises an error while the run is still
training in the background. A run that has ended does not move.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 2, verbose = false}
print(run:step().step)]],
  },
  ["run:progress_line"] = {
    sig = "run:progress_line([epoch]) -> string",
    summary = "the progress line fit prints: epoch, bar, loss, accuracy, time left",
    text = [[
Without an argument, the epoch in progress ("epoch 3/20 [=====>......] 12/25 - loss
0.4512 - acc 0.8125 - 2s left"); with epoch = i, the record of finished epoch i with
its loss, acc, val_loss, val_acc and time. Values a run does not have are left out.
A background job's name in jobs() is this line.]],
    example = [[
nn.seed(1); m = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 1)}
run = m:fit{data.xor{n = 100}, loss = nn.bce, epochs = 3, verbose = false}
print(run:progress_line(3))]],
  },
}
