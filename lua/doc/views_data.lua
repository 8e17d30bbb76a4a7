-- doc/views_data.lua: help entries of the views of a trained classifier (lua/views_data.lua).
return {
  ["plot.confusion"] = {
    sig = "p, t, view = plot.confusion(run | nn.evaluate result | rows [, {set=, labels=, model=, data=, title=, show=}])",
    summary = "the confusion matrix as an annotated heat map: counts and row percentages in each cell, class names on both axes",
    text = [[
Rows are the true classes (the first at the top), columns the predicted ones. Each
cell shows its count and the share of its true class (row percentage), which is
also its colour (0 to 100%); a cell too small for both (ten classes in a small or
projector window) shows the percentage alone, and the mouse over it shows both. The title counts samples, or tokens when the labels are
one a step of a sequence (a tagger's, lesson 18). From a run it takes the last epoch's validation matrix (set =
"train" for the training one). labels names the classes (data.fashion_labels for
Fashion-MNIST). With model = and data = a click on a cell opens the images of that
cell. Of a run, the matrix redraws after each epoch while the run trains and shows
the epoch run:seek chose (the arrow keys in its window; view.table is the matrix
shown, view:refresh() redraws). The second result has counts, percent (rows), total and k;
require("views_data").worst_pairs(cm, n, labels) lists the most confused pairs.]],
    example = [[
p, t = plot.confusion({{50, 2}, {8, 40}}, {labels = {"cat", "dog"}, show = false})
print(t.percent[2][1])   --> 16.666...
p:save("confusion.png")]],
  },
  ["plot.samples"] = {
    sig = "p, info, view = plot.samples(m, d [, {n = 16, first = 1, wrong = false, labels=, cols=, run=, show=}])",
    summary = "a grid of a data set's images captioned with the true class, wrong predictions marked ✗ true→predicted",
    text = [[
The inputs must be square images (784 = 28 x 28). wrong = true shows only the
mistakes. info has index (the rows shown), predicted and truth (0-based classes of
every row) and wrong (how many of those shown are wrong). With run = the fit that
trains m, the grid redraws after each epoch while it trains and shows the epoch
run:seek chose (the arrow keys in its window; view.info is what is shown).]],
    example = [[
train = data.fashion_mnist{limit = 100, split = "test"}
m = nn.sequential{nn.linear(784, 10)}
p, info = plot.samples(m, train, {n = 8, show = false})
print(#info.index, info.wrong)]],
  },
  ["plot.probabilities"] = {
    sig = "p, probs = plot.probabilities(m, d, i [, {labels=, show=}])",
    summary = "bars of the class probabilities the model gives sample i of a data set",
    text = [[
Softmax of the model's outputs for row i (sigmoid for one output); the title names
the true and the predicted class. probs is the list of probabilities.]],
    example = [[
test = data.fashion_mnist{limit = 20, split = "test"}
m = nn.sequential{nn.linear(784, 10)}
p, probs = plot.probabilities(m, test, 3, {show = false})
print(#probs)   --> 10]],
  },
  ["plot.layers"] = {
    sig = "w, layers, refresh = plot.layers(m, x | d [, {what = \"activations\", n = 512, bins = 40, run=, show=}])",
    summary = "one histogram per layer of the activations (hidden outputs), the weights or their gradients",
    text = [[
what = "activations" passes the first n rows (a tensor or a data set) through the
model in evaluation mode and shows each hidden layer's output; "weights" each linear
layer's W; "gradients" dL/dW for the cross-entropy (classes) or MSE loss on the
first n rows of a data set. Each title gives the mean, the standard deviation and
the share of exact zeros (dead ReLUs). layers lists {name, values, mean, std, zero};
refresh() redraws; with run = a fit at the prompt the window redraws while it
trains. require("views_data").layer_values(m, x, what) gives the numbers alone.]],
    example = [[
nn.seed(1)
m = nn.sequential{nn.linear(20, 32, {init = "he_normal"}), nn.relu(), nn.linear(32, 2)}
w, layers = plot.layers(m, nn.randn{200, 20}, {show = false})
print(layers[1].name, layers[1].std)]],
  },
  ["plot.lr_range"] = {
    sig = "p, lo, hi = plot.lr_range(r [, {title=, show=}])",
    summary = "the LR range test: loss against the learning rate (log x), smoothed, with the suggested range shaded",
    text = [[
r is what nn.lr_range_test gives. The range comes from
require("views_data").lr_suggest(r): the loss is smoothed (exponential average,
0.9), lo is the rate where it has fallen a tenth of the way to its minimum and hi a
third of the rate at that minimum. Use them as lr_min and lr0 of a cyclic schedule
(optim.schedule{kind = "cyclic", lr_min = lo, lr0 = hi}) or hi as a fixed rate.]],
    example = [[
nn.seed(1)
train = data.spiral{n = 300}
m = nn.sequential{nn.linear(2, 32), nn.relu(), nn.linear(32, 3)}
r = nn.lr_range_test{m, train, steps = 80, lr_max = 1}
p, lo, hi = plot.lr_range(r, {show = false}); print(lo < hi)]],
  },
}
