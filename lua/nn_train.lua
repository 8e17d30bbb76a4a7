-- nn_train.lua: layers, losses, models and training for the `nn` table (required
-- by nn.lua): nn.linear, the activations of lesson 03, nn.dropout, nn.batchnorm,
-- nn.sequential, nn.residual, the losses, m:fit{...}, m:summary(), nn.save/nn.load.
-- Built-in modules are C objects ("nn.train") that train without entering Lua per
-- step; a model written in Lua (a table with forward and parameters) trains through
-- the same C loop, which calls its forward back each step (autograd does the backward).
local T = require "nn.train"
local util = require "util"
local options = require "options"
local core = require "nn.core"
local ok_core, rcore = pcall(require, "repl.core")
local now = ok_core and rcore.now or os.clock -- wall-clock seconds at the prompt

return function(nn)

local module_methods = T.module_methods

-- Calls f(...) and raises its error at the caller of the function calling ccall
-- (the user's line, not this file's), without the C side's position.
local function ccall(f, ...)
  local r = table.pack(pcall(f, ...))
  if not r[1] then error(util.strip_position(r[2]), 3) end
  return table.unpack(r, 2, r.n)
end

------------------------------------------------------------------------ layers

-- An initialiser spec: "he_normal", {"uniform", -0.1, 0.1}, or a number (constant).
local function init_args(spec, default, what)
  if spec == nil then spec = default end
  if type(spec) == "number" then return "constant", spec, 0 end
  if type(spec) == "string" then return spec, 0, 0 end
  if type(spec) == "table" then return spec[1], spec[2] or 0, spec[3] or 0 end
  error(what .. ": expected a name, {name, a, b} or a number, got " .. type(spec), 3)
end

--- nn.linear(in, out [, {init=, bias=, l1=, l2=}]): y = x W + b
options.declare("nn.linear", {"init", "bias", "l1", "l2", "freeze"})
function nn.linear(inputs, outputs, opts)
  opts = options.check("nn.linear", opts)
  local wn, wa, wb = init_args(opts.init, "xavier_uniform", "init")
  local bn, ba, bb = init_args(opts.bias, "zeros", "bias")
  local m = ccall(T.linear, inputs, outputs, wn, wa, wb, bn, ba, bb)
  if opts.l1 or opts.l2 then m:regularize(opts.l1 or 0, opts.l2 or 0) end
  if opts.freeze then m:freeze() end
  return m
end

-- Activation constructors: nn.tanh() is a module; nn.tanh(x) on a tensor applies it.
local function activation(name, argname)
  local ctor = "nn." .. (name == "linear" and "identity" or name)
  options.declare(ctor, {argname}, 1)
  return function(a, ...)
    if type(a) == "userdata" and getmetatable(a) == debug.getregistry()["nnlab.tensor"] then
      local arg = select(1, ...)
      return ccall(T.activation(name, arg), a)
    end
    if type(a) == "table" then
      -- an option this activation does not have is refused, not silently ignored
      options.check(ctor, a)
      a = (argname and a[argname]) or a[1]
    end
    if a ~= nil and not argname then
      error(("%s: takes no argument, got %s"):format(ctor, tostring(a)), 2)
    end
    return ccall(T.activation, name, a)
  end
end

nn.step = activation("step")
nn.identity = activation("linear")
nn.sigmoid = activation("sigmoid", "slope")
nn.bipolar_sigmoid = activation("bipolar_sigmoid", "slope")
nn.tanh = activation("tanh")
nn.lecun_tanh = activation("lecun_tanh")
nn.hard_tanh = activation("hard_tanh")
nn.relu = activation("relu")
nn.leaky_relu = activation("leaky_relu", "slope")
--- nn.prelu([features] [, {init = 0.25}]): learned slopes for x < 0, one per feature
--- (features > 0) or one shared (none); nn.prelu(x) applies a shared 0.25 to a tensor
options.declare("nn.prelu", {"features", "init"}, 1)
function nn.prelu(features, opts)
  if type(features) == "userdata" and getmetatable(features) == debug.getregistry()["nnlab.tensor"] then
    return ccall(T.activation("prelu", opts), features)
  end
  if type(features) == "table" then features, opts = features.features or features[1], features end
  opts = options.check("nn.prelu", opts)
  if features ~= nil and (math.type(features) ~= "integer" or features < 0) then
    error("nn.prelu: features must be a whole number of features (0 or none: one shared slope), got "
      .. tostring(features), 2)
  end
  return ccall(T.prelu, features or 0, opts.init)
end
nn.elu = activation("elu", "alpha")
nn.softplus = activation("softplus")
nn.swish = activation("swish")
nn.gelu = activation("gelu")
nn.softmax = activation("softmax")

--- nn.activation(name [, a]): any activation by name
function nn.activation(name, a) return ccall(T.activation, name, a) end

--- nn.dropout(p): inverted dropout
function nn.dropout(p) return ccall(T.dropout, p or 0.5) end

--- nn.batchnorm(features [, {momentum=0.1, eps=1e-5}])
options.declare("nn.batchnorm", {"momentum", "eps"})
function nn.batchnorm(features, opts)
  opts = options.check("nn.batchnorm", opts)
  return ccall(T.batchnorm, features, opts.momentum, opts.eps)
end

local function is_builtin(m)
  return getmetatable(m) == debug.getregistry()["nnlab.module"]
end

-- A sequential of modules of which some are written in Lua: forward calls each
-- (autograd does the backward); parameters are all of theirs.
local LuaSeq = {}
LuaSeq.__index = LuaSeq
function LuaSeq:forward(x)
  for _, m in ipairs(self.modules) do
    if m.forward then x = m:forward(x) else x = m(x) end -- a table with forward, or callable
  end
  return x
