-- lessonlib_15.lua: the plumbing of lesson 15 (RNNs and BPTT): a recurrent layer with
-- weights set by hand, the gradient norms of one backward through a chain of T steps,
-- and the data of the clipping task.
local L = {}
local assign = require("nn.train").assign

--- L.set(r, wh, wx, b): the weight [H + F, H] (rows of h, then of x) and bias of a
--- one-layer nn.rnn r from Lua tables of rows
function L.set(r, wh, wx, b)
  local rows = {}
  for _, row in ipairs(wh) do rows[#rows + 1] = row end
  for _, row in ipairs(wx) do rows[#rows + 1] = row end
  assign(r:param(1), nn.tensor(rows))
  assign(r:param(2), nn.tensor{b})
end

--- L.norms(w, T) -> {||dL/dh_t|| / ||dL/dh_T||}: one backward through a ReLU RNN of one
--- unit with recurrent weight w (input weight 1, bias 0) over T steps of input 1, the
--- loss on the last step only
function L.norms(w, T)
  local r = nn.rnn(1, 1, {activation = "relu"})
  L.set(r, {{w}}, {{1}}, {0})
  local m = nn.sequential{r, nn.linear(1, 1)}
  local x = nn.ones{1, T, 1}
  m:fit{data.from(x, nn.zeros{1, 1}), loss = nn.mse, optimizer = optim.sgd(m, {lr = 0}), epochs = 1,
    verbose = false, wait = true}
  local n = nn.grad_norms(m)
  local out = {}
  for t = 1, T do out[t] = n[t] / n[T] end
  return out
end

--- L.exploding() -> model, set: a ReLU RNN of 8 units whose recurrent weights start at
--- 1.5 times the identity, over 40 steps of positive inputs, with random targets
function L.exploding()
  nn.seed(5)
  local r = nn.rnn(1, 8, {activation = "relu"})
  local wh, wx, b = {}, {{}}, {}
  for i = 1, 8 do
    wh[i] = {}
    for j = 1, 8 do wh[i][j] = i == j and 1.5 or 0 end
    wx[1][i], b[i] = 0.5, 0
  end
  L.set(r, wh, wx, b)
  local x = nn.rand{64, 40, 1}
  return nn.sequential{r, nn.linear(8, 1)}, data.from(x, nn.randn{64, 1})
end

return L
