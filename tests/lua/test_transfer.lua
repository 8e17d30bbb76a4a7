-- test_transfer.lua: transfer learning on a model of built-in layers (lua/transfer.lua):
-- m:freeze(i, j) keeps layers i..j bit for bit through fit and spends no optimizer
-- state on them; m:unfreeze() lets them move again; m:replace(k, layer) gives a new
-- model whose other layers carry the old weights; m:features(d, k) is the data set of
-- layer k's outputs; a frozen model survives nn.save / nn.load.
local function expect(cond, fmt, ...)
  if not cond then error(fmt:format(...), 2) end
end
local function flat(t)
  local out = {}
  local function walk(v) if type(v) ~= "table" then out[#out + 1] = v else for _, w in ipairs(v) do walk(w) end end end
  walk(t:totable())
  return out
end
local function params_of(m)
  local out = {}
  for i, c in ipairs(m:children()) do
    out[i] = {}
    for j, p in ipairs(c:parameters()) do out[i][j] = flat(p) end
  end
  return out
end
local function same(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end

local function lenet()
  return nn.sequential{nn.conv2d(1, 4, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2), nn.conv2d(4, 8, 5),
    nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(200, 32), nn.relu(), nn.linear(32, 10)}
end

nn.seed(3)
local train = data.fashion_mnist{limit = 256, split = "train", shape = "image"}
local m = lenet()

-- freezing layers 1 to 4: they do not move in fit, the others do; Adam's moments of
-- the frozen weights stay zero (the optimizer spends nothing on them)
expect(m:freeze(1, 4) == m, "m:freeze(i, j) returns m")
expect(same(require("transfer").frozen(m), {1, 2, 3, 4}), "layers 1-4 are frozen, got %s",
  table.concat(require("transfer").frozen(m), ","))
local before = params_of(m)
local opt = optim.adam(m, {lr = 0.01})
m:fit{train, epochs = 2, batch = 32, optimizer = opt, wait = true, verbose = false}
local after = params_of(m)
for i = 1, #before do
  for j = 1, #before[i] do
    local frozen = i <= 4
    expect(same(before[i][j], after[i][j]) == frozen, "layer %d parameter %d %s in fit", i, j,
      frozen and "moved although frozen" or "did not move although trainable")
  end
end
local names = opt:state_names()
local state = flat(opt:state(names[1]))
local nfrozen = 0
for i = 1, 4 do for _, p in ipairs(before[i]) do nfrozen = nfrozen + #p end end
for i = 1, nfrozen do expect(state[i] == 0, "optimizer state %s[%d] of a frozen weight is %g, not 0", names[1], i, state[i]) end
local spent = 0
for i = nfrozen + 1, #state do if state[i] ~= 0 then spent = spent + 1 end end
expect(spent > 0, "the trainable weights have optimizer state")

-- unfreeze: every layer moves again
m:unfreeze()
expect(#require("transfer").frozen(m) == 0, "m:unfreeze() unfreezes every layer")
local b2 = params_of(m)
m:fit{train, epochs = 1, batch = 32, optimizer = optim.sgd(m, {lr = 0.05}), wait = true, verbose = false}
local a2 = params_of(m)
expect(not same(b2[1][1], a2[1][1]), "layer 1 moves after m:unfreeze()")
m:freeze(2):unfreeze(2)
expect(#require("transfer").frozen(m) == 0, "m:freeze(k):unfreeze(k) leaves nothing frozen")

-- refusals name the range
local ok, err = pcall(m.freeze, m, 3, 11)
expect(not ok and err:find("1 <= i <= j <= 10", 1, true), "freeze(3, 11) refused naming the range, got %s", tostring(err))
ok, err = pcall(m.freeze, m, 4, 2)
expect(not ok and err:find("not a range"), "freeze(4, 2) refused, got %s", tostring(err))

-- replace the head: a new model with 5 outputs, the other layers' weights copied and
-- the old model unchanged; the frozen state carries over
m:freeze(1, 6)
local m5 = m:replace(10, nn.linear(32, 5))
local x = train:x():rows(1, 8)
expect(m5:predict(x).shape[2] == 5, "the new head gives 5 outputs")
expect(m:predict(x).shape[2] == 10, "the old model keeps its 10 outputs")
local pm, p5 = params_of(m), params_of(m5)
for i = 1, 9 do
  for j = 1, #pm[i] do expect(same(pm[i][j], p5[i][j]), "layer %d's weights are copied by replace", i) end
end
expect(same(require("transfer").frozen(m5), {1, 2, 3, 4, 5, 6}), "replace keeps layers 1-6 frozen")
-- the copies are the same function: layer 8's outputs agree
local f1, f2 = flat(m:features(train, 8):x()), flat(m5:features(train, 8):x())
expect(same(f1, f2), "the copied layers compute what the originals do")
ok, err = pcall(m.replace, m, 11, nn.linear(32, 5))
expect(not ok and err:find("not one of the model's 10 layers"), "replace(11) refused, got %s", tostring(err))
ok, err = pcall(m.replace, m, 10, nn.linear(31, 5))
expect(not ok and err:find("m:replace"), "a head of the wrong width is refused, got %s", tostring(err))

-- replace copies every kind a model file holds: 2-D batch norm (its running
-- statistics too) and a residual block, frozen or not; the copy is its own
nn.seed(3)
local bn_net = nn.sequential{nn.conv2d(1, 4, 3, {padding = 1}), nn.batchnorm2d(4), nn.relu(), nn.maxpool2d(2),
  nn.resblock{["in"] = 4, out = 8, stride = 2}, nn.global_avgpool(), nn.linear(8, 10)}
bn_net:fit{train, epochs = 1, batch = 32, optimizer = optim.sgd(bn_net, {lr = 0.05}), wait = true, verbose = false}
bn_net:freeze(2)
local bn5 = bn_net:replace(7, nn.linear(8, 5))
expect(bn5:predict(x).shape[2] == 5, "the batch-norm net's new head gives 5 outputs")
expect(same(require("transfer").frozen(bn5), {2}), "replace keeps the frozen batch norm frozen")
local pb, p5b = params_of(bn_net), params_of(bn5)
for i = 1, 6 do
  expect(#pb[i] == #p5b[i], "layer %d of the batch-norm net keeps its %d parameters", i, #pb[i])
  for j = 1, #pb[i] do expect(same(pb[i][j], p5b[i][j]), "layer %d's weights are copied by replace", i) end
end
-- evaluation mode uses the running statistics: equal features mean they were copied
local fb1, fb2 = flat(bn_net:features(train, 6):x()), flat(bn5:features(train, 6):x())
expect(same(fb1, fb2), "the copied batch norm and residual block compute what the originals do")
expect(not same(flat(nn.batchnorm2d(4):predict(nn.ones(1, 4, 2, 2))), flat(bn_net:children()[2]:predict(nn.ones(1, 4, 2, 2)))),
  "the trained batch norm's statistics differ from a fresh one's (else the check above proves nothing)")
bn5:unfreeze()
bn5:fit{train, epochs = 1, batch = 32, optimizer = optim.sgd(bn5, {lr = 0.05}), wait = true, verbose = false}
expect(same(flat(bn_net:features(train, 6):x()), fb1), "training the copy leaves the original as it was")
expect(not same(flat(bn5:features(train, 6):x()), fb1), "the copy trains")

-- features: layer 7 (flatten) gives 200 features a sample, equal to running the layers
local fd = m:features(train, 7)
expect(fd:info().n == 256 and fd:info().nx == 200 and fd:info().classes == 10,
  "features: 256 samples of 200 in 10 classes, got %d of %d in %d", fd:info().n, fd:info().nx, fd:info().classes)
local h = train:x():rows(1, 2)
for i = 1, 7 do h = m:children()[i]:predict(h) end
local want, got = flat(h), flat(fd:x():rows(1, 2))
expect(same(want, got), "features equal the outputs of layers 1-7")
expect(same(flat(fd:y()), flat(train:y())), "features keep the targets")
-- a small classifier trains on them
local small = nn.sequential{nn.linear(200, 10)}
local r = small:fit{fd, epochs = 20, batch = 32, optimizer = optim.adam(small, {lr = 0.01}), wait = true, verbose = false}
expect(small:evaluate(fd).accuracy > 0.5, "a linear classifier on the features learns (accuracy %.2f)", small:evaluate(fd).accuracy)

-- save, load: the same outputs, the freezing kept
local path = (os.getenv("TMPDIR") or "/tmp") .. "/test_transfer.nnl"
nn.save(m5, path)
local back = nn.load(path)
expect(same(flat(back:predict(x)), flat(m5:predict(x))), "a loaded model predicts what the saved one did")
expect(same(require("transfer").frozen(back), {1, 2, 3, 4, 5, 6}), "a loaded model keeps its frozen layers")
os.remove(path)
print("transfer: ok")
