-- Lesson 08: hyper-parameters. The LR range test and cyclical learning rates; weight
-- initialisation zero / random / Xavier / He / orthogonal read from per-layer
-- activation histograms; bias 0.01 for ReLU layers.
lesson{"hyperparameters", "Hyper-parameters: learning rate and initialisation"}

local function near(a, b, tol)
  return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

say[[
# Finding a learning rate: the LR range test

Of all hyper-parameters, the learning rate matters most (lesson 05). Leslie
Smith's *LR range test* finds a good one in a single short run: train for a
hundred mini-batches while the rate grows exponentially, from 10⁻⁵ to 1, and
record the loss of each batch. At first the rate is too small to change
anything and the loss stays flat; then it falls, faster and faster; then the
steps become too large and the loss shoots up.

`nn.lr_range_test` does this and puts the weights back afterwards. The plot shows
the loss (and a smoothed copy) against the rate on a log axis, with the suggested
range shaded: from where the loss starts to fall to a third of the rate at its
lowest point. As in lesson 07 we use 1000 images; try the full set
(`data.fashion_mnist()`) too.
]]

show[[
fm_train, fm_test = data.fashion_mnist{limit = 1000}
course_model = require("lessonlib_07_10").course_model
nn.seed(1)
probe = course_model("relu")
range_test = nn.lr_range_test{probe, fm_train, batch = 64, lr_min = 1e-5, lr_max = 1, steps = 100,
  optimizer = optim.adam(probe)}
range_view, lr_lo, lr_hi = plot.lr_range(range_test)
print(("suggested range: %.2g to %.2g"):format(lr_lo, lr_hi))
]]

say[[
# Cyclical learning rates

Smith's second idea: instead of one rate, let it move up and down between the
ends of that range, in a triangle. The high part takes large steps and can jump
out of a poor region; the low part settles. `optim.schedule{kind = "cyclic",
lr_min =, lr0 =, period =}` climbs from lr_min to lr0 in `period` steps and
falls back in as many. With 1000 images and batch 64 an epoch is 16 steps.

Below, the same ReLU model trains for 4 epochs with Adam at the fixed rate 0.001
and with the cyclical rate between lr_lo and lr_hi (one epoch up, one down).
]]

show[[
cyclic = optim.schedule{kind = "cyclic", lr_min = lr_lo, lr0 = lr_hi, period = 16}
schedule_view = plot.lines{title = "the cyclical learning rate", xlabel = "step", ylabel = "learning rate"}
for step = 0, 63 do schedule_view:push("cyclic", cyclic(step), step) end
compare = require("lessonlib_07_10").compare
lr_runs, lr_view = compare({ {"fixed 0.001", course_model("relu")},
  {"cyclic", course_model("relu"), {schedule = cyclic}} }, fm_train, fm_test,
  {epochs = 4, title = "fixed against cyclical learning rate"})
print(require("lessonlib_07_10").table(lr_runs, {"fixed 0.001", "cyclic"}))
]]

