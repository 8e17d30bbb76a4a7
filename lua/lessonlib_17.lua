-- lessonlib_17.lua: the plumbing of lesson 17 (LSTM and GRU): the long-dependency
-- task and the training of a recurrent classifier on it, so that the lesson's page
-- shows the models and the numbers, not the loops.
local L = {}

--- L.long_task(n, T, seed) -> set: n sequences of T steps of one number; the first is
--- +1 or -1 and decides the label (1 or 0), the other T - 1 are N(0, 1) noise.
function L.long_task(n, T, seed)
  nn.seed(seed)
  local v, y = nn.randn{n, T, 1}:totable(), {}
  for i = 1, n do
    y[i] = {v[i][1][1] > 0 and 1 or 0}
    v[i][1][1] = y[i][1] == 1 and 1 or -1
  end
  return data.from(nn.tensor(v), nn.tensor(y), {classes = 2})
end

--- L.train(model, train, test [, epochs]) -> test accuracy: Adam (lr 0.01), batch 32,
--- binary cross-entropy on the model's one logit, from seed 3.
function L.train(model, train, test, epochs)
  model:fit{train, loss = nn.bce, optimizer = optim.adam(model, {lr = 0.01}), epochs = epochs or 20,
    batch = 32, verbose = false, wait = true}
  return model:evaluate(test, nn.bce).accuracy
end

--- L.set_update_bias(gru, b): the bias of a one-layer GRU's update gate z (gates r, z,
--- n: the second block of the bias [1, 3H]) set to b for every unit
function L.set_update_bias(r, b)
  local bias = r:param(2):totable()[1]
  local H = #bias // 3
  for j = H + 1, 2 * H do bias[j] = b end
  require("nn.train").assign(r:param(2), nn.tensor{bias})
end

--- L.classifier(kind [, {update_bias =}]) -> nn.sequential{nn.<kind>(1, 16), nn.linear(16, 1)},
--- seeded; update_bias = b starts a GRU's update gate bias at b. The GRU's recipe for
--- the long task: b = -2, so that z = σ(-2) ≈ 0.12 and h_t keeps 88% of h_{t-1} from the
--- start, as the LSTM's forget bias of 1 keeps its cell; with the bias at 0 the GRU
--- stays at chance under the LSTM's recipe (tests/lua/test_lessons_17.lua).
function L.classifier(kind, opts)
  nn.seed(3)
  local r = nn[kind](1, 16)
  if opts and opts.update_bias then L.set_update_bias(r, opts.update_bias) end
  return nn.sequential{r, nn.linear(16, 1)}
end

return L
