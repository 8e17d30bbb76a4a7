-- Lesson 15: RNNs and backpropagation through time. One cell unrolled step by step
-- with the same weights at every step; BPTT as the backward of the unrolled net; the
-- gradient norm against the distance in time for recurrent weights below and above
-- 1; truncated BPTT; gradient clipping.
lesson{"rnn_bptt", "RNNs and backpropagation through time"}

say[[
# One cell, many steps

A recurrent layer reads a sequence x_1 … x_T one step at a time and keeps a state:

    h_t = tanh(W_h h_{t-1} + W_x x_t + b),   h_0 = 0

The **same** W_h, W_x and b serve every step: unrolled over T steps, the RNN is a
T-layer network whose layers share their weights. nnlab keeps them as one matrix
W = [W_h; W_x] (the rows of h first, then those of x, as the slides write
W [h_{t-1}, x_t]) and a bias: m(n + m + 1) numbers for n inputs and m units.
]]

show[[
L15 = require "lessonlib_15"
cell = nn.rnn(1, 2, {output = "all"})
L15.set(cell, {{0.5, -0.3}, {0.2, 0.8}}, {{1.0, -0.5}}, {0.1, 0})
seq = nn.tensor{{{1}, {0.5}, {-1}}}        -- one sequence: 3 steps of 1 number
print(cell:predict(seq))                     -- h_1, h_2, h_3
W_h, W_x, b = nn.tensor{{0.5, -0.3}, {0.2, 0.8}}, nn.tensor{{1.0, -0.5}}, nn.tensor{{0.1, 0}}
h1 = (nn.zeros{1, 2}:matmul(W_h) + nn.tensor{{1}}:matmul(W_x) + b):tanh()
print(h1)                                    -- the first row above, by hand
]]

task{
  [[Go on by hand: compute `h2` from `h1` and x_2 = 0.5, then `h3` from `h2` and x_3 = −1,
  with the same W_h, W_x and b. Each is a [1, 2] tensor; h3 must equal the layer's
  last step.]],
  check = function(env)
    local h3 = env.h3
    if type(h3) ~= "userdata" or not pcall(function() return h3:shape() end) then return false, "set h3 to a tensor [1, 2]" end
    local want = env.cell:predict(env.seq):totable()[1][3]
    local got = h3:totable()[1]
    if type(got) ~= "table" or #got ~= 2 then return false, "h3 should be [1, 2]" end
    local err = math.max(math.abs(got[1] - want[1]), math.abs(got[2] - want[2]))
    if err > 1e-5 then
      return false, ("h3 is {%.4f, %.4f}, the layer's last step is {%.4f, %.4f}: the same W_h, W_x, b and tanh at every step")
        :format(got[1], got[2], want[1], want[2])
    end
    return true
  end,
  hint = "h2 = (h1:matmul(W_h) + nn.tensor{{0.5}}:matmul(W_x) + b):tanh(), and h3 the same way from h2.",
  solution = [[
h2 = (h1:matmul(W_h) + nn.tensor{{0.5}}:matmul(W_x) + b):tanh()
h3 = (h2:matmul(W_h) + nn.tensor{{-1}}:matmul(W_x) + b):tanh()]],
  wrong = {
    {"tanh left out", [[
h2 = h1:matmul(W_h) + nn.tensor{{0.5}}:matmul(W_x) + b
h3 = h2:matmul(W_h) + nn.tensor{{-1}}:matmul(W_x) + b]]},
    {"the state not fed back", [[
h2 = (nn.tensor{{0.5}}:matmul(W_x) + b):tanh()
h3 = (nn.tensor{{-1}}:matmul(W_x) + b):tanh()]]},
  },
}

pause()

say[[
# Backpropagation through time

Training unrolls the sequence, runs forward over all T steps, puts the loss on the
output (here the last step) and runs backward from T to 1 through the unrolled net:
that is BPTT. As the weights are shared, each step adds its share to the same
gradient of W. Going one step back multiplies the gradient by the step's Jacobian
∂h_t/∂h_{t-1} = diag(f′) W_h; over k steps that is k such factors. With one ReLU unit
of recurrent weight w the factor is w itself, so the gradient at distance k from the
loss is w^k times the last one.
]]

