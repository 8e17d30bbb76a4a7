-- Lesson 02: the MLP and backpropagation. Function composition (the course notes'
-- 2·sin(x²) + √(5x)), the computational graph, the chain rule and memoization; the
-- three phases of the textbook's BPN algorithm on a 3-3-2 net with every number
-- shown; the same gradients from autograd; gradient checking by finite
-- differences; the BPN trained to a stopping condition (random starts, local
-- minima, the learning rate); XOR solved by a hidden layer (nn.bce on logits).
lesson{"backprop", "The MLP and backpropagation"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-6) * math.max(1, math.abs(b)) end

-- The 3-3-2 example, computed here as well so that checks do not trust the
-- student's tables for the numbers they compare against.
local function f(s) return 1 / (1 + math.exp(-s)) end
local function example()
  local e = {
    x = {1, 0, 1}, t = {1, 0}, eta = 0.5,
    v = { {0.2, -0.3, 0.4}, {0.1, 0.5, -0.2}, {-0.4, 0.2, 0.3} }, v0 = {0.1, -0.1, 0.2},
    w = { {0.3, -0.2}, {-0.1, 0.4}, {0.5, 0.1} }, w0 = {-0.2, 0.1},
  }
  e.z_in, e.z, e.y_in, e.y = {}, {}, {}, {}
  for j = 1, 3 do
    e.z_in[j] = e.v0[j]
    for i = 1, 3 do e.z_in[j] = e.z_in[j] + e.x[i] * e.v[i][j] end
    e.z[j] = f(e.z_in[j])
  end
  for k = 1, 2 do
    e.y_in[k] = e.w0[k]
    for j = 1, 3 do e.y_in[k] = e.y_in[k] + e.z[j] * e.w[j][k] end
    e.y[k] = f(e.y_in[k])
  end
  e.delta_k, e.delta_j = {}, {}
  for k = 1, 2 do e.delta_k[k] = (e.t[k] - e.y[k]) * e.y[k] * (1 - e.y[k]) end
  for j = 1, 3 do
    local d_in = 0
    for k = 1, 2 do d_in = d_in + e.delta_k[k] * e.w[j][k] end
    e.delta_j[j] = d_in * e.z[j] * (1 - e.z[j])
  end
  return e
end

