-- cnn.lua: issue 13's layers and architectures for the `nn` table: transposed
-- convolution, batch norm over channels, dropout of whole maps, branches joined along
-- the channels, ResNet's residual blocks (basic and bottleneck, with the projection
-- shortcut), and nn.arch, which builds the course's named CNNs untrained (LeNet-5,
-- AlexNet, VGG-16, ResNet-18, GoogLeNet) so that m:summary() shows their shapes and
-- parameter counts. lua/nn.lua calls this with its nn table.
local T = require "nn.train"
local options = require "options"
local util = require "util"

return function(nn)

-- Calls a constructor and raises its error at the user's line as "nn.<who>: ...".
local function make(who, f, ...)
  local ok, m = pcall(f, ...)
  if ok then return m end
  local msg = util.strip_position(tostring(m)):gsub("^bad argument #%d+ to '[^']+' %((.*)%)$", "%1")
  msg = msg:gsub("^[%w_]+: ", "")
  error("nn." .. who .. ": " .. msg, 3)
end

local function check_options(who, opts, known, level)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(("nn.%s: options must be a table, got %s"):format(who, type(opts)), level or 3)
  end
  for k in pairs(opts) do
    if not known[k] then
      options.refuse("nn." .. who, k, known, level or 3)
    end
  end
  return opts
end

-- A number for both axes or {height, width}, each >= min.
local function pair(who, what, v, min)
  if math.type(v) == "integer" then v = {v, v} end
  if type(v) ~= "table" or #v ~= 2 or math.type(v[1]) ~= "integer" or math.type(v[2]) ~= "integer" then
    error(("nn.%s: %s must be a whole number or {height, width}, got %s"):format(who, what,
      tostring(v)), 4)
  end
  if v[1] < min or v[2] < min then
    error(("nn.%s: %s must be >= %d, got {%d, %d}"):format(who, what, min, v[1], v[2]), 4)
  end
  return v[1], v[2]
end

