-- test_conv.lua: conv and pooling layers from Lua: the course's grids (TV-01 to TV-04)
-- through nn.conv2d/maxpool2d/avgpool2d, output sizes (TV-05), LeNet-5's summary with
-- its parameter counts (TV-06: C5 48,120, F6 10,164), autograd through a conv net at
-- the prompt, refusals naming the shapes and options, save/load, and a small CNN on
-- Fashion-MNIST images whose loss falls.
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end
local function grid(t) -- the values of a tensor, row-major, as a string
  local v = {}
  for i, x in ipairs(t:reshape{-1}:totable()) do v[i] = ("%g"):format(x) end
  return table.concat(v, " ")
end
local function img(values, h, w) return nn.tensor(values):reshape{1, 1, h, w} end

-- TV-01: the vertical edge of the 6x6 step image
local c = nn.conv2d(1, 1, 3, {bias = false})
local assign = require("nn.train").assign -- copies numbers into a parameter's memory
assign(c:param(1), nn.tensor{1, 0, -1, 1, 0, -1, 1, 0, -1})
local step = {}
for i = 0, 35 do step[#step + 1] = i % 6 < 3 and 10 or 0 end
assert(grid(c:forward(img(step, 6, 6))) == "0 30 30 0 0 30 30 0 0 30 30 0 0 30 30 0")
-- TV-02: a 3x3 input padded by 1, a 2x2 kernel
c = nn.conv2d(1, 1, 2, {padding = 1})
assign(c:param(1), nn.tensor{0, 1, 2, 3})
assert(grid(c:forward(img({0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, 3))) ==
  "0 3 8 4 9 19 25 10 21 37 43 16 6 7 8 0", grid(c:forward(img({0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, 3))))
-- TV-03 and TV-04
assert(grid(nn.maxpool2d(2):forward(img({1, 2, 2, 3, 4, 6, 6, 8, 3, 1, 1, 0, 1, 2, 2, 4}, 4, 4))) == "6 8 3 4")
local tv04 = img({4, 3, 1, 5, 1, 3, 4, 8, 4, 5, 4, 3, 6, 5, 9, 4}, 4, 4)
assert(grid(nn.avgpool2d(2):forward(tv04)) == "2.75 4.5 5 5")
assert(grid(nn.maxpool2d(2):forward(tv04)) == "4 8 6 9")
assert(grid(nn.global_avgpool():forward(tv04)) == "4.3125")

-- TV-05: output sizes
local function hw(m, shape) local s = m:out_shape(shape); return s[2] .. "x" .. s[3] end
assert(hw(nn.conv2d(1, 2, 3), {1, 8, 8}) == "6x6")
assert(hw(nn.conv2d(1, 2, 3, {stride = 2}), {1, 5, 5}) == "2x2")
assert(hw(nn.conv2d(1, 2, 3, {stride = 2}), {1, 7, 7}) == "3x3")
assert(hw(nn.conv2d(1, 2, 3, {dilation = 2}), {1, 7, 7}) == "3x3")
assert(hw(nn.conv2d(1, 2, 5, {padding = "same"}), {1, 9, 7}) == "9x7")
assert(hw(nn.conv2d(1, 2, 3, {padding = "same", stride = 2}), {1, 9, 7}) == "5x4")
assert(hw(nn.conv2d(1, 2, {3, 1}, {padding = {1, 0, 0, 0}}), {1, 4, 4}) == "3x4")
assert(hw(nn.maxpool2d(3, {stride = 2, padding = 1}), {1, 8, 8}) == "4x4")

-- TV-06: LeNet-5 (C5 as 400 -> 120, F6 120 -> 84) in the summary
local lenet = nn.sequential{
  nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.avgpool2d(2),
  nn.conv2d(6, 16, 5), nn.relu(), nn.avgpool2d(2), nn.flatten(),
  nn.linear(400, 120), nn.relu(), nn.linear(120, 84), nn.relu(), nn.linear(84, 10)}
local text = lenet:summary{1, 28, 28, print = false}
assert(text:find("conv2d%s+%(None, 6, 28, 28%)%s+156"), text)
assert(text:find("avgpool2d%s+%(None, 6, 14, 14%)%s+0"), text)
assert(text:find("conv2d%s+%(None, 16, 10, 10%)%s+2,416"), text)
assert(text:find("flatten%s+%(None, 400%)"), text)
assert(text:find("linear%s+%(None, 120%)%s+48,120"), text)
assert(text:find("linear%s+%(None, 84%)%s+10,164"), text)
assert(text:find("Total params: 61,706", 1, true), text)
assert(nn.conv2d(16, 120, 5):info().nparams == 48120) -- C5 as the conv it is in LeNet

-- autograd through a conv net at the prompt: the graph's gradient is the numbers'
local net = nn.sequential{nn.conv2d(2, 3, 3, {padding = 1, groups = 1}), nn.tanh(),
  nn.maxpool2d(2), nn.conv2d(3, 3, 1, {groups = 3}), nn.global_avgpool()}
nn.seed(1)
local x = nn.randn{2, 2, 4, 4}:requires_grad()
local y = net(x)
assert(y.shape[1] == 2 and y.shape[2] == 3)
assert(math.abs(y:sum():item() - net:forward(x):sum():item()) < 1e-5)
y:sum():backward()
assert(x.grad.shape[4] == 4)
local g = x.grad:reshape{-1}:totable()
local xs = x:detach():reshape{-1}:totable()
for _, i in ipairs{1, 7, 20, 32} do -- central differences of four inputs
  local function f(d)
    local v = {table.unpack(xs)}; v[i] = v[i] + d
    return net:forward(nn.tensor(v):reshape{2, 2, 4, 4}):sum():item()
  end
  local num = (f(1e-2) - f(-1e-2)) / 2e-2
  assert(math.abs(num - g[i]) < 1e-2 * math.max(1, math.abs(num)), ("%d: %g vs %g"):format(i, g[i], num))
end

-- refusals
fails("conv2d expects [batch, 3, H, W], got [batch, 784]", function() return nn.conv2d(3, 4, 3):forward(nn.zeros{2, 784}) end)
fails("conv2d expects [batch, 3, H, W], got [batch, 1, 28, 28]", function() return nn.conv2d(3, 4, 3):forward(nn.zeros{2, 1, 28, 28}) end)
fails("floor((2 - 3 + 0)/1) + 1 < 1", function() return nn.conv2d(1, 1, 3):forward(nn.zeros{1, 1, 2, 2}) end)
fails("nn.conv2d: groups (4) must divide in (6) and out (4) channels", nn.conv2d, 6, 4, 3, {groups = 4})
fails("nn.conv2d: unknown option 'pad'", nn.conv2d, 1, 4, 3, {pad = 1})
fails('nn.conv2d: padding must be a number', nn.conv2d, 1, 4, 3, {padding = "full"})
fails("nn.conv2d: stride must be >= 1", nn.conv2d, 1, 4, 3, {stride = 0})
fails("nn.conv2d: the kernel size must be a whole number", nn.conv2d, 1, 4, 2.5)
fails("nn.conv2d: expected in and out channels", nn.conv2d, "1", 4, 3)
fails("nn.maxpool2d: padding must be 0 to half", nn.maxpool2d, 2, {padding = 2})
fails("nn.global_avgpool: takes no argument", nn.global_avgpool, 2)

-- save and load keep the layers and their numbers
local path = os.tmpname()
nn.save(net, path)
local back = nn.load(path)
os.remove(path)
assert(math.abs(back:forward(x:detach()):sum():item() - net:forward(x:detach()):sum():item()) < 1e-6)

-- a small CNN on Fashion-MNIST images: the loss falls
nn.seed(7)
local train = data.fashion_mnist{split = "train", limit = 300, shape = "image"}
local cnn = nn.sequential{nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2),
  nn.conv2d(6, 8, 5), nn.relu(), nn.maxpool2d(2), nn.flatten(), nn.linear(200, 10)}
local run = cnn:fit{train, loss = nn.cross_entropy, optimizer = optim.adam(cnn, {lr = 0.003}),
  epochs = 4, batch = 32, wait = true, verbose = false}
local h = run.history
assert(h.loss[4] < 0.7 * h.loss[1], ("loss %g -> %g"):format(h.loss[1], h.loss[4]))
assert(cnn:evaluate(train).accuracy > 0.6, cnn:evaluate(train).accuracy)
print(("small cnn on 300 images: loss %.3f -> %.3f, train accuracy %.2f"):format(h.loss[1], h.loss[4],
  cnn:evaluate(train).accuracy))
