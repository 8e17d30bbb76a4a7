-- Lesson 01: the neuron and the perceptron. McCulloch–Pitts threshold units, then
-- Rosenblatt's perceptron learning AND and OR with Δw = η(t − y)x, Δb = η(t − y),
-- and failing on XOR; the same rule with several outputs.
lesson{"perceptron", "The neuron and the perceptron"}

-- Checks look at plain Lua values the student made: functions and small tables.
local function truth_table(f)
  local rows = {}
  for _, x in ipairs{{0, 0}, {0, 1}, {1, 0}, {1, 1}} do
    local ok, y = pcall(f, x[1], x[2])
    if not ok then y = "error: " .. tostring(y) end
    rows[#rows + 1] = { x = x, y = y }
  end
  return rows
end

local function check_gate(env, name, want)
  local f = env[name]
  if type(f) ~= "function" then return false, ("there is no function `%s` yet"):format(name) end
  for k, r in ipairs(truth_table(f)) do
    if type(r.y) == "boolean" then
      return false, ("%s(%d, %d) gives %s; a neuron outputs a number: return 1 or 0, not true or false")
        :format(name, r.x[1], r.x[2], tostring(r.y))
    end
    if r.y ~= want[k] then
      return false, ("%s(%d, %d) gives %s, it should give %d"):format(name, r.x[1], r.x[2], tostring(r.y), want[k])
    end
  end
  return true
end

-- Rosenblatt's perceptron as the lesson teaches it, for checks that compare the
-- student's trained weights with what training gives (so that weights typed in by
-- hand, or copied from another gate, are told apart from trained ones).
local function ref_step(s) if s > 0 then return 1 else return 0 end end
local function ref_train(examples, eta, epochs)
  local w, b = {0, 0}, 0
  for _ = 1, epochs do
    local mistakes = 0
    for _, e in ipairs(examples) do
      local err = e.t - ref_step(w[1] * e.x[1] + w[2] * e.x[2] + b)
      if err ~= 0 then mistakes = mistakes + 1 end
      w, b = { w[1] + eta * err * e.x[1], w[2] + eta * err * e.x[2] }, b + eta * err
    end
    if mistakes == 0 then break end
  end
  return w, b
end
local function ref_train_layer(examples, eta, epochs)
  local w, b = { {0, 0}, {0, 0} }, {0, 0}
  for _ = 1, epochs do
    local mistakes = 0
    for _, e in ipairs(examples) do
      for j = 1, 2 do
        local err = e.t[j] - ref_step(w[1][j] * e.x[1] + w[2][j] * e.x[2] + b[j])
        if err ~= 0 then mistakes = mistakes + 1 end
        for i = 1, 2 do w[i][j] = w[i][j] + eta * err * e.x[i] end
        b[j] = b[j] + eta * err
      end
    end
    if mistakes == 0 then break end
  end
  return w, b
end
local function near(p, q) return type(p) == "number" and math.abs(p - q) < 1e-9 end

-- A list of four examples {x = {x1, x2}, t = ...} with each corner once, or nil
-- and what is wrong with it.
local function four_corners(list, name, target_shape)
  if type(list) ~= "table" or #list ~= 4 then
    return nil, ("make `%s`, a table of the four examples"):format(name)
  end
  local seen = {}
  for k, e in ipairs(list) do
    if type(e) ~= "table" or type(e.x) ~= "table" or type(e.x[1]) ~= "number" or type(e.x[2]) ~= "number" then
      return nil, ("`%s[%d]` should look like {x = {0, 1}, t = %s}"):format(name, k, target_shape)
    end
    local key = e.x[1] .. "," .. e.x[2]
    if seen[key] then return nil, ("`%s` has x = {%s} twice; each corner once"):format(name, key) end
    seen[key] = true
  end
  return true
end

say[[
# The artificial neuron

A neuron takes inputs x₁ … xₙ, multiplies each by a *weight*, adds them up and
passes the sum through an *activation function*:

    y = f(w₁x₁ + w₂x₂ + … + wₙxₙ + b)

The first model of this kind is the **McCulloch–Pitts neuron** (1943): binary
inputs, fixed weights, and a threshold θ. It *fires* (outputs 1) when the weighted
sum reaches the threshold, and outputs 0 otherwise. Nothing is learned: you choose
the weights and θ by hand.
]]

show[[
-- A McCulloch–Pitts neuron with weights 1, 1 and threshold 2 computes AND.
function AND_mp(x1, x2)
  local sum = 1 * x1 + 1 * x2
  if sum >= 2 then return 1 else return 0 end
end
print(AND_mp(0, 0), AND_mp(0, 1), AND_mp(1, 0), AND_mp(1, 1))
]]

