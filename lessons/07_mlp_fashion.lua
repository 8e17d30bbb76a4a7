-- Lesson 07: an MLP on real data. Fashion-MNIST; the course notes' four models
-- (sigmoid, ReLU, ReLU + batch norm, ReLU + dropout) compared on one plot; accuracy,
-- precision, recall and F1; the confusion matrix, the worst-confused pairs, the
-- mistakes and one sample's probabilities.
lesson{"mlp_fashion", "An MLP on real data: Fashion-MNIST"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Fashion-MNIST

Until now the data were points in a plane. Fashion-MNIST is the real thing:
70 000 grayscale photos of clothes, 28 × 28 pixels each, in ten classes
(T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle
boot): 60 000 to train on and 10 000 to test with. It was made as a harder
stand-in for the handwritten digits of MNIST, with the same size and format.

An MLP does not know that the pixels form an image: each of the 784 pixels is
one input, in [0, 1]. The lesson uses the first 1000 images of each set so that
every step takes seconds; to see the real figures, load the full set with
`data.fashion_mnist()` (no limit) and run the same code: it takes minutes, and
you can set its figures beside these.
]]

show[[
fm_train, fm_test = data.fashion_mnist{limit = 1000}
print(fm_train:info().n, "training images,", fm_test:info().n, "test images of", fm_train:info().nx, "pixels")
captions = {}
for i, y in ipairs(fm_train:y():rows(1, 12):totable()) do captions[i] = data.fashion_labels[y[1] + 1] end
first_look = plot.images{images = fm_train:x():rows(1, 12):reshape(12, 28, 28), captions = captions, cols = 6,
  title = "the first twelve training images"}
]]

say[[
# The course's four models

The course notes build one architecture, 784 → 512 → 128 → 10, in four variants:

1. **sigmoid** hidden units (Xavier initialisation);
2. **ReLU** hidden units (He initialisation, bias 0.01);
3. **ReLU + batch norm** after each hidden linear layer (lesson 10 opens it up);
4. **ReLU + dropout** (p = 0.2) after each hidden layer (lesson 09).

All four end in a linear layer of 10 *logits*; `nn.cross_entropy` applies the
softmax itself. `course_model(kind)` (lua/lessonlib_07_10.lua) builds them;
`compare` trains each with Adam (lr 0.001, batch 64) for 5 epochs from the same
seed and draws their validation accuracy on one plot.
]]

