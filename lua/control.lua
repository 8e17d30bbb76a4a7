-- control.lua: the course's control application (6.3): simulated plants, excitation
-- signals, system identification by an MLP that learns the next output from past
-- inputs and outputs, PID controllers, their tuning on the learned model (a seeded
-- search, all candidates simulated at once as one batch through the model), step
-- responses and their figures (overshoot, settling time), and a live view. Plants are
-- discrete-time simulations written here; the network is nn's.
local check = require "argcheck"
local util = require "util"

local M = {}

local MAX_STEPS = 1000000 -- inputs, horizons, candidates: beyond it, a typo

------------------------------------------------------------------------------ plants
-- Each plant kind: defaults, and a step(state, u, p) that advances one dt and returns
-- the output. The state is a table the plant owns.
local kinds = {}

-- First-order lag with dead time: tau y' = K u(t - delay) - y, sampled exactly
-- (y[t+1] = a y[t] + (1 - a) K u[t - d], a = exp(-dt / tau), d = delay / dt).
-- Besides its parameters, each kind has the identification orders and epochs that
-- suit it (ident), the horizon of a step response in steps (horizon), and the
-- ranges a PID's gains are searched in (gains).
-- positive: parameters that must be > 0 (the rest: any finite number; delay >= 0).
kinds.lag = {defaults = {K = 2, tau = 2, delay = 0.5, dt = 0.1, umin = -1, umax = 1},
  positive = {tau = true, dt = true},
  ident = {na = 2, nb = 8, epochs = 40}, horizon = 200,
  gains = {kp = {0.05, 10}, ki = {0.01, 5}, kd = {0.001, 2}},
  reset = function(s, p)
    s.y, s.queue = 0, {}
    for i = 1, math.floor(p.delay / p.dt + 0.5) do s.queue[i] = 0 end
  end,
  step = function(s, u, p)
    table.insert(s.queue, u)
    local ud = table.remove(s.queue, 1)
    local a = math.exp(-p.dt / p.tau)
    s.y = a * s.y + (1 - a) * p.K * ud
    return s.y
  end}

-- Mass-spring-damper: m x'' = u - c x' - k x, output the position x; semi-implicit
-- Euler on `sub` sub-steps of each dt.
kinds.msd = {defaults = {m = 1, c = 0.6, k = 2, dt = 0.05, sub = 10, umin = -4, umax = 4},
  positive = {m = true, dt = true},
  ident = {na = 3, nb = 3, epochs = 150, lr = 0.003}, horizon = 400,
  gains = {kp = {0.05, 20}, ki = {0.01, 10}, kd = {0.001, 10}},
  reset = function(s) s.x, s.v = 0, 0 end,
  step = function(s, u, p)
    local h = p.dt / p.sub
    for _ = 1, p.sub do
      s.v = s.v + h * (u - p.c * s.v - p.k * s.x) / p.m
      s.x = s.x + h * s.v
    end
    return s.x
  end}

-- DC motor, armature voltage V in, speed w out: J w' = Kt i - b w, L i' = V - R i - Kt w.
kinds.motor = {defaults = {J = 0.01, b = 0.1, Kt = 0.01, R = 1, L = 0.5, dt = 0.05, sub = 20,
    umin = -12, umax = 12},
  positive = {J = true, L = true, dt = true},
  ident = {na = 2, nb = 8, epochs = 40}, horizon = 100,
  gains = {kp = {0.05, 200}, ki = {0.01, 400}, kd = {0.001, 5}},
  reset = function(s) s.w, s.i = 0, 0 end,
  step = function(s, u, p)
    local h = p.dt / p.sub
    for _ = 1, p.sub do
      s.i = s.i + h * (u - p.R * s.i - p.Kt * s.w) / p.L
      s.w = s.w + h * (p.Kt * s.i - p.b * s.w) / p.J
    end
    return s.w
  end}

M.plant_kinds = {"lag", "msd", "motor"}

local Plant = {}
Plant.__index = Plant

