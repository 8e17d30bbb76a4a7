-- optim.lua: the `optim` table: optimizers over a model (a built-in module), a
-- tensor (w with w.grad) or a list of tensors (a module written in Lua), and
-- learning-rate schedules. opt.lr and the other settings can change between steps.
-- The update rules and defaults are in src/engine/optim.c (RMSProp has the course's
-- rho 0.9 and eps 1e-10).
local O = require "nn.optim"

local optim = {}

local function target_of(m)
  if type(m) == "table" and not getmetatable(m) then return m end -- a list of tensors
  if type(m) == "table" and m.parameters then return m:parameters() end -- a Lua module
  return m
end

local function maker(kind)
  return function(m, opts)
    if m == nil then error("optim." .. kind .. ": expected a model or tensors to optimize", 2) end
    if type(opts) == "number" then opts = {lr = opts} end
    local ok, o = pcall(O.new, kind, target_of(m), opts)
    if not ok then error((tostring(o):gsub("^[^:\n]+:%d+: ", "")), 2) end
    return o
  end
end

--- optim.gd(m, {lr=}) ... optim.rprop(m, {...}): one maker per optimizer
for _, kind in ipairs(O.names()) do optim[kind] = maker(kind) end

--- optim.new(kind, m [, opts])
function optim.new(kind, m, opts) return maker(kind)(m, opts) end

--- optim.defaults(kind) -> the default settings of an optimizer
function optim.defaults(kind) return O.defaults(kind) end

--- optim.names() -> the optimizer names
function optim.names() return O.names() end

--- optim.schedule{kind=, lr0=, lr_min=, gamma=, period=} -> a schedule for fit
--- (step, exponential, cosine, cyclic, warmup); also callable: sched(t) -> lr
function optim.schedule(s)
  local kinds = {constant = true, step = true, exponential = true, cosine = true, cyclic = true,
                 warmup = true}
  if type(s) ~= "table" or not kinds[s.kind or s[1]] then
    error("optim.schedule: expected {kind = 'step'|'exponential'|'cosine'|'cyclic'|'warmup', lr0 = ...}", 2)
  end
  local sched = {kind = s.kind or s[1], lr0 = s.lr0 or s.lr or 0.01, lr_min = s.lr_min or 0,
                 gamma = s.gamma or 0.5, period = s.period or 10}
  return setmetatable(sched, {__call = function(self, t)
    local p, lr0, lo = self.period, self.lr0, self.lr_min
    if self.kind == "step" then return lr0 * self.gamma ^ (t // p) end
    if self.kind == "exponential" then return lr0 * self.gamma ^ t end
    if self.kind == "cosine" then
      return lo + (lr0 - lo) * 0.5 * (1 + math.cos(math.pi * math.min(t, p) / p))
    end
    if self.kind == "cyclic" then
      local c = (t % (2 * p)) / p
      return lo + (lr0 - lo) * (c <= 1 and c or 2 - c)
    end
    if self.kind == "warmup" then return lr0 * math.min(1, (t + 1) / p) end
    return lr0
  end})
end

return optim
