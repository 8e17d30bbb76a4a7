-- Lesson 05: gradient descent. Steps along the tangent of a 1-D loss, drawn as they
-- are taken; learning rates too small, right, too large and diverging to NaN, the
-- course's range for η and Jacobs' adaptive rate; batch, stochastic and mini-batch
-- gradient descent on the same linear regression, per epoch, per step and in the
-- (w, b) plane. The plots' plumbing is in lua/lessonlib_04_06.lua; each task
-- carries the wrong answers its check must refuse (nnlab --check runs them).
lesson{"gradient_descent", "Gradient descent"}

local lib = require "lessonlib_04_06"
local near = lib.near

say[[
# Walking downhill

Training minimises a loss L(w). Gradient descent starts somewhere and repeats

    w_new = w_old − η · dL/dw (at w_old)

The derivative is the slope of the tangent at w_old: where the curve rises to the
right (slope > 0) the step goes left, and where it falls the step goes right. The
learning rate η scales the step; these lessons write η everywhere, and the course
text also calls it the "step size" or α (002:255-300). Near the minimum the slope
shrinks, so the steps shrink too, until w stops moving: the *point of
convergence*.

Our curve is L(w) = (w − 2)² + 1, with dL/dw = 2(w − 2) and its minimum at w = 2.
]]

caption[[w_new = w_old − η · dL/dw]]

show[[
function L(w) return (w - 2)^2 + 1 end
function dL(w) return 2 * (w - 2) end
w = -1
for step = 1, 5 do
  local slope = dL(w)
  local w_new = w - 0.25 * slope
  print(("step %d: w = %7.4f, L = %7.4f, tangent slope %8.4f  ->  w = %7.4f"):format(step, w, L(w), slope, w_new))
  w = w_new
end
]]

say[[
The plot marks each point visited with an ×. From each, the step runs along the
tangent (the straight line whose slope is dL/dw there) for −η·slope in w; since
the curve bends up, the tangent ends below it, and the new point is the curve's
value at the new w, straight above. The steps shrink as the slope does.
]]

show[[
gd_view = require("lessonlib_04_06").gd_plot{L = L, dL = dL, eta = 0.25, w0 = -1, steps = 5}
]]

-- The check's cases: the page's curve, then another gradient, start, rate and number
-- of steps, so that a gd tuned to the first (its grad or eta written in) fails.
local GD_CASES = {
  { "dL", function(w) return 2 * (w - 2) end, -1, 0.25, 4 },
  { "the gradient 4(w + 1)", function(w) return 4 * (w + 1) end, 3, 0.1, 6 },
  { "the gradient 0.5·w³", function(w) return 0.5 * w ^ 3 end, 1.5, 0.2, 3 },
}