--- nn.conv_transpose2d(in, out, k [, {stride=, padding=, output_padding=, dilation=,
--- groups=, bias=, init=}]): [batch, in, H, W] -> [batch, out, H', W'], conv2d's adjoint
function nn.conv_transpose2d(inputs, outputs, k, opts)
  local who = "conv_transpose2d"
  opts = check_options(who, opts, {stride = true, padding = true, output_padding = true,
    dilation = true, groups = true, bias = true, init = true})
  if math.type(inputs) ~= "integer" or math.type(outputs) ~= "integer" then
    error(("nn.%s: expected in and out channels as whole numbers, like nn.%s(16, 8, 2, {stride = 2}), got %s and %s"):format(
      who, who, tostring(inputs), tostring(outputs)), 2)
  end
  if k == nil then error("nn." .. who .. ": expected the kernel size, like nn.conv_transpose2d(16, 8, 2)", 2) end
  local kh, kw = pair(who, "the kernel size", k, 1)
  local sh, sw = pair(who, "stride", opts.stride or 1, 1)
  local dh, dw = pair(who, "dilation", opts.dilation or 1, 1)
  local same = opts.padding == "same" -- the output is the input times the stride
  local padding = opts.padding == "valid" and 0 or opts.padding
  if (type(padding) == "string" and not same) or (type(padding) == "table" and #padding == 4) then
    error(("nn.%s: padding must be a number, {ph, pw} (the same on both sides), \"same\" or \"valid\", got %s"):format(
      who, type(padding) == "string" and ('"' .. padding .. '"') or "4 sides"), 2)
  end
  local ph, pw = pair(who, "padding", same and 0 or padding or 0, 0)
  local oph, opw = pair(who, "output_padding", opts.output_padding or 0, 0)
  local init = opts.init or "he_uniform"
  if type(init) ~= "string" then error("nn." .. who .. ": init must be an initialiser's name, got " .. type(init), 2) end
  return make(who, T.conv_transpose2d, inputs, outputs, kh, kw, sh, sw, dh, dw, ph, ph, pw, pw,
    oph, opw, opts.groups or 1, opts.bias ~= false, init, nil, nil, same)
end

--- nn.batchnorm2d(channels [, {momentum=, eps=}]): batch norm per channel of [batch, C, H, W]
function nn.batchnorm2d(channels, opts)
  if math.type(channels) ~= "integer" then
    error("nn.batchnorm2d: expected the number of channels, like nn.batchnorm2d(16), got " .. tostring(channels), 2)
  end
  local ok, m = pcall(nn.batchnorm, channels, opts)
  if not ok then error((util.strip_position(tostring(m)):gsub("nn%.batchnorm", "nn.batchnorm2d")), 2) end
  return m
end

--- nn.dropout2d([p = 0.5]): drops whole channels of [batch, C, H, W] in training
function nn.dropout2d(p)
  if p ~= nil and type(p) ~= "number" then
    error("nn.dropout2d: p must be a number in [0, 1), got " .. type(p), 2)
  end
  return make("dropout2d", T.dropout2d, p or 0.5)
end

--- nn.concat{branch, ...}: each branch reads x; outputs joined along the channels
function nn.concat(branches)
  if type(branches) ~= "table" or #branches == 0 then
    error("nn.concat: expected a list of branches, like nn.concat{nn.conv2d(3, 8, 1), nn.conv2d(3, 4, 3, {padding = 1})}", 2)
  end
  return make("concat", T.concat, branches)
end

local function conv(cin, cout, k, stride, pad)
  return nn.conv2d(cin, cout, k, {stride = stride, padding = pad, bias = false})
end

--- nn.resblock{in=, out=, stride=1, kind="basic"|"bottleneck", width=}: ResNet's block,
--- relu(f(x) + shortcut(x)), the shortcut a 1x1 conv (and batch norm) when the shape changes
function nn.resblock(o)
  if type(o) ~= "table" then
    error('nn.resblock: expected a table, like nn.resblock{in = 64, out = 128, stride = 2, kind = "basic"}', 2)
  end
  check_options("resblock", o, {["in"] = true, out = true, stride = true, kind = true, width = true})
  local cin, cout, stride, kind = o["in"], o.out or o["in"], o.stride or 1, o.kind or "basic"
  for _, v in ipairs{{"in", cin}, {"out", cout}, {"stride", stride}} do
    if math.type(v[2]) ~= "integer" or v[2] < 1 then
      error(("nn.resblock: %s must be a whole number >= 1, got %s"):format(v[1], tostring(v[2])), 2)
    end
  end
  local f
  if kind == "basic" then
    f = nn.sequential{conv(cin, cout, 3, stride, 1), nn.batchnorm2d(cout), nn.relu(),
      conv(cout, cout, 3, 1, 1), nn.batchnorm2d(cout)}
  elseif kind == "bottleneck" then
    -- 1x1 down to a quarter, 3x3 (with the stride), 1x1 back up (M-16)
    local mid = o.width or math.max(1, cout // 4)
    if math.type(mid) ~= "integer" or mid < 1 then
      error("nn.resblock: width must be a whole number >= 1, got " .. tostring(mid), 2)
    end
    f = nn.sequential{conv(cin, mid, 1, 1, 0), nn.batchnorm2d(mid), nn.relu(),
      conv(mid, mid, 3, stride, 1), nn.batchnorm2d(mid), nn.relu(),
      conv(mid, cout, 1, 1, 0), nn.batchnorm2d(cout)}
  else
    error(('nn.resblock: kind must be "basic" or "bottleneck", got %s'):format(tostring(kind)), 2)
  end
  local shortcut
  if stride ~= 1 or cin ~= cout then
    shortcut = nn.sequential{conv(cin, cout, 1, stride, 0), nn.batchnorm2d(cout)}
  end
  return nn.sequential{nn.residual(f, shortcut), nn.relu()}
end

---------------------------------------------------------------- architectures

-- GoogLeNet's inception module: 1x1 | 1x1 -> 3x3 | 1x1 -> 5x5 | 3x3 max pool -> 1x1
local function inception(cin, c1, r3, c3, r5, c5, pp)
  local function cbr(a, b, k) return nn.sequential{nn.conv2d(a, b, k, {padding = k // 2}), nn.relu()} end
  return nn.concat{
    cbr(cin, c1, 1),
    nn.sequential{cbr(cin, r3, 1), cbr(r3, c3, 3)},
    nn.sequential{cbr(cin, r5, 1), cbr(r5, c5, 5)},
    nn.sequential{nn.maxpool2d(3, {stride = 1, padding = 1}), cbr(cin, pp, 1)},
  }
end

local arch = {}

-- LeNet-5 (1998) as the course draws it: 32x32 grey input, C1 6@5x5 (28x28x6), S2
-- average pool (14x14x6), C3 16@5x5 (10x10x16; every C3 map sees all six S2 maps,
-- not LeCun's 10-of-16 table), S4 (5x5x16), C5 120@5x5 (1x1x120: 48,120 parameters),
-- F6 84 (10,164), 10 outputs; tanh.
function arch.lenet5()
  return nn.sequential{
    nn.conv2d(1, 6, 5), nn.tanh(), nn.avgpool2d(2),
    nn.conv2d(6, 16, 5), nn.tanh(), nn.avgpool2d(2),
    nn.conv2d(16, 120, 5), nn.tanh(), nn.flatten(),
    nn.linear(120, 84), nn.tanh(), nn.linear(84, 10),
  }, {1, 32, 32}
end

-- AlexNet (2012) in one tower, as cs231n computes it: 227x227x3, conv1 96@11x11/4
-- (55x55x96 = 290,400 neurons), three max pools 3/2, five convs, three linear layers
-- with dropout; 1000 classes.
function arch.alexnet()
  return nn.sequential{
    nn.conv2d(3, 96, 11, {stride = 4}), nn.relu(), nn.maxpool2d(3, {stride = 2}),
    nn.conv2d(96, 256, 5, {padding = 2}), nn.relu(), nn.maxpool2d(3, {stride = 2}),
    nn.conv2d(256, 384, 3, {padding = 1}), nn.relu(),
    nn.conv2d(384, 384, 3, {padding = 1}), nn.relu(),
    nn.conv2d(384, 256, 3, {padding = 1}), nn.relu(), nn.maxpool2d(3, {stride = 2}),
    nn.flatten(), nn.dropout(0.5), nn.linear(6 * 6 * 256, 4096), nn.relu(),
    nn.dropout(0.5), nn.linear(4096, 4096), nn.relu(), nn.linear(4096, 1000),
  }, {3, 227, 227}
end

-- VGG-16 (configuration D): (2 conv + pool) x 2, (3 conv + pool) x 3, 3 linear;
-- 3x3 convs with padding 1; 224x224x3; 138,357,544 parameters.
function arch.vgg16()
  local layers, cin = {}, 3
  for _, stage in ipairs{{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}} do
    for _ = 1, stage[2] do
      layers[#layers + 1] = nn.conv2d(cin, stage[1], 3, {padding = 1})
      layers[#layers + 1] = nn.relu()
      cin = stage[1]
    end
    layers[#layers + 1] = nn.maxpool2d(2)
  end
  for _, l in ipairs{nn.flatten(), nn.linear(512 * 7 * 7, 4096), nn.relu(), nn.dropout(0.5),
      nn.linear(4096, 4096), nn.relu(), nn.dropout(0.5), nn.linear(4096, 1000)} do
    layers[#layers + 1] = l
  end
  return nn.sequential(layers), {3, 224, 224}
end

-- ResNet-18: conv 7x7/2 and max pool 3/2, four stages of two basic blocks (64, 128,
-- 256, 512 channels; each later stage starts with stride 2 and a projection), global
-- average pooling, 1000 classes: 11,689,512 parameters.
function arch.resnet18()
  local layers = {conv(3, 64, 7, 2, 3), nn.batchnorm2d(64), nn.relu(),
    nn.maxpool2d(3, {stride = 2, padding = 1})}
  local cin = 64
  for i, c in ipairs{64, 128, 256, 512} do
    layers[#layers + 1] = nn.resblock{["in"] = cin, out = c, stride = i == 1 and 1 or 2}
    layers[#layers + 1] = nn.resblock{["in"] = c, out = c}
    cin = c
  end
  layers[#layers + 1] = nn.global_avgpool()
  layers[#layers + 1] = nn.linear(512, 1000)
  return nn.sequential(layers), {3, 224, 224}
end

-- GoogLeNet (Inception v1, 2014) without its two auxiliary classifiers and local
-- response normalisation: nine inception modules, max pools between the stages,
-- global average pooling, dropout 0.4, 1000 classes.
function arch.inception()
  return nn.sequential{
    nn.conv2d(3, 64, 7, {stride = 2, padding = 3}), nn.relu(),
    nn.maxpool2d(3, {stride = 2, padding = 1}),
    nn.conv2d(64, 64, 1), nn.relu(), nn.conv2d(64, 192, 3, {padding = 1}), nn.relu(),
    nn.maxpool2d(3, {stride = 2, padding = 1}),
    inception(192, 64, 96, 128, 16, 32, 32),      -- 3a: 256 channels
    inception(256, 128, 128, 192, 32, 96, 64),    -- 3b: 480
    nn.maxpool2d(3, {stride = 2, padding = 1}),
    inception(480, 192, 96, 208, 16, 48, 64),     -- 4a: 512
    inception(512, 160, 112, 224, 24, 64, 64),    -- 4b: 512
    inception(512, 128, 128, 256, 24, 64, 64),    -- 4c: 512
    inception(512, 112, 144, 288, 32, 64, 64),    -- 4d: 528
    inception(528, 256, 160, 320, 32, 128, 128),  -- 4e: 832
    nn.maxpool2d(3, {stride = 2, padding = 1}),
    inception(832, 256, 160, 320, 32, 128, 128),  -- 5a: 832
    inception(832, 384, 192, 384, 48, 128, 128),  -- 5b: 1024
    nn.global_avgpool(), nn.dropout(0.4), nn.linear(1024, 1000),
  }, {3, 224, 224}
end
arch.googlenet = arch.inception

local arch_names = {"lenet5", "alexnet", "vgg16", "resnet18", "inception"}

--- nn.arch(name): the named architecture, untrained, with its input shape kept for
--- m:summary() (and m:input_shape())
function nn.arch(name)
  local build = type(name) == "string" and arch[name:lower()]
  if not build then
    error(('nn.arch: unknown architecture %s (known: "%s")'):format(
      type(name) == "string" and ('"' .. name .. '"') or tostring(name),
      table.concat(arch_names, '", "')), 2)
  end
  local m, input = build()
  return m:input_shape(input)
end

end
