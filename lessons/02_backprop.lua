-- Lesson 02: the MLP and backpropagation. Function composition (the course notes'
-- 2·sin(x²) + √(5x)), the computational graph, the chain rule and memoization; the
-- three phases of the textbook's BPN algorithm on a 3-3-2 net with every number
-- shown; the same gradients from autograd; gradient checking by finite
-- differences; XOR solved by a hidden layer.
lesson{"backprop", "The MLP and backpropagation"}

local function near(a, b, tol) return type(a) == "number" and math.abs(a - b) <= (tol or 1e-6) * math.max(1, math.abs(b)) end

-- The 3-3-2 example, computed here as well so that checks do not trust the
-- student's tables for the numbers they compare against.
local function f(s) return 1 / (1 + math.exp(-s)) end
local function example()
  local e = {
    x = {1, 0, 1}, t = {1, 0}, alpha = 0.5,
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

local function check_list(env, name, want, what)
  local got = env[name]
  if type(got) ~= "table" then return false, ("there is no table `%s` yet"):format(name) end
  if #got ~= #want then return false, ("`%s` has %d numbers; there is one per %s, %d in all"):format(name, #got, what, #want) end
  for i = 1, #want do
    if not near(got[i], want[i]) then
      return false, ("%s[%d] is %s, but it should be %.6f"):format(name, i, tostring(got[i]), want[i])
    end
  end
  return true
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
each value passed along, this is the *computational graph* of f.
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
      if not near(got, want, 1e-9) then
        return false, ("df_graph(%g) = %s, but f′(%g) = 4x·cos(x²) + 5/(2√(5x)) = %.6f"):format(x, tostring(got), x, want)
      end
    end
    return true
  end,
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
      δ_k = (t_k − y_k)·f′(y_ink)        Δw_jk = α δ_k Z_j     Δw_0k = α δ_k
      δ_inj = Σ_k δ_k w_jk               δ_j = δ_inj·f′(Z_inj)
      Δv_ij = α δ_j x_i                  Δv_0j = α δ_j
    Phase III, update: every weight += its Δ

Below is a 3-3-2 net (3 inputs, 3 hidden units, 2 outputs, as the course's figure)
with weights chosen by hand, the input x = (1, 0, 1), the target t = (1, 0) and
α = 0.5. Phase I, with every number:
]]

