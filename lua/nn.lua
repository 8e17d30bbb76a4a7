-- nn.lua: the `nn` table users see. It starts as the tensor API of the "nn.core"
-- binding (tensors, ops, autograd, seed, no_grad, graph); layers, losses and
-- training are added below it by their own code.
local nn = {}
for k, v in pairs(require "nn.core") do nn[k] = v end
require("nn_train")(nn) -- layers, losses, models, fit, save/load (lua/nn_train.lua)

local T = require "nn.train"

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

return nn
