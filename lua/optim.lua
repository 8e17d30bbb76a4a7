-- optim.lua: the `optim` table: optimizers over a model (a built-in module), a
-- tensor (w with w.grad) or a list of tensors (a module written in Lua), and
-- learning-rate schedules. opt.lr and the other settings can change between steps.
-- The update rules and defaults are in src/engine/optim.c (RMSProp has the course's
-- rho 0.9 and eps 1e-10).
local O = require "nn.optim"
local util = require "util"
local options = require "options"

local optim = {}

local function target_of(m)
  if type(m) == "table" and not getmetatable(m) then return m end -- a list of tensors
  if type(m) == "table" and m.parameters then return m:parameters() end -- a Lua module
  return m
end

-- Each optimizer's settings, declared for the one checker (a typo is refused with
-- the nearest name, Tab completes them). The list is the engine's (optim.c), read
-- from its refusal of a name no optimizer takes, so that it is written once.
local probe = require("nn.core").tensor({0})
local function declare(kind)
  local fname = "optim." .. kind
  local ok, err = pcall(O.new, kind, probe, {["not a setting"] = 1})
  local list = not ok and tostring(err):match("%(takes ([%w_, ]+)%)")
  local names = {}
  for n in (list or ""):gmatch("[%w_]+") do names[#names + 1] = n end
  assert(#names > 0, "optim: the engine did not list the settings of " .. kind)
  options.declare(fname, names)
  return fname
end

local function maker(kind)
  local fname = declare(kind)
  return function(m, opts)
    if m == nil then error(fname .. ": expected a model or tensors to optimize", 2) end
    if type(m) == "table" and not getmetatable(m) and #m == 0 and next(m) ~= nil then
      error(("%s: expected the model first, then the settings: %s(m, {lr = 0.01}); got only a table of settings")
        :format(fname, fname), 2)
    end
    if type(opts) == "number" then opts = {lr = opts} end
    options.check(fname, opts)
    local ok, o = pcall(O.new, kind, target_of(m), opts)
    if not ok then error(util.strip_position(o), 2) end
    return o
  end
end

--- optim.gd(m, {lr=}) ... optim.rprop(m, {...}): one maker per optimizer
for _, kind in ipairs(O.names()) do optim[kind] = maker(kind) end

--- optim.new(kind, m [, opts])
function optim.new(kind, m, opts)
  local known, found = O.names(), false
  for _, k in ipairs(known) do found = found or k == kind end
  if found then return optim[kind](m, opts) end -- a tail call: errors point at the caller
  local ok, repl = pcall(require, "repl")
  local near = ok and type(kind) == "string" and repl.nearest(kind, known)[1]
  error(("optim.new: kind must be an optimizer's name (%s), got %s%s"):format(table.concat(known, ", "),
    type(kind) == "string" and ("'" .. kind .. "'") or type(kind), near and ("; did you mean '" .. near .. "'?") or ""), 2)
end

--- optim.defaults(kind) -> the default settings of an optimizer
function optim.defaults(kind) return O.defaults(kind) end

--- optim.names() -> the optimizer names
function optim.names() return O.names() end

-- A schedule's rate at step t: the engine's formula (sched.c, the one fit applies).
local function schedule_rate(self, t)
  return O.schedule(self.kind, self.lr0, self.lr_min, self.gamma, self.period, t)
end

--- optim.schedule{kind=, lr0=, lr_min=, gamma=, period=} -> a schedule for fit
--- (step, exponential, cosine, cyclic, warmup); also callable: sched(t) -> lr
function optim.schedule(s)
  if type(s) ~= "table" then
    error("optim.schedule: expected {kind = 'step'|'exponential'|'cosine'|'cyclic'|'warmup', "
      .. "lr0 = ...}, got " .. type(s), 2)
  end
  -- the settings' defaults, written once (the engine checks the values)
  local sched = {kind = s.kind or s[1], lr0 = s.lr0 or s.lr or 0.01, lr_min = s.lr_min or 0,
                 gamma = s.gamma or 0.5, period = s.period or 10}
  local ok, err = pcall(O.schedule, tostring(sched.kind), sched.lr0, sched.lr_min, sched.gamma,
    sched.period)
  if not ok then error("optim.schedule: " .. util.strip_position(err), 2) end
  return setmetatable(sched, {__call = schedule_rate})
end

return optim