--- control.plant(kind [, params]) -> plant: "lag" (first-order lag with dead time),
--- "msd" (mass-spring-damper) or "motor" (DC motor); plant:reset(), plant:step(u)
--- -> the output after one dt, plant:simulate(us) -> outputs
function M.plant(kind, params)
  local k = kinds[kind]
  if not k then
    error(("control.plant: unknown kind %s (lag, msd, motor)"):format(tostring(kind)), 2)
  end
  local p = {}
  for name, v in pairs(k.defaults) do p[name] = v end
  for name, v in pairs(check.options("control.plant", params)) do
    if k.defaults[name] == nil then error(("control.plant: %s has no parameter %s"):format(kind, tostring(name)), 2) end
    if name == "sub" then
      check.whole("control.plant", name, v, 1, 10000)
    elseif name == "delay" then
      check.number("control.plant", name, v, 0, 1e6)
    elseif k.positive[name] then
      check.positive("control.plant", name, v, nil, 1e6)
    else
      check.number("control.plant", name, v, -1e6, 1e6)
    end
    p[name] = v
  end
  if p.delay and p.delay / p.dt > MAX_STEPS then
    error(("control.plant: a delay of %g s is more than %d steps of dt = %g s"):format(p.delay, MAX_STEPS, p.dt), 2)
  end
  if not (p.umin < p.umax) then
    error(("control.plant: umin must be below umax, got %g and %g"):format(p.umin, p.umax), 2)
  end
  local pl = setmetatable({kind = kind, p = p, dt = p.dt, umin = p.umin, umax = p.umax, s = {},
    ident = k.ident, horizon = k.horizon, gains = k.gains}, Plant)
  pl:reset()
  return pl
end

function Plant:reset() kinds[self.kind].reset(self.s, self.p) end
function Plant:step(u) return kinds[self.kind].step(self.s, check.number("plant:step", "u", u), self.p) end
function Plant:simulate(us)
  check.numbers("plant:simulate", "us (the inputs)", us)
  self:reset()
  local ys = {}
  for t, u in ipairs(us) do ys[t] = self:step(u) end
  return ys
end
function Plant:__tostring() return ("plant %s (dt %g s)"):format(self.kind, self.dt) end
util.guard_methods(Plant, "plant")

------------------------------------------------------------------------------ inputs
--- control.prbs{n=, hold=5, low=-1, high=1, seed=} -> list: a pseudo-random binary
--- sequence, each level held `hold` steps (the seed is nn's generator's)
-- The options every input signal takes: n, hold, low, high, seed.
local function signal_options(f, o, hold)
  o = check.options(f, o)
  local n = check.whole(f, "n", o.n or 1000, 1, MAX_STEPS)
  hold = check.whole(f, "hold", o.hold or hold, 1, MAX_STEPS)
  local lo, hi = check.number(f, "low", o.low or -1, -1e6, 1e6), check.number(f, "high", o.high or 1, -1e6, 1e6)
  if o.seed ~= nil then nn.seed(check.whole(f, "seed", o.seed, 0, math.maxinteger)) end
  return o, n, hold, lo, hi
end

function M.prbs(o)
  local n, hold, lo, hi
  o, n, hold, lo, hi = signal_options("control.prbs", o, 5)
  local r = nn.rand({math.ceil(n / hold)}, 0, 1):totable()
  local us = {}
  for t = 1, n do us[t] = r[math.floor((t - 1) / hold) + 1] < 0.5 and lo or hi end
  return us
end