task{
  [[Write `OR_mp(x1, x2)`, a McCulloch–Pitts neuron for OR: weights 1 and 1, and
  the threshold θ chosen so that one active input is enough.]],
  check = function(env) return check_gate(env, "OR_mp", {0, 1, 1, 1}) end,
  hint = "Copy AND_mp and lower the threshold: which sum must already fire?",
  solution = [[
function OR_mp(x1, x2)
  if x1 + x2 >= 1 then return 1 else return 0 end
end]],
  wrong = {
    { "always fires", [[function OR_mp(x1, x2) return 1 end]] },
    { "AND_mp copied, threshold still 2", [[
function OR_mp(x1, x2)
  if x1 + x2 >= 2 then return 1 else return 0 end
end]] },
    { "threshold 0: fires on no input at all", [[
function OR_mp(x1, x2)
  if x1 + x2 >= 0 then return 1 else return 0 end
end]] },
    { "returns true/false", [[function OR_mp(x1, x2) return x1 + x2 >= 1 end]] },
  },
}

say[[
# Rosenblatt's perceptron (1957)

Rosenblatt's perceptron keeps the threshold unit but *learns* its weights, which may
be negative or positive, and a **bias** b that moves the threshold:

    y = step(w·x + b),   step(s) = 1 if s > 0, else 0

It sees the training examples one at a time. For an example x with target t it
computes y and changes the weights by

    Δw = η (t − y) x        Δb = η (t − y)

where η (eta) is the *learning rate*, 0 < η ≤ 1. When y = t nothing changes. When
the neuron said 0 but should have said 1, t − y = 1 and w moves *towards* x, so
w·x grows next time; when it said 1 but should have said 0, w moves away from x.

Careful with the course notes: one of them writes Δw = ε·(error · output)·x and
Δb = ε·error·(old bias). That is *not* Rosenblatt's rule. With output 0 on a
missed positive example, error · output = 0, so that neuron would never learn
from its mistake. The textbook's rule for several outputs, w(new) = w(old) + α t x
when t ≠ y with bipolar targets (±1), *is* the same rule: there t − y = 2t. (The
textbook writes α for the learning rate, the notes ε; these lessons write η
throughout.)
]]

show[[
function step(s) if s > 0 then return 1 else return 0 end end
function predict(w, b, x) return step(w[1] * x[1] + w[2] * x[2] + b) end
]]

task{
  [[Write `update(w, b, x, t, eta)`: one step of Rosenblatt's rule for the example
  `x` (a table {x1, x2}) with target `t`. It returns the new weights (a new table)
  and the new bias, using `predict(w, b, x)` for y.]],
  check = function(env)
    if type(env.update) ~= "function" then return false, "there is no function `update` yet" end
    local cases = {
      -- w, b, x, t, eta, expected w, expected b
      { {0, 0}, 0, {1, 1}, 1, 0.5, {0.5, 0.5}, 0.5, "a missed positive (y = 0, t = 1)" },
      { {1, 1}, 0, {1, 0}, 0, 0.25, {0.75, 1}, -0.25, "a false positive (y = 1, t = 0)" },
      { {1, -1}, 0.5, {1, 0}, 1, 0.1, {1, -1}, 0.5, "a right answer (nothing changes)" },
    }
    for _, c in ipairs(cases) do
      local w_in = { c[1][1], c[1][2] }
      local ok, w, b = pcall(env.update, w_in, c[2], c[3], c[4], c[5])
      if not ok then return false, "update raised an error: " .. tostring(w) end
      if type(w) ~= "table" or type(b) ~= "number" then
        return false, "update must return the new weights (a table) and the new bias (a number)"
      end
      if not (near(w[1], c[6][1]) and near(w[2], c[6][2]) and near(b, c[7])) then
        return false, ("on %s with w = {%g, %g}, b = %g, x = {%g, %g}, t = %d, η = %g it returns w = {%s, %s}, b = %s; Rosenblatt's rule gives w = {%g, %g}, b = %g")
          :format(c[8], c[1][1], c[1][2], c[2], c[3][1], c[3][2], c[4], c[5],
            tostring(w[1]), tostring(w[2]), tostring(b), c[6][1], c[6][2], c[7])
      end
      if w_in[1] ~= c[1][1] or w_in[2] ~= c[1][2] then
        return false, "update changed the table it was given; return a new one instead"
      end
    end
    return true
  end,
  wrong = {
    { "the course notes' Δw = η·(error·output)·x", [[
function update(w, b, x, t, eta)
  local y = predict(w, b, x)
  local err = t - y
  return { w[1] + eta * err * y * x[1], w[2] + eta * err * y * x[2] }, b + eta * err * b
end]] },
    { "η left out (a step of 1)", [[
function update(w, b, x, t, eta)
  local err = t - predict(w, b, x)
  return { w[1] + err * x[1], w[2] + err * x[2] }, b + err
end]] },
    { "the bias never moves", [[
function update(w, b, x, t, eta)
  local err = t - predict(w, b, x)
  return { w[1] + eta * err * x[1], w[2] + eta * err * x[2] }, b
end]] },
    { "w changed in place", [[
function update(w, b, x, t, eta)
  local err = t - predict(w, b, x)
  w[1], w[2] = w[1] + eta * err * x[1], w[2] + eta * err * x[2]
  return w, b + eta * err
end]] },
    { "the bipolar rule η·t·x on binary targets", [[
function update(w, b, x, t, eta)
  if predict(w, b, x) == t then return { w[1], w[2] }, b end
  return { w[1] + eta * t * x[1], w[2] + eta * t * x[2] }, b + eta * t
end]] },
  },
  hint = [[y = predict(w, b, x); then each new weight is w[i] + eta * (t - y) * x[i],
  and the new bias is b + eta * (t - y).]],
  solution = [[
function update(w, b, x, t, eta)
  local y = predict(w, b, x)
  local err = t - y
  return { w[1] + eta * err * x[1], w[2] + eta * err * x[2] }, b + eta * err
end]],
}

