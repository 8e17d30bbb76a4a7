-- transfer.lua: what transfer learning needs on a model of built-in layers (lesson
-- 14): m:freeze(i, j) / m:unfreeze(i, j) on a range of its layers (the engine skips a
-- frozen layer's gradient and its optimizer state), m:replace(k, layer) -> a new model
-- with layer k replaced (the head of a pretrained net), and m:features(d, k) -> a data
-- set of layer k's outputs (features for a small classifier). Layers are counted as
-- m:children() lists them. Loaded at start (init.lua); adds methods to the modules.
local T = require "nn.train"
local mm = T.module_methods

local M = {}

local function kids_of(m, who)
  local ok, info = pcall(function() return m:info() end)
  if not ok or info.kind ~= "sequential" then
    error(("%s: expected a model (nn.sequential{...}), got %s"):format(who, ok and info.kind or type(m)), 3)
  end
  return m:children()
end

local function range(m, i, j, who)
  local kids = kids_of(m, who)
  j = j or i
  if math.type(i) ~= "integer" or math.type(j) ~= "integer" or i < 1 or j > #kids or i > j then
    error(("%s: layers %s to %s are not a range of the model's %d layers (1 <= i <= j <= %d)"):format(who,
      tostring(i), tostring(j), #kids, #kids), 3)
  end
  return kids, j
end

local base_freeze, base_unfreeze = mm.freeze, mm.unfreeze

--- m:freeze([on]) freezes the whole module; m:freeze(i [, j]) freezes layers i to j of
--- a model (their weights get no gradient and do not move in fit; the optimizer keeps
--- no state for them). Returns m.
function mm.freeze(m, i, j)
  if math.type(i) == "integer" then
    local kids, last = range(m, i, j, "m:freeze")
    for k = i, last do base_freeze(kids[k]) end
    return m
  end
  if i == nil then base_freeze(m) else base_freeze(m, i) end
  return m
end

--- m:unfreeze() unfreezes every layer; m:unfreeze(i [, j]) layers i to j. Returns m.
function mm.unfreeze(m, i, j)
  if math.type(i) == "integer" then
    local kids, last = range(m, i, j, "m:unfreeze")
    for k = i, last do base_unfreeze(kids[k]) end
    return m
  end
  base_unfreeze(m)
  return m
end

--- M.frozen(m) -> list of the frozen layers' numbers
function M.frozen(m)
  local out = {}
  for k, c in ipairs(kids_of(m, "frozen")) do if c:info().frozen then out[#out + 1] = k end end
  return out
end
function mm.frozen_layers(m) return M.frozen(m) end

-- A new layer like c with a copy of its weights, batch-norm statistics and frozen
-- flags (a layer belongs to one model): the engine copies any kind a model file can
-- hold (conv, pool, batch norm, residual blocks, nested models, ...).
local function copy_layer(c, k)
  local ok, new = pcall(T.copy, c)
  if not ok then
    error(("m:replace: layer %d (%s) cannot be copied into a new model (%s); rebuild the model by hand"):format(k,
      c:info().name, tostring(new):gsub("^[^:]*:%d+: ", "")), 3)
  end
  return new
end

--- m:replace(k, layer) -> a new model: m's layers with layer k replaced by `layer`
--- (the others are copies with their weights and frozen state; m is left as it was).
--- m2 = pretrained:replace(12, nn.linear(84, 5)) gives a net a new head.
function mm.replace(m, k, layer)
  local kids = kids_of(m, "m:replace")
  if math.type(k) ~= "integer" or k < 1 or k > #kids then
    error(("m:replace: layer %s is not one of the model's %d layers"):format(tostring(k), #kids), 2)
  end
  local mt = getmetatable(layer)
  if not (type(mt) == "table" and rawget(mt, "__name") == "nnlab.module") then
    error("m:replace: expected a built-in layer to put in, like nn.linear(84, 5), got " .. type(layer), 2)
  end
  local list = {}
  for i, c in ipairs(kids) do list[i] = i == k and layer or copy_layer(c, i) end
  local ok, new = pcall(nn.sequential, list)
  if not ok then error("m:replace: " .. tostring(new):gsub("^[^:]*:%d+: ", ""), 2) end
  return new
end

--- m:features(d, k) -> a data set: the outputs of layers 1 to k for every input of d
--- (maps flattened to one row a sample), with d's targets: features for a small
--- classifier. The layers run in evaluation mode.
function mm.features(m, d, k)
  local kids = kids_of(m, "m:features")
  if math.type(k) ~= "integer" or k < 1 or k > #kids then
    error(("m:features: layer %s is not one of the model's %d layers"):format(tostring(k), #kids), 2)
  end
  local mt = getmetatable(d)
  if not (type(mt) == "table" and rawget(mt, "__name") == "nnlab.dataset") then
    error("m:features: expected a data set, got " .. type(d), 2)
  end
  local h = d:x()
  for i = 1, k do h = kids[i]:predict(h) end
  local n = h.shape[1]
  if #h.shape > 2 then h = h:reshape(n, h:numel() // n) end
  local classes = d:info().classes
  return data.from(h, d:y(), classes > 0 and {classes = classes} or nil)
end

return M
