-- Lesson 12: a CNN on Fashion-MNIST. LeNet-5 layer by layer (shapes and parameter
-- counts), against the ReLU MLP of lesson 07 on the same images; its filters and
-- feature maps while it trains; receptive fields; the explainer of the student's own
-- net, a saliency map and the images that excite a filter.
lesson{"cnn_fashion", "A CNN on Fashion-MNIST: LeNet-5"}

say[[
# Why convolutions

The MLP of lesson 07 took the 784 pixels as 784 unrelated inputs: move a shirt
one pixel to the right and every input changes. A *convolutional* layer slides
one small kernel over the whole image (lesson 11), so it finds the same edge
wherever it is (*weight sharing*), and each output looks only at a small window
(*local connectivity*). It needs far fewer weights for the same work.

LeNet-5 (LeCun, 1998) is the course's first CNN. For a 1×28×28 image:

    C1  conv 6 kernels 5×5, padding 2   → 6×28×28     (28 − 5 + 2·2)/1 + 1 = 28
    S2  max pool 2×2, stride 2          → 6×14×14
    C3  conv 16 kernels 5×5             → 16×10×10    (14 − 5)/1 + 1 = 10
    S4  max pool 2×2, stride 2          → 16×5×5
    F5  400 → 120,  F6 120 → 84,  output 84 → 10

with a ReLU after each conv and hidden linear layer. A conv layer of K kernels
F×F over C input maps has K·(C·F·F + 1) parameters: one weight per kernel entry
per input map, and one bias per kernel.
]]

show[[
nn.seed(1) -- the starting weights behind the figures of this lesson
cnn = nn.sequential{
  nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2), -- C1, S2
  nn.conv2d(6, 16, 5), nn.relu(), nn.maxpool2d(2),                -- C3, S4
  nn.flatten(),
  nn.linear(400, 120), nn.relu(),                                 -- F5
  nn.linear(120, 84), nn.relu(),                                  -- F6
  nn.linear(84, 10)}                                              -- output
cnn:summary{1, 28, 28}
]]

task{
  [[How many parameters has C3 (16 kernels of 5×5 over the 6 maps of S2)? Set
  `c3_params` to the number, worked out by hand (then compare with the table).]],
  check = function(env)
    local v = env.c3_params
    if type(v) ~= "number" then return false, "set c3_params to a number" end
    if v == 16 * 25 + 16 then return false, "each kernel spans all 6 input maps: 6·5·5 weights a kernel, not 5·5" end
    if v == 16 * 6 * 25 then return false, "each of the 16 kernels also has a bias" end
    if v == 16 * 25 then return false, "each kernel spans the 6 input maps, and has a bias" end
    if v ~= 16 * (6 * 5 * 5 + 1) then return false, ("%g is not it: K·(C·F·F + 1) with K = 16, C = 6, F = 5"):format(v) end
    return true
  end,
  hint = "K·(C·F·F + 1): 16 kernels, each 6·5·5 weights and 1 bias.",
  solution = [[c3_params = 16 * (6 * 5 * 5 + 1)]],
  wrong = {
    {"one input map per kernel", [[c3_params = 16 * 5 * 5 + 16]]},
    {"no biases", [[c3_params = 16 * 6 * 5 * 5]]},
  },
}

say[[
# Bigger nets, the same arithmetic

The famous ImageNet nets are built from the same layers, and their shapes and
counts follow from the same two formulas: (W − F + 2P)/S + 1 for a side, and
K·(C·F·F + 1) for a conv layer's parameters. `nn.arch` builds them untrained.

AlexNet (2012) reads 227×227×3 images; its first layer has 96 kernels of 11×11
at stride 4, so its output is 55×55×96 = 290,400 neurons; with its three linear
layers it has 62,378,344 parameters. VGG-16 (2014) stacks thirteen 3×3 convs and
three linear layers: 138,357,544 parameters, most of them (102,764,544) in the
first linear layer. GoogLeNet (`nn.arch("inception")`) runs 1×1, 3×3 and 5×5
convs side by side and joins them along the channels: 6,998,552 parameters.
ResNet-18 adds skip connections around pairs of 3×3 convs (lesson 13): 11,689,512.
At the prompt `nn.arch("alexnet"):summary()` prints any of them layer by layer
(AlexNet and VGG-16 take about a gigabyte of memory to build, weights and
gradients). Here is ResNet-18's count, computed by building it:
]]

show[[
resnet18 = nn.arch("resnet18")
print(("ResNet-18: %d parameters"):format(resnet18:nparams()))
resnet18:free()
]]

