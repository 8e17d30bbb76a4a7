-- test_optim.lua: the optim table: every option an optimizer takes acts (SGD's
-- momentum, nesterov and weight_decay against steps worked by hand), an option it
-- does not take is refused with the list of those it takes and the nearest name; and
-- optim.schedule gives the engine's rates (sched.c), the same that fit applies.

local function close(a, b, tol) return math.abs(a - b) <= (tol or 1e-6) end

-- f(w) = w^2 from w = 1 (g = 2w), three steps at lr 0.1; w after each
local function three_steps(make)
  local w = nn.tensor{1}:requires_grad()
  local opt = make(w)
  local out = {}
  for t = 1, 3 do
    opt:zero_grad()
    local loss = (w * w):sum()
    loss:backward()
    opt:step()
    out[t] = w:item()
  end
  return out, opt
end

local function expect(got, want, what)
  for t = 1, 3 do
    assert(close(got[t], want[t]), ("%s step %d: %.9g, want %.9g"):format(what, t, got[t], want[t]))
  end
end

-- plain SGD unless momentum is given: 0.8, 0.64, 0.512
expect(three_steps(function(w) return optim.sgd(w, {lr = 0.1}) end), {0.8, 0.64, 0.512}, "sgd")
-- v <- 0.9 v + g; w <- w - 0.1 v: 0.8, 0.46, 0.062 (see test_optim.c for the working)
local got, opt = three_steps(function(w) return optim.sgd(w, {lr = 0.1, momentum = 0.9}) end)
expect(got, {0.8, 0.46, 0.062}, "sgd momentum")
assert(close(opt:state("velocity"):item(), 3.98, 1e-5), opt:state("velocity"):item())
-- nesterov: w <- w - 0.1 (g + 0.9 v): 0.62, 0.2224, -0.108352
expect(three_steps(function(w) return optim.sgd(w, {lr = 0.1, momentum = 0.9, nesterov = true}) end),
  {0.62, 0.2224, -0.108352}, "sgd nesterov")
-- weight decay 0.1 in the gradient first: 0.79, 0.4351, 0.024319
expect(three_steps(function(w) return optim.sgd(w, {lr = 0.1, momentum = 0.9, weight_decay = 0.1}) end),
  {0.79, 0.4351, 0.024319}, "sgd weight_decay")
-- the named optimizers stay: momentum and nesterov as the course writes them
expect(three_steps(function(w) return optim.momentum(w, {lr = 0.1}) end), {0.8, 0.46, 0.062}, "momentum")
expect(three_steps(function(w) return optim.nesterov(w, {lr = 0.1}) end), {0.62, 0.2224, -0.108352},
  "nesterov")

