-- Lesson 03: activation functions. The course's list with formulas and
-- derivatives (step, linear, sigmoid with slope a, bipolar sigmoid, tanh, LeCun's
-- tanh, hard tanh, ReLU, leaky ReLU, PReLU, ELU, softplus, swish, GELU, softmax);
-- f and f′ side by side; why a deep stack of sigmoids learns slowly: the
-- derivatives multiply, layer after layer.
lesson{"activations", "Activation functions"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b)) end
local function tanh(x) local e = math.exp(2 * x); if e == math.huge then return 1 end; return (e - 1) / (e + 1) end

-- The derivative formulas are exact up to rounding (1e-15); a finite difference is
-- off by 1e-10 or more. Returns a message when got is that close, else nil.
local function finite_difference(got, want, what)
  if type(got) == "number" and near(got, want, 1e-4) and not near(got, want, 1e-12) then
    return ("%s = %.12f is close to %.12f but not exact: a finite difference? Use the formula for f′"):format(what, got, want)
  end
end

say[[
# Why a neuron needs a non-linear f

Without an activation a layer is y = Wx + b, and a stack of such layers is again
one linear map: W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂). However deep, it draws
only straight boundaries. A non-linear f between the layers is what lets an MLP
bend. For training by backpropagation f must also be differentiable (almost
everywhere), and cheap: its derivative is computed for every unit at every step.

The course's activations, with their derivatives:

    step         f = 1 if x > 0 else 0                f′ = 0 (undefined at 0)
    linear       f = x                                f′ = 1
    sigmoid      f = 1/(1 + e^(−a·x))  (slope a)      f′ = a·f·(1 − f)
    bipolar      f = 2/(1 + e^(−a·x)) − 1 = tanh(ax/2)  f′ = (a/2)(1 − f²)
    tanh         f = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)            f′ = 1 − f²
    LeCun tanh   f = 1.7159·tanh(2x/3)
    hard tanh    f = −1 if x < −1, x if |x| ≤ 1, +1 if x > 1
    ReLU         f = max(0, x)                        f′ = 0 if x < 0, 1 if x > 0
    leaky ReLU   f = x if x > 0 else 0.01x            f′ = 1 or 0.01
    PReLU        f = x if x > 0 else a·x, a learned
    ELU          f = x if x > 0 else a(eˣ − 1)        f′ = 1 or f + a
    softplus     f = ln(1 + eˣ)                       f′ = sigmoid(x)
    swish        f = x·sigmoid(x)
    GELU         f = x·Φ(x), Φ the normal CDF
    softmax      p_i = e^(x_i) / Σ_j e^(x_j)          (a layer, not a unit)

(The textbook prints hard tanh's last case as −1 for x > 1; it is +1. The step at
exactly 0 is a convention; here step(0) = 0, as in lesson 01's perceptron and in
`nn.step`.)
]]

show[[
-- Lua's math library has no tanh; this one does not overflow for large x.
function tanh(x)
  local e = math.exp(2 * x)
  if e == math.huge then return 1 end
  return (e - 1) / (e + 1)
end
function sigmoid(x, a) return 1 / (1 + math.exp(-(a or 1) * x)) end
function relu(x) return math.max(0, x) end
function leaky_relu(x) if x > 0 then return x else return 0.01 * x end end
function softplus(x) return math.log(1 + math.exp(x)) end
print(("sigmoid(0) = %.2f, tanh(1) = %.4f, relu(-2) = %g, leaky_relu(-2) = %g, softplus(0) = %.4f")
  :format(sigmoid(0), tanh(1), relu(-2), leaky_relu(-2), softplus(0)))
]]