show[[
x, t, alpha = {1, 0, 1}, {1, 0}, 0.5
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
  check = function(env) return check_list(env, "delta_k", example().delta_k, "output unit") end,
  hint = "delta_k = { (t[1] - y[1]) * y[1] * (1 - y[1]), (t[2] - y[2]) * ... }",
  solution = [[
delta_k = {}
for k = 1, 2 do delta_k[k] = (t[k] - y[k]) * y[k] * (1 - y[k]) end]],
}

show[[
for k = 1, 2 do
  print(("output δ%d = (%d − %.4f)·%.4f·(1 − %.4f) = %8.5f"):format(k, t[k], y[k], y[k], y[k], delta_k[k]))
end
dw, dw0 = {}, {}
for j = 1, 3 do
  dw[j] = {}
  for k = 1, 2 do
    dw[j][k] = alpha * delta_k[k] * z[j]
    print(("Δw%d%d = α·δ%d·Z%d = 0.5·(%8.5f)·%.4f = %8.5f"):format(j, k, k, j, delta_k[k], z[j], dw[j][k]))
  end
end
for k = 1, 2 do dw0[k] = alpha * delta_k[k]; print(("Δw0%d = α·δ%d = %8.5f"):format(k, k, dw0[k])) end
]]

task{
  [[Now the hidden layer. Make `delta_j`, the three hidden deltas:
  δ_inj = Σ_k δ_k·w_jk (the error sent back along the *old* weights w), then
  δ_j = δ_inj·f′(Z_inj) = δ_inj·Z_j·(1 − Z_j).]],
  check = function(env) return check_list(env, "delta_j", example().delta_j, "hidden unit") end,
  hint = "for j = 1, 3: d_in = delta_k[1] * w[j][1] + delta_k[2] * w[j][2]; delta_j[j] = d_in * z[j] * (1 - z[j])",
  solution = [[
delta_j = {}
for j = 1, 3 do
  local d_in = delta_k[1] * w[j][1] + delta_k[2] * w[j][2]
  delta_j[j] = d_in * z[j] * (1 - z[j])
end]],
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
  for j = 1, 3 do dv[i][j] = alpha * delta_j[j] * x[i] + 0.0 end -- + 0.0 turns −0 into 0
  print(("Δv%d· = α·δ·x%d = %8.5f %8.5f %8.5f"):format(i, i, dv[i][1], dv[i][2], dv[i][3]))
end
for j = 1, 3 do dv0[j] = alpha * delta_j[j] end

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
  "The textbook *adds* Δw_jk = α·δ_k·Z_j. Why is that gradient *descent* and not ascent?",
  choices = {
    "It is ascent; the textbook has a sign error.",
    "δ_k contains (t_k − y_k), which is −∂E/∂y_k for E = ½Σ(t − y)², so α·δ_k·Z_j = −α·∂E/∂w_jk.",
    "The sigmoid's derivative is negative, which flips the sign.",
    "Adding or subtracting makes no difference once α is small.",
  },
  answer = 2,
  why = [[∂E/∂w_jk = −(t_k − y_k)·f′(y_ink)·Z_j = −δ_k·Z_j, so Δw_jk = α·δ_k·Z_j is exactly
  −α·∂E/∂w_jk: a step down the error surface. The sign is folded into δ.]],
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
      if not ok then return false, "numgrad raised an error: " .. tostring(got) end
      if not near(got, c[3], 1e-6) then
        return false, ("numgrad of %s gives %s; the derivative is %.8f"):format(c[4], tostring(got), c[3])
      end
    end
    local ok, got = pcall(env.numgrad, function(s) return s * s end, 1, 1e-3)
    if not ok or not near(got, 2, 1e-9) then
      return false, "numgrad(fn, x, h) must use the h it is given (x² at 1 with h = 1e-3 is 2 exactly, centred)"
    end
    return true
  end,
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

say[[
The graph the engine recorded for E, one node per operation, each with the nodes
it read (its inputs); `backward` visits them from the last to the first:
]]

show[[
for _, node in ipairs(nn.graph(E_t)) do
  print(("%2d  %-10s [%s]  from %s"):format(node.id, node.op, table.concat(node.shape, "×"),
    #node.inputs > 0 and table.concat(node.inputs, ", ") or "(a leaf: data or weights)"))
end
]]

say[[
Drawn as a picture, it is the graph of the course's figure: data (gray) and weights
(orange) on the left, each operation (blue) one step right of what it reads, the
error E at the end. Backpropagation walks the arrows backwards, from E to every
orange box: those are the tensors that asked for a gradient.
]]

show[[
graph_plot = plot.graph(E_t, {names = {X = X, T = T, V = V, V0 = V0, W = W, W0 = W0},
                              title = "the recorded graph of E"})
]]

task{
  [[Do phase III with the engine's gradient: make `W_new`, the tensor of the
  hidden-to-output weights after one step of gradient descent with α = 0.5,
  W − α·∂E/∂W (`W.grad`).]],
  check = function(env)
    local e = example()
    local Wn = env.W_new
    local ok, rows = pcall(function() return Wn:totable() end)
    if Wn == nil or not ok then return false, "`W_new` is not a tensor yet" end
    if #rows ~= 3 or type(rows[1]) ~= "table" or #rows[1] ~= 2 then
      return false, "`W_new` should have the shape of W, 3×2"
    end
    for j = 1, 3 do
      for k = 1, 2 do
        local want = e.w[j][k] + e.alpha * e.delta_k[k] * e.z[j]
        if not near(rows[j][k], want, 1e-5) then
          return false, ("W_new[%d][%d] is %.6f; w_%d%d + Δw_%d%d is %.6f (did you subtract α·W.grad?)")
            :format(j, k, rows[j][k], j, k, j, k, want)
        end
      end
    end
    return true
  end,
  hint = "W_new = W - W.grad * 0.5",
  solution = [[W_new = W - W.grad * 0.5]],
}

say[[
It matches the textbook's w_jk(new) = w_jk(old) + α·δ_k·Z_j to float precision:
the BPN phases *are* gradient descent with gradients from the chain rule.

# XOR, solved by a hidden layer

Lesson 01 showed that no single perceptron learns XOR. Two layers do: each hidden
unit draws one line, and the output combines them. `m:fit` runs backpropagation
over mini-batches for us (with `wait = true` it trains before the lesson goes on;
at the prompt without it, training runs in the background). The plot shows the
decision surface with the training points (filled) and the test points (hollow).
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
    local ok, r = pcall(function() return m:evaluate(env.curve, nn.mse) end)
    if not ok then return false, "`curve_net` cannot be evaluated on `curve`: " .. tostring(r) end
    if r.loss >= 0.05 then
      return false, ("`curve_net` has mean squared error %.3f; it needs < 0.05: more hidden units (32), two hidden layers, or more epochs"):format(r.loss)
    end
    return true
  end,
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
