-- test_shapes.lua: layers and data sets of any rank from Lua: Fashion-MNIST as images
-- [n, 1, 28, 28] trained through nn.sequential{nn.flatten(), nn.linear(784, 10)} with
-- the loss falling, the messages of shapes that do not fit, m:out_shape and the
-- summary's shapes, data.from and d:reshape of any rank, and save/load of flatten and
-- reshape.
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end

nn.seed(3)
-- images keep their shape; the default stays rows of 784
local train = data.fashion_mnist{split = "train", limit = 600, shape = "image"}
local info = train:info()
assert(info.nx == 784 and #info.shape == 3 and info.shape[1] == 1 and info.shape[3] == 28,
  tostring(train))
local x = train:x()
assert(#x.shape == 4 and x.shape[1] == 600 and x.shape[2] == 1 and x.shape[4] == 28)
assert(tostring(train) == "dataset (600 samples of [1, 28, 28], 10 classes)", tostring(train))
fails("data.fashion_mnist: samples of x have 784 values, the shape [2,28,28] has 1568",
  data.fashion_mnist, {split = "test", limit = 5, shape = {2, 28, 28}})
fails('data.fashion_mnist: shape must be "image"', data.fashion_mnist, {shape = "square"})
local t784 = data.fashion_mnist{split = "test", limit = 5, shape = {784}}
assert(#t784:x().shape == 2)
local flat = data.fashion_mnist{split = "test", limit = 10}
assert(#flat:x().shape == 2 and flat:x().shape[2] == 784)

-- a conv-shaped set trains through flatten + linear, the loss falling
local m = nn.sequential{nn.flatten(), nn.linear(784, 10)}
local run = m:fit{train, loss = nn.cross_entropy, optimizer = optim.sgd(m, {lr = 0.1}),
  epochs = 4, batch = 32, wait = true, verbose = false}
local h = run.history
assert(#h.loss == 4, #h.loss)
assert(h.loss[4] < 0.7 * h.loss[1], ("loss %g -> %g"):format(h.loss[1], h.loss[4]))
assert(m:evaluate(train).accuracy > 0.7)
local y = m:predict(train:x():rows(1, 5))
assert(y.shape[1] == 5 and y.shape[2] == 10)

-- shapes that do not fit name both, at build time and when data meets the model
fails("fit: linear expects [batch, 784], got [batch, 1, 28, 28]", function()
  nn.linear(784, 10):fit{train, loss = nn.cross_entropy, epochs = 1, wait = true, verbose = false}
end)
fails("linear expects [batch, 784], got [batch, 1, 28, 28]", function()
  nn.linear(784, 10):predict(train:x():rows(1, 2))
end)
fails("sequential: module 2: reshape expects 4 values a sample (to make [batch, 4]), got [batch, 6]",
  nn.sequential, {nn.linear(3, 6), nn.reshape{4}})
fails("nn.reshape: sizes must be >= 1", nn.reshape, {0, 2})
fails("nn.reshape: expected the sizes of a sample", nn.reshape, 4)

-- output shapes and the summary's
assert(table.concat(m:out_shape{1, 28, 28}, ",") == "10")
assert(table.concat(nn.reshape{2, -1}:out_shape{6}, ",") == "2,3")
local text = m:summary{1, 28, 28, print = false}
assert(text:find("flatten%s+%(None, 784%)"), text)
assert(text:find("linear%s+%(None, 10%)"), text)
local r = nn.sequential{nn.linear(4, 6), nn.reshape{2, 3}, nn.tanh()}
text = r:summary{print = false}
assert(text:find("reshape%s+%(None, 2, 3%)"), text)
assert(text:find("tanh%s+%(None, 2, 3%)"), text)

-- data sets of any rank from tensors, and reshaped samples
local seqs = data.from(nn.randn{12, 3, 4}, nn.randn{12, 2})
assert(#seqs:x().shape == 3 and seqs:x().shape[3] == 4)
local m2 = nn.sequential{nn.flatten(), nn.linear(12, 8), nn.tanh(), nn.linear(8, 2)}
local r2 = m2:fit{seqs, loss = nn.mse, epochs = 30, batch = 4, wait = true, verbose = false}
assert(r2.history.loss[30] < r2.history.loss[1])
local d = data.from(nn.zeros{6, 12}, nn.zeros{6, 1}, {classes = 2})
d:reshape{3, 4}
assert(d:x().shape[2] == 3 and d:x().shape[3] == 4)
fails("the shape [5,2] has 10", d.reshape, d, {5, 2})

-- flatten and reshape survive a model file
local path = os.tmpname()
local saved = nn.sequential{nn.reshape{3, 4}, nn.flatten(), nn.linear(12, 2)}
nn.save(saved, path)
local loaded = assert(nn.load(path))
os.remove(path)
local probe = nn.randn{2, 12}
local a, b = saved:predict(probe):totable(), loaded:predict(probe):totable()
assert(math.abs(a[2][2] - b[2][2]) < 1e-6)
assert(loaded:children()[1]:info().kind == "reshape" and loaded:children()[2]:info().name == "flatten")
print("shapes: ok")