task{
  [[Write `dsigmoid(x, a)`, the derivative of the sigmoid with slope a,
  f(x) = 1/(1 + e^(−a·x)), using f′ = a·f·(1 − f). (At the origin it is a/4.)]],
  check = function(env)
    if type(env.dsigmoid) ~= "function" then return false, "there is no function `dsigmoid` yet" end
    for _, c in ipairs{ {0, 1}, {0, 2}, {1.5, 1}, {-2, 0.5} } do
      local x, a = c[1], c[2]
      local f = 1 / (1 + math.exp(-a * x))
      local want = a * f * (1 - f)
      local ok, got = pcall(env.dsigmoid, x, a)
      if not ok then return false, "dsigmoid raised an error: " .. tostring(got) end
      local fd = finite_difference(got, want, ("dsigmoid(%g, %g)"):format(x, a))
      if fd then return false, fd end
      if not near(got, want, 1e-12) then
        local why = ""
        if near(got, f * (1 - f), 1e-9) then why = ": the factor a is missing (chain rule: d(a·x)/dx = a)" end
        return false, ("dsigmoid(%g, %g) = %s; it should be a·f·(1 − f) = %.6f%s"):format(x, a, tostring(got), want, why)
      end
    end
    return true
  end,
  wrong = {
    { "a ignored: the slope-1 sigmoid's derivative", [[
function dsigmoid(x, a)
  local f = sigmoid(x)
  return f * (1 - f)
end]] },
    { "f·(1 − f) without the factor a", [[
function dsigmoid(x, a)
  local f = sigmoid(x, a)
  return f * (1 - f)
end]] },
    { "x·(1 − x): the formula on x, not on f", [[function dsigmoid(x, a) return a * x * (1 - x) end]] },
    { "a centred finite difference", [[
function dsigmoid(x, a)
  local h = 1e-5
  return (sigmoid(x + h, a) - sigmoid(x - h, a)) / (2 * h)
end]] },
  },
  hint = "local f = sigmoid(x, a); return a * f * (1 - f)",
  solution = [[
function dsigmoid(x, a)
  local f = sigmoid(x, a)
  return a * f * (1 - f)
end]],
}

task{
  [[LeCun's scaled tanh is f(x) = 1.7159·tanh(2x/3), chosen so that f(±1) = ±1.
  Write `lecun_tanh(x)` and its derivative `dlecun_tanh(x)` (chain rule:
  d tanh(u)/du = 1 − tanh²(u), and u = 2x/3).]],
  check = function(env)
    for _, name in ipairs{"lecun_tanh", "dlecun_tanh"} do
      if type(env[name]) ~= "function" then return false, ("there is no function `%s` yet"):format(name) end
    end
    for _, x in ipairs{-2, -1, 0, 0.5, 1, 3} do
      local t = tanh(2 * x / 3)
      local ok, f = pcall(env.lecun_tanh, x)
      if not ok then return false, "lecun_tanh raised an error: " .. tostring(f) end
      if not near(f, 1.7159 * t, 1e-9) then
        return false, ("lecun_tanh(%g) = %s; it should be 1.7159·tanh(%g) = %.6f"):format(x, tostring(f), 2 * x / 3, 1.7159 * t)
      end
      local df
      ok, df = pcall(env.dlecun_tanh, x)
      if not ok then return false, "dlecun_tanh raised an error: " .. tostring(df) end
      local want = 1.7159 * (2 / 3) * (1 - t * t)
      local fd = finite_difference(df, want, ("dlecun_tanh(%g)"):format(x))
      if fd then return false, fd end
      if not near(df, want, 1e-12) then
        return false, ("dlecun_tanh(%g) = %s; it should be 1.7159·(2/3)·(1 − tanh²(2x/3)) = %.6f"):format(x, tostring(df), want)
      end
    end
    return true
  end,
  hint = "dlecun_tanh(x): local t = tanh(2 * x / 3); return 1.7159 * (2 / 3) * (1 - t * t)",
  solution = [[
function lecun_tanh(x) return 1.7159 * tanh(2 * x / 3) end
function dlecun_tanh(x)
  local t = tanh(2 * x / 3)
  return 1.7159 * (2 / 3) * (1 - t * t)
end]],
  wrong = {
    { "the inner derivative 2/3 forgotten", [[
function lecun_tanh(x) return 1.7159 * tanh(2 * x / 3) end
function dlecun_tanh(x) local t = tanh(2 * x / 3); return 1.7159 * (1 - t * t) end]] },
    { "1 − f², the tanh rule applied to the scaled f", [[
function lecun_tanh(x) return 1.7159 * tanh(2 * x / 3) end
function dlecun_tanh(x) local f = lecun_tanh(x); return 1 - f * f end]] },
    { "plain tanh(2x/3), the 1.7159 left out", [[
function lecun_tanh(x) return tanh(2 * x / 3) end
function dlecun_tanh(x) local t = tanh(2 * x / 3); return (2 / 3) * (1 - t * t) end]] },
    { "the derivative by a centred finite difference", [[
function lecun_tanh(x) return 1.7159 * tanh(2 * x / 3) end
function dlecun_tanh(x) return (lecun_tanh(x + 1e-5) - lecun_tanh(x - 1e-5)) / 2e-5 end]] },
  },
}