show[[
course_model = require("lessonlib_07_10").course_model
compare = require("lessonlib_07_10").compare
course_model("batchnorm"):summary()
models = {}
for _, kind in ipairs{"sigmoid", "relu", "batchnorm", "dropout"} do models[#models + 1] = {kind, course_model(kind)} end
runs, compare_view, order = compare(models, fm_train, fm_test, {epochs = 5, title = "four models: validation accuracy"})
print(require("lessonlib_07_10").table(runs, order))
]]

say[[
Read the table against the plot. The sigmoid net is the slowest: its units
saturate, their derivative is at most 0.25, and the gradient shrinks on its way
down. ReLU learns faster, but it fits the training set far better than the test
set: ten points apart here, a sign of overfitting on so few images. Batch norm
fits the training set fastest of all and ends with the best validation accuracy.
Dropout trains with a handicap (a fifth of the units missing at each step), so
its training accuracy is the lowest of the ReLU nets, and so is the gap between
its training and validation accuracy: it overfits least. These are 1000 images
and 5 epochs: run the same code on the full set (`data.fashion_mnist()`) and see
which of these differences hold.
]]

pause()

say[[
# Precision, recall, F1 and the confusion matrix

Accuracy is one number for all classes. The *confusion matrix* C says where the
mistakes go: C[i][j] counts the images of true class i that the model called j.
The diagonal holds the right answers. For one class c:

- **precision** = C[c][c] / (column c's sum): of the images called c, the share
  that are c;
- **recall** = C[c][c] / (row c's sum): of the images of class c, the share found;
- **F1** = 2·P·R / (P + R), their harmonic mean: high only when both are.

The table's precision, recall and F1 are *macro* averages: the mean over the ten
classes. The heat map gives each cell's count and its share of the row (the
true class); click a cell to see its images.
]]

show[[
relu_model = models[2][2]
cm = runs.relu:confusion("validation")
cm_view = plot.confusion(cm, {labels = data.fashion_labels, model = relu_model, data = fm_test})
for _, pair in ipairs(require("views_data").worst_pairs(cm, 4, data.fashion_labels)) do print(pair.text) end
]]

task{
  [[From `cm`, compute the precision, recall and F1 of the class Shirt (class 6,
  so row and column 7 in Lua) and set `shirt_precision`, `shirt_recall` and
  `shirt_f1`.]],
  check = function(env)
    local cm = env.cm
    local p, r, f = require("lessonlib_07_10").class_scores(cm, 6)
    local P, R, F = env.shirt_precision, env.shirt_recall, env.shirt_f1
    if type(P) ~= "number" or type(R) ~= "number" or type(F) ~= "number" then
      return false, "set shirt_precision, shirt_recall and shirt_f1 to numbers"
    end
    if near(P, r, 1e-6) and near(R, p, 1e-6) and not near(p, r, 1e-6) then
      return false, "precision and recall are swapped: precision divides by the column (all called Shirt), recall by the row (all true Shirts)"
    end
    if P > 1 or R > 1 then return false, "precision and recall are shares, between 0 and 1 (not percentages)" end
    if not near(P, p, 1e-6) then
      return false, ("shirt_precision is %.4f; it is C[7][7] divided by the sum of column 7 (everything the model called Shirt)"):format(P)
    end
    if not near(R, r, 1e-6) then
      return false, ("shirt_recall is %.4f; it is C[7][7] divided by the sum of row 7 (every true Shirt)"):format(R)
    end
    if near(F, (p + r) / 2, 1e-6) and not near(p, r, 1e-6) then
      return false, "that is the arithmetic mean; F1 is the harmonic mean 2·P·R / (P + R)"
    end
    if not near(F, f, 1e-6) then return false, ("shirt_f1 is %.4f; it is 2·P·R / (P + R)"):format(F) end
    return true
  end,
  hint = "tp = cm[7][7]; sum column 7 over the rows for precision, row 7 over the columns for recall.",
  solution = [[
local tp, called, truly = cm[7][7], 0, 0
for i = 1, 10 do called, truly = called + cm[i][7], truly + cm[7][i] end
shirt_precision, shirt_recall = tp / called, tp / truly
shirt_f1 = 2 * shirt_precision * shirt_recall / (shirt_precision + shirt_recall)]],
  wrong = {
    { "row and column swapped", [[
local tp, called, truly = cm[7][7], 0, 0
for i = 1, 10 do called, truly = called + cm[i][7], truly + cm[7][i] end
shirt_precision, shirt_recall = tp / truly, tp / called
shirt_f1 = 2 * shirt_precision * shirt_recall / (shirt_precision + shirt_recall)]] },
    { "F1 as the plain average", [[
local tp, called, truly = cm[7][7], 0, 0
for i = 1, 10 do called, truly = called + cm[i][7], truly + cm[7][i] end
shirt_precision, shirt_recall = tp / called, tp / truly
shirt_f1 = (shirt_precision + shirt_recall) / 2]] },
    { "the overall accuracy for all three", [[
local right = 0
for i = 1, 10 do right = right + cm[i][i] end
shirt_precision, shirt_recall, shirt_f1 = right / 1000, right / 1000, right / 1000]] },
  },
}

task{
  [[Which two classes does the ReLU model confuse most? Set `worst_true` to the
  true class and `worst_predicted` to what the model said, as names from
  `data.fashion_labels` (the largest count off the diagonal of `cm`).]],
  check = function(env)
    local w = require("views_data").worst_pairs(env.cm, 1)[1]
    local want_t, want_p = data.fashion_labels[w["true"] + 1], data.fashion_labels[w.predicted + 1]
    local t, p = env.worst_true, env.worst_predicted
    if type(t) ~= "string" or type(p) ~= "string" then return false, "set worst_true and worst_predicted to class names (strings)" end
    if t == p then return false, "the diagonal holds the right answers: look off the diagonal (i ≠ j)" end
    if t == want_p and p == want_t then
      return false, "the other way round: rows are the true classes, columns what the model said"
    end
    if t ~= want_t or p ~= want_p then
      return false, ("%s taken for %s is not the largest off-diagonal count; look again (rows true, columns predicted)"):format(t, p)
    end
    return true
  end,
  hint = "Loop over i and j with i ≠ j and keep the largest cm[i][j]; the names are data.fashion_labels[i] and [j].",
  solution = [=[
local bi, bj = 1, 2
for i = 1, 10 do for j = 1, 10 do
  if i ~= j and cm[i][j] > cm[bi][bj] then bi, bj = i, j end
end end
worst_true, worst_predicted = data.fashion_labels[bi], data.fashion_labels[bj]]=],
  wrong = {
    { "the largest cell, diagonal included", [=[
local bi, bj = 1, 1
for i = 1, 10 do for j = 1, 10 do if cm[i][j] > cm[bi][bj] then bi, bj = i, j end end end
worst_true, worst_predicted = data.fashion_labels[bi], data.fashion_labels[bj]]=] },
    { "rows and columns read the other way", [=[
local bi, bj = 1, 2
for i = 1, 10 do for j = 1, 10 do
  if i ~= j and cm[i][j] > cm[bi][bj] then bi, bj = i, j end
end end
worst_true, worst_predicted = data.fashion_labels[bj], data.fashion_labels[bi]]=] },
  },
}

say[[
# Looking at the mistakes

Numbers say how often; pictures say why. The grid shows test images the ReLU
model got wrong, each captioned ✗ true → predicted; the bars are the class
probabilities (the softmax of the logits) of the first of them. Shirts, T-shirts,
pullovers and coats share their outline at 28 × 28, and the model's probability
is often split between them.
]]

show[[
mistakes_view, mistakes = plot.samples(relu_model, fm_test, {wrong = true, n = 12})
probs_view = plot.probabilities(relu_model, fm_test, mistakes.index[1])
]]

task{
  [[Your own model: make `my_net`, a ReLU MLP with one hidden layer of 256 units
  (784 → 256 → 10), and train it on `fm_train` for 5 epochs with Adam (lr 0.001,
  batch 64, `wait = true`) until its accuracy on `fm_test` is at least 0.72.]],
  check = function(env)
    local m = env.my_net
    if m == nil then return false, "there is no `my_net` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`my_net` is not a model: make it with nn.sequential{...}" end
    local last = kids[#kids] and kids[#kids]:info() or {}
    if last.name == "softmax" then
      return false, "`my_net` ends in a softmax, but nn.cross_entropy takes the logits and applies the softmax itself: end with nn.linear(256, 10)"
    end
    local widths = {}
    for _, c in ipairs(kids) do
      if c:info().kind == "linear" then widths[#widths + 1] = c:info().outputs end
    end
    if #widths ~= 2 or widths[1] ~= 256 or widths[2] ~= 10 then
      return false, ("`my_net` has linear layers of widths %s; it should be 784 → 256 → 10"):format(table.concat(widths, ", "))
    end
    local acc = m:evaluate(env.fm_test).accuracy
    if acc < 0.72 then
      return false, ("`my_net` has test accuracy %.3f, below 0.72: has it been trained (m:fit{fm_train, ...})?"):format(acc)
    end
    return true
  end,
  hint = "my_net = nn.sequential{nn.linear(784, 256), nn.relu(), nn.linear(256, 10)}, then my_net:fit{fm_train, epochs = 5, batch = 64, optimizer = optim.adam(my_net, {lr = 0.001}), wait = true}",
  solution = [[
nn.seed(1)
my_net = nn.sequential{nn.linear(784, 256), nn.relu(), nn.linear(256, 10)}
my_net:fit{fm_train, epochs = 5, batch = 64, optimizer = optim.adam(my_net, {lr = 0.001}), wait = true, verbose = false}]],
  wrong = {
    { "the right net, not trained", [[nn.seed(1); my_net = nn.sequential{nn.linear(784, 256), nn.relu(), nn.linear(256, 10)}]] },
    { "a softmax layer before the loss", [[
nn.seed(1)
my_net = nn.sequential{nn.linear(784, 256), nn.relu(), nn.linear(256, 10), nn.softmax()}]] },
    { "no hidden layer", [[
nn.seed(1)
my_net = nn.sequential{nn.linear(784, 10)}
my_net:fit{fm_train, epochs = 1, batch = 64, wait = true, verbose = false}]] },
  },
}

quiz{
  [[A model's macro recall is 0.80 but its recall for Shirt is 0.45. What does that
  say?]],
  choices = {
    "The model calls too many things Shirt.",
    "More than half of the true shirts are given another class; the other classes make up for it in the average.",
    "The test set has too few shirts to tell.",
    "Shirt's precision must also be 0.45.",
  },
  answer = 2,
  why = [[Recall is per true class: 0.45 means 55% of the shirts were called something
  else (a row of the matrix). The macro average hides it behind the easy classes
  (trousers, bags, sneakers). Calling too many things Shirt would lower its
  *precision* (a column), which is a different number.]],
}

say[[
# Next

Lesson 08 tunes what this lesson took as given: the learning rate (a range test
and cyclical rates) and the initial weights, read from each layer's activations.
]]