say[[
With Adam the range comes out between about 10⁻⁴ and a few 10⁻³: Adam's usual
default, 0.001, lies inside it (plain SGD's range would lie higher). On so few
images the two runs end within a few points of each other; the cyclical run's
curve bends with the rate. What the range test gives you for sure is a rate that is
neither crawling nor diverging, without a grid of trial runs.
]]

task{
  [[Make `my_clr`: a cyclic schedule between `lr_lo` and `lr_hi` whose rate climbs
  for two epochs (32 steps) and falls for two.]],
  check = function(env)
    local s = env.my_clr
    if s == nil then return false, "there is no `my_clr` yet: make it with optim.schedule{kind = \"cyclic\", ...}" end
    local ok, r0 = pcall(s, 0)
    if not ok or type(r0) ~= "number" then return false, "`my_clr` is not a schedule: my_clr(0) should give a rate" end
    local lo, hi = env.lr_lo, env.lr_hi
    if near(r0, hi, 1e-6) and near(s(32), lo, 1e-6) then
      return false, "it starts at lr_hi: lr_min is the bottom of the triangle (lr_lo) and lr0 its top (lr_hi)"
    end
    if not near(r0, lo, 1e-6) then return false, ("my_clr(0) is %.3g; a cycle starts at lr_lo, %.3g"):format(r0, lo) end
    if near(s(16), hi, 1e-6) then return false, "it reaches lr_hi after 16 steps: that is one epoch; climb for two (period = 32)" end
    if near(s(64), hi, 1e-6) then return false, "it reaches lr_hi after 64 steps: period is the climb alone, not the whole cycle" end
    if not near(s(32), hi, 1e-6) or not near(s(64), lo, 1e-6) then
      return false, ("my_clr(32) is %.3g and my_clr(64) %.3g; they should be lr_hi and lr_lo"):format(s(32), s(64))
    end
    return true
  end,
  hint = [[my_clr = optim.schedule{kind = "cyclic", lr_min = lr_lo, lr0 = lr_hi, period = ...} where period is the climb in steps.]],
  solution = [[my_clr = optim.schedule{kind = "cyclic", lr_min = lr_lo, lr0 = lr_hi, period = 32}]],
  wrong = {
    { "bottom and top swapped", [[my_clr = optim.schedule{kind = "cyclic", lr_min = lr_hi, lr0 = lr_lo, period = 32}]] },
    { "the period in steps of one epoch", [[my_clr = optim.schedule{kind = "cyclic", lr_min = lr_lo, lr0 = lr_hi, period = 16}]] },
    { "the whole cycle as the period", [[my_clr = optim.schedule{kind = "cyclic", lr_min = lr_lo, lr0 = lr_hi, period = 64}]] },
  },
}

pause()

say[[
# Initialisation, read from the activations

Before the first step the weights must be something. Take a deep ReLU net, six
hidden layers of 256, pass 200 test images through it, and look at each hidden
layer's outputs (`plot.layers` draws one histogram per layer):

- **zero**: every unit computes the same 0, every gradient is the same, and the
  units can never become different (no *symmetry breaking*). Nothing learns.
- **random**, normal with std 1: each layer multiplies the spread by about
  √(256/2) ≈ 11; by the sixth layer the outputs are in the millions.
- **Xavier** (Glorot), variance 1/fan_in on average of in and out: right for tanh,
  but a ReLU zeroes half its inputs, and the spread halves in variance each layer.
- **He**, variance 2/fan_in: the factor 2 makes up for ReLU's half; the spread stays.
- **orthogonal** with gain √2 (Saxe et al.): the same for ReLU, from an orthogonal
  matrix; with gain 1 it shrinks like Xavier.
]]

show[[
init_stats = require("lessonlib_07_10").init_stats
probe_x = fm_test:x():rows(1, 200)
inits = { {"zero", "zeros"}, {"random N(0,1)", {"normal", 0, 1}}, {"Xavier", "xavier_normal"},
  {"He", "he_normal"}, {"orthogonal √2", {"orthogonal", math.sqrt(2)}} }
print("std of each hidden layer's output (layers 1 to 6):")
for _, it in ipairs(inits) do
  local stds = init_stats(it[2], probe_x)
  for i, s in ipairs(stds) do stds[i] = ("%9.3g"):format(s) end
  print(("%-14s %s"):format(it[1], table.concat(stds, " ")))
end
_, xavier_net = init_stats("xavier_normal", probe_x)
_, he_net = init_stats("he_normal", probe_x)
xavier_view = plot.layers(xavier_net, probe_x, {title = "Xavier: the activations shrink layer by layer", cols = 3})
he_view = plot.layers(he_net, probe_x, {title = "He: the activations keep their spread", cols = 3})
]]

say[[
# Bias 0.01 for ReLU

The course suggests starting ReLU layers' biases at 0.01 rather than 0: each unit
then starts a little inside its active side, so fewer units output exactly 0 on
the first batches (and a unit that outputs 0 for every input gets no gradient).
`nn.linear(in, out, {init = "he_normal", bias = 0.01})` does it. The effect is
small but free.
]]

show[[
for _, b in ipairs{0, 0.01} do
  local _, _, zero = init_stats("he_normal", probe_x, {bias = b})
  print(("bias %-4g: %.1f%% of the last hidden layer's outputs are exactly 0"):format(b, 100 * zero))
end
]]

task{
  [[Make `deep_net`: six hidden ReLU layers of 256 units (784 → 256 → … → 256 → 10,
  seven linear layers), initialised so that the spread of the last hidden
  layer's outputs on `probe_x` is within a factor 2 of the first's, with the
  hidden layers' biases at 0.01.]],
  check = function(env)
    local m = env.deep_net
    if m == nil then return false, "there is no `deep_net` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`deep_net` is not a model: make it with nn.sequential{...}" end
    local lins, relus = {}, 0
    for _, c in ipairs(kids) do
      local info = c:info()
      if info.kind == "linear" then lins[#lins + 1] = c end
      if info.name == "relu" then relus = relus + 1 end
    end
    if #lins ~= 7 or relus ~= 6 then
      return false, ("`deep_net` has %d linear layers and %d ReLUs; it needs 7 and 6"):format(#lins, relus)
    end
    local ls = require("views_data").layer_values(m, env.probe_x)
    local ratio = ls[#ls].std / ls[1].std
    if ls[1].std == 0 then return false, "the first hidden layer outputs only zeros: zero weights never break the symmetry" end
    if ratio < 0.5 then
      return false, ("the spread shrinks to %.2f of the first layer's by the last: ReLU halves the variance, so use He's variance 2/fan_in (init = \"he_normal\")"):format(ratio)
    end
    if ratio > 2 then
      return false, ("the spread grows %.3g times from the first hidden layer to the last: the weights are too large for 256 inputs"):format(ratio)
    end
    for i = 1, 6 do
      local b = lins[i]:param(2):totable()
      if not near(b[1], 0.01, 1e-6) or not near(b[#b], 0.01, 1e-6) then
        return false, ("hidden layer %d's biases start at %g; give the ReLU layers bias = 0.01"):format(i, b[1])
      end
    end
    return true
  end,
  hint = [[Build a list: for i = 1, 6 add nn.linear(i == 1 and 784 or 256, 256, {init = ..., bias = 0.01}) and nn.relu(); then nn.linear(256, 10); nn.sequential(list).]],
  solution = [[
nn.seed(1)
local layers = {}
for i = 1, 6 do
  layers[#layers + 1] = nn.linear(i == 1 and 784 or 256, 256, {init = "he_normal", bias = 0.01})
  layers[#layers + 1] = nn.relu()
end
layers[#layers + 1] = nn.linear(256, 10)
deep_net = nn.sequential(layers)]],
  wrong = {
    { "Xavier's initialisation", [[
nn.seed(1)
local layers = {}
for i = 1, 6 do
  layers[#layers + 1] = nn.linear(i == 1 and 784 or 256, 256, {init = "xavier_normal", bias = 0.01})
  layers[#layers + 1] = nn.relu()
end
layers[#layers + 1] = nn.linear(256, 10)
deep_net = nn.sequential(layers)]] },
    { "normal weights with std 1", [[
nn.seed(1)
local layers = {}
for i = 1, 6 do
  layers[#layers + 1] = nn.linear(i == 1 and 784 or 256, 256, {init = {"normal", 0, 1}, bias = 0.01})
  layers[#layers + 1] = nn.relu()
end
layers[#layers + 1] = nn.linear(256, 10)
deep_net = nn.sequential(layers)]] },
    { "He's weights with zero biases", [[
nn.seed(1)
local layers = {}
for i = 1, 6 do
  layers[#layers + 1] = nn.linear(i == 1 and 784 or 256, 256, {init = "he_normal"})
  layers[#layers + 1] = nn.relu()
end
layers[#layers + 1] = nn.linear(256, 10)
deep_net = nn.sequential(layers)]] },
  },
}

quiz{
  [[A net starts with all its weights at zero. Why does it not learn, even with a
  good learning rate?]],
  choices = {
    "The gradient of a zero weight is always zero, whatever the loss.",
    "All units of a layer compute the same output and get the same gradient, so they stay identical: the layer acts as one unit.",
    "Zero weights make the loss NaN.",
    "It learns, only more slowly.",
  },
  answer = 2,
  why = [[With equal weights every unit of a layer is the same function, its gradient is
  the same, and the same update keeps them equal: nothing breaks the symmetry.
  With ReLU and zero biases it is worse still: every hidden output is 0, so the
  weights below the output layer get no gradient at all. Random initialisation
  breaks the symmetry; Xavier and He choose its scale.]],
}

say[[
# A small grid search

To try several settings at once, `experiment{base = {...}, vary = {...}}` trains
every combination, one after another (in the background at the prompt), draws
their validation curves on one plot with a legend, prints a table (best
validation accuracy, its epoch, time) and saves it as CSV (`?experiment`). Here:
two learning rates times two widths of one hidden ReLU layer, 3 epochs each.
]]

show[[
grid = experiment{base = {data = fm_train, validation = fm_test, epochs = 3, batch = 64},
  vary = {lr = {1e-3, 1e-2}, hidden = {64, 256}}, csv = "grid_search.csv"}
]]

say[[
# Next

Lesson 09 turns to the gap between training and validation: over- and
underfitting.
]]