show[[
-- f and f′ side by side, as numbers, at a few points.
local rows = {
  {"sigmoid", function(x) return sigmoid(x) end, function(x) return dsigmoid(x, 1) end},
  {"tanh", tanh, function(x) local t = tanh(x); return 1 - t * t end},
  {"ReLU", relu, function(x) return x > 0 and 1 or 0 end},
  {"softplus", softplus, function(x) return sigmoid(x) end},
}
print("          x:       -4      -1       0       1       4")
for _, r in ipairs(rows) do
  local f, d = {}, {}
  for i, x in ipairs{-4, -1, 0, 1, 4} do f[i] = ("%7.3f"):format(r[2](x)); d[i] = ("%7.3f"):format(r[3](x)) end
  print(("%-9s f(x):  %s"):format(r[1], table.concat(f, " ")))
  print(("%-9s f′(x): %s"):format("", table.concat(d, " ")))
end
]]

say[[
Look at the derivatives: the sigmoid's is at most **0.25** (at 0), and both it and
tanh's go to zero on either side: the unit *saturates*. ReLU's derivative is
exactly 1 for every positive input, and 0 for every negative one.
]]

pause()

say[[
# f and f′, drawn

(PReLU's slope below 0 is learned; a new one starts at 0.25. The bipolar sigmoid
is tanh(x/2), so its derivative at 0 is 1/2.) The engine has every activation of
the course as a layer (`nn.sigmoid()`,
`nn.tanh()`, `nn.lecun_tanh()`, `nn.hard_tanh()`, `nn.relu()`, `nn.leaky_relu()`,
`nn.prelu()`, `nn.elu()`, `nn.softplus()`, `nn.swish()`, `nn.gelu()`, ...).
`compare` below plots f on the left and f′ on the right, the derivative taken by
autograd: mark x with `:requires_grad()`, run the layer, `backward` the sum.
]]

show[[
function compare(names, title)
  local xs = nn.linspace(-4, 4, 161)
  local f_series, d_series = {}, {}
  for _, name in ipairs(names) do
    local x = xs:copy():requires_grad()
    local y = nn[name]():forward(x)
    y:sum():backward()            -- d(sum y)/dx_i = f′(x_i): each y_i depends on x_i only
    f_series[name] = {x = xs, y = y:detach()}
    d_series[name] = {x = xs, y = x.grad}
  end
  local pf = plot.lines{title = "f(x)", xlabel = "x", series = f_series, show = false}
  local pd = plot.lines{title = "f′(x)", xlabel = "x", series = d_series, show = false}
  return plot.window{pf, pd, cols = 2, title = title or "activations"}, pf, pd
end
squashing = compare({"sigmoid", "bipolar_sigmoid", "tanh", "lecun_tanh", "hard_tanh"}, "squashing functions")
rectifiers = compare({"relu", "leaky_relu", "prelu", "elu", "softplus", "swish", "gelu"}, "rectifiers")
]]