-- slips: {name, values} of what a common mistake gives, named in the message
local function check_list(env, name, want, what, slips)
  local got = env[name]
  if type(got) ~= "table" then return false, ("there is no table `%s` yet"):format(name) end
  if #got ~= #want then
    return false, ("`%s` has %d entr%s; it should be a flat list of numbers, one per %s, %d in all")
      :format(name, #got, #got == 1 and "y" or "ies", what, #want)
  end
  for i = 1, #want do
    if type(got[i]) ~= "number" then
      return false, ("%s[%d] is a %s; it should be a number, one per %s"):format(name, i, type(got[i]), what)
    end
  end
  for i = 1, #want do
    if not near(got[i], want[i]) then
      for _, slip in ipairs(slips or {}) do
        local all = true
        for k = 1, #want do all = all and near(got[k], slip[2][k]) end
        if all then return false, ("%s[%d] is %.6f, but it should be %.6f: %s"):format(name, i, got[i], want[i], slip[1]) end
      end
      return false, ("%s[%d] is %s, but it should be %.6f"):format(name, i, tostring(got[i]), want[i])
    end
  end
  return true
end

local function slips_delta_k()
  local e = example()
  local flipped, no_fprime, twice = {}, {}, {}
  for k = 1, 2 do
    flipped[k], no_fprime[k] = -e.delta_k[k], e.t[k] - e.y[k]
    local s = f(e.y[k])
    twice[k] = (e.t[k] - e.y[k]) * s * (1 - s)
  end
  return {
    { "the sign is flipped: δ_k = (t_k − y_k)·f′, target minus output", flipped },
    { "f′(y_ink) = y_k·(1 − y_k) is missing", no_fprime },
    { "f′ is taken at y_ink, and y_k is already f(y_ink): f′ = y_k·(1 − y_k), no second sigmoid", twice },
  }
end

local function slips_delta_j()
  local e = example()
  local no_fprime, new_w, one_out = {}, {}, {}
  for j = 1, 3 do
    local d_in, d_in_new = 0, 0
    for k = 1, 2 do
      d_in = d_in + e.delta_k[k] * e.w[j][k]
      d_in_new = d_in_new + e.delta_k[k] * (e.w[j][k] + e.eta * e.delta_k[k] * e.z[j])
    end
    no_fprime[j] = d_in
    new_w[j] = d_in_new * e.z[j] * (1 - e.z[j])
    one_out[j] = e.delta_k[1] * e.w[j][1] * e.z[j] * (1 - e.z[j])
  end
  return {
    { "that is δ_inj; multiply by f′(Z_inj) = Z_j·(1 − Z_j)", no_fprime },
    { "the error goes back along the old weights w, before Δw is added", new_w },
    { "δ_inj sums over both outputs k, δ₁·w_j1 + δ₂·w_j2", one_out },
  }
end

say[[
# Functions made of functions

The course notes fit the curve

    f(x) = 2·sin(x²) + √(5x)

A single neuron with the identity activation is a line, y = wx + b, and no line
follows this curve. But f is a *composition* of simple functions: with f₁ = add,
f₂ = square, f₃ = square root, f₄ = sin and f₅ = multiply,

    f(x) = f₁( f₅(2, f₄(f₂(x))),  f₃(f₅(5, x)) )

An MLP is the same idea: layers of simple functions composed, whose weights are
learned. Drawn as a graph, with one node per primitive function and an edge for
each value passed along, this is the *computational graph* of f: the window shows
it, x and the constants at the top, the result f at the bottom.
]]

show[[
graph_of_f = require("lessonlib_00_03").f_graph_plot()
]]

show[[
-- f computed node by node; each local is one node of the graph.
function f_graph(x)
  local a = x * x           -- f2: square
  local b = math.sin(a)     -- f4: sin
  local c = 2 * b           -- f5: multiply by 2
  local d = 5 * x           -- f5: multiply by 5
  local e = math.sqrt(d)    -- f3: square root
  return c + e              -- f1: add
end
print(f_graph(1.5))
]]

pause()

say[[
# The chain rule, node by node

To change a weight in the right direction we need the derivative of the output
with respect to it. The chain rule multiplies the local derivatives along the path
from the output back to the input: for y = g(h(x)), dy/dx = g′(h(x))·h′(x).

Going *backwards* from the output, each node receives ∂f/∂(its output) and passes
∂f/∂(its input) = ∂f/∂(output) × (local derivative) to the node before it. Where
paths join (x feeds both x² and 5x) the contributions add up. Each node's
derivative is computed *once* and reused by every path through it: that
remembering, *memoization*, is what makes it cheap. Chain rule + memoization =
backpropagation.
]]

task{
  [[Write `df_graph(x)`, the derivative of f at x, by going backwards through the
  nodes of `f_graph`: start with ∂f/∂c = 1 and ∂f/∂e = 1 and multiply by each
  node's local derivative (d sin(a)/da = cos(a), d √d/dd = 1/(2√d)). Add the two
  paths into x at the end.]],
  check = function(env)
    if type(env.df_graph) ~= "function" then return false, "there is no function `df_graph` yet" end
    for _, x in ipairs{0.5, 1.5, 2.2} do
      local want = 4 * x * math.cos(x * x) + 5 / (2 * math.sqrt(5 * x))
      local ok, got = pcall(env.df_graph, x)
      if not ok then return false, "df_graph raised an error: " .. tostring(got) end
      if type(got) ~= "number" then return false, ("df_graph(%g) returns %s, not a number"):format(x, tostring(got)) end
      -- the backward pass is exact up to rounding (about 1e-15); a finite
      -- difference is off by 1e-10 or more, which is the method, not the sum
      if near(got, want, 1e-4) and not near(got, want, 1e-12) then
        return false, ("df_graph(%g) = %.12f is close to f′ = %.12f but not exact: a finite difference? Go backwards through the nodes, multiplying local derivatives")
          :format(x, got, want)
      end
      if not near(got, want, 1e-12) then
        local fx = 2 * math.sin(x * x) + math.sqrt(5 * x)
        if near(got, fx, 1e-9) then
          return false, ("df_graph(%g) returns f(%g) itself, %.6f; it should return the derivative f′(%g) = %.6f"):format(x, x, fx, x, want)
        end
        return false, ("df_graph(%g) = %s, but f′(%g) = 4x·cos(x²) + 5/(2√(5x)) = %.6f"):format(x, tostring(got), x, want)
      end
    end
    return true
  end,
  wrong = {
    { "the path through 5x forgotten", [[
function df_graph(x)
  return 2 * math.cos(x * x) * 2 * x
end]] },
    { "sin's chain factor 2x forgotten", [[
function df_graph(x)
  return 2 * math.cos(x * x) + 5 / (2 * math.sqrt(5 * x))
end]] },
    { "a centred finite difference instead of the backward pass", [[
function df_graph(x)
  local h = 1e-5
  return (f_graph(x + h) - f_graph(x - h)) / (2 * h)
end]] },
    { "f itself, not its derivative", [[df_graph = f_graph]] },
  },
  hint = [[∂f/∂b = 2 (from c = 2b), ∂f/∂a = 2·cos(a), and x gets 2·cos(a)·2x through a = x·x;
  through d = 5x it gets 1/(2√d)·5. Return the sum.]],
  solution = [[
function df_graph(x)
  local a = x * x
  local d = 5 * x
  local df_dc, df_de = 1, 1
  local df_db = df_dc * 2
  local df_da = df_db * math.cos(a)
  local df_dd = df_de / (2 * math.sqrt(d))
  return df_da * 2 * x + df_dd * 5
end]],
}

say[[
# Backpropagation on a 3-3-2 network

The textbook's back-propagation network (BPN) has inputs x_i, hidden units Z_j
with weights v_ij and biases v_0j, and outputs y_k with weights w_jk and biases
w_0k; f is the binary sigmoid f(s) = 1/(1 + e^(−s)), whose derivative is
f′(s) = f(s)·(1 − f(s)). Training on one pair (x, t) has three phases:

    Phase I, feed-forward:
      Z_inj = v_0j + Σ_i x_i v_ij        Z_j = f(Z_inj)
      y_ink = w_0k + Σ_j Z_j w_jk        y_k = f(y_ink)
    Phase II, back-propagation of error:
      δ_k = (t_k − y_k)·f′(y_ink)        Δw_jk = η δ_k Z_j     Δw_0k = η δ_k
      δ_inj = Σ_k δ_k w_jk               δ_j = δ_inj·f′(Z_inj)
      Δv_ij = η δ_j x_i                  Δv_0j = η δ_j
    Phase III, update: every weight += its Δ

η is the learning rate (the textbook writes α; these lessons write η throughout).
The textbook's algorithm starts (its Step I) from *small random* weights; below, a
3-3-2 net (3 inputs, 3 hidden units, 2 outputs, the course's figure 1.3.1) has
small weights chosen by hand instead, so that every number can be followed. The
window draws it: red edges are positive weights, blue negative, thicker is larger.
The input is x = (1, 0, 1), the target t = (1, 0), and η = 0.5.
]]

show[[
network_figure = require("lessonlib_00_03").network_332_plot(
  { {0.2, -0.3, 0.4}, {0.1, 0.5, -0.2}, {-0.4, 0.2, 0.3} },   -- v: input i -> hidden j
  { {0.3, -0.2}, {-0.1, 0.4}, {0.5, 0.1} })                   -- w: hidden j -> output k
]]

pause()

say[[
Phase I, with every number:
]]

show[[
x, t, eta = {1, 0, 1}, {1, 0}, 0.5
v  = { {0.2, -0.3, 0.4}, {0.1, 0.5, -0.2}, {-0.4, 0.2, 0.3} }   -- v[i][j]: input i -> hidden j
v0 = {0.1, -0.1, 0.2}
w  = { {0.3, -0.2}, {-0.1, 0.4}, {0.5, 0.1} }                    -- w[j][k]: hidden j -> output k
w0 = {-0.2, 0.1}
function sigmoid(s) return 1 / (1 + math.exp(-s)) end

z_in, z, y_in, y = {}, {}, {}, {}
for j = 1, 3 do
  z_in[j] = v0[j] + x[1] * v[1][j] + x[2] * v[2][j] + x[3] * v[3][j]
  z[j] = sigmoid(z_in[j])
  print(("Z_in%d = %.1f + 1·(%.1f) + 0·(%.1f) + 1·(%.1f) = %7.4f    Z%d = f(Z_in%d) = %.4f")
    :format(j, v0[j], v[1][j], v[2][j], v[3][j], z_in[j], j, j, z[j]))
end
for k = 1, 2 do
  y_in[k] = w0[k] + z[1] * w[1][k] + z[2] * w[2][k] + z[3] * w[3][k]
  y[k] = sigmoid(y_in[k])
  print(("y_in%d = %.1f + %.4f·(%.1f) + %.4f·(%.1f) + %.4f·(%.1f) = %7.4f    y%d = %.4f")
    :format(k, w0[k], z[1], w[1][k], z[2], w[2][k], z[3], w[3][k], y_in[k], k, y[k]))
end
E = 0.5 * ((t[1] - y[1])^2 + (t[2] - y[2])^2)
print(("error E = ½ Σ (t_k − y_k)² = %.6f"):format(E))
]]

task{
  [[Phase II starts at the outputs. Make `delta_k`, the table of the two output
  deltas δ_k = (t_k − y_k)·f′(y_ink), using `t`, `y` and f′ = f·(1 − f) (note that
  y_k is already f(y_ink)).]],
  check = function(env) return check_list(env, "delta_k", example().delta_k, "output unit", slips_delta_k()) end,
  hint = "delta_k = { (t[1] - y[1]) * y[1] * (1 - y[1]), (t[2] - y[2]) * ... }",
  solution = [[
delta_k = {}
for k = 1, 2 do delta_k[k] = (t[k] - y[k]) * y[k] * (1 - y[k]) end]],
  wrong = {
    { "output minus target", [[
delta_k = {}
for k = 1, 2 do delta_k[k] = (y[k] - t[k]) * y[k] * (1 - y[k]) end]] },
    { "no f′", [[delta_k = { t[1] - y[1], t[2] - y[2] }]] },
    { "f′ of the output taken again, f′(y_k) instead of f′(y_ink)", [[
delta_k = {}
for k = 1, 2 do local s = sigmoid(y[k]); delta_k[k] = (t[k] - y[k]) * s * (1 - s) end]] },
    { "both deltas in one row, {{δ1, δ2}}", [[delta_k = { { (t[1] - y[1]) * y[1] * (1 - y[1]), (t[2] - y[2]) * y[2] * (1 - y[2]) } }]] },
  },
}

show[[
for k = 1, 2 do
  print(("output δ%d = (%d − %.4f)·%.4f·(1 − %.4f) = %8.5f"):format(k, t[k], y[k], y[k], y[k], delta_k[k]))
end
dw, dw0 = {}, {}
for j = 1, 3 do
  dw[j] = {}
  for k = 1, 2 do
    dw[j][k] = eta * delta_k[k] * z[j]
    print(("Δw%d%d = η·δ%d·Z%d = 0.5·(%8.5f)·%.4f = %8.5f"):format(j, k, k, j, delta_k[k], z[j], dw[j][k]))
  end
end
for k = 1, 2 do dw0[k] = eta * delta_k[k]; print(("Δw0%d = η·δ%d = %8.5f"):format(k, k, dw0[k])) end
]]

task{
  [[Now the hidden layer. Make `delta_j`, the three hidden deltas:
  δ_inj = Σ_k δ_k·w_jk (the error sent back along the *old* weights w), then
  δ_j = δ_inj·f′(Z_inj) = δ_inj·Z_j·(1 − Z_j).]],
  check = function(env) return check_list(env, "delta_j", example().delta_j, "hidden unit", slips_delta_j()) end,
  hint = "for j = 1, 3: d_in = delta_k[1] * w[j][1] + delta_k[2] * w[j][2]; delta_j[j] = d_in * z[j] * (1 - z[j])",
  solution = [[
delta_j = {}
for j = 1, 3 do
  local d_in = delta_k[1] * w[j][1] + delta_k[2] * w[j][2]
  delta_j[j] = d_in * z[j] * (1 - z[j])
end]],
  wrong = {
    { "δ_inj without f′", [[
delta_j = {}
for j = 1, 3 do delta_j[j] = delta_k[1] * w[j][1] + delta_k[2] * w[j][2] end]] },
    { "sent back along the updated weights w + Δw", [[
delta_j = {}
for j = 1, 3 do
  local d_in = 0
  for k = 1, 2 do d_in = d_in + delta_k[k] * (w[j][k] + dw[j][k]) end
  delta_j[j] = d_in * z[j] * (1 - z[j])
end]] },
    { "only the first output's error", [[
delta_j = {}
for j = 1, 3 do delta_j[j] = delta_k[1] * w[j][1] * z[j] * (1 - z[j]) end]] },
  },
}

show[[
dv, dv0 = {}, {}
for j = 1, 3 do
  local d_in = delta_k[1] * w[j][1] + delta_k[2] * w[j][2]
  print(("δ_in%d = (%.5f)·(%.1f) + (%.5f)·(%.1f) = %8.5f    hidden δ%d = δ_in%d·Z%d·(1 − Z%d) = %8.5f")
    :format(j, delta_k[1], w[j][1], delta_k[2], w[j][2], d_in, j, j, j, j, delta_j[j]))
end
for i = 1, 3 do
  dv[i] = {}
  for j = 1, 3 do dv[i][j] = eta * delta_j[j] * x[i] + 0.0 end -- + 0.0 turns −0 into 0
  print(("Δv%d· = η·δ·x%d = %8.5f %8.5f %8.5f"):format(i, i, dv[i][1], dv[i][2], dv[i][3]))
end
for j = 1, 3 do dv0[j] = eta * delta_j[j] end

-- Phase III: update, then feed forward again to see the error fall.
for j = 1, 3 do for k = 1, 2 do w[j][k] = w[j][k] + dw[j][k] end end
for k = 1, 2 do w0[k] = w0[k] + dw0[k] end
for i = 1, 3 do for j = 1, 3 do v[i][j] = v[i][j] + dv[i][j] end end
for j = 1, 3 do v0[j] = v0[j] + dv0[j] end

function forward(x)
  local z, y = {}, {}
  for j = 1, 3 do z[j] = sigmoid(v0[j] + x[1] * v[1][j] + x[2] * v[2][j] + x[3] * v[3][j]) end
  for k = 1, 2 do y[k] = sigmoid(w0[k] + z[1] * w[1][k] + z[2] * w[2][k] + z[3] * w[3][k]) end
  return y
end
y_new = forward(x)
E_new = 0.5 * ((t[1] - y_new[1])^2 + (t[2] - y_new[2])^2)
print(("after one update: y = (%.4f, %.4f), E = %.6f (was %.6f)"):format(y_new[1], y_new[2], E_new, E))
]]

quiz{
  "The textbook *adds* Δw_jk = η·δ_k·Z_j. Why is that gradient *descent* and not ascent?",
  choices = {
    "It is ascent; the textbook has a sign error.",
    "δ_k contains (t_k − y_k), which is −∂E/∂y_k for E = ½Σ(t − y)², so η·δ_k·Z_j = −η·∂E/∂w_jk.",
    "The sigmoid's derivative is negative, which flips the sign.",
    "Adding or subtracting makes no difference once η is small.",
  },
  answer = 2,
  why = [[∂E/∂w_jk = −(t_k − y_k)·f′(y_ink)·Z_j = −δ_k·Z_j, so Δw_jk = η·δ_k·Z_j is exactly
  −η·∂E/∂w_jk: a step down the error surface. The sign is folded into δ.]],
}

say[[
# Gradient checking

A backward pass written by hand is easy to get subtly wrong. The check is to
compare it with a *finite difference*: nudge one weight by a small h both ways and
measure the change of the error,

    ∂E/∂w ≈ (E(w + h) − E(w − h)) / (2h)

The centred difference is accurate to about h², so with h = 10⁻⁵ the two numbers
should agree to six or seven digits. This is how nnlab's engine tests every op.
]]

task{
  [[Write `numgrad(fn, x, h)`: the centred finite-difference derivative of the
  one-variable function fn at x (with h defaulting to 1e-5).]],
  check = function(env)
    if type(env.numgrad) ~= "function" then return false, "there is no function `numgrad` yet" end
    local cases = {
      { function(s) return s ^ 3 end, 2, 12, "x³ at 2" },
      { math.sin, 0.3, math.cos(0.3), "sin at 0.3" },
      { function(s) return 2 * math.sin(s * s) + math.sqrt(5 * s) end, 1.5,
        4 * 1.5 * math.cos(2.25) + 5 / (2 * math.sqrt(7.5)), "2·sin(x²) + √(5x) at 1.5" },
    }
    for _, c in ipairs(cases) do
      local ok, got = pcall(env.numgrad, c[1], c[2])
      if not ok then
        return false, "numgrad(fn, x), called without h, raised an error (give h a default: h = h or 1e-5): " .. tostring(got)
      end
      if type(got) == "number" and near(got, c[3], 1e-3) and not near(got, c[3], 1e-6) then
        return false, ("numgrad of %s gives %.10f, close to %.10f but off by more than a centred difference is (about h²): the forward difference?")
          :format(c[4], got, c[3])
      end
      if not near(got, c[3], 1e-6) then
        return false, ("numgrad of %s gives %s; the derivative is %.8f"):format(c[4], tostring(got), c[3])
      end
    end
    -- the centred difference of x³ is 3x² + h² exactly: at 1 with h = 0.1 it is
    -- 3.01, so only a numgrad that uses its h (and centres it) gives that
    local ok, got = pcall(env.numgrad, function(s) return s ^ 3 end, 1, 0.1)
    if not ok then return false, "numgrad(fn, x, h) raised an error when given h: " .. tostring(got) end
    if not near(got, 3.01, 1e-9) then
      local why = "is h used?"
      if near(got, 3.31, 1e-9) then why = "that is the forward difference (fn(x + h) − fn(x))/h; centre it"
      elseif near(got, 3, 1e-6) then why = "it ignores the h it is given" end
      return false, ("numgrad(x³, 1, 0.1) gives %s; the centred difference with h = 0.1 is (1.1³ − 0.9³)/0.2 = 3.01: %s")
        :format(tostring(got), why)
    end
    return true
  end,
  wrong = {
    { "h ignored, always 1e-5", [[
function numgrad(fn, x, h)
  return (fn(x + 1e-5) - fn(x - 1e-5)) / 2e-5
end]] },
    { "the forward difference", [[
function numgrad(fn, x, h)
  h = h or 1e-5
  return (fn(x + h) - fn(x)) / h
end]] },
    { "divided by h, not 2h", [[
function numgrad(fn, x, h)
  h = h or 1e-5
  return (fn(x + h) - fn(x - h)) / h
end]] },
    { "no default for h", [[
function numgrad(fn, x, h)
  return (fn(x + h) - fn(x - h)) / (2 * h)
end]] },
  },
  hint = "h = h or 1e-5; return (fn(x + h) - fn(x - h)) / (2 * h)",
  solution = [[
function numgrad(fn, x, h)
  h = h or 1e-5
  return (fn(x + h) - fn(x - h)) / (2 * h)
end]],
}

show[[
-- Check the hand-written backward pass of the 3-3-2 net: ∂E/∂w11 two ways.
w = { {0.3, -0.2}, {-0.1, 0.4}, {0.5, 0.1} }; w0 = {-0.2, 0.1}
v = { {0.2, -0.3, 0.4}, {0.1, 0.5, -0.2}, {-0.4, 0.2, 0.3} }; v0 = {0.1, -0.1, 0.2}
function E_of_w11(w11)
  local saved = w[1][1]
  w[1][1] = w11
  local yy = forward(x)
  w[1][1] = saved
  return 0.5 * ((t[1] - yy[1])^2 + (t[2] - yy[2])^2)
end
print(("backprop: ∂E/∂w11 = −δ1·Z1 = %.8f"):format(-delta_k[1] * z[1]))
print(("numeric:  ∂E/∂w11 ≈        %.8f"):format(numgrad(E_of_w11, w[1][1])))
]]

say[[
The two agree to about eight digits: the hand-written δ's are right. Had a sign
or an f′ been missing, the numbers would differ in the first digit.
]]

pause()

say[[
# The same network, differentiated by the engine

Writing δ's by hand does not scale to real networks. nnlab's engine records each
operation as it runs (the *computational graph*) and `:backward()` walks it from
the loss back to every tensor marked `:requires_grad()`, applying the chain rule
with memoization: exactly the phases above, for any graph. Here is the 3-3-2 net
again, as matrix products: the hidden layer is Z = f(x·V + v₀) and the output
Y = f(Z·W + w₀), with x a 1×3 row.
]]

show[[
X  = nn.tensor{x}                       -- 1×3, the input row
T  = nn.tensor{t}                       -- 1×2, the target
V  = nn.tensor(v):requires_grad()       -- 3×3, V[i][j] = v_ij
V0 = nn.tensor{v0}:requires_grad()      -- 1×3
W  = nn.tensor(w):requires_grad()       -- 3×2, W[j][k] = w_jk
W0 = nn.tensor{w0}:requires_grad()      -- 1×2
Z  = (X:matmul(V) + V0):sigmoid()
Y  = (Z:matmul(W) + W0):sigmoid()
E_t = (T - Y):pow(2):sum() * 0.5
E_t:backward()
print("E =", E_t:item())
print("∂E/∂W from the engine:", W.grad)
print(("by hand, −δ_k·Z_j for j = 1: %.5f %.5f"):format(-delta_k[1] * z[1], -delta_k[2] * z[1]))
]]

task{
  [[Do phase III with the engine's gradient: make `W_new`, the tensor of the
  hidden-to-output weights after one step of gradient descent with η = 0.5,
  W − η·∂E/∂W (`W.grad`).]],
  check = function(env)
    local e = example()
    local Wn = env.W_new
    if type(Wn) == "table" then return false, "`W_new` is a Lua table; compute it with tensors: W - W.grad * 0.5" end
    local ok, rows = pcall(function() return Wn:totable() end)
    if Wn == nil or not ok then return false, "`W_new` is not a tensor yet" end
    if #rows ~= 3 or type(rows[1]) ~= "table" or #rows[1] ~= 2 then
      return false, ("`W_new` has %d row%s of %s; it should have the shape of W, 3×2 (W[j][k]: hidden j to output k)")
        :format(#rows, #rows == 1 and "" or "s", type(rows[1]) == "table" and #rows[1] or 1)
    end
    local function all(fn)
      for j = 1, 3 do for k = 1, 2 do if not near(rows[j][k], fn(j, k), 1e-5) then return false end end end
      return true
    end
    local function step(j, k) return e.eta * e.delta_k[k] * e.z[j] end -- −η·∂E/∂w_jk
    if all(function(j, k) return e.w[j][k] - step(j, k) end) then
      return false, "`W_new` is W + η·W.grad: that steps *up* the error; gradient descent subtracts"
    end
    if all(function(j, k) return -step(j, k) end) or all(function(j, k) return step(j, k) end) then
      return false, "`W_new` holds only the step η·W.grad; the new weights are W minus it"
    end
    for j = 1, 3 do
      for k = 1, 2 do
        local want = e.w[j][k] + step(j, k)
        if not near(rows[j][k], want, 1e-5) then
          return false, ("W_new[%d][%d] is %.6f; w_%d%d + Δw_%d%d is %.6f (did you subtract η·W.grad, η = 0.5?)")
            :format(j, k, rows[j][k], j, k, j, k, want)
        end
      end
    end
    return true
  end,
  wrong = {
    { "added the gradient", [[W_new = W + W.grad * 0.5]] },
    { "only the step", [[W_new = W.grad * 0.5]] },
    { "η = 1", [[W_new = W - W.grad]] },
    { "the right numbers transposed, 2×3", [[W_new = (W - W.grad * 0.5):t()]] },
  },
  hint = "W_new = W - W.grad * 0.5",
  solution = [[W_new = W - W.grad * 0.5]],
}

say[[
It matches the textbook's w_jk(new) = w_jk(old) + η·δ_k·Z_j to float precision:
the BPN phases *are* gradient descent with gradients from the chain rule.

# The graph the engine recorded

Here is what `backward` walked: one node per operation, each with the nodes it
read (its inputs); `backward` visits them from the last to the first.
]]

show[[
for _, node in ipairs(nn.graph(E_t)) do
  print(("%2d  %-10s [%s]  from %s"):format(node.id, node.op, table.concat(node.shape, "×"),
    #node.inputs > 0 and table.concat(node.inputs, ", ") or "(a leaf: data or weights)"))
end
]]

say[[
The window draws it: data (gray) and weights (orange) first, each operation (blue)
one step after what it reads, the error E at the end. Backpropagation walks the
arrows backwards, from E to every orange box: those are the tensors that asked for
a gradient.
]]

show[[
graph_plot = plot.graph(E_t, {names = {X = X, T = T, V = V, V0 = V0, W = W, W0 = W0},
                              title = "the recorded graph of E"})
]]

pause()

-- The course's sources (/work/shared/seeds): the BPN algorithm with its small
-- random start and stopping condition, 002:1318-1380; its weaknesses, slow
-- convergence and local minima, 002:1272; W_new ≈ W_old as the stop, 001:299 and
-- 001:348; the learning rate's range 10⁻³ to 0.9 and Jacobs' adaptive
-- coefficient, 002:744-749.
say[[
# Training: epochs and a stopping condition

One update on one pattern is not training. The textbook's BPN goes: Step I, small random weights and a learning rate; then, while the *stopping
condition* is false, phases I to III for every training pair, one pass over them
an *epoch*. Common stopping conditions: the error E over all pairs falls below a
tolerance, the weights stop changing (W_new ≈ W_old, as the notes put it), or a
maximum number of epochs is reached.

Why random, why small? If every weight starts equal, every hidden unit computes
the same Z_j and receives the same δ_j, so they stay equal for ever: the net has
one hidden unit, however many it was given. Small keeps the sigmoids near 0, where
f′ is largest.

`bpn_xor` (lua/lessonlib_00_03.lua) runs exactly these phases on XOR with a 2-2-1
sigmoid net, weights uniform in [−0.5, 0.5), η = 0.5, and stops when E < 0.01 or
after 5000 epochs. Six random starts:
]]

show[[
bpn_xor = require("lessonlib_00_03").bpn_xor
for seed = 1, 6 do
  local epochs, E = bpn_xor{seed = seed, eta = 0.5, tolerance = 0.01, max_epochs = 5000}
  print(("start %d: %s"):format(seed, epochs and ("E < 0.01 after %d epochs"):format(epochs)
    or ("stopped at 5000 epochs with E = %.3f"):format(E)))
end
local _, E_equal, v = bpn_xor{init = 0.1, eta = 0.5, max_epochs = 5000}
print(("every weight starting at 0.1: E = %.3f after 5000 epochs"):format(E_equal))
print(("  weights into hidden unit 1: (%.4f, %.4f), into unit 2: (%.4f, %.4f)")
  :format(v[1][1], v[2][1], v[1][2], v[2][2]))
]]

quiz{
  [[Starts 1 and 2 stop at E ≈ 0.26 after 5000 epochs (run longer, they are still at
  0.258 after 100 000). What is going on?]],
  choices = {
    "They need a few more thousand epochs: backpropagation always converges in the end.",
    "η = 0.5 is too large; they oscillate around the solution.",
    "They are stuck in a local minimum of E: the gradient there is about zero, so the updates stop moving the weights.",
    "XOR cannot be learned by a 2-2-1 net.",
  },
  answer = 3,
  why = [[The textbook names the BPN's weaknesses: *slow convergence* (the
  other starts need about two thousand epochs for four patterns) and *local
  minima*. Where E is flat the updates are tiny, and more epochs do not help.
  Cures: start again from other random weights, more hidden units, or optimizers
  with momentum (lesson 06). The net can learn XOR: four of the six starts did.]],
}

say[[
# The learning rate

The textbook: a large η makes the path oscillate; a small one
crawls; η from 10⁻³ to 0.9 "has been used successfully" and it suggests keeping it
constant. Starts 3 and 8, each with three rates:
]]

show[[
for _, seed in ipairs{3, 8} do
  for _, eta in ipairs{0.1, 0.5, 2} do
    local epochs, E = bpn_xor{seed = seed, eta = eta, tolerance = 0.01, max_epochs = 10000}
    print(("start %d, η = %-4g %s"):format(seed, eta, epochs and ("E < 0.01 after %5d epochs"):format(epochs)
      or ("not there after 10000 epochs, E = %.3f"):format(E)))
  end
end
]]

say[[
From start 3 the epochs fall about in proportion to η: five times the rate, about
five times fewer epochs. From start 8, η = 0.1 is still on the plateau E ≈ 0.5 (every
output near 0.5) after 10000 epochs, and η = 2 (beyond the textbook's range)
gets stuck where η = 0.5 does not: a larger step can jump into another valley of
E. The best η depends on the problem and on the start. *Jacobs* proposed an
adaptive coefficient, a learning rate that changes with the error derivative of
successive updates (grow it while the derivative keeps its sign, shrink it when
it flips). Optimizers that adapt the rate per weight from the gradients seen so
far (Adagrad, RMSProp, Adam) come in lesson 06.
]]

pause()

say[[
# XOR, solved by a hidden layer

Lesson 01 showed that no single perceptron learns XOR. Two layers do: each hidden
unit draws one line, and the output combines them. `m:fit` runs backpropagation
over mini-batches for us (with `wait = true` it trains before the lesson goes on;
at the prompt without it, training runs in the background). The plot shows the
decision surface with the training points (filled) and the test points (hollow).

The net's last layer is *linear*, with no sigmoid after it: `nn.bce` takes the raw
output, the *logit* s, and applies the sigmoid itself (computing
−t·log σ(s) − (1 − t)·log(1 − σ(s)) in a form that cannot overflow). The
probability is σ(s), `mlp:predict(x):sigmoid()`, and the class is 1 where s > 0.
]]

show[[
xor_train, xor_test = data.xor{n = 400, noise = 0.05, test = 0.25, seed = 1}
mlp = nn.sequential{ nn.linear(2, 4), nn.tanh(), nn.linear(4, 1) }
mlp:summary()
xor_run = mlp:fit{ xor_train, validation = xor_test, loss = nn.bce, epochs = 100, batch = 16,
                   optimizer = optim.adam(mlp, {lr = 0.03}), wait = true, verbose = false }
print(xor_run, "test accuracy:", mlp:evaluate(xor_test, nn.bce).accuracy)
xor_view = plot.decision(mlp, xor_train, {test = xor_test})
]]

task{
  [[Make `net2`: an MLP with *one* hidden layer of 3 ReLU units (`nn.relu()`), and
  train it on `xor_train` until its accuracy on `xor_test` is at least 0.9.]],
  check = function(env)
    local m = env.net2
    if m == nil then return false, "there is no `net2` yet" end
    local ok, kids = pcall(function() return m:children() end)
    if not ok then return false, "`net2` is not a model: make it with nn.sequential{...}" end
    local linears, relus, width = 0, 0, nil
    for _, c in ipairs(kids) do
      local info = c:info()
      if info.kind == "linear" then
        linears = linears + 1
        if linears == 1 then width = info.outputs end
      end
      if info.name == "relu" then relus = relus + 1 end
    end
    local last = kids[#kids] and kids[#kids]:info() or {}
    if last.name == "sigmoid" then
      return false, "`net2` ends in a sigmoid, but nn.bce takes logits: it applies the sigmoid itself, so the last layer must stay linear (nn.linear(3, 1))"
    end
    if linears ~= 2 or relus ~= 1 or width ~= 3 then
      return false, ("`net2` has %d linear layers, %d ReLU and a hidden width of %s; it should be linear(2, 3), relu, linear(3, 1)")
        :format(linears, relus, tostring(width))
    end
    local acc = m:evaluate(env.xor_test, nn.bce).accuracy
    if acc < 0.9 then
      return false, ("`net2` has test accuracy %.2f; train it longer or with a larger lr (0.9 is enough; ReLU nets sometimes start badly: make a new one)"):format(acc)
    end
    return true
  end,
  hint = [[net2 = nn.sequential{nn.linear(2, 3), nn.relu(), nn.linear(3, 1)}, then
  net2:fit{xor_train, loss = nn.bce, epochs = 200, optimizer = optim.adam(net2, {lr = 0.03}), wait = true}]],
  solution = [[
nn.seed(3)
net2 = nn.sequential{ nn.linear(2, 3), nn.relu(), nn.linear(3, 1) }
net2:fit{ xor_train, loss = nn.bce, epochs = 300, batch = 16,
          optimizer = optim.adam(net2, {lr = 0.03}), wait = true, verbose = false }]],
  wrong = {
    { "the tanh net above, copied", [[net2 = mlp]] },
    { "the right net, not trained", [[nn.seed(3); net2 = nn.sequential{ nn.linear(2, 3), nn.relu(), nn.linear(3, 1) }]] },
    { "a sigmoid after the last layer, trained with nn.bce", [[
nn.seed(3)
net2 = nn.sequential{ nn.linear(2, 3), nn.relu(), nn.linear(3, 1), nn.sigmoid() }
net2:fit{ xor_train, loss = nn.bce, epochs = 20, batch = 16,
          optimizer = optim.adam(net2, {lr = 0.03}), wait = true, verbose = false }]] },
    { "two hidden ReLU layers", [[
nn.seed(3)
net2 = nn.sequential{ nn.linear(2, 3), nn.relu(), nn.linear(3, 3), nn.relu(), nn.linear(3, 1) }]] },
  },
}

say[[
# A curve no line can follow

Back to the course's f(x) = 2·sin(x²) + √(5x), on 0 ≤ x ≤ 3. A linear model
(one neuron, identity activation) can only fit the best straight line. An MLP
composes enough bends to follow the curve.
]]

show[[
curve_x, curve_y = {}, {}
for i = 1, 200 do
  local x = 3 * (i - 1) / 199
  curve_x[i], curve_y[i] = {x}, {2 * math.sin(x * x) + math.sqrt(5 * x)}
end
curve = data.from(nn.tensor(curve_x), nn.tensor(curve_y))
line_model = nn.sequential{ nn.linear(1, 1) }
line_model:fit{ curve, loss = nn.mse, epochs = 300, batch = 20, optimizer = optim.adam(line_model, {lr = 0.05}),
                wait = true, verbose = false }
print("mean squared error of the best line:", line_model:evaluate(curve, nn.mse).loss)
]]

task{
  [[Make `curve_net`, an MLP with tanh hidden layers, and train it on `curve` (with
  `loss = nn.mse`) until its mean squared error is below 0.05.]],
  check = function(env)
    local m = env.curve_net
    if m == nil then return false, "there is no `curve_net` yet" end
    if m == env.line_model then return false, "`curve_net` is the line model above; make an MLP with tanh hidden layers" end
    local okk, kids = pcall(function() return m:children() end)
    if not okk then return false, "`curve_net` is not a model: make it with nn.sequential{...}" end
    local tanhs = 0
    for _, c in ipairs(kids) do if c:info().name == "tanh" then tanhs = tanhs + 1 end end
    if tanhs == 0 then return false, "`curve_net` has no tanh layer; the task asks for tanh hidden layers (nn.tanh())" end
    -- measured on 599 points of f, most of them between the 200 it was trained on:
    -- a net that follows the curve is right there too
    local xs, ys = {}, {}
    for i = 1, 599 do
      local x = 3 * (i - 1) / 598
      xs[i], ys[i] = {x}, {2 * math.sin(x * x) + math.sqrt(5 * x)}
    end
    local ok, r = pcall(function() return m:evaluate(data.from(nn.tensor(xs), nn.tensor(ys)), nn.mse) end)
    if not ok then return false, "`curve_net` cannot be evaluated on points of f: " .. tostring(r) end
    if r.loss >= 0.05 then
      return false, ("`curve_net` has mean squared error %.3f on the curve; it needs < 0.05: more hidden units (32), two hidden layers, or more epochs"):format(r.loss)
    end
    return true
  end,
  wrong = {
    { "the line model, copied", [[curve_net = line_model]] },
    { "the right net, not trained", [[
nn.seed(2)
curve_net = nn.sequential{ nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1) }]] },
    { "trained for 20 epochs only", [[
nn.seed(2)
curve_net = nn.sequential{ nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1) }
curve_net:fit{ curve, loss = nn.mse, epochs = 20, batch = 20,
               optimizer = optim.adam(curve_net, {lr = 0.01}), wait = true, verbose = false }]] },
  },
  hint = [[curve_net = nn.sequential{nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1)};
  fit with optim.adam(curve_net, {lr = 0.01}) for about 1000 epochs.]],
  solution = [[
nn.seed(2)
curve_net = nn.sequential{ nn.linear(1, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 1) }
curve_net:fit{ curve, loss = nn.mse, epochs = 1000, batch = 20,
               optimizer = optim.adam(curve_net, {lr = 0.01}), wait = true, verbose = false }]],
}

show[[
local xs = nn.tensor(curve_x)
local function column(t) local out = {} for i, r in ipairs(t:totable()) do out[i] = r[1] end return out end
local flat_x = column(xs)
curve_plot = plot.lines{ title = "2·sin(x²) + √(5x): a line against an MLP", xlabel = "x", ylabel = "y",
  series = { target = {x = flat_x, y = column(nn.tensor(curve_y))},
             line = {x = flat_x, y = column(line_model:predict(xs))},
             mlp = {x = flat_x, y = column(curve_net:predict(xs))} } }
]]

say[[
The line misses every bend; the MLP lies on the curve. Next, lesson 03 looks at
the activation functions f themselves and at why a deep stack of sigmoids learns
so slowly.
]]
