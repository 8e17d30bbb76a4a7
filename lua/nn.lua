-- nn.lua: the `nn` table users see. It starts as the tensor API of the "nn.core"
-- binding (tensors, ops, autograd, seed, no_grad, graph); layers, losses and
-- training are added below it by their own code.
local nn = {}
for k, v in pairs(require "nn.core") do nn[k] = v end
require("nn_train")(nn) -- layers, losses, models, fit, save/load (lua/nn_train.lua)
require("nn_seq")(nn) -- embedding, rnn, lstm, gru and their views (lua/nn_seq.lua)

local T = require "nn.train"
local options = require "options"

-- Calls the constructor of kind and raises its error at the user's line as
-- "nn.<kind>: ...", without the C position or Lua's "bad argument" wrapper.
local function make(kind, f, ...)
  local ok, m = pcall(f, ...)
  if ok then return m end
  local msg = tostring(m):gsub("^[^:\n]+:%d+: ", ""):gsub("^bad argument #%d+ to '[^']+' %((.*)%)$", "%1")
  msg = msg:gsub("^" .. kind .. ": ", "")
  error("nn." .. kind .. ": " .. msg, 3)
end

--- nn.flatten(): [batch, d1, ..., dk] -> [batch, d1*...*dk]
function nn.flatten(...)
  if select("#", ...) > 0 then error("nn.flatten: takes no argument", 2) end
  return make("flatten", T.flatten)
end

--- nn.reshape{sizes...}: each sample to that shape (one size may be -1)
function nn.reshape(sizes)
  if type(sizes) ~= "table" then
    error("nn.reshape: expected the sizes of a sample, like nn.reshape{1, 28, 28}, got " .. type(sizes), 2)
  end
  for i, v in ipairs(sizes) do
    if math.type(v) ~= "integer" then
      error(("nn.reshape: size %d must be a whole number, got %s"):format(i, tostring(v)), 2)
    end
  end
  return make("reshape", T.reshape, sizes)
end

-- A size that is one number for both axes or a pair {height, width}.
local function pair(who, what, v, min)
  if math.type(v) == "integer" then v = {v, v} end
  if type(v) ~= "table" or #v ~= 2 or math.type(v[1]) ~= "integer" or math.type(v[2]) ~= "integer" then
    error(("%s: %s must be a whole number or {height, width}, got %s"):format(who, what, tostring(v)), 4)
  end
  if v[1] < min or v[2] < min then
    error(("%s: %s must be >= %d, got {%d, %d}"):format(who, what, min, v[1], v[2]), 4)
  end
  return v[1], v[2]
end

-- The window's arguments of T.conv2d and T.pool2d from a kernel size and options:
-- kh kw sh sw dh dw pt pb pl pr same. padding: a number, {ph, pw}, {top, bottom,
-- left, right}, "valid" (0) or "same".
local function window(who, k, opts, default_stride)
  local kh, kw = pair(who, "the kernel size", k, 1)
  local sh, sw = pair(who, "stride", opts.stride or default_stride or 1, 1)
  local dh, dw = pair(who, "dilation", opts.dilation or 1, 1)
  local p, same = opts.padding or 0, false
  if p == "valid" then p = 0 elseif p == "same" then p, same = 0, true end
  local pt, pb, pl, pr
  if type(p) == "table" and #p == 4 then
    for i = 1, 4 do
      if math.type(p[i]) ~= "integer" or p[i] < 0 then
        error(("%s: padding {top, bottom, left, right} must be whole numbers >= 0, got %s at %d"):format(
          who, tostring(p[i]), i), 3)
      end
    end
    pt, pb, pl, pr = p[1], p[2], p[3], p[4]
  elseif type(p) == "string" then
    error(("%s: padding must be a number, {ph, pw}, {top, bottom, left, right}, \"valid\" or \"same\", got \"%s\""):format(who, p), 3)
  else
    pt, pl = pair(who, "padding", p, 0)
    pb, pr = pt, pl
  end
  return kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, same
end

local function check_options(who, opts, known)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(("%s: options must be a table, got %s"):format(who, type(opts)), 3) end
  for k in pairs(opts) do
    if not known[k] then
      options.refuse(who, k, known, 3)
    end
  end
  return opts
end

--- nn.conv2d(in, out, k [, {stride=, padding=, dilation=, groups=, bias=, init=, flip=}]):
--- [batch, in, H, W] -> [batch, out, H', W'], cross-correlation as the course computes it
--- (flip = true: true convolution, the kernel turned by 180 degrees)
function nn.conv2d(inputs, outputs, k, opts)
  opts = check_options("nn.conv2d", opts,
    {stride = true, padding = true, dilation = true, groups = true, bias = true, init = true, flip = true})
  if math.type(inputs) ~= "integer" or math.type(outputs) ~= "integer" then
    error(("nn.conv2d: expected in and out channels as whole numbers, like nn.conv2d(1, 6, 5), got %s and %s"):format(
      tostring(inputs), tostring(outputs)), 2)
  end
  if k == nil then error("nn.conv2d: expected the kernel size, like nn.conv2d(1, 6, 5)", 2) end
  local init = opts.init or "he_uniform"
  if type(init) ~= "string" then error("nn.conv2d: init must be an initialiser's name, got " .. type(init), 2) end
  if opts.flip ~= nil and type(opts.flip) ~= "boolean" then
    error("nn.conv2d: flip must be true or false, got " .. tostring(opts.flip), 2)
  end
  local kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, same = window("nn.conv2d", k, opts)
  return make("conv2d", T.conv2d, inputs, outputs, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, same,
    opts.groups or 1, opts.bias ~= false, init, nil, nil, opts.flip == true)
end

local function pool(kind, ctor)
  return function(k, opts)
    opts = check_options(ctor, opts, {stride = true, padding = true, dilation = true})
    if k == nil then error(ctor .. ": expected the window size, like " .. ctor .. "(2)", 2) end
    -- the stride defaults to the window, as in Keras and PyTorch
    return make(kind .. "pool2d", T.pool2d, kind, window(ctor, k, opts, k))
  end
end

--- nn.maxpool2d(k [, {stride=, padding=, dilation=}]): the largest value of each window, per channel
nn.maxpool2d = pool("max", "nn.maxpool2d")
--- nn.avgpool2d(k [, {stride=, padding=, dilation=}]): the mean of each window (padding counts as 0)
nn.avgpool2d = pool("avg", "nn.avgpool2d")

--- nn.global_avgpool(): [batch, C, H, W] -> [batch, C], the mean of each map
function nn.global_avgpool(...)
  if select("#", ...) > 0 then error("nn.global_avgpool: takes no argument", 2) end
  return make("global_avgpool", T.pool2d, "global_avg", 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, false)
end

require("cnn")(nn) -- issue 13: transposed conv, batchnorm2d, dropout2d, concat, resblock, nn.arch (lua/cnn.lua)

return nn