show[[
T = 20
small, large = L15.norms(0.5, T), L15.norms(1.5, T)
norms_view = plot.lines{title = "||dL/dh_t|| relative to the last step", xlabel = "time step t", ylog = true}
for t = 1, T do norms_view:push("w = 0.5", small[t], t); norms_view:push("w = 1.5", large[t], t) end
print(("at the first step: %.2g (w = 0.5), %.2g (w = 1.5)"):format(small[1], large[1]))
]]

say[[
Below 1 the gradient **vanishes**: 0.5^19 ≈ 2·10⁻⁶, so the first steps learn
nothing from the loss. Above 1 it **explodes**: 1.5^19 ≈ 2·10³. tanh units do the
same with the largest singular value of W_h (times f′ ≤ 1) in place of w.
`nn.grad_norms(m)` reads these norms from any model after a training step, and
`plot.grad_norms(m)` draws them.

**Truncated BPTT** lets the gradient flow back at most k steps: `nn.rnn(1, 8, {bptt = 10})`
cuts it at the start of each segment of 10 steps (the forward still runs over the whole
sequence). It bounds the cost of long sequences and the explosion, at the price of
dependencies longer than k.
]]

pause()

say[[
# Gradient clipping

When the gradient explodes, one step of gradient descent throws the weights far
away. **Clipping** rescales the gradient g when its norm passes a threshold c:
g ← g · c / ||g|| (`clip_norm = c` in any optimizer), or clamps each component
to [−c, c] (`clip_value = c`). `L15.exploding()` gives an RNN of 8 ReLU units whose
recurrent weights start at 1.5 times the identity, over 40 steps.
]]

show[[
boom, boom_data = L15.exploding()
boom_run = boom:fit{boom_data, loss = nn.mse, optimizer = optim.sgd(boom, {lr = 0.01}), epochs = 5, verbose = false, wait = true}
print(boom_run:status().state, boom_run:status().message)
]]

task{
  [[Train a fresh `clipped, clipped_data = L15.exploding()` for 5 epochs with SGD
  (lr 0.01) and the gradient clipped to norm 1; keep the run as `clipped_run`. It must
  finish, with its loss lower at the end than at the start.]],
  check = function(env)
    local r = env.clipped_run
    if r == nil or not pcall(function() return r:status() end) then return false, "set clipped_run to what fit returns" end
    local s = r:status()
    if s.state ~= "done" then return false, "the run did not finish: " .. tostring(s.message) end
    local h = r.history.loss
    if not (h and #h >= 2 and h[#h] < h[1] / 2) then
      return false, "the loss did not fall: clip the norm of the gradient (clip_norm = 1), not its size a component"
    end
    return true
  end,
  hint = "optim.sgd(clipped, {lr = 0.01, clip_norm = 1})",
  solution = [[
clipped, clipped_data = L15.exploding()
clipped_run = clipped:fit{clipped_data, loss = nn.mse, optimizer = optim.sgd(clipped, {lr = 0.01, clip_norm = 1}), epochs = 5, verbose = false, wait = true}]],
  wrong = {
    {"no clipping", [[
clipped, clipped_data = L15.exploding()
clipped_run = clipped:fit{clipped_data, loss = nn.mse, optimizer = optim.sgd(clipped, {lr = 0.01}), epochs = 5, verbose = false, wait = true}]]},
    {"a threshold that never bites", [[
clipped, clipped_data = L15.exploding()
clipped_run = clipped:fit{clipped_data, loss = nn.mse, optimizer = optim.sgd(clipped, {lr = 0.01, clip_norm = 1e30}), epochs = 5, verbose = false, wait = true}]]},
  },
}

quiz{
  [[An RNN's gradient norm at the first of 50 steps is 10⁻⁹ of the last one. What
  helps the first steps learn?]],
  choices = {"gradient clipping", "a larger learning rate for the first steps",
    "gates that keep a memory (LSTM, GRU; lesson 17)", "truncated BPTT with k = 5"},
  answer = 3,
  why = [[The gradient vanishes: clipping only bounds large gradients, truncation
  cuts the path further, and no learning rate repairs a factor of 10⁻⁹ without
  blowing up the last steps. The LSTM's cell state carries the gradient back through
  a sum, not a product of small factors.]],
}

say[[
# Next

Lesson 16 trains a character-level language model; lesson 17 opens the LSTM and GRU.
]]