-- an option the optimizer does not take is refused, with the nearest name and the list
local function refused(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error")
  return tostring(err)
end
local m = nn.sequential{nn.linear(2, 1)}
local e = refused(optim.sgd, m, {lr = 0.05, momentm = 0.9})
-- (the one checker of options, lua/options.lua, with the engine's list of settings)
assert(e == "optim.sgd: unknown option 'momentm'; did you mean 'momentum'? (it takes clip_norm, "
  .. "clip_value, lr, momentum, nesterov, weight_decay)", e)
e = refused(optim.adam, m, {momentum = 0.9})
assert(e:find("^optim.adam: unknown option 'momentum' %(it takes beta1, beta2, clip_norm, clip_value, eps, lr, ") and
  not e:find("did you mean"), e)
e = refused(optim.gd, m, {nesterov = true})
assert(e:find("^optim.gd: unknown option 'nesterov'"), e)
e = refused(optim.sgd, m, {nesterov = true})
assert(e:find("nesterov needs a momentum > 0"), e)
e = refused(optim.sgd, m, {momentum = "lots"})
assert(e:find("optim.sgd: momentum must be a number, got string"), e)
-- the same when set later: a setting it takes is checked, one it does not is refused
local o = optim.sgd(m, {lr = 0.1})
o.momentum = 0.5
assert(close(o.momentum, 0.5))
e = refused(function() o.beta1 = 0.9 end)
assert(e:find("optim.sgd: unknown option 'beta1'"), e)
e = refused(function() o.nesterov = true; o.momentum = 0 end)
assert(e:find("nesterov needs a momentum > 0"), e)
e = refused(function() o.lr = -1 end)
assert(e:find("lr must be a finite number >= 0"), e)

-- momentum in fit acts: the same run with and without it gives other weights
local function fit_with(opts)
  nn.seed(3)
  local net = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}
  local d = data.moons{n = 64, seed = 3}
  net:fit{d, optimizer = optim.sgd(net, opts), epochs = 2, batch = 16, verbose = false}
  return net:parameters()[1]:totable()[1][1]
end
assert(fit_with{lr = 0.05} ~= fit_with{lr = 0.05, momentum = 0.9}, "momentum made no difference in fit")

-- schedules: optim.schedule's rates are the engine's (sched.c), which fit applies
-- step by step: the same numbers from Lua and from C, for every kind
do
  local specs = {
    {kind = "constant", lr = 0.3},
    {kind = "step", lr0 = 0.2, gamma = 0.5, period = 3},
    {kind = "exponential", lr0 = 0.2, gamma = 0.9},
    {kind = "cosine", lr0 = 0.2, lr_min = 0.01, period = 7},
    {kind = "cyclic", lr0 = 0.2, lr_min = 0.02, period = 4},
    {kind = "warmup", lr0 = 0.2, period = 5},
  }
  local d = data.gauss{n = 40, seed = 12} -- 4 steps an epoch with batch 10
  for _, spec in ipairs(specs) do
    local s = optim.schedule(spec)
    local net = nn.sequential{nn.linear(2, 2)}
    local o = optim.sgd(net, {lr = 1})
    local seen = {}
    net:fit{d, optimizer = o, epochs = 3, batch = 10, verbose = false, schedule = spec,
      on_step = function(r) seen[r:status().step] = o.lr end}
    for t = 1, 12 do
      -- the run's rate is the float an optimizer holds; the schedule's the double
      assert(math.abs(seen[t] - s(t - 1)) <= 1e-7 * s(t - 1),
        ("%s step %d: fit %.9g, schedule %.9g"):format(spec.kind, t, seen[t], s(t - 1)))
    end
  end
  -- worked values: step halves every 3 steps; cosine reaches lr_min at the period
  local st = optim.schedule{kind = "step", lr0 = 0.2, gamma = 0.5, period = 3}
  assert(st(2) == 0.2 and st(3) == 0.1 and st(6) == 0.05)
  local cs = optim.schedule{kind = "cosine", lr0 = 1, lr_min = 0, period = 10}
  assert(close(cs(5), 0.5, 1e-15) and cs(10) == 0 and cs(30) == 0)
  -- settings are checked by the engine, each by name
  local e = refused(optim.schedule, {kind = "sideways"})
  assert(e:find("^optim.schedule: unknown kind 'sideways' %(there are: constant, step, "), e)
  e = refused(optim.schedule, {kind = "step", gamma = -1})
  assert(e == "optim.schedule: schedule step: gamma must be > 0, got -1", e)
  e = refused(optim.schedule, {kind = "cosine", period = 2.5})
  assert(e == "optim.schedule: period must be a whole number >= 1, got 2.5", e)
end
-- issue 17: a NaN setting is refused naming it; a step on a NaN gradient says so and
-- leaves the weights as they were
do
  local w = nn.tensor{1, 2}:requires_grad()
  local ok, e = pcall(optim.adam, w, {lr = 0 / 0})
  assert(not ok and e:find("optim.adam: lr must be a finite number >= 0, got NaN", 1, true), e)
  local opt = optim.adam(w, {lr = 0.1})
  ok, e = pcall(function() opt.lr = 0 / 0 end)
  assert(not ok and e:find("lr must be a finite number >= 0, got NaN", 1, true), e)
  assert(opt.lr > 0.09 and opt.lr < 0.11)
  local loss = (w * (0 / 0)):sum()
  loss:backward()
  ok, e = pcall(opt.step, opt)
  assert(not ok and e:find("adam: the gradient has a NaN at component 1, so the parameters were "
    .. "left unchanged", 1, true), tostring(e))
  local wv = w:totable()
  assert(wv[1] == 1 and wv[2] == 2, "weights unchanged")
end
print("test_optim.lua: ok")
