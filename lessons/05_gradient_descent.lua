-- Lesson 05: gradient descent. Steps along the tangent of a 1-D loss; learning
-- rates too small, right, too large and diverging to NaN; batch, stochastic and
-- mini-batch (32) gradient descent on the same linear regression, as loss curves.
lesson{"gradient_descent", "Gradient descent"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b)) end

say[[
# Walking downhill

Training minimises a loss L(w). Gradient descent starts somewhere and repeats

    w_new = w_old − η · dL/dw (at w_old)

The derivative is the slope of the tangent at w_old: where the curve rises to the
right (slope > 0) the step goes left, and where it falls the step goes right. The
learning rate η ("step size" or α) scales the step. Near the minimum the slope
shrinks, so the steps shrink too, until w stops moving: the *point of
convergence*.

Our curve is L(w) = (w − 2)² + 1, with dL/dw = 2(w − 2) and its minimum at w = 2.
]]

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
The plot shows the curve, the points visited, and at each one its tangent: the
straight line whose slope is dL/dw there. Each step follows the tangent downhill.
]]

show[[
-- The curve, the visited points and a short piece of the tangent at each.
function gd_plot(eta, w0, steps, title, show)
  local cx, cy = {}, {}
  for i = 0, 120 do cx[#cx + 1] = -2 + 8 * i / 120; cy[#cy + 1] = L(cx[#cx]) end
  local px, py, tx, ty = {}, {}, {}, {}
  local w = w0
  for k = 0, steps do
    px[#px + 1], py[#py + 1] = w, L(w)
    local s = dL(w)
    for _, d in ipairs{-0.6, 0.6} do tx[#tx + 1], ty[#ty + 1] = w + d, L(w) + s * d end
    tx[#tx + 1], ty[#ty + 1] = 0 / 0, 0 / 0   -- NaN: a gap between tangents
    w = w - eta * s
  end
  return plot.lines{title = title or ("gradient descent, η = " .. eta), xlabel = "w", ylabel = "L(w)",
    ylim = {0, 20}, show = show, series = {["L(w)"] = {x = cx, y = cy}, steps = {x = px, y = py},
    tangents = {x = tx, y = ty}}}
end
gd_view = gd_plot(0.25, -1, 5)
]]

task{
  [[Write `gd(grad, w0, eta, steps)`: gradient descent from w0 for `steps` steps,
  where grad(w) gives dL/dw. Return a table of the visited points, starting with
  w0 (so it has steps + 1 entries).]],
  check = function(env)
    if type(env.gd) ~= "function" then return false, "there is no function `gd` yet" end
    local ok, path = pcall(env.gd, function(w) return 2 * (w - 2) end, -1, 0.25, 4)
    if not ok then return false, "gd raised an error: " .. tostring(path) end
    if type(path) ~= "table" then return false, "gd must return a table of points" end
    local want = { -1, 0.5, 1.25, 1.625, 1.8125 }
    if #path ~= #want then
      return false, ("gd(dL, -1, 0.25, 4) returned %d points; it should return w0 and one point a step, 5 in all"):format(#path)
    end
    for i = 1, #want do
      if not near(path[i], want[i]) then
        return false, ("point %d is %s; it should be %g (w − η·dL/dw from %g)"):format(i, tostring(path[i]), want[i], want[i - 1] or 0)
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
}

say[[
# Too small, right, too large, diverging

Each step multiplies the distance to the minimum by (1 − 2η) here, because
w − 2 becomes (w − 2) − η·2(w − 2). So:

- η = 0.01: the factor is 0.98, and w creeps towards 2.
- η = 0.3: the factor is 0.4, and w arrives within a few steps.
- η = 0.9: the factor is −0.8, and w jumps across the valley each step,
  overshooting, but still closing in.
- η = 1.1: the factor is −1.2; each jump lands further away, and w grows until it
  overflows to infinity and then to NaN (not a number: inf − inf).
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
rates_views = {}
for _, eta in ipairs{0.01, 0.3, 0.9, 1.1} do
  rates_views[#rates_views + 1] = gd_plot(eta, -1, 8, ("η = %g"):format(eta), false)
end
rates_window = plot.window{rates_views[1], rates_views[2], rates_views[3], rates_views[4], cols = 4,
  title = "too small, right, too large, diverging"}
]]

task{
  [[For this L(w), one learning rate takes w to the minimum in a *single* step from
  anywhere. Find it, and set `eta_one_step` to it.]],
  check = function(env)
    local eta = env.eta_one_step
    if type(eta) ~= "number" then return false, "set `eta_one_step` to a number" end
    local w1 = -1 - eta * 2 * (-1 - 2)
    if not near(w1, 2, 1e-9) then
      return false, ("from w = −1 one step with η = %g lands at w = %g, not at 2: which η makes the factor 1 − 2η zero?"):format(eta, w1)
    end
    return true
  end,
  hint = "After one step the distance to 2 is multiplied by 1 − 2η. When is that 0?",
  solution = [[eta_one_step = 0.5]],
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
  steps per epoch; the noise can even shake it out of a poor local minimum;
- **mini-batch** gradient descent uses a small random batch (here 32): less noise
  than SGD, many steps per epoch, and it keeps a vector unit busy. It is the
  usual choice.

Below, each fits y = w·x + b to 256 noisy points of y = 3x + 1 for the same number
of epochs (passes over the data), and we look at the loss on all the data after
each epoch.
]]

show[=[
math.randomseed(7)
points = {}
for i = 1, 256 do
  local x = math.random() * 2 - 1
  points[i] = { x = x, y = 3 * x + 1 + (math.random() - 0.5) * 0.4 }
end

function full_loss(w, b)
  local s = 0
  for _, p in ipairs(points) do s = s + (w * p.x + b - p.y)^2 end
  return s / #points
end

-- One epoch of mini-batch GD with the given batch size; the gradient is that of
-- the batch's mean squared error.
function epoch(w, b, batch, eta)
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
  end
  return w, b
end

curves = {}
for _, run in ipairs{ {"batch (256)", 256}, {"mini-batch (32)", 32}, {"stochastic (1)", 1} } do
  local w, b, curve = 0, 0, {}
  for e = 1, 20 do
    w, b = epoch(w, b, run[2], 0.05)
    curve[e] = full_loss(w, b)
  end
  curves[run[1]] = curve
  print(("%-16s after 1 epoch %.4f, 5: %.4f, 20: %.4f   (w = %.3f, b = %.3f)")
    :format(run[1], curve[1], curve[5], curve[20], w, b))
end
]=]

show[[
local epochs = {}
for e = 1, 20 do epochs[e] = e end
local series = {}
for name, c in pairs(curves) do series[name] = {x = epochs, y = c} end
batch_plot = plot.lines{title = "loss on all the data after each epoch", xlabel = "epoch", ylabel = "MSE",
  ylog = true, series = series}
]]

say[[
With the same η, batch GD has taken only 20 steps in 20 epochs and is still far
off; mini-batch took 160 and SGD 5120, and both are at the noise floor (the data's
own noise gives a loss of about 0.013). Per *step*, batch GD is the most
accurate; per *epoch* of computing, the smaller batches get further.
]]

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
    if not (c[20] < 0.05) then
      return false, ("after 20 epochs the loss is %.4f; with batch 8 and η = 0.05 it should be near the noise floor, about 0.013"):format(c[20])
    end
    if not (c[1] < env.curves["batch (256)"][1]) then
      return false, "the first epoch's loss should be lower than batch GD's (32 steps against 1): did you use batch size 8?"
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
}

say[[
That is gradient descent: follow the negative slope, scaled by η. Its whole
difficulty is in choosing η and the batch. Lesson 06 races the optimizers that
adapt the step by themselves: momentum, RMSProp, Adam and more.
]]
