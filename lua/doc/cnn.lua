-- doc/cnn.lua: help entries of issue 13's layers and architectures (lua/cnn.lua).
return {
  ["nn.conv_transpose2d"] = {
    sig = "nn.conv_transpose2d(in, out, k [, {stride =, padding =, output_padding =, dilation =, groups =, bias =, init =}])",
    summary = "transposed convolution: [batch, in, H, W] -> [batch, out, H', W'], maps grow (upsampling in decoders)",
    example = [[
t = nn.conv_transpose2d(1, 1, 2, {stride = 2, bias = false})
require("nn.train").assign(t:param(1), nn.tensor{1, 2, 3, 4})
print(t:forward(nn.tensor{1, 2, 3, 4}:reshape{1, 1, 2, 2}))   -- each input stamps the kernel: 4x4
print(table.concat(nn.conv_transpose2d(8, 4, 3, {stride = 2, padding = 1, output_padding = 1}):out_shape{8, 7, 7}, " "))   --> 4 14 14
print(table.concat(nn.conv_transpose2d(8, 4, 4, {stride = 2, padding = "same"}):out_shape{8, 7, 7}, " "))   --> 4 14 14]],
    text = [[
Each input value multiplies the whole kernel, and the products are added into the
output at stride steps: conv2d run backwards (its gradient with respect to its
input), so a stride of 2 doubles the maps. The output size is
(H - 1) S - 2P + D (K - 1) + output_padding + 1. padding (a number or {ph, pw})
crops the output on both sides; output_padding (smaller than the stride or the
dilation) adds rows below and columns at the right, to undo a strided conv2d's
floor. padding = "same" makes the output exactly H S (as Keras): conv2d "same"
run backwards, the extra rows cropped half above (rounded down), the rest below.
The weight is [in, out/groups, kh, kw], as PyTorch's.]],
  },
  ["nn.batchnorm2d"] = {
    sig = "nn.batchnorm2d(channels [, {momentum = 0.1, eps = 1e-5}])",
    summary = "batch norm per channel of [batch, C, H, W]: statistics over the batch and every position",
    example = [[
bn = nn.batchnorm2d(3)
y = bn:forward(nn.randn{8, 3, 5, 5} * 4 + 2)
print(y:mean())   -- about 0: each channel is centred over batch, H and W]],
    text = [[
The same layer as nn.batchnorm, which takes [batch, features] and [batch, C, H, W]
alike: one gamma and one beta per channel, the mean and variance of a channel taken
over the batch and all H x W positions. Training uses the batch's statistics and
moves the running ones by momentum; m:eval() uses the running ones. Kept in model
files with its running statistics.]],
  },
  ["nn.dropout2d"] = {
    sig = "nn.dropout2d([p = 0.5])",
    summary = "dropout of whole channels of [batch, C, H, W]: a map is zeroed, or kept and scaled by 1/(1-p)",
    example = [[
d = nn.dropout2d(0.5)
y = d:forward(nn.ones{1, 6, 2, 2})
print(y)   -- each 2x2 map is all 0 or all 2]],
    text = [[
Neighbouring pixels of a map are alike, so dropping single pixels (nn.dropout) hardly
regularises a conv net: this drops whole maps. Only in training; in evaluation
(m:eval()) it passes x through.]],
  },
  ["nn.concat"] = {
    sig = "nn.concat{branch, ...}",
    summary = "branches side by side: each reads the same x; their outputs are joined along the channels",
    example = [[
c = nn.concat{nn.conv2d(3, 4, 1), nn.conv2d(3, 2, 3, {padding = 1})}
print(table.concat(c:out_shape{3, 8, 8}, " "))   --> 6 8 8]],
    text = [[
GoogLeNet's inception module is a concat of a 1x1, a 3x3 and a 5x5 convolution
and a max pool (see nn.arch("inception")). The branches' outputs must agree in all
sizes but the channels (pad them to keep H and W), else the error names them.]],
  },
  ["nn.resblock"] = {
    sig = 'nn.resblock{in =, out = in, stride = 1, kind = "basic" | "bottleneck", width = out/4}',
    summary = "ResNet's residual block: relu(f(x) + x), with a 1x1 conv shortcut when the shape changes",
    example = [[
b = nn.resblock{["in"] = 64, out = 128, stride = 2}
print(table.concat(b:out_shape{64, 56, 56}, " "), b:nparams())   --> 128 28 28 230144]],
    text = [[
basic: two 3x3 convolutions with batch norm (the first with the stride); bottleneck:
1x1 down to `width` channels (a quarter of out), 3x3, 1x1 back up. When the stride
is not 1 or in differs from out, x cannot be added as it is: the shortcut is then a
1x1 convolution with that stride and batch norm (the projection), else the identity.
Convolutions have no bias (batch norm follows them). Write `in` as ["in"] (it is a
Lua keyword).]],
  },
  ["nn.arch"] = {
    sig = 'nn.arch("lenet5" | "alexnet" | "vgg16" | "resnet18" | "inception")',
    summary = "builds a named CNN, untrained, so that m:summary() shows its shapes and parameter counts",
    example = [[
m = nn.arch("lenet5")
m:summary()   -- C5: 48,120 parameters, F6: 10,164]],
    text = [[
lenet5: 32x32 grey input, tanh, average pooling (61,706 parameters; every C3 map sees
all six S2 maps). alexnet: 227x227x3 input, its first layer 55x55x96 = 290,400
neurons (62,378,344 parameters, one tower). vgg16: 224x224x3, 138,357,544 parameters.
resnet18: 11,689,512 parameters. inception: GoogLeNet without its auxiliary
classifiers, 6,998,552 parameters. The models are real: they run forward and train
(slowly, on a CPU). VGG-16 and AlexNet are big: building VGG-16 takes about 2 s and
1.1 GB (its weights and their gradients, 2.2 GB at the peak while it is built).]],
  },
  ["module:input_shape"] = {
    sig = "m:input_shape([{sizes...}])",
    summary = "the sample shape a model is built for, which m:summary() uses; with sizes, sets it",
    example = [[
m = nn.sequential{nn.conv2d(3, 8, 3), nn.relu()}
m:input_shape{3, 32, 32}
m:summary()]],
    text = [[
nn.arch sets it (lenet5: {1, 32, 32}). The sizes are checked against the model
(the error names the shapes).]],
  },
}
