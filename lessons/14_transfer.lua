-- Lesson 14: transfer learning. LeNet-5 pretrained on Fashion-MNIST classes 0-4,
-- saved and loaded; its conv layers frozen and a new head fine-tuned on classes 5-9
-- from 300 images, against the same net trained from scratch on the same 300; an
-- intermediate layer's outputs as features for a small classifier.
lesson{"transfer", "Transfer learning"}

say[[
# Learning from few examples

Training a CNN from nothing needs many labelled images. Often there are few for
the task at hand, but many for a related one. *Transfer learning* trains a net
on the big task, keeps what it learned, and teaches it the small task:

1. **pretrain** on the big task, and save the weights;
2. **load** them and **replace the head** (the last layer, made for the old
   classes) with a new one for the new classes;
3. **freeze** the lower layers (their weights stay as they are) and
   **fine-tune** the rest on the few new examples.

The lower layers of a CNN find edges, corners and textures: useful for any
images. The higher layers are specific to the classes they were trained on.

Here the big task is Fashion-MNIST's classes 0–4 (T-shirt/top, Trouser,
Pullover, Dress, Coat), the small one classes 5–9 (Sandal, Shirt, Sneaker, Bag,
Ankle boot) with only 300 training images. `lib.classes(d, 5, 9, 300)` takes
the first 300 images of those classes and numbers them 0–4.
]]

show[[
lib = require("lessonlib_12_14")
fm_train, fm_test = data.fashion_mnist{limit = 5000, shape = "image"}
first_train, first_test = lib.classes(fm_train, 0, 4), lib.classes(fm_test, 0, 4, 1000)
few, second_test = lib.classes(fm_train, 5, 9, 300), lib.classes(fm_test, 5, 9, 1000)
print(first_train:info().n, "images of classes 0-4 to pretrain on;", few:info().n, "of classes 5-9 to learn from")
pretrained = lib.lenet5{classes = 5}
pretrain_run = lib.train(pretrained, first_train, first_test)
print(("pretrained on classes 0-4: test accuracy %.3f"):format(pretrain_run.history.val_acc[3]))
nn.save(pretrained, "pretrained_0_4.nnl")
]]

say[[
# Load, replace the head, freeze

`nn.load` gives the pretrained net back. `m:replace(12, nn.linear(84, 5))`
returns a new model with layer 12 (the old head) replaced by a fresh layer for
the 5 new classes; the other layers come with their trained weights.
`m:freeze(1, 6)` freezes layers 1 to 6, the conv part: fit computes no gradient
for them and the optimizer keeps no state for them. `m:unfreeze()` undoes it.
The summary counts the frozen weights as non-trainable.
]]

show[[
loaded = nn.load("pretrained_0_4.nnl")
tuned = loaded:replace(12, nn.linear(84, 5))
tuned:freeze(1, 6)
tuned:summary{1, 28, 28}
tuned_run = lib.train(tuned, few, second_test, {epochs = 5})
scratch = lib.lenet5{classes = 5}
scratch_run = lib.train(scratch, few, second_test, {epochs = 5})
for e = 1, 5 do
  print(("epoch %d: fine-tuned %.3f, from scratch %.3f"):format(e, tuned_run.history.val_acc[e], scratch_run.history.val_acc[e]))
end
print(("mean:    fine-tuned %.3f, from scratch %.3f"):format(lib.mean_accuracy(tuned_run), lib.mean_accuracy(scratch_run)))
transfer_view = lib.curves({["fine-tuned"] = tuned_run, ["from scratch"] = scratch_run}, {"fine-tuned", "from scratch"},
  "classes 5-9 from 300 images: test accuracy")
]]

say[[
The fine-tuned net starts far ahead: after one epoch it is better than the net
from scratch is after two, and over the five epochs it is well ahead on average.
It only had to learn its upper layers: the edges and textures its conv layers
found on shirts and trousers serve sandals and bags too. These five classes are
easy, so the net from scratch catches up within a few epochs (by the last ones
the two are close); the fewer the examples and the harder the task, the more
the head start is worth.
]]

