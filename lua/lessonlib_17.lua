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

--- L.classifier(kind) -> nn.sequential{nn.<kind>(1, 16), nn.linear(16, 1)}, seeded
function L.classifier(kind)
  nn.seed(3)
  return nn.sequential{nn[kind](1, 16), nn.linear(16, 1)}
end

return L