task{
  [[Write `gd(grad, w0, eta, steps)`: gradient descent from w0 for `steps` steps,
  where grad(w) gives dL/dw. Return a table of the visited points, starting with
  w0 (so it has steps + 1 entries).]],
  check = function(env)
    if type(env.gd) ~= "function" then return false, "there is no function `gd` yet" end
    for _, c in ipairs(GD_CASES) do
      local what, grad, w0, eta, steps = table.unpack(c)
      local call = ("gd(%s, %g, %g, %d)"):format(what, w0, eta, steps)
      local ok, path = pcall(env.gd, grad, w0, eta, steps)
      if not ok then return false, "gd raised an error: " .. tostring(path) end
      if type(path) ~= "table" then
        return false, ("%s returned %s: it must return a table of the points visited"):format(call, tostring(path))
      end
      local want = { w0 }
      for k = 1, steps do want[k + 1] = want[k] - eta * grad(want[k]) end
      if #path ~= #want then
        local why = #path == steps and " (is w0 missing at the start?)" or ""
        return false, ("%s returned %d points; it should return w0 and one point a step, %d in all%s")
          :format(call, #path, #want, why)
      end
      for i = 1, #want do
        if not near(path[i], want[i]) then
          local why = ("it should be %g, w − η·grad(w) from %g"):format(want[i], want[i - 1] or w0)
          if i > 1 and near(path[i], want[i - 1] + eta * grad(want[i - 1])) then
            why = "it went uphill: the step subtracts η·grad(w)"
          end
          return false, ("%s: point %d is %s: %s"):format(call, i, tostring(path[i]), why)
        end
      end
    end
    return true
  end,
  hint = "local path = {w0}; for i = 1, steps do path[i + 1] = path[i] - eta * grad(path[i]) end; return path",
  solution = [[
function gd(grad, w0, eta, steps)
  local path = { w0 }
  for i = 1, steps do path[i + 1] = path[i] - eta * grad(path[i]) end
  return path
end]],
  wrong = {
    { "returns the last point only", [[
function gd(grad, w0, eta, steps) local w = w0; for i = 1, steps do w = w - eta * grad(w) end; return w end]] },
    { "leaves w0 out of the path", [[
function gd(grad, w0, eta, steps) local p, w = {}, w0; for i = 1, steps do w = w - eta * grad(w); p[i] = w end; return p end]] },
    { "the page's gradient written in, grad ignored", [[
function gd(grad, w0, eta, steps) local p = {w0}; for i = 1, steps do p[i + 1] = p[i] - eta * 2 * (p[i] - 2) end; return p end]] },
    { "η = 0.25 written in", [[
function gd(grad, w0, eta, steps) local p = {w0}; for i = 1, steps do p[i + 1] = p[i] - 0.25 * grad(p[i]) end; return p end]] },
    { "steps uphill", [[
function gd(grad, w0, eta, steps) local p = {w0}; for i = 1, steps do p[i + 1] = p[i] + eta * grad(p[i]) end; return p end]] },
  },
}

say[[
# Too small, right, too large, diverging

Each step multiplies the distance to the minimum by (1 − 2η) here, because
w − 2 becomes (w − 2) − η·2(w − 2). So:

- η = 0.01: the factor is 0.98, and w creeps towards 2.
- η = 0.3: the factor is 0.4, and w arrives within a few steps.
- η = 0.9: the factor is −0.8, and w jumps across the valley each step,
  overshooting, but still closing in.
- η = 1.1: the factor is −1.2; each jump lands further away (the fourth panel's
  axes grow to show it), and w grows until it overflows to infinity and then to
  NaN (not a number: inf − inf).
]]

show[[
for _, eta in ipairs{0.01, 0.3, 0.9, 1.1} do
  local path = gd(dL, -1, eta, 8)
  local shown = {}
  for i = 1, #path do shown[i] = ("%.3g"):format(path[i]) end
  print(("η = %-4g  w: %s"):format(eta, table.concat(shown, "  ")))
end
local far = gd(dL, -1, 1.1, 4000)
print(("η = 1.1 after 4000 steps: w = %s"):format(tostring(far[#far])))
rates_window = require("lessonlib_04_06").rates_window(L, dL, {0.01, 0.3, 0.9, 1.1}, -1, 8)
]]

say[[
No one rate suits every loss. The course's text keeps η constant and reports that
values from 10⁻³ to 0.9 "have been used successfully" for back-propagation; too
large a rate oscillates, too small a one crawls. It also cites Jacobs' *adaptive
coefficient*: a rate that changes with the error derivative on successive updates
(002:744-749), growing while the slope keeps its sign and shrinking when the sign
flips. Rprop and the adaptive optimizers of lesson 06 carry that idea on.
]]

task{
  [[For this L(w), one learning rate takes w to the minimum in a *single* step from
  anywhere. Find it, and set `eta_one_step` to it.]],
  check = function(env)
    local eta = env.eta_one_step
    if type(eta) ~= "number" then
      return false, ("set `eta_one_step` to a number (it is %s)"):format(type(eta) == "string"
        and ("the string %q"):format(eta) or tostring(eta))
    end
    local w1 = -1 - eta * 2 * (-1 - 2)
    if not near(w1, 2, 1e-9) then
      return false, ("with η = %g the factor 1 − 2η is %g: from w = −1 one step lands at w = %g, not at 2. Which η makes the factor zero?")
        :format(eta, 1 - 2 * eta, w1)
    end
    return true
  end,
  hint = "After one step the distance to 2 is multiplied by 1 − 2η. When is that 0?",
  solution = [[eta_one_step = 0.5]],
  wrong = {
    { "1, the edge of divergence", [[eta_one_step = 1]] },
    { "the page's example rate", [[eta_one_step = 0.25]] },
    { "the curvature 2", [[eta_one_step = 2]] },
    { "the right value as a string", [[eta_one_step = "0.5"]] },
  },
}

quiz{
  "In general, for L(w) = a·(w − w*)² with a > 0, which learning rates make gradient descent converge?",
  choices = {
    "Any η > 0: gradient descent always converges on a convex function.",
    "0 < η < 1/(2a); any larger η diverges.",
    "0 < η < 1/a: below 1/(2a) it approaches from one side, between 1/(2a) and 1/a it overshoots but still converges, beyond 1/a it diverges.",
    "Only η = 1/(2a), the one-step learning rate.",
  },
  answer = 3,
  why = [[The second derivative is 2a, and each step multiplies w − w* by 1 − 2aη.
  For 0 < η < 1/(2a) the factor is in (0, 1): a monotone approach; at η = 1/(2a)
  one step lands on w*; for 1/(2a) < η < 1/a it is in (−1, 0): overshooting but
  converging; beyond η = 1/a its size exceeds 1 and w diverges. (Our a = 1: one
  step at 0.5, divergence beyond 1.)]],
}

say[[
# Batch, stochastic and mini-batch

With many training examples, L is the average of the examples' losses, and there
are three ways to take its gradient:

- **batch** gradient descent uses all N examples for each step: exact, steady, one
  step per epoch, and needs all the data at once;
- **stochastic** gradient descent (SGD) uses one random example per step: N noisy
  steps per epoch; the noise can even shake it out of a poor local minimum (lesson
  06 shows it on a bumpy surface);
- **mini-batch** gradient descent uses a small random batch (here 32): less noise
  than SGD, many steps per epoch, and it keeps a vector unit busy. It is the
  usual choice.

Below, each fits y = w·x + b to 256 noisy points of y = 3x + 1 for 20 epochs
(passes over the data) with η = 0.05, from w = b = 0. `epoch` is one pass;
`path`, when given, collects (w, b) after every step for the plots.
]]

show[=[
math.randomseed(7)
points = {}
for i = 1, 256 do
  local x = math.random() * 2 - 1
  points[i] = { x = x, y = 3 * x + 1 + (math.random() - 0.5) * 0.4 }
end
function full_loss(w, b) return require("lessonlib_04_06").full_loss(points, w, b) end

-- One epoch of mini-batch GD: shuffle, then a step per batch along the gradient of
-- the batch's mean squared error.
function epoch(w, b, batch, eta, path)
  local order = {}
  for i = 1, #points do order[i] = i end
  for i = #order, 2, -1 do local j = math.random(i); order[i], order[j] = order[j], order[i] end
  for first = 1, #order, batch do
    local gw, gb, n = 0, 0, 0
    for k = first, math.min(first + batch - 1, #order) do
      local p = points[order[k]]
      local err = w * p.x + b - p.y
      gw, gb, n = gw + 2 * err * p.x, gb + 2 * err, n + 1
    end
    w, b = w - eta * gw / n, b - eta * gb / n
    if path then path[#path + 1] = {w, b} end
  end
  return w, b
end
]=]

show[=[
curves, paths = {}, {}
for _, run in ipairs{ {"batch (256)", 256}, {"mini-batch (32)", 32}, {"stochastic (1)", 1} } do
  local w, b, curve, path = 0, 0, {}, {{0, 0}}
  for e = 1, 20 do
    w, b = epoch(w, b, run[2], 0.05, path)
    curve[e] = full_loss(w, b)
  end
  curves[run[1]], paths[run[1]] = curve, path
  print(("%-16s after 1 epoch %.4f, 5: %.4f, 20: %.4f   (w = %.3f, b = %.3f)")
    :format(run[1], curve[1], curve[5], curve[20], w, b))
end
runs = {}
for name, c in pairs(curves) do runs[name] = {curve = c, path = paths[name]} end
batch_views = require("lessonlib_04_06").batch_window(points, runs)
]=]

say[[
With the same η, batch GD has taken only 20 steps in 20 epochs and is still far
off (loss 0.81); mini-batch took 160 steps and SGD 5120, and both are at the noise
floor (the best line's loss, 0.0126, is the data's own noise). The middle panel
puts them on one axis of *steps*: step for step the three fall almost alike (after
20 steps SGD's loss is 0.71, batch GD's 0.81; batch GD's line ends there, under the
others), so the smallest batch, with the most steps per epoch, gets furthest per
epoch. Near the floor the difference shows: batch GD's steps are exact, while
SGD's keep bouncing (over its last epoch its loss goes between 0.0126 and 0.0186)
and its path in the (w, b) plane, on the right, wanders instead of settling.
]]

-- The check compares the student's curve with runs of batch 8 made with the check's
-- own shuffles: after one epoch (32 steps) their loss is 0.36 to 0.38, where batch
-- 32 gives 1.9 and SGD 0.016, and 20 epochs end near the floor.
local BATCH8_FIRST = {0.25, 0.55}

task{
  [[Make `curves["mini-batch (8)"]`: run the same loop with batch size 8 and η = 0.05
  for 20 epochs from w = 0, b = 0, storing the full loss after each epoch.]],
  check = function(env)
    local c = type(env.curves) == "table" and env.curves["mini-batch (8)"]
    if type(c) ~= "table" then return false, 'there is no curves["mini-batch (8)"] yet' end
    if #c ~= 20 then return false, ('curves["mini-batch (8)"] has %d values; it needs one per epoch, 20'):format(#c) end
    for e = 1, 20 do
      if type(c[e]) ~= "number" then return false, ("value %d is %s, not a number"):format(e, tostring(c[e])) end
    end
    for name, other in pairs(env.curves) do
      if name ~= "mini-batch (8)" and type(other) == "table" then
        local same = #other == #c
        for e = 1, #c do same = same and other[e] == c[e] end
        if same then
          return false, ('curves["mini-batch (8)"] is the %s curve, copied: run the loop with batch 8'):format(name)
        end
      end
    end
    if not (c[1] >= BATCH8_FIRST[1] and c[1] <= BATCH8_FIRST[2]) then
      local why = c[1] < BATCH8_FIRST[1]
        and "lower than batch 8 gets in one epoch (0.36 to 0.38): did it start from w = 0, b = 0, with batch 8, not 1?"
        or "higher than batch 8 gets in one epoch (0.36 to 0.38): batch 8 makes 32 steps an epoch, with η = 0.05"
      return false, ("the loss after the first epoch is %.4f, %s"):format(c[1], why)
    end
    if not (c[20] < 0.05) then
      return false, ("after 20 epochs the loss is %.4f; with batch 8 and η = 0.05 it should be near the noise floor, about 0.013"):format(c[20])
    end
    return true
  end,
  hint = [[Copy the loop body: local w, b, curve = 0, 0, {}; for e = 1, 20 do w, b = epoch(w, b, 8, 0.05);
  curve[e] = full_loss(w, b) end; curves["mini-batch (8)"] = curve]],
  solution = [[
local w, b, curve = 0, 0, {}
for e = 1, 20 do
  w, b = epoch(w, b, 8, 0.05)
  curve[e] = full_loss(w, b)
end
curves["mini-batch (8)"] = curve]],
  wrong = {
    { "the batch-32 curve, copied", [[curves["mini-batch (8)"] = curves["mini-batch (32)"] ]] },
    { "the batch-32 values, copied one by one", [[
local c = {}; for e = 1, 20 do c[e] = curves["mini-batch (32)"][e] end; curves["mini-batch (8)"] = c]] },
    { "batch size 1", [[
local w, b, curve = 0, 0, {}
for e = 1, 20 do w, b = epoch(w, b, 1, 0.05); curve[e] = full_loss(w, b) end
curves["mini-batch (8)"] = curve]] },
    { "w and b not reset: it goes on from a trained line", [[
local w, b, curve = 3, 1, {}
for e = 1, 20 do w, b = epoch(w, b, 8, 0.05); curve[e] = full_loss(w, b) end
curves["mini-batch (8)"] = curve]] },
    { "19 epochs", [[
local w, b, curve = 0, 0, {}
for e = 1, 19 do w, b = epoch(w, b, 8, 0.05); curve[e] = full_loss(w, b) end
curves["mini-batch (8)"] = curve]] },
  },
}

show[[
-- your curve joins the others in the left panel
local ep = {}
for e = 1, 20 do ep[e] = e end
batch_views.per_epoch:add("mini-batch (8), yours", ep, curves["mini-batch (8)"])
print(("batch 8: after 1 epoch %.4f, 20: %.4f"):format(curves["mini-batch (8)"][1], curves["mini-batch (8)"][20]))
]]

say[[
That is gradient descent: follow the negative slope, scaled by η. Its whole
difficulty is in choosing η and the batch. Lesson 06 races the optimizers that
adapt the step by themselves: momentum, RMSProp, Adam and more.
]]