task{
  [[Fine-tune your own: make `my_tuned` from `loaded` with a new head for the 5
  classes, freeze its conv layers (1 to 6), and train it on `few` with
  `lib.train(my_tuned, few, second_test, {epochs = 5})` to a test accuracy of at
  least 0.85 on `second_test`. The frozen layers must keep the pretrained
  weights.]],
  check = function(env)
    local m = env.my_tuned
    if m == nil then return false, "there is no `my_tuned` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok or #kids ~= 12 then return false, "`my_tuned` should be LeNet-5 with a new head: loaded:replace(12, nn.linear(84, 5))" end
    local out = kids[12]:info().outputs
    if out ~= 5 then return false, ("the head has %d outputs; classes 5-9 are 5 classes"):format(out) end
    if kids[12]:info().frozen then return false, "the new head is frozen: it cannot learn the new classes" end
    if require("lessonlib_12_14").moved(env.loaded, m, {1, 2, 3, 4, 5, 6}) then
      return false, "the conv layers (1 to 6) moved in training: freeze them first, my_tuned:freeze(1, 6)"
    end
    local acc = m:evaluate(env.second_test).accuracy
    if acc < 0.85 then return false, ("test accuracy %.3f, below 0.85: has it been trained on `few`?"):format(acc) end
    return true
  end,
  hint = "my_tuned = loaded:replace(12, nn.linear(84, 5)); my_tuned:freeze(1, 6); lib.train(my_tuned, few, second_test, {epochs = 5})",
  solution = [[
my_tuned = loaded:replace(12, nn.linear(84, 5))
my_tuned:freeze(1, 6)
lib.train(my_tuned, few, second_test, {epochs = 5})]],
  wrong = {
    {"nothing frozen", [[
my_tuned = loaded:replace(12, nn.linear(84, 5))
lib.train(my_tuned, few, second_test, {epochs = 5})]]},
    {"the head frozen instead of the conv layers", [[
my_tuned = loaded:replace(12, nn.linear(84, 5))
my_tuned:freeze(7, 12)
lib.train(my_tuned, few, second_test, {epochs = 5})]]},
    {"not trained", [[
my_tuned = loaded:replace(12, nn.linear(84, 5))
my_tuned:freeze(1, 6)]]},
  },
}

say[[
# Features for a small classifier

The pretrained net can also be used without training it at all: run the images
through its first k layers and train a small classifier on what comes out.
`loaded:features(few, k)` gives a data set of layer k's outputs (maps flattened
to one row an image) with the same labels. Which layer? Compare the 400
outputs of layer 7 (the conv part, flattened) with the 84 of layer 11 (the
last hidden layer, shaped by the old classes):
]]

show[[
for _, k in ipairs{7, 11} do
  local ft, fte = loaded:features(few, k), loaded:features(second_test, k)
  local small = nn.sequential{nn.linear(ft:info().nx, 5)}
  local r = lib.train(small, ft, fte, {epochs = 30, lr = 0.01})
  print(("layer %2d: %3d features, a linear classifier reaches %.3f"):format(k, ft:info().nx, r.history.val_acc[30]))
end
]]

say[[
The conv features carry over better than the last hidden layer's: the higher a
layer, the more it is made for the classes it was trained on.
]]

task{
  [[Train a linear classifier `small` (`nn.linear(400, 5)` in a sequential) on
  the features of layer 7 of `loaded` for `few` (30 epochs, lr 0.01 with
  `lib.train`) until it reaches at least 0.88 on layer 7's features of
  `second_test`.]],
  check = function(env)
    local m = env.small
    if m == nil then return false, "there is no `small` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`small` is not a model: nn.sequential{nn.linear(400, 5)}" end
    if kids[1]:info().kind ~= "linear" then
      return false, ("`small` starts with %s; it is one linear layer on the features, nn.sequential{nn.linear(400, 5)}"):format(kids[1]:info().name)
    end
    local inputs = kids[1]:info().inputs
    if inputs ~= 400 then
      return false, ("`small` takes %d inputs; layer 7 of LeNet gives 400 (loaded:features(few, 7))"):format(inputs)
    end
    local acc = m:evaluate(env.loaded:features(env.second_test, 7)).accuracy
    if acc < 0.88 then return false, ("accuracy %.3f on layer 7's features of second_test, below 0.88: train it on loaded:features(few, 7)"):format(acc) end
    return true
  end,
  hint = "f = loaded:features(few, 7); small = nn.sequential{nn.linear(400, 5)}; lib.train(small, f, loaded:features(second_test, 7), {epochs = 30, lr = 0.01})",
  solution = [[
small = nn.sequential{nn.linear(400, 5)}
lib.train(small, loaded:features(few, 7), loaded:features(second_test, 7), {epochs = 30, lr = 0.01})]],
  wrong = {
    {"not trained", [[small = nn.sequential{nn.linear(400, 5)}]]},
    {"the features of layer 11", [[
small = nn.sequential{nn.linear(84, 5)}
lib.train(small, loaded:features(few, 11), loaded:features(second_test, 11), {epochs = 30, lr = 0.01})]]},
    {"trained on the raw pixels", [[
small = nn.sequential{nn.flatten(), nn.linear(784, 5)}
lib.train(small, few, second_test, {epochs = 1, lr = 0.01})]]},
  },
}

quiz{
  [[With 300 images of the new classes, why freeze the conv layers rather than
  fine-tune all 61 000 weights?]],
  choices = {
    "Frozen layers make the forward pass exact.",
    "Few examples cannot re-learn general features well, and training them all overfits; the frozen layers keep what the big task taught.",
    "The optimizer cannot update conv layers twice.",
    "Freezing makes the head larger.",
  },
  answer = 2,
  why = [[The lower layers' edges and textures came from thousands of images. 300 images
  give a noisy gradient that can spoil them and lets the net memorise the few;
  freezing keeps them and leaves only the upper layers to learn (fewer weights,
  less overfitting, less work per step). With more data, unfreezing
  (m:unfreeze()) and fine-tuning everything at a small rate can gain more.]],
}

say[[
# Next

Lesson 15 turns from images to sequences: recurrent networks.
]]
