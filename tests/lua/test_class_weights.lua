-- test_class_weights.lua: fit's class_weights reach the loss: refused for the
-- regression losses (naming the loss), used by the hinge (a heavier class moves the
-- result), as they are by bce and cross_entropy.
local function fit(loss, d, weights, outputs)
  nn.seed(3)
  local m = nn.sequential{nn.linear(d:info().nx, 4), nn.tanh(), nn.linear(4, outputs or 1)}
  local run = m:fit{d, loss = loss, optimizer = optim.sgd(m, {lr = 0.1}), epochs = 3, batch = 0,
    class_weights = weights, shuffle = false, verbose = false}
  return run, m
end

local sine = data.sine{n = 20, seed = 1}
for _, loss in ipairs{"mse", "mae", "huber"} do
  local ok, err = pcall(fit, nn[loss], sine, {1, 2})
  assert(not ok, loss .. " accepted class weights")
  assert(tostring(err):find(loss .. ": class weights need a classification loss", 1, true), err)
  assert(not tostring(err):find("step 1", 1, true), "refused before the run starts: " .. err)
end

local circle = data.circle{n = 40, seed = 1}
local plain = fit(nn.hinge, circle, nil).history.loss
local same = fit(nn.hinge, circle, {1, 1}).history.loss
local heavy = fit(nn.hinge, circle, {1, 5}).history.loss
assert(plain[1] == same[1] and plain[3] == same[3], "weights of 1 changed the hinge")
assert(heavy[1] ~= plain[1], "the hinge ignored its class weights")
print("test_class_weights.lua: ok")
