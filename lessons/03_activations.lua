-- Lesson 03: activation functions. The course's list with formulas and
-- derivatives (step, linear, sigmoid with slope a, bipolar sigmoid, tanh, LeCun's
-- tanh, hard tanh, ReLU, leaky ReLU, PReLU, ELU, softplus, swish, GELU, softmax);
-- f and f′ side by side; why a deep stack of sigmoids learns slowly: the
-- derivatives multiply, layer after layer.
lesson{"activations", "Activation functions"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b)) end
local function tanh(x) local e = math.exp(2 * x); if e == math.huge then return 1 end; return (e - 1) / (e + 1) end

say[[
# Why a neuron needs a non-linear f

Without an activation a layer is y = Wx + b, and a stack of such layers is again
one linear map: W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂). However deep, it draws
only straight boundaries. A non-linear f between the layers is what lets an MLP
bend. For training by backpropagation f must also be differentiable (almost
everywhere), and cheap: its derivative is computed for every unit at every step.

The course's activations, with their derivatives:

    step         f = 1 if x ≥ 0 else 0                f′ = 0 (undefined at 0)
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

(The textbook prints hard tanh's last case as −1 for x > 1; it is +1.)
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
      if not near(got, want, 1e-9) then
        return false, ("dsigmoid(%g, %g) = %s; it should be %.6f"):format(x, a, tostring(got), want)
      end
    end
    return true
  end,
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
      if not near(df, want, 1e-9) then
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
exactly 1 for every positive input.

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
  first layers of a deep sigmoid net barely learn. ReLU's f′ = 1 for active units
  does not shrink the gradient, which is one reason it became the default.]],
}

say[[
# Vanishing gradients, measured

Below are two nets of 10 layers of width 16, one with sigmoid units and one with
ReLU, fed the same random batch. After one backward pass we measure the size (the
norm) of each layer's weight gradient, from the first layer (next to the input)
to the last. The y axis is logarithmic: each grid line is a factor of 10.
]]

show[[
function layer_grad_norms(act)
  nn.seed(7)
  local mods = {}
  for i = 1, 10 do
    mods[#mods + 1] = nn.linear(16, 16, {init = act == "relu" and "he_normal" or "xavier_normal"})
    mods[#mods + 1] = nn[act]()
  end
  mods[#mods + 1] = nn.linear(16, 1)
  local net = nn.sequential(mods)
  local x = nn.randn{64, 16}
  local loss = net:forward(x):pow(2):mean()
  loss:backward()
  local norms = {}
  for _, layer in ipairs(net:children()) do
    if layer:info().kind == "linear" and #norms < 10 then
      local g = layer:param(1).grad
      norms[#norms + 1] = math.sqrt((g * g):sum():item())
    end
  end
  return norms
end
sigmoid_norms, relu_norms = layer_grad_norms("sigmoid"), layer_grad_norms("relu")
for i = 1, 10 do
  print(("layer %2d   sigmoid %.2e   relu %.2e"):format(i, sigmoid_norms[i], relu_norms[i]))
end
local layers = {}
for i = 1, 10 do layers[i] = i end
grad_plot = plot.lines{title = "weight-gradient norm per layer", xlabel = "layer (1 = next to the input)",
  ylabel = "norm", ylog = true,
  series = {sigmoid = {x = layers, y = sigmoid_norms}, relu = {x = layers, y = relu_norms}}}
]]

task{
  [[How many times smaller is the first layer's gradient than the tenth's in the
  sigmoid net? Set `shrink` to sigmoid_norms[10] / sigmoid_norms[1], and
  `shrink_relu` to the same ratio for the ReLU net.]],
  check = function(env)
    if type(env.sigmoid_norms) ~= "table" then return false, "run the code above first (:back)" end
    local want = env.sigmoid_norms[10] / env.sigmoid_norms[1]
    local want_relu = env.relu_norms[10] / env.relu_norms[1]
    if type(env.shrink) ~= "number" then return false, "set `shrink` to a number" end
    if not near(env.shrink, want, 1e-6) then
      if near(env.shrink, 1 / want, 1e-6) then return false, "`shrink` is upside down: the last layer's norm over the first's" end
      return false, ("`shrink` is %g; sigmoid_norms[10] / sigmoid_norms[1] is %g"):format(env.shrink, want)
    end
    if type(env.shrink_relu) ~= "number" or not near(env.shrink_relu, want_relu, 1e-6) then
      return false, ("`shrink_relu` should be relu_norms[10] / relu_norms[1] = %g"):format(want_relu)
    end
    return true
  end,
  hint = "shrink = sigmoid_norms[10] / sigmoid_norms[1]",
  solution = [[
shrink = sigmoid_norms[10] / sigmoid_norms[1]
shrink_relu = relu_norms[10] / relu_norms[1]
print(("sigmoid: the first layer gets %.0f times less gradient; relu: %.1f times"):format(shrink, shrink_relu))]],
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
    for _, x in ipairs{ {1, 2, 3}, {1000, 1001}, {-5, 0, 5, 10} } do
      local ok, p = pcall(env.softmax, x)
      if not ok then return false, "softmax raised an error: " .. tostring(p) end
      if type(p) ~= "table" or #p ~= #x then return false, "softmax must return a table with one probability per score" end
      local m = math.max(table.unpack(x))
      local sum = 0
      for i = 1, #x do sum = sum + math.exp(x[i] - m) end
      for i = 1, #x do
        local want = math.exp(x[i] - m) / sum
        if p[i] ~= p[i] then return false, ("softmax{%s} has nan at %d: subtract the largest score before exp"):format(table.concat(x, ", "), i) end
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
}

say[[
Next, lesson 04 puts a loss on top of these outputs: MSE for a linear output,
cross-entropy for sigmoid and softmax.
]]
