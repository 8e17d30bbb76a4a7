-- test_cnn_layers.lua: issue 13's layers from Lua: conv2d's flip option against a grid
-- computed by hand, the transposed convolution's known answer and output sizes,
-- batchnorm2d, dropout2d's whole maps, nn.concat, nn.resblock's parameter counts,
-- the model file keeping all of them, refusals naming the values, and nn.arch's
-- architectures with the course's numbers (LeNet-5 C5 48,120 and F6 10,164; AlexNet's
-- first layer 55x55x96 = 290,400; VGG-16 138,357,544; ResNet-18 11,689,512).
local assign = require("nn.train").assign
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end
local function grid(t)
  local v = {}
  for i, x in ipairs(t:reshape{-1}:totable()) do v[i] = ("%g"):format(x) end
  return table.concat(v, " ")
end
local function img(values, c, h, w) return nn.tensor(values):reshape{1, c, h, w} end
local function shape(m, s) return table.concat(m:out_shape(s), " ") end

nn.seed(13)
-- flip: true convolution of [[1,2,3],[4,5,6],[7,8,9]] with [[1,2],[3,4]] is
-- 1*5 + 2*4 + 3*2 + 4*1 = 23 ...; cross-correlation 1*1 + 2*2 + 3*4 + 4*5 = 37 ...
local x9 = img({1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3)
local corr, conv = nn.conv2d(1, 1, 2, {bias = false}), nn.conv2d(1, 1, 2, {bias = false, flip = true})
assign(corr:param(1), nn.tensor{1, 2, 3, 4})
assign(conv:param(1), nn.tensor{1, 2, 3, 4})
assert(grid(corr:forward(x9)) == "37 47 67 77", grid(corr:forward(x9)))
assert(grid(conv:forward(x9)) == "23 33 53 63", grid(conv:forward(x9)))

-- transposed convolution: a 2x2 input, stride 2, each value stamps the kernel
local t = nn.conv_transpose2d(1, 1, 2, {stride = 2, bias = false})
assign(t:param(1), nn.tensor{1, 2, 3, 4})
assert(grid(t:forward(img({1, 2, 3, 4}, 1, 2, 2))) == "1 2 2 4 3 4 6 8 3 6 4 8 9 12 12 16")
-- (H-1)S - 2P + D(K-1) + output_padding + 1
assert(shape(nn.conv_transpose2d(8, 4, 3, {stride = 2, padding = 1, output_padding = 1}), {8, 7, 7}) == "4 14 14")
assert(shape(nn.conv_transpose2d(2, 3, {3, 5}, {stride = {1, 2}, dilation = 2}), {2, 4, 4}) == "3 8 15")
fails("nn.conv_transpose2d: output_padding must be >= 0 and smaller than the stride or the dilation, got 2x2",
  nn.conv_transpose2d, 2, 2, 3, {stride = 2, output_padding = 2})
fails('nn.conv_transpose2d: padding must be a number, {ph, pw} (the same on both sides), "same" or "valid", got "full"',
  nn.conv_transpose2d, 2, 2, 3, {padding = "full"})
-- "same": the input times the stride, whatever the kernel (issue 13)
assert(shape(nn.conv_transpose2d(8, 4, 4, {stride = 2, padding = "same"}), {8, 7, 7}) == "4 14 14")
assert(shape(nn.conv_transpose2d(2, 3, {3, 5}, {stride = {1, 3}, padding = "same"}), {2, 4, 5}) == "3 4 15")
assert(shape(nn.conv_transpose2d(2, 2, 3, {padding = "valid"}), {2, 4, 4}) == "2 6 6")
do -- the unpadded 5x5 less its last row and column (Keras's crop)
  local ts = nn.conv_transpose2d(1, 1, 3, {stride = 2, padding = "same", bias = false})
  assign(ts:param(1), nn.tensor{1, 1, 1, 1, 1, 1, 1, 1, 1})
  local g = grid(ts:forward(img({1, 2, 3, 4}, 1, 2, 2)))
  assert(g == "1 1 3 2 1 1 3 2 4 4 10 6 3 3 7 4", g)
end
fails('padding "same" makes the output the input times the stride: no output_padding, got 1x1',
  nn.conv_transpose2d, 2, 2, 3, {stride = 2, padding = "same", output_padding = 1})
fails("nn.conv_transpose2d: unknown option 'strides'", nn.conv_transpose2d, 2, 2, 3, {strides = 2})
fails("expects [batch, 2, H, W], got [batch, 3, 4, 4]", function() t = nn.conv_transpose2d(2, 2, 3); t:out_shape{3, 4, 4} end)
-- it trains: gradients reach input, weight and bias
local tx = nn.randn{2, 2, 3, 3}:requires_grad()
local tt = nn.conv_transpose2d(2, 3, 3, {stride = 2})
local loss = tt:forward(tx):pow(2):mean()
loss:backward()
assert(tx.grad:abs():sum():item() > 0 and tt:param(1).grad:abs():sum():item() > 0
  and tt:param(2).grad:abs():sum():item() > 0)

-- batchnorm2d: each channel centred over batch, H and W
local bn = nn.batchnorm2d(3)
local y = bn:forward(nn.randn{4, 3, 5, 5} * 3 + 7)
for c = 1, 3 do
  local ch = y:reshape{4, 3, 25}
  local s, s2, n = 0, 0, 0
  for _, row in ipairs(ch:totable()) do
    for _, v in ipairs(row[c]) do s, s2, n = s + v, s2 + v * v, n + 1 end
  end
  assert(math.abs(s / n) < 1e-4 and math.abs(s2 / n - 1) < 1e-2, ("channel %d: mean %g, var %g"):format(c, s / n, s2 / n))
end
fails("nn.batchnorm2d: expected the number of channels", nn.batchnorm2d, "3")
fails("batchnorm expects [batch, 3, H, W], got [batch, 4, 5, 5]", function() bn:out_shape{4, 5, 5} end)

-- dropout2d: a map is all zero or all 2 (p = 0.5)
local d = nn.dropout2d(0.5)
local dy = d:forward(nn.ones{16, 8, 3, 3}):reshape{128, 9}:totable()
local kept = 0
for _, map in ipairs(dy) do
  local zeros = 0
  for _, v in ipairs(map) do
    assert(v == 0 or v == 2, "a kept value is 1/(1-p) = 2, got " .. v)
    if v == 0 then zeros = zeros + 1 end
  end
  assert(zeros == 0 or zeros == 9, "a map is dropped whole, got " .. zeros .. " zeros of 9")
  if zeros == 0 then kept = kept + 1 end
end
assert(kept > 40 and kept < 88, "kept " .. kept .. " of 128 maps")
d:eval()
assert(grid(d:forward(nn.ones{1, 2, 1, 1})) == "1 1")
fails("nn.dropout2d: p must be in [0, 1), got 1", nn.dropout2d, 1)
fails("for [batch, features] use nn.dropout", function() d:out_shape{5} end)

-- concat and resblock
local cat = nn.concat{nn.conv2d(3, 4, 1), nn.sequential{nn.maxpool2d(3, {stride = 1, padding = 1}), nn.conv2d(3, 2, 1)}}
assert(shape(cat, {3, 8, 8}) == "6 8 8")
fails("concat: branch 2 gives [batch, 2, 4, 4], branch 1 [batch, 4, 8, 8]",
  function() nn.concat{nn.conv2d(3, 4, 1), nn.conv2d(3, 2, 1, {stride = 2})}:out_shape{3, 8, 8} end)
local basic = nn.resblock{["in"] = 64, out = 64}
assert(basic:nparams() == 2 * (64 * 64 * 9 + 128), basic:nparams()) -- no projection
local down = nn.resblock{["in"] = 64, out = 128, stride = 2}
assert(shape(down, {64, 56, 56}) == "128 28 28")
assert(down:nparams() == 64 * 128 * 9 + 256 + 128 * 128 * 9 + 256 + 64 * 128 + 256, down:nparams())
local bott = nn.resblock{["in"] = 256, out = 256, kind = "bottleneck"}
assert(bott:nparams() == 256 * 64 + 128 + 64 * 64 * 9 + 128 + 64 * 256 + 512, bott:nparams()) -- 70,400
fails('nn.resblock: kind must be "basic" or "bottleneck", got wide', nn.resblock, {["in"] = 4, kind = "wide"})
fails("nn.resblock: in must be a whole number >= 1, got nil", nn.resblock, {out = 4})
fails("residual: f(x) + shortcut(x) needs one shape", function()
  nn.residual(nn.conv2d(2, 4, 3, {stride = 2, padding = 1}), nn.conv2d(2, 4, 1)):out_shape{2, 8, 8} end)

-- the model file keeps every one of them (flip, transposed conv, running statistics)
local net = nn.sequential{nn.conv2d(1, 4, 3, {padding = 1, flip = true}), nn.batchnorm2d(4), nn.relu(),
  nn.dropout2d(0.2), nn.resblock{["in"] = 4, out = 8, stride = 2}, nn.concat{nn.conv2d(8, 2, 1), nn.conv2d(8, 3, 3, {padding = 1})},
  nn.conv_transpose2d(5, 2, 2, {stride = 2, output_padding = 1}), nn.flatten()}
local xin = nn.randn{3, 1, 6, 6}
net:forward(xin) -- moves the running statistics
net:eval()
local path = os.tmpname()
nn.save(net, path)
local back = nn.load(path)
os.remove(path)
back:eval()
assert(grid(net:forward(xin)) == grid(back:forward(xin)), "loaded model differs")

-- the architectures and the course's numbers
local function summary(m) return m:summary{print = false} end
local lenet = nn.arch("lenet5")
local text = summary(lenet)
assert(text:find("48,120", 1, true) and text:find("10,164", 1, true), text)
assert(text:find("(None, 6, 28, 28)", 1, true) and text:find("(None, 16, 5, 5)", 1, true), text)
assert(text:find("Total params: 61,706", 1, true), text)
assert(text:find("Layer (type)", 1, true) and text:find("Output Shape", 1, true) and text:find("Param #", 1, true))
assert(lenet:forward(nn.randn{2, 1, 32, 32}).shape[2] == 10)
local alex = nn.arch("alexnet")
local first = alex:children()[1]:out_shape{3, 227, 227}
assert(first[1] * first[2] * first[3] == 290400 and first[2] == 55 and first[1] == 96)
assert(alex:nparams() == 62378344, alex:nparams())
alex:free()
local res = nn.arch("resnet18")
assert(res:nparams() == 11689512, res:nparams())
assert(summary(res):find("Total params: 11,689,512", 1, true))
res:free()
local goog = nn.arch("inception")
assert(goog:nparams() == 6998552, goog:nparams())
local gtext = summary(goog)
assert(gtext:find("concat                       (None, 256, 28, 28)", 1, true), gtext) -- 3a
assert(gtext:find("(None, 1024, 7, 7)", 1, true)) -- 5b
goog:free()
local vgg = nn.arch("vgg16")
assert(vgg:nparams() == 138357544, vgg:nparams())
for _, c in ipairs(vgg:children()) do -- lesson 12: "most of them (102,764,544) in the first linear layer"
  if c:info().kind == "linear" then assert(c:nparams() == 102764544, c:nparams()); break end
end
vgg:free()
collectgarbage()
fails('nn.arch: unknown architecture "resnet50" (known: "lenet5", "alexnet", "vgg16", "resnet18", "inception")', nn.arch, "resnet50")
print("test_cnn_layers: ok")