task{
  [[Work out AlexNet's first layer by hand: set `alex_c1_side` to the side of its
  output maps ((227 − 11 + 2·0)/4 + 1) and `alex_c1_params` to its parameter count
  (96 kernels of 11×11 over the 3 colour channels, each with a bias). Compare with
  the first row of the table.]],
  check = function(env)
    local side, params = env.alex_c1_side, env.alex_c1_params
    if type(side) ~= "number" or type(params) ~= "number" then
      return false, "set alex_c1_side and alex_c1_params to numbers"
    end
    -- the answer from the engine's own shape arithmetic, not a number typed here
    local c1 = nn.conv2d(3, 96, 11, {stride = 4})
    local shape, want = c1:out_shape{3, 227, 227}, c1:nparams()
    c1:free()
    if side == 227 - 11 + 1 then return false, "the kernel moves 4 pixels a step: divide by the stride S = 4" end
    if side ~= shape[2] then return false, ("%g is not the side: (W − F + 2P)/S + 1 with W = 227, F = 11, P = 0, S = 4"):format(side) end
    if params == 96 * (11 * 11 + 1) then return false, "each kernel spans the 3 colour channels: 3·11·11 weights a kernel" end
    if params == 96 * 3 * 11 * 11 then return false, "each of the 96 kernels also has a bias" end
    if params ~= want then return false, ("%g is not it: K·(C·F·F + 1) with K = 96, C = 3, F = 11"):format(params) end
    return true
  end,
  hint = "Side: (227 − 11)/4 + 1. Parameters: K·(C·F·F + 1) with K = 96, C = 3, F = 11.",
  solution = [[
alex_c1_side = (227 - 11 + 2 * 0) // 4 + 1
alex_c1_params = 96 * (3 * 11 * 11 + 1)]],
  wrong = {
    {"the stride forgotten", [[
alex_c1_side = 227 - 11 + 1
alex_c1_params = 96 * (3 * 11 * 11 + 1)]]},
    {"one input channel", [[
alex_c1_side = (227 - 11) // 4 + 1
alex_c1_params = 96 * (11 * 11 + 1)]]},
    {"no biases", [[
alex_c1_side = (227 - 11) // 4 + 1
alex_c1_params = 96 * 3 * 11 * 11]]},
  },
}

show[[
c1 = nn.conv2d(3, 96, 11, {stride = 4})   -- AlexNet's first layer alone
c1_shape = c1:out_shape{3, 227, 227}
print(("%s = %d neurons, %d parameters"):format(table.concat(c1_shape, "×"),
  c1_shape[1] * c1_shape[2] * c1_shape[3], c1:nparams()))
]]

say[[
# The CNN against the MLP

The same 2000 training images and 1000 test images, the same optimizer (Adam,
lr 0.002, batch 32), 3 epochs each: LeNet-5 with its 61 706 parameters against
lesson 07's ReLU MLP (784 → 512 → 128 → 10) with 468 874. The MLP reads the
same images flattened to 784 numbers.
]]

show[[
lib = require("lessonlib_12_14")
fm_train, fm_test = data.fashion_mnist{limit = 2000, shape = "image"}
flat_train, flat_test = data.fashion_mnist{limit = 2000}
mlp = require("lessonlib_07_10").course_model("relu")
mlp_run = lib.train(mlp, flat_train, flat_test)
cnn_run = lib.train(cnn, fm_train, fm_test)
print(("MLP: %d parameters, test accuracy %.3f"):format(mlp:nparams(), mlp_run.history.val_acc[3]))
print(("CNN: %d parameters, test accuracy %.3f"):format(cnn:nparams(), cnn_run.history.val_acc[3]))
compare_view = lib.curves({MLP = mlp_run, ["LeNet-5"] = cnn_run}, {"MLP", "LeNet-5"}, "test accuracy per epoch")
]]

say[[
With under a seventh of the parameters the CNN ends level with the MLP or a
little above it on images it has seen neither of (3 epochs on 2000 images; both
would gain from more), and it has not yet used its real advantage: it knows
that neighbouring pixels belong together.
Now look inside it. `plot.filters` draws the 6 kernels of C1 (red positive,
blue negative): edge and blob detectors appear as it trains. `plot.explain`
shows every layer's maps for one test image, and the class scores. Click a unit
of any map (hovering shows a preview): its *receptive field* lights up on the
input and its sum is written out, the kernel above the window of the maps below
it; the key n slides the
kernel one step on (`explainer:slide()`), b one step back. The views follow the
run: the arrow keys (or `cnn_run:seek(0)`) show the untrained net.
]]

show[[
filters_view = plot.filters(cnn, {run = cnn_run})
explain_window, explainer = plot.explain(cnn, 1, {data = fm_test, run = cnn_run})
explainer:select(4, 1, 5, 5)
]]