quiz{
  [[Backpropagation multiplies one f′ per layer. In a net of 10 sigmoid layers, what
  is the most that the activation derivatives alone can let through to the first
  layer's gradient?]],
  choices = {"0.25", "0.25 × 10 = 2.5", "0.25¹⁰ ≈ 10⁻⁶", "1, as the weights make up for it"},
  answer = 3,
  why = [[Each layer contributes a factor f′ ≤ 0.25, so ten of them give at most
  0.25¹⁰ ≈ 9.5·10⁻⁷, before the weights. That is the *vanishing gradient*: the
  first layers of a deep sigmoid net barely learn. ReLU's f′ is 1 for the active
  units, so the activation takes no 0.25 a layer; but it is 0 for the inactive
  ones, and whether the gradient then keeps its size depends on how the weights
  were initialised, as the next page measures.]],
}

say[[
# Vanishing gradients, measured

Backpropagation sends ∂L/∂h_k, the gradient at each layer's output, down the net,
and every layer multiplies it by its f′ and its weights (lesson 02: δ_in = Σ δ·w,
then times f′). Below, three nets of 10 layers of width 128 see the same random
batch: sigmoid units; ReLU units with *Xavier's* initialisation (weights of
variance 2/(fan_in + fan_out), here 1/128: nn.linear's default kind); and ReLU with
*He's* (variance 2/fan_in, here 2/128). `backward_signal` (lua/lessonlib_00_03.lua)
does lesson 02's backward pass by hand and returns the size (the norm) of ∂L/∂h_k
for each layer k. The y axis is logarithmic: each grid line is a factor of 10.
]]

show[[
backward_signal = require("lessonlib_00_03").backward_signal
sigmoid_norms = backward_signal("sigmoid", "xavier_normal")
relu_norms = backward_signal("relu", "xavier_normal")
relu_he_norms = backward_signal("relu", "he_normal")
for k = 1, 10 do
  print(("layer %2d   sigmoid %.2e   relu, Xavier %.2e   relu, He %.2e")
    :format(k, sigmoid_norms[k], relu_norms[k], relu_he_norms[k]))
end
local layers = {}
for k = 1, 10 do layers[k] = k end
signal_plot = plot.lines{title = "size of the gradient ∂L/∂h at each layer's output", ylog = true,
  xlabel = "layer k (1 = next to the input)", ylabel = "‖∂L/∂h_k‖",
  series = {sigmoid = {x = layers, y = sigmoid_norms}, ["relu, Xavier"] = {x = layers, y = relu_norms},
            ["relu, He"] = {x = layers, y = relu_he_norms}}}
]]

task{
  [[How many times smaller is the gradient at layer 1 than at layer 10 in the
  sigmoid net? Set `shrink` to sigmoid_norms[10] / sigmoid_norms[1], and
  `shrink_relu` to the same ratio for the ReLU net with Xavier's weights
  (`relu_norms`).]],
  check = function(env)
    if type(env.sigmoid_norms) ~= "table" or type(env.relu_norms) ~= "table" then
      return false, "run the code above first (:back)"
    end
    local want = env.sigmoid_norms[10] / env.sigmoid_norms[1]
    local want_relu = env.relu_norms[10] / env.relu_norms[1]
    if type(env.shrink) ~= "number" then return false, "set `shrink` to a number" end
    if not near(env.shrink, want, 1e-6) then
      if near(env.shrink, 1 / want, 1e-6) then return false, "`shrink` is upside down: the last layer's norm over the first's" end
      if math.abs(env.shrink - want) <= 0.01 * want then
        return false, ("`shrink` is %g, near %g but rounded: compute it from the table, sigmoid_norms[10] / sigmoid_norms[1]"):format(env.shrink, want)
      end
      return false, ("`shrink` is %g; sigmoid_norms[10] / sigmoid_norms[1] is %g"):format(env.shrink, want)
    end
    if type(env.shrink_relu) ~= "number" then return false, "set `shrink_relu` to a number" end
    if not near(env.shrink_relu, want_relu, 1e-6) then
      local he = env.relu_he_norms and env.relu_he_norms[10] / env.relu_he_norms[1]
      if he and near(env.shrink_relu, he, 1e-6) then
        return false, "`shrink_relu` is the He net's ratio; the task asks for the Xavier net's, relu_norms"
      end
      if near(env.shrink_relu, 1 / want_relu, 1e-6) then return false, "`shrink_relu` is upside down: relu_norms[10] / relu_norms[1]" end
      return false, ("`shrink_relu` should be relu_norms[10] / relu_norms[1] = %g"):format(want_relu)
    end
    return true
  end,
  hint = "shrink = sigmoid_norms[10] / sigmoid_norms[1]",
  solution = [[
shrink = sigmoid_norms[10] / sigmoid_norms[1]
shrink_relu = relu_norms[10] / relu_norms[1]
print(("sigmoid: layer 1 gets %.0f times less gradient than layer 10; relu with Xavier's weights: %.1f times")
  :format(shrink, shrink_relu))]],
  wrong = {
    { "upside down", [[
shrink = sigmoid_norms[1] / sigmoid_norms[10]
shrink_relu = relu_norms[1] / relu_norms[10] ]] },
    { "the printed numbers, rounded", [[
shrink = tonumber(("%.2e"):format(sigmoid_norms[10])) / tonumber(("%.2e"):format(sigmoid_norms[1]))
shrink_relu = relu_norms[10] / relu_norms[1] ]] },
    { "the He net's ratio for ReLU", [[
shrink = sigmoid_norms[10] / sigmoid_norms[1]
shrink_relu = relu_he_norms[10] / relu_he_norms[1] ]] },
    { "the sigmoid ratio copied for ReLU", [[
shrink = sigmoid_norms[10] / sigmoid_norms[1]
shrink_relu = shrink]] },
  },
}

say[[
# Why ReLU's gradient shrinks under Xavier and not under He

Sigmoid: hundreds of thousands of times smaller at layer 1, as the quiz said.
ReLU with Xavier's weights: about 20 times; with He's, about 1 (the flat line).
ReLU's f′ is exactly 1 where a unit is active and 0 where it is not, and with
zero-mean weights about half the units are off. Xavier's variance (here 1/fan_in)
keeps the size of a signal through a layer whose f′ is about 1 everywhere (tanh near
0); ReLU passes only half of it, so the variance halves at every layer: a factor
√2 in size, (√2)⁹ ≈ 22.6 over the nine layers from 10 down to 1. He's variance
2/fan_in doubles the weights' variance and makes up for exactly that half. An
activation and its initialisation go together: Xavier for tanh and sigmoid, He for
ReLU.
]]

quiz{
  [[A 30-layer ReLU net, initialised with Xavier's variance, trains with its first
  layers barely moving. Which single change helps most?]],
  choices = {
    "Switch the activations to sigmoid.",
    "Initialise with He's variance 2/fan_in.",
    "Lower the learning rate.",
    "Add more units to every layer.",
  },
  answer = 2,
  why = [[Under Xavier each ReLU layer halves the gradient's variance: over 29 layers
  a factor (√2)²⁹ ≈ 23 000 in size. He's initialisation keeps it about constant.
  Sigmoids would make it far worse (0.25 a layer), a lower rate slows every layer,
  and width does not change the factor of ½.]],
}

say[[
# Softmax, safely

Softmax turns k scores into probabilities. Computed as written, e^1000 overflows
to infinity and the result is NaN. Since softmax(x) = softmax(x − c) for any
constant c, subtract the largest score first: then every exponent is ≤ 0.
]]

task{
  [[Write `softmax(x)` for a table of scores, returning a new table of
  probabilities, so that softmax{1000, 1001} works (subtract the largest score).]],
  check = function(env)
    if type(env.softmax) ~= "function" then return false, "there is no function `softmax` yet" end
    for _, x in ipairs{ {1, 2, 3}, {1000, 1001}, {-5, 0, 5, 10}, {-1000, 0, 1000} } do
      local given = table.concat(x, ",")
      local ok, p = pcall(env.softmax, x)
      if not ok then return false, "softmax raised an error: " .. tostring(p) end
      if type(p) ~= "table" then
        return false, ("softmax returns a %s; it must return a Lua table with one probability per score"):format(type(p))
      end
      if p == x or table.concat(x, ",") ~= given then
        return false, "softmax changed the table it was given; return a new table"
      end
      if #p ~= #x then return false, "softmax must return a table with one probability per score" end
      local m = math.max(table.unpack(x))
      local sum = 0
      for i = 1, #x do sum = sum + math.exp(x[i] - m) end
      for i = 1, #x do
        local want = math.exp(x[i] - m) / sum
        if p[i] ~= p[i] then return false, ("softmax{%s} has nan at %d: subtract the largest score (not the first, the smallest or the mean) before exp"):format(table.concat(x, ", "), i) end
        if not near(p[i], want, 1e-9) then
          return false, ("softmax{%s}[%d] = %s; it should be %.6f"):format(table.concat(x, ", "), i, tostring(p[i]), want)
        end
      end
    end
    return true
  end,
  hint = "local m = math.max(table.unpack(x)); e[i] = math.exp(x[i] - m); then divide each e[i] by their sum.",
  solution = [[
function softmax(x)
  local m = math.max(table.unpack(x))
  local e, sum = {}, 0
  for i = 1, #x do e[i] = math.exp(x[i] - m); sum = sum + e[i] end
  for i = 1, #x do e[i] = e[i] / sum end
  return e
end]],
  wrong = {
    { "as written, without subtracting", [[
function softmax(x)
  local e, sum = {}, 0
  for i = 1, #x do e[i] = math.exp(x[i]); sum = sum + e[i] end
  for i = 1, #x do e[i] = e[i] / sum end
  return e
end]] },
    { "the smallest score subtracted", [[
function softmax(x)
  local m = math.min(table.unpack(x))
  local e, sum = {}, 0
  for i = 1, #x do e[i] = math.exp(x[i] - m); sum = sum + e[i] end
  for i = 1, #x do e[i] = e[i] / sum end
  return e
end]] },
    { "not divided by the sum", [[
function softmax(x)
  local m = math.max(table.unpack(x))
  local e = {}
  for i = 1, #x do e[i] = math.exp(x[i] - m) end
  return e
end]] },
    { "the scores overwritten in place", [[
function softmax(x)
  local m, sum = math.max(table.unpack(x)), 0
  for i = 1, #x do x[i] = math.exp(x[i] - m); sum = sum + x[i] end
  for i = 1, #x do x[i] = x[i] / sum end
  return x
end]] },
    { "a tensor, not a table", [[function softmax(x) return nn.tensor(x):softmax() end]] },
  },
}

say[[
Next, lesson 04 puts a loss on top of these outputs: MSE for a linear output,
cross-entropy for sigmoid and softmax.
]]