end
LuaSeq.__call = LuaSeq.forward
function LuaSeq:parameters()
  local ps = {}
  for _, m in ipairs(self.modules) do
    for _, p in ipairs(m:parameters()) do ps[#ps + 1] = p end
  end
  return ps
end
function LuaSeq:train(on)
  on = on == nil or not not on -- train() trains; train(false) evaluates
  self.training = on
  for _, m in ipairs(self.modules) do if m.train then m:train(on) end end
  return self
end
function LuaSeq:eval() return self:train(false) end
--- s:freeze([on]) / s:unfreeze(): freezes (unfreezes) the modules that can be
function LuaSeq:freeze(on)
  on = on == nil or not not on -- freeze() freezes; freeze(false) unfreezes
  for _, m in ipairs(self.modules) do if m.freeze then m:freeze(on) end end
  return self
end
function LuaSeq:unfreeze() return self:freeze(false) end
-- s:regularize(l1, l2): L1/L2 penalties on the weights of the modules that take them
-- (its built-in layers); fit adds them to the loss and the gradient as for a C model
function LuaSeq:regularize(l1, l2)
  for _, m in ipairs(self.modules) do if m.regularize then m:regularize(l1, l2) end end
  return self
end

--- nn.sequential{m1, m2, ...}
function nn.sequential(list)
  if type(list) ~= "table" then error("nn.sequential: expected a list of modules", 2) end
  local builtin = true
  for i, m in ipairs(list) do
    if not is_builtin(m) then
      if type(m) ~= "table" or not (m.forward or getmetatable(m) and getmetatable(m).__call) then
        error(("nn.sequential: item %d is not a module (%s)"):format(i, type(m)), 2)
      end
      builtin = false
    end
  end
  if builtin then return ccall(T.sequential, list) end
  return setmetatable({modules = list}, LuaSeq)
end

--- nn.residual(m): x + m(x)
function nn.residual(m, shortcut) return ccall(T.residual, m, shortcut) end

------------------------------------------------------------------------ losses

local loss_of = {}  -- loss function -> its engine name

local function loss(name)
  local f = function(y, t, delta) return ccall(T.loss, name, y, t, delta) end
  loss_of[f] = name
  return f
end

nn.mse = loss("mse")
nn.mae = loss("mae")
nn.huber = loss("huber")
nn.bce = loss("bce")
nn.binary_cross_entropy = nn.bce
nn.cross_entropy = loss("cross_entropy")
nn.hinge = loss("hinge")
nn.multi_hinge = loss("multi_hinge")
nn.seq_cross_entropy = loss("seq_cross_entropy") -- per step, padding ignored (loss_seq.c)

local function loss_name(l)
  if type(l) == "string" then return l end
  local n = loss_of[l]
  if not n then error("fit: loss must be one of nn.mse, nn.cross_entropy, ... or a name", 3) end
  return n
end

------------------------------------------------------------------------ models

local function check_data(d, what)
  if getmetatable(d) ~= debug.getregistry()["nnlab.dataset"] then
    error(what .. ": expected a data set (data.spiral{...}, data.from(x, y), ...), got "
      .. type(d), 3)
  end
  return d
end

local function forward(m, x)
  if m.forward then return m:forward(x) end
  return m(x)
end

-- Training or evaluation mode of a built-in module or one written in Lua (a Lua
-- module without a `training` field counts as training, the default).
local function is_training(m)
  if is_builtin(m) then return T.training(m) end
  return type(m) ~= "table" or m.training ~= false
end

local function set_mode(m, on)
  if is_builtin(m) or (type(m) == "table" and m.train) then m:train(on) end
end

-- f() with m in evaluation mode and no graph; m gets back the mode it had.
local function in_eval(m, f)
  local was = is_training(m)
  set_mode(m, false)
  local r = table.pack(pcall(core.no_grad, f))
  set_mode(m, was)
  if not r[1] then error(r[2], 0) end
  return table.unpack(r, 2, r.n)
end

-- The built-in modules inside a model written in Lua: in its .modules list, or else in
-- its fields (self.fc = nn.linear(...)), each table searched once, fields in name
-- order. The C loop keeps their batch-norm statistics with the weights, adds their
-- L1/L2 penalties and sets their modes.
local function builtins_of(m, out, seen)
  out, seen = out or {}, seen or {}
  if is_builtin(m) then
    if not seen[m] then out[#out + 1] = m end
    seen[m] = true
    return out
  end
  if type(m) ~= "table" or seen[m] then return out end
  seen[m] = true
  if type(m.modules) == "table" then
    for _, c in ipairs(m.modules) do builtins_of(c, out, seen) end
    return out
  end
  local keys = {}
  for k, v in pairs(m) do
    if type(k) == "string" and (is_builtin(v) or type(v) == "table") then keys[#keys + 1] = k end
  end
  table.sort(keys)
  for _, k in ipairs(keys) do builtins_of(m[k], out, seen) end
  return out
end

-- The engine's view of a model written in Lua: a module of the callback kind that the
-- C training loop runs as it runs the built-in ones. Its forward is m's, called with
-- a tensor over the batch (autograd records it); its backward is autograd from the
-- output; its parameters are m:parameters(). One forward of the data's first rows,
-- in evaluation mode and without a graph, gives the output width.
local function engine_model(m, d, who)
  if type(m) ~= "table" or type(m.parameters) ~= "function" then
    error(who .. ": expected a model (a built-in module, or a table with forward and "
      .. "parameters), got " .. type(m), 0)
  end
  local ok, y = pcall(in_eval, m, function() return forward(m, d:slice(1, math.min(2, #d)):x()) end)
  if not ok then
    error(who .. ": the model's forward failed on the data's first rows: "
      .. util.strip_position(y), 0)
  end
  if getmetatable(y) ~= debug.getregistry()["nnlab.tensor"] or #y.shape ~= 2 then
    error(who .. ": the model's forward must give a tensor [batch, outputs], got "
      .. (getmetatable(y) == debug.getregistry()["nnlab.tensor"]
        and ("shape [" .. table.concat(y.shape, ",") .. "]") or type(y)), 0)
  end
  return T.lua_model(function(x) return forward(m, x) end,
    function(on)
      if on ~= nil then set_mode(m, on) end
      return is_training(m)
    end, m:parameters(), builtins_of(m), y.shape[2])
end

-- The loss a set implies: cross-entropy for classes (per step for a tagger's labels,
-- one a step), MSE for regression.
local function default_loss(info)
  if info.classes == 0 then return "mse" end
  return info.ny > 1 and "seq_cross_entropy" or "cross_entropy"
end

--- m:evaluate(data [, loss]) -> {loss=, accuracy=, precision=, recall=, f1=, confusion=}
--- (precision, recall and F1 of class 1 for two classes, macro averages for more)
-- What evaluate returns prints one line at the prompt (its 10 x 10 confusion matrix
-- printed as a table filled the screen); the fields are the same.
local Evaluation = {__name = "evaluation"}
function Evaluation.__tostring(e)
  local parts = {("loss %.4f"):format(e.loss)}
  for _, k in ipairs{"accuracy", "precision", "recall", "f1"} do
    if e[k] then parts[#parts + 1] = ("%s %.4f"):format(k, e[k]) end
  end
  local cm = e.confusion and ((" (.confusion: %d x %d)"):format(#e.confusion, #e.confusion)) or ""
  return "evaluation: " .. table.concat(parts, ", ") .. cm
end

local function evaluate(m, d, l)
  if not is_builtin(m) and not (type(m) == "table" and m.parameters) then
    error("evaluate: expected a model (nn.sequential{...}, m:evaluate(data)), got " .. type(m), 2)
  end
  check_data(d, "evaluate")
  local info = d:info()
  l = loss_name(l or default_loss(info))
  local model = is_builtin(m) and m or ccall(engine_model, m, d, "evaluate")
  local lv, acc, cm, mt = ccall(T.evaluate, model, d, l)
  local r = {loss = lv, accuracy = acc, confusion = cm}
  if mt then r.precision, r.recall, r.f1 = mt.precision, mt.recall, mt.f1 end
  return setmetatable(r, Evaluation)
end
module_methods.evaluate = evaluate
LuaSeq.evaluate = evaluate

--- m:predict(x) -> outputs in evaluation mode, no graph; the model keeps its mode
function module_methods.predict(m, x) return ccall(T.predict, m, x) end
function LuaSeq.predict(m, x)
  if getmetatable(x) ~= debug.getregistry()["nnlab.tensor"] then
    error("predict: expected a tensor [batch, features], got " .. type(x), 2)
  end
  return in_eval(m, function() return forward(m, x) end)
end

local function fmt_params(n)
  local s = tostring(math.floor(n))
  return s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
end

-- The name of a module written in Lua: its metatable's __name, or "lua module".
local function lua_name(mod)
  local mt = getmetatable(mod)
  return type(mt) == "table" and type(mt.__name) == "string" and mt.__name or "lua module"
end

local function param_count(mod)
  local n = 0
  if type(mod) == "table" and mod.parameters then
    for _, p in ipairs(mod:parameters()) do n = n + p:numel() end
  end
  return n
end

-- The rows of a summary: {name, shape, params | nil for a container}, and the totals.
-- inputs: a sample's shape {1, 28, 28} or width. Built-in layers report their output
-- shapes for it (m:out_shape), or their widths when it is not known; a module
-- written in Lua is run on a dummy batch of zeros [2, inputs...] (in evaluation
-- mode, no graph) to see its output shape.
-- The length of a sequence whose length is not given: a model that starts with an
-- embedding takes ids [batch, T] of any T, and its shapes are worked out for this T
-- and printed with None in its place, as Keras prints them ((None, None, 16)).
local ANY_LENGTH = 1000003

local function first_leaf(m)
  while m:info().container do
    local kids = m:children()
    if #kids == 0 then return nil end
    m = kids[1]
  end
  return m
end

local summary_rows
function summary_rows(m, inputs)
  local rows, total, frozen = {}, 0, 0
  if type(inputs) == "number" then inputs = inputs > 0 and {inputs} or nil end
  if inputs == nil and is_builtin(m) then
    local leaf = first_leaf(m)
    if leaf and leaf:info().kind == "embedding" then
      -- a layer that needs the length (a flatten before a linear) shows "?" instead
      local ok, r, t, f = pcall(summary_rows, m, {ANY_LENGTH})
      if ok then return r, t, f end
    end
  end
  local function shape_of(w)
    if type(w) == "table" then
      local dims = {}
      for i, d in ipairs(w) do dims[i] = d == ANY_LENGTH and "None" or tostring(d) end
      return "(None, " .. table.concat(dims, ", ") .. ")"
    end
    return w and w > 0 and ("(None, " .. w .. ")") or "(None, ?)"
  end
  local function walk(mod, width, depth)
    local info = mod:info()
    if type(width) == "number" then width = width > 0 and {width} or nil end
    -- a layer's widths tell its input and output, but batch norm's (the features or
    -- the channels) fit [batch, C, H, W] too
    local widths = info.kind ~= "batchnorm"
    if width == nil and info.inputs > 0 and widths then width = {info.inputs} end
    local out = info.outputs > 0 and widths and info.outputs or width
    if type(width) == "table" then out = mod:out_shape(width)
    elseif width == nil then out = mod:out_shape() or out end -- a reshape's target
    if info.container then
      if depth > 0 then
        rows[#rows + 1] = {string.rep("  ", depth - 1) .. info.name, shape_of(out)}
      end
      -- a sequential chains its children; the others (residual, concat) give each
      -- child the container's input
      local chain = info.kind == "sequential"
      for _, c in ipairs(mod:children()) do
        local o = walk(c, width, depth + 1)
        if chain then width = o end
      end
      return out
    end
    rows[#rows + 1] = {string.rep("  ", depth - 1) .. info.name, shape_of(out), info.nparams}
    total = total + info.nparams
    if info.frozen then frozen = frozen + info.nparams end
    return out
  end
  if is_builtin(m) then
    local info = m:info()
    walk(m, inputs, info.kind == "sequential" and 0 or 1)
    return rows, total, frozen
  end
  local mods = m.modules or {m}
  local width = inputs
  if not width and is_builtin(mods[1]) and mods[1]:info().inputs > 0 then
    width = {mods[1]:info().inputs}
  end
  if not width then
    error("summary: the first module is written in Lua, so the input width is unknown; "
      .. "give it: m:summary(features)", 0)
  end
  in_eval(m, function()
    local x = core.zeros{2, table.unpack(width)}
    for i, mod in ipairs(mods) do
      local ok, y = pcall(forward, mod, x)
      if not ok then
        error(("summary: module %d (%s) failed on a dummy batch [%s]: %s"):format(i,
          is_builtin(mod) and mod:info().name or lua_name(mod), table.concat(x.shape, ", "),
          util.strip_position(y)), 0)
      end
      local shape = y.shape
      local dims = {"None"}
      for k = 2, #shape do dims[#dims + 1] = tostring(shape[k]) end
      local text = "(" .. table.concat(dims, ", ") .. ")"
      if is_builtin(mod) then
        local info = mod:info()
        if info.container then
          walk(mod, {table.unpack(x.shape, 2)}, 1)
        else
          rows[#rows + 1] = {info.name, text, info.nparams}
          total = total + info.nparams
          if info.frozen then frozen = frozen + info.nparams end
        end
      else
        local np = param_count(mod)
        rows[#rows + 1] = {lua_name(mod), text, np}
        total = total + np
      end
      x = y
    end
  end)
  return rows, total, frozen
end

-- The summary table: Keras' layout, or compact (the printed form of a model, at most
-- COMPACT_ROWS layer rows).
local COMPACT_ROWS = 16
local function summary_text(m, inputs, compact)
  local rows, total, frozen = summary_rows(m, inputs)
  local w1, w2, w3 = 28, 16, 10
  if compact then w1, w2, w3 = 20, 14, 8 end
  for _, r in ipairs(rows) do -- long names and the shapes of maps widen their columns
    w1, w2 = math.max(w1, #r[1]), math.max(w2, #r[2])
  end
  local rowfmt = "%-" .. w1 .. "s %-" .. w2 .. "s %" .. w3 .. "s"
  local lines = {string.format(rowfmt, "Layer (type)", "Output Shape", "Param #")}
  local rule = string.rep(compact and "-" or "=", w1 + w2 + w3 + 2)
  lines[#lines + 1] = rule
  -- The printed form keeps to a screen: a deep net shows its first and last layers
  -- (where the shapes start and end) and says how to see the rest.
  local head, tail = #rows, 0
  if compact and #rows > COMPACT_ROWS then head, tail = COMPACT_ROWS - 4, 3 end
  for i, r in ipairs(rows) do
    if i <= head or i > #rows - tail then
      lines[#lines + 1] = string.format(rowfmt, r[1], r[2], r[3] and fmt_params(r[3]) or "")
    elseif i == head + 1 then
      lines[#lines + 1] = ("... %d more layers (m:summary() lists every one)"):format(#rows - head - tail)
    end
  end
  lines[#lines + 1] = rule
  if compact then
    lines[#lines + 1] = ("Total params: %s (trainable %s)"):format(fmt_params(total),
      fmt_params(total - frozen))
  else
    lines[#lines + 1] = "Total params: " .. fmt_params(total)
    lines[#lines + 1] = "Trainable params: " .. fmt_params(total - frozen)
    lines[#lines + 1] = "Non-trainable params: " .. fmt_params(frozen)
  end
  local unknown = false
  for _, r in ipairs(rows) do unknown = unknown or r[2]:find("?", 1, true) ~= nil end
  if unknown then -- say how to see them: a "?" alone reads as a fault
    local leaf = is_builtin(m) and first_leaf(m)
    local kind = leaf and leaf:info().kind or ""
    local sample = (kind:find("conv") or kind:find("pool")) and "{channels, height, width}"
      or kind == "embedding" and "{steps}" or "{features}"
    lines[#lines + 1] = "? depends on the input's size: m:input_shape" .. sample .. " sets it"
  end
  return table.concat(lines, "\n")
end

-- The sample shape a model was built for (nn.arch's models, m:input_shape{...}),
-- weakly keyed by the model's handle.
local input_shapes = setmetatable({}, {__mode = "k"})

--- m:input_shape([{sizes...}]): the sample shape m expects (what m:summary() uses
--- when given none); with sizes, sets it (checked by m:out_shape) and returns m
function module_methods.input_shape(m, shape)
  if type(m) ~= "userdata" and type(m) ~= "table" or not m.out_shape then
    error("m:input_shape: call it on a model with a colon, m:input_shape(...); got " .. type(m), 2)
  end
  if shape == nil then
    local s = input_shapes[m]
    return s and {table.unpack(s)} or nil
  end
  if type(shape) ~= "table" then
    error("m:input_shape: expected a sample's shape like {3, 224, 224}, got " .. type(shape), 2)
  end
  local ok, err = pcall(m.out_shape, m, shape)
  if not ok then error("m:input_shape: " .. util.strip_position(tostring(err)), 2) end
  input_shapes[m] = {table.unpack(shape)}
  return m
end

--- m:summary([inputs | {inputs=, print=}]): prints each layer's output shape and
--- parameter count (as Keras) and returns nothing, so the prompt shows it once;
--- with print = false it prints nothing and returns the text instead.
options.declare("module:summary", {"inputs", "print"}, math.huge, "m:summary")
local function summary(m, opts)
  local inputs, quiet = opts, false
  if type(opts) == "table" and getmetatable(opts) == nil then
    options.check("module:summary", opts)
    inputs, quiet = opts.inputs or (#opts > 0 and {table.unpack(opts)} or nil), opts.print == false
  end
  local function width_ok(w) return math.type(w) == "integer" and w >= 0 end
  local good = inputs == nil or width_ok(inputs)
  if type(inputs) == "table" then
    good = true
    for i = 1, #inputs do good = good and width_ok(inputs[i]) end
  end
  if not good then
    error("m:summary: inputs must be the input width (a whole number) or a shape {features, ...}, got "
      .. tostring(inputs), 2)
  end
  if inputs == nil then inputs = input_shapes[m] end -- nn.arch's, or m:input_shape{...}'s
  local ok, text = pcall(summary_text, m, inputs, false)
  if not ok then error(util.strip_position(text), 2) end
  if quiet then return text end
  print(text)
end
module_methods.summary = summary
LuaSeq.summary = summary

-- A container prints as its compact summary table; a single layer (and a freed or
-- a Lua model whose table cannot be made) as one line.
local module_mt = debug.getregistry()["nnlab.module"]
local c_tostring = module_mt.__tostring
module_mt.__tostring = function(m)
  local ok, info = pcall(m.info, m)
  if not ok or not info.container then return c_tostring(m) end
  local shape = input_shapes[m]
  local okt, text = pcall(summary_text, m, shape, true)
  local function width(w) return w > 0 and tostring(w) or "any" end
  -- the sample shape it was built for (nn.arch's, m:input_shape's) says more than "any"
  local ins = shape and #shape > 1 and table.concat(shape, "x") or width(info.inputs)
  return okt and (info.name .. " (" .. ins .. " -> " .. width(info.outputs) .. ")\n" .. text)
    or c_tostring(m)
end
function LuaSeq.__tostring(m)
  local ok, text = pcall(summary_text, m, nil, true)
  if ok then return "sequential (with modules written in Lua)\n" .. text end
  return ("sequential (%d modules, some written in Lua; %s parameters)"):format(#m.modules,
    fmt_params(param_count(m)))
end

------------------------------------------------------------------------ fit

local Run = {}
Run.__name = "run"

function Run.__index(self, k)
  if k == "history" then return self._r:history() end
  if k == "error" then -- the message of a failed run (a NaN loss...), else nil
    local s = self._r:status()
    return s.state == "failed" and s.message or nil
  end
  -- run.step is the method run:step(); the step count is run:status().step
  if k == "state" or k == "epoch" or k == "message" or k == "best_epoch" then
    return self._r:status()[k]
  end
  return Run[k]
end

-- The figures are the last finished epoch's, as the line that said the run was done
-- (a batch's loss beside the epoch's mean read as two different losses); before the
-- first epoch ends, the last batch's, named so.
function Run:__tostring()
  local s = self._r:status()
  local h = self._r:history()
  local e = #h.loss
  local figures = ("batch loss %.4g"):format(s.last_loss)
  if e > 0 then
    figures = ("loss %.4f"):format(h.loss[e])
    if h.acc[e] and h.acc[e] == h.acc[e] then figures = figures .. (", acc %.4f"):format(h.acc[e]) end
  end
  return string.format("run (%s, epoch %d/%d, step %d, %s)%s", s.state, s.epoch, self.epochs, s.step,
    figures, s.message ~= "" and (": " .. s.message) or "")
end

--- run:stop(): stops the run at its next step
function Run:stop() self._r:stop(); if self.job then self.job:stop() end; return self end
--- run:losses([from]) -> the loss of every step (from step `from`)
function Run:losses(from) return self._r:losses(from) end
--- run:status() -> {state, epoch, step, last_loss, epoch_loss, ...}
function Run:status() return self._r:status() end
--- run:confusion(["train" | "validation"]) -> confusion, metrics of the last
--- finished epoch (rows are true classes); the validation set's by default when
--- there is one; nil before the first epoch or for regression
function Run:confusion(which)
  if which ~= nil and which ~= "train" and which ~= "validation" then
    error("run:confusion: expected \"train\" or \"validation\", got " .. tostring(which), 2)
  end
  if which == nil then which = self.has_validation and "validation" or "train" end
  -- at an epoch run:seek chose: counted again from the model of that epoch
  local set = self._seek_epoch and self._sets and self._sets[which]
  if set then
    local res = self:with_shown(evaluate, self.model, set)
    return res.confusion, res
  end
  return T.run_confusion(self._r, which == "validation")
end
--- run:wait(): runs it in the foreground until it ends
function Run:wait()
  if self.job then return repl.wait(self.job) end
  return self:_foreground()
end

--- run:pause() / run:resume(): pause and resume a background run (space in a plot
--- window that shows it does the same)
function Run:pause() if self.job then self.job:pause() end; return self end
function Run:resume() if self.job then self.job:resume() end; return self end
--- run:step() -> status: one mini-batch while the run is paused
function Run:step()
  if self.job and self.job.state == "running" then
    error("run:step(): the run is training; pause it first (space in its plot window, or run:pause())", 2)
  end
  self._r:run_for(1e-6) -- any positive budget ends the slice after one step
  return self._r:status()
end

------------------------------------------------------------------------ history

-- A run keeps snapshots of its weights (the parameters and batch norm's running
-- statistics) at the end of epochs, within a memory budget (64 MB unless fit's
-- snapshots = MB says otherwise): every epoch while they fit, then every 2nd, 4th...
-- (when over the budget the stride doubles and the epochs off it go, so the history
-- spans the whole run evenly). A copy of the parameter block per epoch costs little
-- beside the epoch itself. Views of the run draw the epoch that run:seek chose.
local SNAPSHOT_MB = 64
-- Small nets run epochs of a few steps each, thousands a second: there a snapshot each
-- epoch would cost more than the epoch (measured: a 2-8-8-2 net on 100 points, batch 10,
-- half its steps a second). The first stride is the smallest power of two that puts
-- this many steps between snapshots (1 for any epoch this long).
local SNAPSHOT_MIN_STEPS = 64

-- The batch-norm modules of a model of built-in layers, in order.
local function running_modules(m, out)
  out = out or {}
  if not is_builtin(m) then return out end
  if m:running() then out[#out + 1] = m end
  for _, c in ipairs(m:children()) do running_modules(c, out) end
  return out
end

-- The tensors a snapshot holds: the parameters, then each batch norm's mean and var.
local function weight_state(m)
  local ps = {}
  for i, p in ipairs(m:parameters()) do ps[i] = p end
  return ps, running_modules(m)
end

local function take_state(m)
  local ps, bns = weight_state(m)
  local snap, bytes = {params = {}, running = {}}, 0
  for i, p in ipairs(ps) do snap.params[i] = p:copy(); bytes = bytes + 4 * p:numel() end
  for i, b in ipairs(bns) do
    local mean, var = b:running()
    snap.running[i] = {mean, var}
    bytes = bytes + 8 * mean:numel()
  end
  return snap, bytes
end

local function put_state(m, snap)
  local ps, bns = weight_state(m)
  for i, p in ipairs(ps) do T.assign(p, snap.params[i]) end
  for i, b in ipairs(bns) do T.set_running(b, snap.running[i][1], snap.running[i][2]) end
end

-- Records the weights after epoch e (0: before training) when e is on the stride.
local function snapshot(run, e)
  local h = run._snaps
  if not h or h.off or e % h.stride ~= 0 then return end
  local snap, bytes = take_state(run.model)
  if bytes > h.budget then h.off = true; return end
  h.bytes_each = bytes
  h.states[e] = snap
  h.epochs[#h.epochs + 1] = e
  while #h.epochs * bytes > h.budget do
    h.stride = h.stride * 2
    local kept = {}
    for _, k in ipairs(h.epochs) do
      if k % h.stride == 0 then kept[#kept + 1] = k else h.states[k] = nil end
    end
    h.epochs = kept
  end
end

--- run:snapshots() -> {epochs = {...}, stride =, bytes =, budget =}: the epochs whose
--- weights the run keeps (0 is before training) and the memory they take; every epoch
--- when they fit the budget and epochs have 64 steps or more
function Run:snapshots()
  local h = self._snaps
  if not h then return {epochs = {}, stride = 1, bytes = 0, budget = 0} end
  return {epochs = table.move(h.epochs, 1, #h.epochs, 1, {}), stride = h.stride,
    bytes = #h.epochs * (h.bytes_each or 0), budget = h.budget}
end

--- run:seek(epoch | "latest") -> the epoch shown: the views of the run show the
--- model as it was after that epoch (the nearest kept snapshot at or before it; 0 is
--- before training), "latest" the model as it is now. Training goes on unchanged.
function Run:seek(e)
  local now_epoch = self._r:status().epoch
  local h = self._snaps
  if e == "latest" or e == nil then
    self._seek_epoch = nil
  else
    if math.type(e) ~= "integer" then
      error(("run:seek: expected an epoch (an integer) or \"latest\", got %s"):format(tostring(e)), 2)
    end
    if e < 0 or e > now_epoch then
      error(("run:seek: epoch %d is not in the run's history (0 to %d)"):format(e, now_epoch), 2)
    end
    if e == now_epoch then
      self._seek_epoch = nil
    else
      local pick
      for _, k in ipairs(h and h.epochs or {}) do if k <= e then pick = k end end
      if not pick then
        error(("run:seek: the run kept no weights at or before epoch %d (snapshots off: "
          .. "the model is larger than their memory budget)"):format(e), 2)
      end
      self._seek_epoch = pick
    end
  end
  for view in pairs(self._views or {}) do view:refresh() end
  if self._views then require("scrub").update(self) end
  return self._seek_epoch or now_epoch
end

--- run:shown_epoch() -> the epoch the views show (the current one unless run:seek chose another)
function Run:shown_epoch() return self._seek_epoch or self._r:status().epoch end

--- run:step_back() / run:step_forward(): seek one kept snapshot earlier or later (the
--- left and right arrow keys in a view's window)
function Run:step_back()
  local h, cur = self._snaps, self:shown_epoch()
  local pick
  for _, k in ipairs(h and h.epochs or {}) do if k < cur then pick = k end end
  if pick then return self:seek(pick) end
  return cur
end
function Run:step_forward()
  local h, cur = self._snaps, self:shown_epoch()
  for _, k in ipairs(h and h.epochs or {}) do
    if k > cur and k < self._r:status().epoch then return self:seek(k) end
  end
  return self:seek("latest")
end

-- Runs fn() with the model's weights of the shown epoch, then puts the live weights
-- back bit for bit. Views and training share the Lua thread (a run trains in slices
-- between the views' refreshes), so nothing trains while the weights are swapped:
-- the run is not disturbed and no second model is needed.
function Run:with_shown(fn, ...)
  if type(fn) ~= "function" then error("run:with_shown: expected a function, got " .. type(fn), 2) end
  local e = self._seek_epoch
  if not e or not (self._snaps and self._snaps.states[e]) then return fn(...) end
  local live = take_state(self.model)
  put_state(self.model, self._snaps.states[e])
  local res = table.pack(pcall(fn, ...))
  put_state(self.model, live)
  if not res[1] then error(res[2], 0) end
  return table.unpack(res, 2, res.n)
end

-- A view follows the run's seek (weak: a view forgotten goes).
function Run:_watch(view)
  self._views = self._views or setmetatable({}, {__mode = "k"})
  self._views[view] = true
  require("scrub").update(self) -- the slider along the bottom of the view's window
end

-- The keys of a view's window that move through the history, as the window reports them.
local scrub = require "scrub"
Run.KEY_LEFT, Run.KEY_RIGHT, Run.KEY_HOME, Run.KEY_END = scrub.KEY_LEFT, scrub.KEY_RIGHT, scrub.KEY_HOME,
  scrub.KEY_END
--- run:key(key) -> true when the key was the left or right arrow (seek back, forward),
--- Home (the first kept epoch) or End (the latest)
function Run:key(key) return scrub.key(self, key) end

local function seconds(t)
  if t ~= t or t == math.huge then return "?" end
  if t < 10 then return string.format("%.1fs", t) end
  if t < 60 then return string.format("%.0fs", t) end
  return string.format("%dm%02ds", t // 60, math.floor(t % 60))
end

-- 1.2s, 35ms, 420µs: a time as long as it needs to be read.
local function duration(sec)
  if sec ~= sec then return "?" end
  if sec >= 1 then return string.format("%.1fs", sec) end
  if sec >= 0.001 then return string.format("%.0fms", sec * 1000) end
  return string.format("%.0fµs", sec * 1e6)
end

-- "epoch 3/20 [=====>......] 12/25 - loss 0.4512 - acc 0.8125 - 2s left": the epoch
-- in progress, or with done = i the record of finished epoch i.
function Run:progress_line(done)
  local s = self._r:status()
  local e = done or math.min(s.epoch + 1, self.epochs)
  local spe, k = s.steps_per_epoch, done and s.steps_per_epoch or s.step_in_epoch
  local width = 20
  local fill = math.floor(width * k / spe)
  local bar = string.rep("=", fill) .. (fill < width and ">" or "") ..
    string.rep(".", math.max(0, width - fill - 1))
  local parts = {string.format("epoch %d/%d [%s] %d/%d", e, self.epochs, bar, k, spe)}
  local function add(fmt, v) if v == v then parts[#parts + 1] = string.format(fmt, v) end end
  if done then
    local h = self._r:history()
    add("loss %.4f", h.loss[done])
    add("acc %.4f", h.acc[done])
    for _, name in ipairs(self.metrics) do add(name .. " %.4f", h[name][done]) end
    add("val_loss %.4f", h.val_loss[done])
    add("val_acc %.4f", h.val_acc[done])
    for _, name in ipairs(self.metrics) do add("val_" .. name .. " %.4f", h["val_" .. name][done]) end
    local sec = h.seconds[done]
    -- a tiny net's epoch takes microseconds: its real time, and per step when short
    parts[#parts + 1] = duration(sec) .. (sec < 1 and spe > 1 and ("  (" .. duration(sec / spe) .. "/step)") or "")
  else
    -- an epoch just begun has no loss of its own: the last finished epoch's, so that
    -- the live line (jobs(), the status above the prompt) keeps its loss between
    -- epochs (a full-batch run's slices all end there)
    local loss, acc = s.epoch_loss, s.epoch_acc
    if s.step_in_epoch == 0 and s.epoch > 0 then
      local h = self._r:history()
      loss, acc = h.loss[s.epoch], h.acc[s.epoch]
    end
    add("loss %.4f", loss)
    add("acc %.4f", acc)
    local total = self.epochs * spe
    local el = now() - self.t0
    parts[#parts + 1] = seconds(s.step > 0 and el / s.step * (total - s.step) or math.huge) .. " left"
  end
  return table.concat(parts, " - ")
end

-- "fit: done, 10 epochs in 1.2s: loss 0.0612, acc 0.9800, val_loss ..." of a run
-- that ended: its last epoch's figures.
function Run:_summary_line()
  local s = self._r:status()
  local h = self._r:history()
  local e = #h.loss
  local parts = {}
  local function add(name, v) if v == v then parts[#parts + 1] = string.format("%s %.4f", name, v) end end
  add("loss", h.loss[e] or s.last_loss)
  add("acc", h.acc[e] or 0 / 0)
  add("val_loss", h.val_loss[e] or 0 / 0)
  add("val_acc", h.val_acc[e] or 0 / 0)
  local secs = 0
  for i = 1, e do secs = secs + h.seconds[i] end
  return ("fit: %s, %d epoch%s in %s: %s"):format(s.state, s.epoch, s.epoch == 1 and "" or "s",
    duration(secs), table.concat(parts, ", "))
end

-- Plain (non-terminal) output shows every epoch up to PLAIN_EPOCHS, and for longer
-- runs every k-th epoch and the last, so a log stays about that long.
local PLAIN_EPOCHS = 50

-- Prints the progress as Keras does: on a terminal the epoch in progress is one
-- line redrawn in place and each finished epoch keeps its line; in plain output
-- each finished epoch (or each k-th, said once) gets a line.
function Run:_show(final)
  if not self.verbose then return end
  local s = self._r:status()
  local every = self.tty and 1 or math.ceil(self.epochs / PLAIN_EPOCHS)
  if every > 1 and not self.said_every then
    self.said_every = true
    io.write(("(%d epochs: a line every %d epochs and the last)\n"):format(self.epochs, every))
  end
  while self.shown < s.epoch do
    self.shown = self.shown + 1
    if self.shown % every == 0 or self.shown == self.epochs or (final and self.shown == s.epoch) then
      local line = self:progress_line(self.shown)
      io.write(self.tty and ("\r\27[K" .. line .. "\n") or (line .. "\n"))
    end
  end
  if self.tty and not final and s.state == "running" then
    io.write("\r\27[K" .. self:progress_line(false))
  end
  io.flush()
end

-- The end of a foreground run: the last lines, and why it stopped. A failed run
-- (a NaN loss) is not an error: its message is printed once, verbose or not, and
-- the run comes back with its history, state "failed" and run.error.
function Run:_finish()
  self:_show(true)
  local s = self._r:status()
  if self.verbose and self.tty then io.write("\r\27[K") end
  if s.message ~= "" and (self.verbose or s.state == "failed") then print(s.message) end
  return self
end

local SLICE_MS = 50

function Run:_foreground()
  local ok, err = pcall(function()
    while self._r:run_for(SLICE_MS) == "running" do self:_show(false) end
  end)
  if not ok then
    self._r:stop()
    if self.verbose and self.tty then io.write("\n") end
    error(err, 0)
  end
  return self:_finish()
end

-- fit's schedule: nil, a function of the step (0-based) -> lr, a callable object of
-- the user's, or a table {kind =, lr0 = (or lr =), ...} made into optim.schedule's.
local function fit_schedule(s)
  if s == nil or type(s) == "function" then return s end
  if type(s) ~= "table" then
    error("fit: schedule must be a table {kind = 'step', lr0 = ...} (see optim.schedule) or a "
      .. "function of the step -> lr, got " .. type(s), 3)
  end
  local mt = getmetatable(s)
  if mt and mt.__call and s.kind == nil then return s end
  local ok, sched = pcall(require("optim").schedule, s)
  if not ok then error("fit: " .. util.strip_position(sched), 3) end
  return sched
end

-- fit's metrics = {...}: the names beyond loss and accuracy (always there) to show.
local function fit_metrics(list, classes)
  if list == nil then return {} end
  if type(list) ~= "table" then
    error("fit: metrics must be a list such as {\"precision\", \"recall\", \"f1\"}, got "
      .. type(list), 3)
  end
  local out = {}
  for _, name in ipairs(list) do
    if name == "precision" or name == "recall" or name == "f1" then
      out[#out + 1] = name
    elseif name ~= "accuracy" and name ~= "acc" then
      error(("fit: unknown metric %s; choose from accuracy, precision, recall, f1")
        :format(tostring(name)), 3)
    end
  end
  if #out > 0 and classes <= 0 then
    error("fit: metrics " .. table.concat(out, ", ") .. " need a classification set; this one "
      .. "is regression (classes = 0)", 3)
  end
  return out
end

-- fit's defaults, written once: fit fills what the caller leaves out from here, the
-- binding reads the same table (T.fit_defaults) for a raw T.run, and the engine
-- checks every value (naming the option and the value it got).
local FIT_DEFAULTS = {epochs = 10, batch = 32, shuffle = true, patience = 0, min_delta = 0,
  every = 0, every_ms = 0, delta = 1}
T.fit_defaults = FIT_DEFAULTS
-- the set each model last trained on (weak: a model forgotten goes), for the views
-- that draw a model over its data's plane (plot.network(m) after m:fit)
T.trained_on = setmetatable({}, {__mode = "k"})

--- m:fit{train, validation=, loss=, optimizer=, epochs=, batch=, on_step=, every=,
--- every_ms=, patience=, min_delta=, shuffle=, class_weights=, schedule=, metrics=,
--- wait=, verbose=, snapshots=} -> run. snapshots: the run keeps its weights each epoch
--- within 64 MB (a number: that many MB; false: none) for run:seek. A run that fails (a NaN loss) prints why once and still
--- comes back, with run.state "failed", run.error and its history.
local FIT_OPTIONS = options.declare("module:fit", {"train", "data", "validation", "loss",
  "optimizer", "epochs", "batch", "shuffle", "patience", "min_delta", "every", "every_ms",
  "delta", "on_step", "class_weights", "schedule", "metrics", "wait", "verbose", "snapshots"}, 1, "fit")
local OPTIMIZER_EXAMPLE = "optimizer = optim.adam(m, {lr = 0.01})"
do
  local optimizers = "the optimizer's setting: " .. OPTIMIZER_EXAMPLE
  options.elsewhere(FIT_OPTIONS, {lr = optimizers, learning_rate = optimizers, momentum = optimizers,
    weight_decay = optimizers, batch_size = "the batch size is batch = 32",
    validation_data = "validation = test (a data set) or a fraction: validation = 0.1"})
end

local function fit(m, args)
  if type(args) ~= "table" then error("fit: expected a table {train, loss=..., ...}", 2) end
  options.check(FIT_OPTIONS, args)
  local d = check_data(args[1] or args.train or args.data, "fit")
  T.trained_on[m] = d
  local info = d:info()
  local lname = loss_name(args.loss or default_loss(info))
  local opt = args.optimizer
  if opt == nil then opt = require("optim").adam(m) end
  if getmetatable(opt) ~= debug.getregistry()["nnlab.optimizer"] then
    error(("fit: optimizer must be an optimizer of this model's parameters (%s), got %s"):format(
      OPTIMIZER_EXAMPLE, type(opt) == "string" and ("'" .. opt .. "'") or type(opt)), 2)
  end
  local val = args.validation
  if type(val) == "number" then -- a fraction of the training set, its last rows
    if not (val > 0 and val < 1) then error("fit: validation = " .. val .. " is not a fraction in (0, 1)", 2) end
    d, val = ccall(d.split, d, val)
  elseif val ~= nil then
    check_data(val, "fit: validation")
  end
  local o = {}
  for k, v in pairs(FIT_DEFAULTS) do
    if args[k] == nil then o[k] = v else o[k] = args[k] end
  end
  local self = setmetatable({epochs = o.epochs, shown = 0, t0 = now(),
    verbose = args.verbose ~= false, tty = T.isatty(), model = m, optimizer = opt,
    metrics = fit_metrics(args.metrics, info.classes), has_validation = val ~= nil}, Run)
  local on_step, callback = args.on_step, nil
  local snaps = args.snapshots
  if snaps ~= nil and snaps ~= false and snaps ~= true and not (type(snaps) == "number" and snaps > 0) then
    error("fit: snapshots must be true, false or a memory budget in MB (a number > 0), got " .. tostring(snaps), 2)
  end
  if snaps ~= false then
    self._snaps = {epochs = {}, states = {}, stride = 1,
      budget = math.floor((type(snaps) == "number" and snaps or SNAPSHOT_MB) * 1048576)}
    snapshot(self, 0)
  end
  local epochs_done = 0
  if on_step or self._snaps then
    callback = function(epoch_end)
      if epoch_end then
        epochs_done = epochs_done + 1 -- once per epoch: no status table per call
        snapshot(self, epochs_done)
        if self._views then require("scrub").update(self, true) end
        return false
      end
      if on_step then return on_step(self) == false end
      return false
    end
    -- no on_step: the callback is for epoch ends only (not a Lua call every step)
    if not on_step and o.every == 0 and o.every_ms == 0 then o.every = 1 << 30 end
  end
  -- a schedule table is the engine's formula (sched.c), no Lua per step
  o.schedule, o.loss, o.class_weights = fit_schedule(args.schedule), lname, args.class_weights
  o.callback = callback
  local model = is_builtin(m) and m or ccall(engine_model, m, d, "fit")
  local r = ccall(T.run, model, opt, d, val, o)
  self._r = r
  self._sets = {train = d, validation = val}
  if self._snaps then
    local spe = math.max(1, r:status().steps_per_epoch)
    while self._snaps.stride * spe < SNAPSHOT_MIN_STEPS do self._snaps.stride = self._snaps.stride * 2 end
  end
  local background = repl and repl.interactive and not args.wait
  if not background then return self:_foreground() end
  self.verbose = args.verbose == true
  local quiet = args.verbose == false
  self.job = spawn(function()
    local shown = 0
    while r:run_for(20) == "running" do
      self.job.name = "fit: " .. self:progress_line(false)
      -- the progress stays one line above the prompt, a few times a second
      if not quiet and now() - shown > 0.25 then
        shown = now()
        repl.status(("job %d %s"):format(self.job.id, self.job.name))
      end
      coroutine.yield()
    end
    local s = r:status()
    self.job.name = ("fit: %s after epoch %d, loss %.4g"):format(s.state, s.epoch, s.last_loss)
    if not quiet then repl.status() end
    -- a failed run is reported once, without a traceback; the job itself ends well
    if s.state == "failed" then (ok_core and rcore.report or print)("fit: " .. s.message)
    elseif not quiet then print(("job %d %s"):format(self.job.id, self:_summary_line())) end
  end, "fit")
  if not quiet then
    print(("fit: job %d trains in the background (%d epoch%s); r:wait() waits, r:stop() stops")
      :format(self.job.id, self.epochs, self.epochs == 1 and "" or "s"))
  end
  return self
end
util.guard_methods(Run, "run") -- run.wait() for run:wait() says so
module_methods.fit = fit
LuaSeq.fit = fit

------------------------------------------------------------------------ files and tools

--- nn.save(m, path [, optimizer]): a model of built-in layers, as a model file
function nn.save(m, path, opt)
  if type(m) == "table" and not is_builtin(m) then
    error("nn.save: this model has a module written in Lua, which a model file cannot "
      .. "describe (it holds built-in layers only); save its weights with "
      .. "nn.save_params(m, path) and load them into a model built the same way with "
      .. "nn.load_params(m, path)", 2)
  end
  ccall(T.save, m, path, opt)
  return true
end

--- nn.load(path) -> model, optimizer|nil; nil and the reason when the file is refused
function nn.load(path) return T.load(path) end

-- The numbers of a tensor as a flat list, row after row.
local function flat(t)
  local out, v = {}, t:totable()
  local function walk(x)
    if type(x) ~= "table" then out[#out + 1] = x; return end
    for _, y in ipairs(x) do walk(y) end
  end
  walk(v)
  return out
end

local PARAMS_MAGIC = "nnlab params 1\n"
local PACK_CHUNK = 512 -- floats a string.pack call (Lua's stack bounds the count)

--- nn.save_params(m, path): the parameter tensors of any model (also one with modules
--- written in Lua), in order, as float32; nn.load_params puts them back
function nn.save_params(m, path)
  if type(m) ~= "table" and not is_builtin(m) or not m.parameters then
    error("nn.save_params: expected a model, got " .. type(m), 2)
  end
  local ps = m:parameters()
  local f, err = io.open(path, "wb")
  if not f then error("nn.save_params: " .. tostring(err), 2) end
  f:write(PARAMS_MAGIC, string.pack("<I4", #ps))
  for _, p in ipairs(ps) do
    local v = flat(p)
    f:write(string.pack("<I8", #v))
    for i = 1, #v, PACK_CHUNK do
      local j = math.min(i + PACK_CHUNK - 1, #v)
      f:write(string.pack("<" .. string.rep("f", j - i + 1), table.unpack(v, i, j)))
    end
  end
  local ok, cerr = f:close()
  if not ok then error("nn.save_params: " .. tostring(cerr), 2) end
  return true
end

--- nn.load_params(m, path) -> true, or nil and the reason when the file does not fit m
function nn.load_params(m, path)
  if type(m) ~= "table" and not is_builtin(m) or not m.parameters then
    error("nn.load_params: expected a model, got " .. type(m), 2)
  end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local bytes = f:read("a")
  f:close()
  if not bytes then return nil, tostring(path) .. ": not a readable file (a folder?)" end
  if bytes:sub(1, #PARAMS_MAGIC) ~= PARAMS_MAGIC then
    return nil, path .. ": not a parameter file of nn.save_params"
  end
  local ps, pos = m:parameters(), #PARAMS_MAGIC + 1
  if #bytes < pos + 3 then return nil, path .. ": truncated" end
  local count
  count, pos = string.unpack("<I4", bytes, pos)
  if count ~= #ps then
    return nil, ("%s: %d parameter tensors, the model has %d"):format(path, count, #ps)
  end
  local values = {}
  for i, p in ipairs(ps) do
    if #bytes < pos + 7 then return nil, path .. ": truncated" end
    local n
    n, pos = string.unpack("<I8", bytes, pos)
    if n ~= p:numel() then
      return nil, ("%s: tensor %d has %d numbers, the model's has %d"):format(path, i, n, p:numel())
    end
    if #bytes < pos + 4 * n - 1 then return nil, path .. ": truncated" end
    local v = {}
    for k = 1, n, PACK_CHUNK do
      local c = math.min(PACK_CHUNK, n - k + 1)
      local got = table.pack(string.unpack("<" .. string.rep("f", c), bytes, pos))
      table.move(got, 1, c, k, v)
      pos = got[c + 1]
    end
    values[i] = v
  end
  if pos <= #bytes then return nil, path .. ": " .. (#bytes - pos + 1) .. " bytes after the end" end
  for i, p in ipairs(ps) do T.assign(p, core.tensor(values[i])) end -- all checked first
  return true
end

--- nn.evaluate(m, data [, loss])
function nn.evaluate(m, d, l) return evaluate(m, d, l) end

--- nn.lr_range_test{model, data, loss=, batch=, lr_min=, lr_max=, steps=, optimizer=}
--- -> {lr = {...}, loss = {...}}; the model and the optimizer are left as they were
options.declare("nn.lr_range_test", {"model", "data", "loss", "batch", "lr_min", "lr_max", "steps",
  "optimizer"}, 2)
function nn.lr_range_test(args)
  if type(args) ~= "table" then error("nn.lr_range_test: expected a table {model, data, ...}", 2) end
  options.check("nn.lr_range_test", args)
  local m, d = args[1] or args.model, check_data(args[2] or args.data, "lr_range_test")
  if not is_builtin(m) and not (type(m) == "table" and m.parameters) then
    error("nn.lr_range_test: expected a model, got " .. type(m), 2)
  end
  local info = d:info()
  local lname = loss_name(args.loss or default_loss(info))
  local batch, lo, hi, steps = args.batch or FIT_DEFAULTS.batch, args.lr_min or 1e-5, args.lr_max or 10,
    args.steps or 100
  local model = is_builtin(m) and m or ccall(engine_model, m, d, "lr_range_test")
  local lrs, losses = ccall(T.lr_range_test, model, d, lname, batch, lo, hi, steps, args.optimizer)
  return {lr = lrs, loss = losses}
end

--- nn.names() -> {activations=..., losses=..., inits=...}
function nn.names() return T.names() end

end