--- control.steps{n=, levels={...}, hold=} -> list: steps through the levels
function M.steps(o)
  o = check.options("control.steps", o)
  local levels = check.numbers("control.steps", "levels", o.levels or {0, 1}, 1)
  local hold = check.whole("control.steps", "hold", o.hold or 50, 1, MAX_STEPS)
  local us = {}
  for t = 1, check.whole("control.steps", "n", o.n or math.min(#levels * hold, MAX_STEPS), 1, MAX_STEPS) do us[t] = levels[math.floor((t - 1) / hold) % #levels + 1] end
  return us
end

--- control.random_levels{n=, hold=, low=, high=, seed=} -> list: random levels in
--- [low, high], each held `hold` steps (richer than a PRBS for a nonlinear model)
function M.random_levels(o)
  local n, hold, lo, hi
  o, n, hold, lo, hi = signal_options("control.random_levels", o, 20)
  if not (lo < hi) then error(("control.random_levels: low must be below high, got %g and %g"):format(lo, hi), 2) end
  local r = nn.rand({math.ceil(n / hold)}, lo, hi):totable()
  local us = {}
  for t = 1, n do us[t] = r[math.floor((t - 1) / hold) + 1] end
  return us
end

------------------------------------------------------------------------------ identification
-- The regressor of time t: y(t), ..., y(t-na+1), u(t), ..., u(t-nb+1), scaled.
local function regressor(ys, us, t, na, nb, sy, su, row)
  for i = 0, na - 1 do row[i + 1] = (ys[t - i] or 0) / sy end
  for i = 0, nb - 1 do row[na + i + 1] = (us[t - i] or 0) / su end
  return row
end

local Learned = {}
Learned.__index = Learned

--- control.identify(plant, us, {na=2, nb=8, hidden=32, epochs=60, lr=0.01, seed=1,
---   validation=us2}) -> learned model: an MLP from (past outputs, past inputs) to the
--- next output, trained on the plant's response to us; learned.run, learned.val_rmse
function M.identify(plant, us, o)
  check.class("control.identify", "plant", plant, Plant, "a plant (control.plant)")
  if type(us) ~= "table" or #us < 20 then error("control.identify: us must be a list of at least 20 inputs", 2) end
  check.numbers("control.identify", "us", us)
  o = check.options("control.identify", o)
  local f = "control.identify"
  if o.na ~= nil then check.whole(f, "na", o.na, 1, 64) end
  if o.nb ~= nil then check.whole(f, "nb", o.nb, 1, 64) end
  if o.hidden ~= nil then check.whole(f, "hidden", o.hidden, 1, 4096) end
  if o.epochs ~= nil then check.whole(f, "epochs", o.epochs, 1, 100000) end
  if o.lr ~= nil then check.positive(f, "lr", o.lr) end
  if o.seed ~= nil then check.whole(f, "seed", o.seed, 0, math.maxinteger) end
  if o.validation ~= nil then check.numbers(f, "validation", o.validation, 1) end
  local def = plant.ident or {}
  local na, nb = o.na or def.na or 2, o.nb or def.nb or 8
  local ys = plant:simulate(us)
  local sy, su = 0, 0
  for t = 1, #us do sy, su = math.max(sy, math.abs(ys[t])), math.max(su, math.abs(us[t])) end
  sy, su = sy > 0 and sy or 1, su > 0 and su or 1
  local sd = 0 -- the targets' own scale: a step's change is far smaller than the output
  for t = 2, #us do sd = math.max(sd, math.abs(ys[t] - ys[t - 1])) end
  sd = sd > 0 and sd or 1
  -- sample t predicts ys[t] from what was known before it: outputs to t-1, inputs to t
  -- (the input of step t acts on the output after it)
  local xs, ts = {}, {}
  for t = 2, #us do
    xs[#xs + 1] = regressor(ys, us, t - 1, na, 0, sy, su, {})
    local row = xs[#xs]
    for i = 0, nb - 1 do row[na + i + 1] = (us[t - i] or 0) / su end
    ts[#ts + 1] = {(ys[t] - ys[t - 1]) / sd} -- the change: easier to learn than the level
  end
  nn.seed(o.seed or 1)
  o.epochs, o.lr = o.epochs or def.epochs, o.lr or def.lr
  local m = nn.sequential{nn.linear(na + nb, o.hidden or 32), nn.tanh(), nn.linear(o.hidden or 32, 1)}
  local d = data.from(nn.tensor(xs), nn.tensor(ts))
  local run = m:fit{d, epochs = o.epochs or 60, batch = 32, loss = "mse",
    optimizer = optim.adam(m, {lr = o.lr or 0.01}), wait = true, verbose = false}
  d:free()
  local l = setmetatable({m = m, na = na, nb = nb, sy = sy, su = su, sd = sd, dt = plant.dt, umin = plant.umin,
    umax = plant.umax, run = run, plant_kind = plant.kind, horizon = plant.horizon, gains = plant.gains}, Learned)
  if o.validation then
    local yp = plant:simulate(o.validation)
    local ym = l:simulate(o.validation)
    local e = 0
    for t = 1, #yp do e = e + (yp[t] - ym[t]) ^ 2 end
    l.val_rmse = math.sqrt(e / #yp)
  end
  return l
end

-- One step of C chains at once: hist[c] = {ys = {...}, us = {...}} (newest last);
-- appends u[c] and returns the next outputs.
function Learned:_step_batch(hist, u)
  local rows = {}
  for c, h in ipairs(hist) do
    h.us[#h.us + 1] = u[c]
    local row, nu, ny = {}, #h.us, #h.ys
    for i = 0, self.na - 1 do row[i + 1] = (h.ys[ny - i] or 0) / self.sy end
    for i = 0, self.nb - 1 do row[self.na + i + 1] = (h.us[nu - i] or 0) / self.su end
    rows[c] = row
  end
  local dy = self.m:predict(nn.tensor(rows)):totable()
  local out = {}
  for c, h in ipairs(hist) do
    out[c] = (h.ys[#h.ys] or 0) + dy[c][1] * self.sd
    h.ys[#h.ys + 1] = out[c]
  end
  return out
end

--- learned:simulate(us) -> outputs: the model run free (its own outputs fed back)
function Learned:simulate(us)
  check.numbers("learned:simulate", "us (the inputs)", us)
  local hist, ys = {{ys = {0}, us = {}}}, {}
  for t, u in ipairs(us) do ys[t] = self:_step_batch(hist, {u})[1] end
  return ys
end

util.guard_methods(Learned, "learned")

------------------------------------------------------------------------------ PID
--- control.pid{kp=, ki=, kd=, dt=, umin=, umax=} -> pid: u = kp e + ki ∫e + kd de/dt,
--- the derivative taken of the measurement (no kick when the set point jumps), the
--- output clamped to [umin, umax] and the integral frozen while it is (anti-windup)
local PID = {__name = "pid"}

function M.pid(g)
  local f = "control.pid"
  check.table(f, "the gains", g)
  local c = {kp = check.number(f, "kp", g.kp or 0), ki = check.number(f, "ki", g.ki or 0), kd = check.number(f, "kd", g.kd or 0),
    dt = check.positive(f, "dt", g.dt), umin = g.umin or -math.huge, umax = g.umax or math.huge, i = 0, last = nil}
  for _, k in ipairs{"umin", "umax"} do
    if type(c[k]) ~= "number" or c[k] ~= c[k] then error(("%s: %s must be a number, got %s"):format(f, k, check.describe(c[k])), 2) end
  end
  if not (c.umin < c.umax) then error(("%s: umin must be below umax, got %g and %g"):format(f, c.umin, c.umax), 2) end
  return setmetatable(c, PID)
end

local function pid_step(c, r, y)
  local e = r - y
  local d = c.last and -(y - c.last) / c.dt or 0
  c.last = y
  local u = c.kp * e + c.ki * (c.i + e * c.dt) + c.kd * d
  if u > c.umax then u = c.umax elseif u < c.umin then u = c.umin
  else c.i = c.i + e * c.dt end
  return u
end
--- control.pid_step(pid, setpoint, y) -> u: one step of a controller from control.pid
function M.pid_step(c, r, y)
  check.class("control.pid_step", "the controller", c, PID, "a controller (control.pid)")
  return pid_step(c, check.number("control.pid_step", "the set point", r), check.number("control.pid_step", "y", y))
end

--- control.closed_loop(system, gains, {setpoint=1, n=}) -> {t=, r=, y=, u=}: the step
--- response of a plant or a learned model under a PID with those gains
-- A plant or a learned model, the gains {kp=, ki=, kd=} and the options n, setpoint.
local function check_loop(f, sys, g, o)
  if getmetatable(sys) ~= Plant and getmetatable(sys) ~= Learned then
    error(("%s: expected a plant (control.plant) or a learned model (control.identify), got %s"):format(f,
      check.describe(sys)), 3)
  end
  if g ~= nil then
    check.table(f, "the gains", g)
    for _, k in ipairs{"kp", "ki", "kd"} do if g[k] ~= nil then check.number(f, k, g[k]) end end
  end
  o = check.options(f, o)
  if o.n ~= nil then check.whole(f, "n", o.n, 2, MAX_STEPS) end
  if o.setpoint ~= nil then check.number(f, "setpoint", o.setpoint, -1e6, 1e6) end
  return o
end

function M.closed_loop(sys, g, o)
  check.table("control.closed_loop", "the gains ({kp =, ki =, kd =})", g)
  o = check_loop("control.closed_loop", sys, g, o)
  local n, r = o.n or sys.horizon or 200, o.setpoint or 1
  local c = M.pid{kp = g.kp, ki = g.ki, kd = g.kd, dt = sys.dt, umin = sys.umin, umax = sys.umax}
  local out = {t = {}, r = {}, y = {}, u = {}}
  local y = 0
  local hist = {{ys = {0}, us = {}}}
  if getmetatable(sys) == Plant then sys:reset() end
  for t = 1, n do
    local u = pid_step(c, r, y)
    if getmetatable(sys) == Plant then y = sys:step(u) else y = sys:_step_batch(hist, {u})[1] end
    out.t[t], out.r[t], out.y[t], out.u[t] = t * sys.dt, r, y, u
  end
  return out
end

--- control.metrics(resp) -> {overshoot=, settling=, rise=, error=, iae=}: overshoot as
--- a share of the set point, settling time (last leaving the 5% band), rise time
--- (10% to 90%), the final error and the integral of |e| dt
local function metrics(resp)
  local r, ys, ts = resp.r[1], resp.y, resp.t
  local dt = ts[2] - ts[1]
  local peak, settle, t10, t90, iae = -math.huge, 0, nil, nil, 0
  for i, y in ipairs(ys) do
    peak = math.max(peak, y)
    if math.abs(y - r) > 0.05 * math.abs(r) then settle = ts[i] end
    if not t10 and y >= 0.1 * r then t10 = ts[i] end
    if not t90 and y >= 0.9 * r then t90 = ts[i] end
    iae = iae + math.abs(r - y) * dt
  end
  return {overshoot = math.max(0, (peak - r) / r), settling = settle,
    rise = (t10 and t90) and t90 - t10 or math.huge, error = math.abs(r - ys[#ys]), iae = iae}
end

-- Public: the lists checked (any numbers: an unstable loop's response runs to inf)
function M.metrics(resp)
  check.table("control.metrics", "the response", resp)
  for _, k in ipairs{"t", "r", "y"} do
    local list = resp[k]
    if type(list) ~= "table" or #list < 2 or #list ~= #resp.t then
      error(("control.metrics: response.%s must be a list of %s numbers, got %s"):format(k,
        type(resp.t) == "table" and #resp.t >= 2 and #resp.t or "2 or more",
        type(list) == "table" and ("a list of %d"):format(#list) or check.describe(list)), 2)
    end
    for i = 1, #list do
      if type(list[i]) ~= "number" then
        error(("control.metrics: response.%s[%d] must be a number, got %s"):format(k, i, check.describe(list[i])), 2)
      end
    end
  end
  return metrics(resp)
end

-- The cost a tuning minimises: IAE, plus overshoot above 5% and a final error.
local function cost(m) return m.iae + 20 * math.max(0, m.overshoot - 0.05) + 10 * m.error end
function M.cost(m)
  check.table("control.cost", "the metrics", m)
  for _, k in ipairs{"iae", "overshoot", "error"} do check.number("control.cost", "metrics." .. k, m[k]) end
  return cost(m)
end

-- Step responses of C gain sets on the learned model at once (one batch a step).
local function batch_responses(model, gains, n, r)
  local C = #gains
  local pids, hist, y, resp = {}, {}, {}, {}
  for c, g in ipairs(gains) do
    pids[c] = M.pid{kp = g.kp, ki = g.ki, kd = g.kd, dt = model.dt, umin = model.umin, umax = model.umax}
    hist[c], y[c] = {ys = {0}, us = {}}, 0
    resp[c] = {t = {}, r = {}, y = {}, u = {}}
  end
  for t = 1, n do
    local u = {}
    for c = 1, C do u[c] = pid_step(pids[c], r, y[c]) end
    y = model:_step_batch(hist, u)
    for c = 1, C do
      local rc = resp[c]
      rc.t[t], rc.r[t], rc.y[t], rc.u[t] = t * model.dt, r, y[c], u[c]
    end
  end
  return resp
end

--- control.tune(model, {kp={lo,hi}, ki={lo,hi}, kd={lo,hi}, candidates=200, rounds=3,
---   n=200, seed=1}) -> gains, cost, tried: a seeded random search on a log scale,
--- each round around the best so far; every candidate's step response is simulated
--- on the learned model (or a plant: then one by one)
function M.tune(model, o)
  local f = "control.tune"
  o = check_loop(f, model, nil, o)
  local dg = model.gains or {kp = {0.05, 5}, ki = {0.01, 2}, kd = {0, 0}}
  local ranges = {kp = o.kp or dg.kp, ki = o.ki or dg.ki, kd = o.kd or dg.kd}
  for _, k in ipairs{"kp", "ki", "kd"} do
    local rg = ranges[k]
    if type(rg) ~= "table" then check.table(f, k .. " (a range {lo, hi})", rg) end
    check.number(f, k .. "[1]", rg[1], 0, 1e9)
    check.number(f, k .. "[2]", rg[2], rg[1], 1e9)
  end
  if o.candidates ~= nil then check.whole(f, "candidates", o.candidates, 1, 100000) end
  if o.rounds ~= nil then check.whole(f, "rounds", o.rounds, 1, 1000) end
  if o.seed ~= nil then check.whole(f, "seed", o.seed, 0, math.maxinteger) end
  local C, n, setpoint = o.candidates or 200, o.n or model.horizon or 200, o.setpoint or 1
  nn.seed(o.seed or 1)
  local best, best_cost, tried = nil, math.huge, 0
  local lo, hi = {}, {}
  for k, rg in pairs(ranges) do lo[k], hi[k] = rg[1], rg[2] end
  for _ = 1, o.rounds or 3 do
    local rnd = nn.rand({C, 3}, 0, 1):totable()
    local gains = {}
    for c = 1, C do
      local g = {}
      for j, k in ipairs{"kp", "ki", "kd"} do
        if hi[k] <= 0 then g[k] = 0
        else
          local a, b = math.log(math.max(lo[k], hi[k] * 1e-3)), math.log(hi[k])
          g[k] = math.exp(a + (b - a) * rnd[c][j])
        end
      end
      gains[c] = g
    end
    if best then gains[1] = best end
    local resp
    if getmetatable(model) == Learned then resp = batch_responses(model, gains, n, setpoint)
    else
      resp = {}
      for c, g in ipairs(gains) do resp[c] = M.closed_loop(model, g, {n = n, setpoint = setpoint}) end
    end
    for c, r in ipairs(resp) do
      local j = cost(metrics(r))
      if j < best_cost then best, best_cost = gains[c], j end
    end
    tried = tried + C
    for _, k in ipairs{"kp", "ki", "kd"} do -- the next round: a factor 2 around the best
      if hi[k] > 0 then lo[k], hi[k] = best[k] / 2, best[k] * 2 end
    end
  end
  return best, best_cost, tried
end

------------------------------------------------------------------------------ views
--- control.view(responses, {title=, live=true, show=}) -> window: set point, the
--- learned model's and the true plant's step responses, and the control effort;
--- responses = {plant = resp, model = resp}; live draws them point by point
function M.view(responses, o)
  check.table("control.view", "the responses ({plant = resp, model = resp})", responses)
  if responses.plant == nil and responses.model == nil then
    error("control.view: responses must have a plant or a model response ({plant = resp, model = resp})", 2)
  end
  for _, k in ipairs{"plant", "model"} do
    local r = responses[k]
    if r ~= nil then
      check.table("control.view", "responses." .. k, r)
      for _, key in ipairs{"t", "r", "y", "u"} do
        local list = check.numbers("control.view", ("responses.%s.%s"):format(k, key), r[key], 1, true)
        local first = (responses.plant or responses.model).t
        if #list ~= #first then
          error(("control.view: responses.%s.%s has %d values, the time %d"):format(k, key, #list, #first), 2)
        end
      end
    end
  end
  o = check.options("control.view", o)
  local out = plot.lines{title = o.title or "step response", xlabel = "time (s)", ylabel = "output", show = false}
  local eff = plot.lines{title = "control effort u", xlabel = "time (s)", show = false}
  local w = plot.window{out, eff, title = o.title or "PID on the true plant and the learned model", cols = 1,
    show = o.show}
  local any = responses.plant or responses.model
  local n = #any.t
  local chunk = o.live == false and n or math.max(1, n // 20)
  for first = 1, n, chunk do
    local last = math.min(n, first + chunk - 1)
    local ts = table.move(any.t, first, last, 1, {})
    out:add("set point", ts, table.move(any.r, first, last, 1, {}))
    for _, name in ipairs{"model", "plant"} do
      local r = responses[name]
      if r then
        out:add(name == "plant" and "true plant" or "learned model", ts, table.move(r.y, first, last, 1, {}))
        eff:add(name == "plant" and "u (plant)" or "u (model)", ts, table.move(r.u, first, last, 1, {}))
      end
    end
    plot.pump()
  end
  return w, out, eff
end

return M