say[[
# Learning AND

`train` below starts from w = (0, 0), b = 0 and goes through the four examples of
AND again and again (each pass is an *epoch*), with *your* `update`. It stops after
an epoch with no mistakes. Watch the weights move.
]]

show[[
function train(examples, eta, epochs)
  local w, b = {0, 0}, 0
  for epoch = 1, epochs do
    local mistakes = 0
    for _, e in ipairs(examples) do
      if predict(w, b, e.x) ~= e.t then mistakes = mistakes + 1 end
      w, b = update(w, b, e.x, e.t, eta)
    end
    print(("epoch %2d: %d mistakes   w = (%5.2f, %5.2f)   b = %5.2f")
      :format(epoch, mistakes, w[1], w[2], b))
    if mistakes == 0 then return w, b, epoch end
  end
  return w, b, epochs
end

AND = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 0}, {x = {1, 0}, t = 0}, {x = {1, 1}, t = 1} }
w_and, b_and = train(AND, 0.1, 20)
]]

say[[
The decision boundary of the trained neuron is the line w₁x₁ + w₂x₂ + b = 0: on
one side the neuron says 1, on the other 0. For AND it cuts (1, 1) off from the
other three corners. Any line that does so is a right answer, which is why the
weights you get depend on η and on the order of the examples. The plot shows
w·x + b as colour (red where the neuron says 1), the line where it is 0, and the
examples (orange: t = 1, blue: t = 0). The corner (1, 0) lies exactly on the
line: w·x + b = 0 there, and step(0) = 0, so it counts as 0.
]]

show[[
corner_points = { {0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 2} }   -- {x1, x2, class}; class 2 is t = 1
p_and = plot.field{title = "AND: w·x + b, and the line w·x + b = 0",
  xmin = -0.5, xmax = 1.5, ymin = -0.5, ymax = 1.5, levels = {0}, points = corner_points,
  f = function(x1, x2) return w_and[1] * x1 + w_and[2] * x2 + b_and end}
]]

pause()

say[[
# Watch it learn

`perceptron_live` trains a perceptron in a window, one example at a time, and
redraws the line after each update (the example just seen is circled). Click in
the window to add a point with t = 1, right-click for t = 0: training goes on
with the new point. It keeps watching for new points until you close the window
(or stop its job with `:stop N`; `:jobs` lists the jobs).
]]

show[[
-- perceptron_live is in lua/lessonlib_00_03.lua; its heart is your two functions:
--   for each example e:  y = predict(w, b, e.x);  w, b = update(w, b, e.x, e.t, eta)
--   then redraw the line w·x + b = 0, wait a moment, and go on
perceptron_live = require("lessonlib_00_03").perceptron_live
OR_live = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 1} }
live_job, live_plot = perceptron_live(OR_live, 0.1, predict, update)
]]