say[[
# Receptive fields

A unit of C1 sees a 5×5 window of the image. A unit of S2 takes the largest of
2×2 units of C1, whose windows overlap: together they see 6×6 pixels. Each
layer widens the window by (kernel − 1) × the product of the strides below it:
C3 sees 14×14, S4 16×16. That is how a deep CNN sees small parts first and whole
objects higher up.
]]

task{
  [[Set `rf_c3` to the side of the receptive field of a unit of C3 (layer 4) in
  input pixels: it is 5 + (2 − 1)·1 + (5 − 1)·2 wide. Check it on the explainer:
  `explainer:select(4, 1, 5, 5)` lit it on the input.]],
  check = function(env)
    local v = env.rf_c3
    local want = require("lessonlib_12_14").rf_side(env.cnn, 4)
    if type(v) ~= "number" then return false, "set rf_c3 to a number" end
    if v == 10 then return false, "the kernels of C1 and C3 do not just add: C3's 5×5 window is over S2, whose units are 2 pixels apart" end
    if v == 5 then return false, "5×5 is C3's window over S2's maps; in input pixels each S2 unit sees 6×6, and they are 2 apart" end
    if v ~= want then return false, ("%g is not it; work down: 5 (C1), + 1 (S2's 2×2), + 4·2 (C3's 5×5 at stride 2)"):format(v) end
    return true
  end,
  hint = "C1: 5; S2 adds (2 − 1)·1 = 1; C3 adds (5 − 1)·2 = 8, as S2's units are 2 input pixels apart.",
  solution = [[rf_c3 = 5 + (2 - 1) * 1 + (5 - 1) * 2]],
  wrong = {
    {"the kernels added", [[rf_c3 = 5 + 5]]},
    {"C3's own kernel only", [[rf_c3 = 5]]},
  },
}

say[[
# What the net looks at

A *saliency map* is the gradient of a class score with respect to the input
pixels: where a small change would move the score most. `plot.top_images` lists
the test images that excite one filter most: what that filter has learned to
find.
]]

show[[
saliency_window = plot.saliency(cnn, 1, {data = fm_test})
top_view = plot.top_images(cnn, fm_test, {layer = 5, filter = 1})
]]

task{
  [[Your own CNN: make `my_cnn` with two conv layers (any widths), each followed by
  ReLU and a 2×2 max pool, then a linear head to 10 classes, and train it on
  `fm_train` until its test accuracy on `fm_test` is at least 0.70
  (`lib.train(my_cnn, fm_train, fm_test)` trains 3 epochs).]],
  check = function(env)
    local m = env.my_cnn
    if m == nil then return false, "there is no `my_cnn` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`my_cnn` is not a model: make it with nn.sequential{...}" end
    local convs = 0
    for _, c in ipairs(kids) do
      local w = c:window()
      if w and w.kind == "conv2d" then convs = convs + 1 end
    end
    if convs < 2 then return false, ("`my_cnn` has %d conv layer%s; it needs two"):format(convs, convs == 1 and "" or "s") end
    local acc = m:evaluate(env.fm_test).accuracy
    if acc < 0.70 then
      return false, ("`my_cnn` has test accuracy %.3f, below 0.70: has it been trained?"):format(acc)
    end
    return true
  end,
  hint = "nn.sequential{nn.conv2d(1, 8, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2), nn.conv2d(8, 16, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(16 * 7 * 7, 10)}, then lib.train(my_cnn, fm_train, fm_test)",
  solution = [[
nn.seed(1)
my_cnn = nn.sequential{nn.conv2d(1, 8, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2),
  nn.conv2d(8, 16, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(16 * 7 * 7, 10)}
lib.train(my_cnn, fm_train, fm_test)]],
  wrong = {
    {"the right net, not trained", [[
nn.seed(1)
my_cnn = nn.sequential{nn.conv2d(1, 8, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2),
  nn.conv2d(8, 16, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(16 * 7 * 7, 10)}]]},
    {"one conv layer", [[
nn.seed(1)
my_cnn = nn.sequential{nn.conv2d(1, 8, 3, {padding = 1}), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(8 * 14 * 14, 10)}]]},
  },
}

quiz{
  [[C1 has 156 parameters but 6·28·28 = 4704 outputs. How can so few weights make
  so many outputs?]],
  choices = {
    "Most outputs are zero after the ReLU.",
    "The same 6 kernels slide over every position: each weight is used at all 784 positions (weight sharing).",
    "The padding adds the missing weights.",
    "Max pooling copies the outputs.",
  },
  answer = 2,
  why = [[A kernel's 25 weights and bias are shared by all 28·28 positions of its map.
  A fully connected layer with the same 4704 outputs would need 784·4704 + 4704 =
  3 692 640 parameters.]],
}

say[[
# Next

Lesson 13 goes deeper: a plain deep net against the same net with skip
connections. Lesson 14 takes a LeNet trained on half the classes and teaches it
the other half from a few hundred images.
]]