task{
  [[Train the perceptron on OR: make the table `OR` of its four examples (like `AND`
  above), then `w_or, b_or = train(OR, 0.1, 20)`.]],
  check = function(env)
    local okc, why = four_corners(env.OR, "OR", "1")
    if not okc then return false, why end
    for _, e in ipairs(env.OR) do
      local want = (e.x[1] == 1 or e.x[2] == 1) and 1 or 0
      if e.t ~= want then
        return false, ("in `OR` the example x = {%d, %d} has t = %s, but OR gives %d"):format(e.x[1], e.x[2], tostring(e.t), want)
      end
    end
    if type(env.w_or) ~= "table" or type(env.b_or) ~= "number" then
      return false, "train it: w_or, b_or = train(OR, 0.1, 20)"
    end
    for _, x in ipairs{{0, 0}, {0, 1}, {1, 0}, {1, 1}} do
      local y = env.predict(env.w_or, env.b_or, x)
      local want = (x[1] == 1 or x[2] == 1) and 1 or 0
      if y ~= want then
        return false, ("with w_or and b_or the perceptron says %d for (%d, %d); OR is %d there: train it on OR (w_or, b_or = train(OR, 0.1, 20))"):format(y, x[1], x[2], want)
      end
    end
    local w, b = ref_train(env.OR, 0.1, 20)
    if not (near(env.w_or[1], w[1]) and near(env.w_or[2], w[2]) and near(env.b_or, b)) then
      return false, ("w_or = (%g, %g), b_or = %g separate OR, but train(OR, 0.1, 20) ends at w = (%g, %g), b = %g: were they typed in? Let the perceptron learn them")
        :format(env.w_or[1], env.w_or[2], env.b_or, w[1], w[2], b)
    end
    return true
  end,
  wrong = {
    { "AND's examples copied as OR", [[
OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 0}, {x = {1, 0}, t = 0}, {x = {1, 1}, t = 1} }
w_or, b_or = train(OR, 0.1, 20)]] },
    { "AND's trained weights reused", [[
OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 1} }
w_or, b_or = w_and, b_and]] },
    { "weights typed in, not trained", [[
OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 1} }
w_or, b_or = {1, 1}, -0.5]] },
    { "one epoch only", [[
OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 1} }
w_or, b_or = train(OR, 0.1, 1)]] },
  },
  hint = "OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, ... } with all four rows; then call train.",
  solution = [[
OR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 1} }
w_or, b_or = train(OR, 0.1, 20)]],
}

say[[
# XOR: where one neuron is not enough

XOR is 1 when exactly one input is 1. Try the same training on it.
]]

show[[
XOR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 0} }
w_xor, b_xor, epochs_xor = train(XOR, 0.1, 12)
]]

say[[
Twelve epochs and it still makes all four mistakes; it would after a thousand,
too. The weights go round in a circle: every epoch ends where it started.
]]

quiz{
  "Why can a single perceptron not learn XOR?",
  choices = {
    "The learning rate 0.1 is too small; with η = 1 it would converge.",
    "No straight line puts (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other.",
    "The step function is not differentiable, so the rule cannot work.",
    "XOR needs more than four training examples.",
  },
  answer = 2,
  why = [[A perceptron can only draw one line (a hyperplane in more dimensions): it
  learns exactly the *linearly separable* problems, and the convergence theorem
  promises it finds a separating line whenever one exists. XOR has none. The cure
  is a hidden layer, an MLP, which is the next lesson.]],
}

say[[
# Several outputs

A layer of perceptrons has one neuron per output, each with its own weights, all
seeing the same input. The rule is applied to each output separately:

    Δw_ij = η (t_j − y_j) x_i        Δb_j = η (t_j − y_j)

Below, one layer learns AND and OR at the same time (output 1 is AND, output 2 is
OR). The weights form a 2×2 matrix: w[i][j] joins input i to output j.
]]

show[[
function train_layer(examples, eta, epochs)
  local w, b = { {0, 0}, {0, 0} }, {0, 0}
  for epoch = 1, epochs do
    local mistakes = 0
    for _, e in ipairs(examples) do
      for j = 1, 2 do
        local y = step(w[1][j] * e.x[1] + w[2][j] * e.x[2] + b[j])
        local err = e.t[j] - y
        if err ~= 0 then mistakes = mistakes + 1 end
        for i = 1, 2 do w[i][j] = w[i][j] + eta * err * e.x[i] end
        b[j] = b[j] + eta * err
      end
    end
    if mistakes == 0 then return w, b, epoch end
  end
  return w, b, epochs
end

AND_OR = { {x = {0, 0}, t = {0, 0}}, {x = {0, 1}, t = {0, 1}},
           {x = {1, 0}, t = {0, 1}}, {x = {1, 1}, t = {1, 1}} }
w2, b2, epochs2 = train_layer(AND_OR, 0.1, 50)
print(("learned in %d epochs: AND w = (%.1f, %.1f) b = %.1f;  OR w = (%.1f, %.1f) b = %.1f")
  :format(epochs2, w2[1][1], w2[2][1], b2[1], w2[1][2], w2[2][2], b2[2]))
]]

task{
  [[Use `train_layer` to learn NAND and NOR at once (output 1 NAND, output 2 NOR):
  make the examples in `NAND_NOR`, then `w3, b3 = train_layer(NAND_NOR, 0.1, 50)`.]],
  check = function(env)
    local okc, why = four_corners(env.NAND_NOR, "NAND_NOR", "{1, 0}")
    if not okc then return false, why end
    for k, e in ipairs(env.NAND_NOR) do
      if type(e.t) ~= "table" or type(e.t[1]) ~= "number" or type(e.t[2]) ~= "number" then
        return false, ("`NAND_NOR[%d].t` should be two targets, {NAND, NOR}, like {1, 0}"):format(k)
      end
    end
    if type(env.w3) ~= "table" or type(env.b3) ~= "table" then
      return false, "train it: w3, b3 = train_layer(NAND_NOR, 0.1, 50)"
    end
    for _, x in ipairs{{0, 0}, {0, 1}, {1, 0}, {1, 1}} do
      local want = { (x[1] == 1 and x[2] == 1) and 0 or 1, (x[1] == 1 or x[2] == 1) and 0 or 1 }
      for j = 1, 2 do
        local y = env.step(env.w3[1][j] * x[1] + env.w3[2][j] * x[2] + env.b3[j])
        if y ~= want[j] then
          return false, ("output %d (%s) gives %d for (%d, %d); it should give %d")
            :format(j, j == 1 and "NAND" or "NOR", y, x[1], x[2], want[j])
        end
      end
    end
    local w, b = ref_train_layer(env.NAND_NOR, 0.1, 50)
    for i = 1, 2 do
      for j = 1, 2 do
        if not near(env.w3[i][j], w[i][j]) or not near(env.b3[j], b[j]) then
          return false, "w3 and b3 compute NAND and NOR, but they are not what train_layer(NAND_NOR, 0.1, 50) gives: typed in? Let the layer learn them"
        end
      end
    end
    return true
  end,
  wrong = {
    { "the targets in the wrong order, {NOR, NAND}", [[
NAND_NOR = { {x = {0, 0}, t = {1, 1}}, {x = {0, 1}, t = {0, 1}},
             {x = {1, 0}, t = {0, 1}}, {x = {1, 1}, t = {0, 0}} }
w3, b3 = train_layer(NAND_NOR, 0.1, 50)]] },
    { "AND/OR's trained layer reused", [[
NAND_NOR = { {x = {0, 0}, t = {1, 1}}, {x = {0, 1}, t = {1, 0}},
             {x = {1, 0}, t = {1, 0}}, {x = {1, 1}, t = {0, 0}} }
w3, b3 = w2, b2]] },
    { "weights typed in, not trained", [[
NAND_NOR = { {x = {0, 0}, t = {1, 1}}, {x = {0, 1}, t = {1, 0}},
             {x = {1, 0}, t = {1, 0}}, {x = {1, 1}, t = {0, 0}} }
w3, b3 = { {-1, -1}, {-1, -1} }, {1.5, 0.5}]] },
    { "one target each, not two", [[
NAND_NOR = { {x = {0, 0}, t = 1}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 0} }
w3, b3 = { {0, 0}, {0, 0} }, {0, 0}]] },
  },
  hint = "NAND is 0 only for (1, 1); NOR is 1 only for (0, 0). Row (0, 1) is {x = {0, 1}, t = {1, 0}}.",
  solution = [[
NAND_NOR = { {x = {0, 0}, t = {1, 1}}, {x = {0, 1}, t = {1, 0}},
             {x = {1, 0}, t = {1, 0}}, {x = {1, 1}, t = {0, 0}} }
w3, b3 = train_layer(NAND_NOR, 0.1, 50)]],
}

say[[
That is the perceptron: a weighted sum, a threshold, and a rule that moves the
weights by η(t − y)x after each mistake. It learns every problem a line can
separate and no other. Next, lesson 02 stacks neurons into layers and trains them
with backpropagation, which solves XOR.
]]
