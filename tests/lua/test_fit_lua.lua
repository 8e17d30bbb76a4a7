-- test_fit_lua.lua: m:fit{...} for a module written in Lua (the C loop calls its
-- forward back; autograd does the backward) behaves as for a built-in one: a job at
-- the prompt, on_step, early stopping that restores the best weights and batch-norm
-- statistics, the NaN message, the progress line, pause/step/stop, Ctrl-C; the same
-- numbers as a built-in twin with class weights, L1/L2 and every metric; and freezing
-- a layer stops (unfreezing restarts) its learning through autograd.

-- A module written in Lua: y = x * k
local Scale = {}
Scale.__index = Scale
function Scale:forward(x) return x * self.k end
Scale.__call = Scale.forward
function Scale:parameters() return {self.k} end
local function scale(k) return setmetatable({k = nn.tensor{k}:requires_grad()}, Scale) end

local function lua_net(outputs)
  return nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, outputs or 2), scale(1.0)}
end

local function snapshot(m)
  local s = {}
  for i, p in ipairs(m:parameters()) do s[i] = p:copy():totable() end
  return s
end

local function same(a, b)
  local function eq(x, y)
    if type(x) ~= "table" then return x == y end
    if #x ~= #y then return false end
    for i = 1, #x do if not eq(x[i], y[i]) then return false end end
    return true
  end
  return eq(a, b)
end

local T = require "nn.train" -- the binding, for the mode of a built-in module
nn.seed(7)
local moons = data.moons{n = 120, seed = 5}

-- on_step: every step by default, every N steps with every = N; false stops the run
do
  local m = lua_net()
  local calls, seen = 0, nil
  local run = m:fit{moons, optimizer = optim.adam(m, {lr = 0.01}), epochs = 3, batch = 20,
    on_step = function(r) calls = calls + 1; seen = r end, verbose = false}
  assert(run.state == "done", run.state)
  assert(calls == 18, "on_step ran " .. calls .. " times, expected 3 epochs x 6 steps")
  assert(seen == run, "on_step gets the run")
  calls = 0
  run = m:fit{moons, epochs = 3, batch = 20, every = 4, verbose = false,
    on_step = function() calls = calls + 1 end}
  assert(calls == 4, "on_step with every = 4 ran " .. calls .. " times over 18 steps")
  run = m:fit{moons, epochs = 3, batch = 20, verbose = false,
    on_step = function(r) if r:status().step == 5 then return false end end}
  assert(run.state == "stopped" and run.message:find("stopped by the callback at step 5"),
    run.message)
  -- history and step losses as the C run gives them, with accuracy for classes
  local h = m:fit{moons, epochs = 2, batch = 30, verbose = false}
  assert(#h.history.loss == 2 and #h.history.acc == 2 and #h.history.seconds == 2)
  assert(h.history.acc[2] >= 0 and h.history.acc[2] <= 1, h.history.acc[2])
  assert(#h:losses() == 8 and #h:losses(7) == 2)
  assert(h:status().steps_per_epoch == 4 and h:status().epoch == 2)
end

-- the progress line: the same Keras-like format as the C path (plain lines when
-- output is not a terminal), with the accuracy of a classification set
do
  local m = lua_net()
  local lines = {}
  local write = io.write
  io.write = function(...) lines[#lines + 1] = table.concat({...}) end -- luacheck: ignore
  local ok, err = pcall(function()
    m:fit{moons, validation = 0.25, epochs = 2, batch = 30, verbose = true}
  end)
  io.write = write
  assert(ok, err)
  local text = table.concat(lines)
  assert(text:find("epoch 1/2 %[====================%] 3/3 %- loss %d%.%d+ %- acc %d%.%d+ %- "
    .. "val_loss %d%.%d+ %- val_acc %d%.%d+ %- %d"), text)
  assert(text:find("epoch 2/2 [", 1, true), text)
end

-- early stopping restores the weights of the best epoch
do
  nn.seed(3)
  local g = data.gauss{n = 200, seed = 3}
  local flipped = data.from(g:x(), (1 - g:y()), {classes = 2})
  local m = lua_net()
  local per_epoch = {}
  local run = m:fit{g, validation = flipped, optimizer = optim.adam(m, {lr = 0.02}), epochs = 50,
    batch = 20, patience = 2, every = 10, verbose = false,
    on_step = function(r) per_epoch[r:status().epoch] = snapshot(m) end}
  assert(run.state == "stopped" and run.message:find("early stopping"), run.message)
  local best = run.best_epoch
  assert(best >= 1 and #run.history.loss == best + 2, #run.history.loss .. " epochs, best " .. best)
  assert(run.message:find("restored the weights of epoch " .. best, 1, true), run.message)
  assert(same(snapshot(m), per_epoch[best]), "the weights are not those of epoch " .. best)
  -- (the last epoch's snapshot is taken after the restore; the one after best is not)
  assert(not same(snapshot(m), per_epoch[best + 1]), "the weights after the best epoch kept")
end

-- a NaN run stops with the step named and the usual causes, printed once, and the
-- run comes back (state, error, the losses of the steps before) instead of an error
do
  local plane = data.plane{n = 100}
  local m = lua_net(1)
  local w0 = {}
  for i, p in ipairs(m:parameters()) do w0[i] = p:copy():totable() end
  local printed, print0 = {}, print
  print = function(...) printed[#printed + 1] = table.concat({...}, "\t") end -- luacheck: ignore
  local ok, run = pcall(function()
    return m:fit{plane, loss = nn.mse, optimizer = optim.sgd(m, {lr = 1e6}), epochs = 20}
  end)
  print = print0 -- luacheck: ignore
  assert(ok, run)
  local err = tostring(run.error)
  assert(run.state == "failed" and err:find("the loss became [%a]+ at step %d+ %(epoch %d+, batch %d+ of 4%)")
    and err:find("learning rate %(1e%+06%) may be too high"), err)
  local n = 0
  for _, line in ipairs(printed) do if line:find("the loss became", 1, true) then n = n + 1 end end
  assert(n == 1, "the NaN message was printed " .. n .. " times")
  assert(#run:losses() >= 1 and run.history.loss, "the run lost its record")
  -- the weights are those of the failing epoch's start (here the first: the initial
  -- ones), so the advice can be followed on the same model
  assert(err:find("put back as they were at the start of epoch 1", 1, true), err)
  for i, p in ipairs(m:parameters()) do
    local now_, was = p:totable(), w0[i]
    for j = 1, #was do
      if type(was[j]) == "table" then
        for k = 1, #was[j] do assert(now_[j][k] == was[j][k], "weights not put back") end
      else assert(now_[j] == was[j], "weights not put back") end
    end
  end
  local again = m:fit{plane, loss = nn.mse, optimizer = optim.sgd(m, {lr = 0.01}), epochs = 2,
                      verbose = false}
  assert(again.state == "done", "a smaller rate trains on: " .. tostring(again.error))
end

-- at the prompt it is a job that advances between yields; opt.lr set while it runs
-- takes effect; pause, step and stop work as for a built-in model
do
  local m = lua_net()
  local opt = optim.sgd(m, {lr = 0.05})
  repl.interactive = true
  -- epochs enough that the run is still going when the test pauses and steps it (400
  -- ran out within the slices on a fast machine once training got quicker)
  local run = m:fit{moons, optimizer = opt, epochs = 40000, batch = 4}
  repl.interactive = false
  assert(run.job and run.state == "running" and run:status().step == 0, "fit at the prompt is a job")
  assert(tostring(jobs()):find("fit"))
  local before = m:parameters()[1]:copy():totable()
  repl._jobs_step(0.05)
  local s1 = run:status().step
  assert(s1 > 0 and run.state == "running", "the job made no progress in a slice: " .. s1)
  assert(run.job.name:find("^fit: epoch %d+/40000 %["), run.job.name)
  repl._jobs_step(0.05)
  local s2 = run:status().step
  assert(s2 > s1, ("no progress across yields: %d then %d"):format(s1, s2))
  assert(not same(before, m:parameters()[1]:copy():totable()), "weights did not move")
  -- opt.lr = 0 between slices: the next steps leave the weights alone
  opt.lr = 0
  repl._jobs_step(0.02)
  local frozen_at = snapshot(m)
  repl._jobs_step(0.02)
  assert(run:status().step > s2 and same(frozen_at, snapshot(m)), "opt.lr = 0 did not take effect")
  opt.lr = 0.05
  run:pause()
  local s3 = run:status().step
  repl._jobs_step(0.02)
  assert(run:status().step == s3, "a paused run went on")
  assert(run:step().step == s3 + 1, "run:step() is one mini-batch")
  run:resume()
  run:stop()
  assert(run.state == "stopped" and run.message:find("stopped at step"), run.message)
  assert(not run:status().state ~= "running")
  -- wait = true runs it in the foreground, even at the prompt
  repl.interactive = true
  local fg = m:fit{moons, epochs = 2, batch = 40, wait = true, verbose = false}
  repl.interactive = false
  assert(not fg.job and fg.state == "done", "wait = true should run in the foreground")
  -- run:wait() finishes a background run
  repl.interactive = true
  local bg = m:fit{moons, epochs = 3, batch = 40}
  repl.interactive = false
  bg:wait()
  assert(bg.state == "done" and #bg.history.loss == 3, bg.state)
end

-- freezing a built-in layer inside a Lua module: its tensors (made before the
-- freeze, by a first forward) keep their values through autograd training, even with
-- Adam's momentum from earlier steps; unfreezing lets them learn again
do
  local sine = data.sine{n = 64, seed = 2}
  local first = nn.linear(1, 8)
  local m = nn.sequential{first, nn.tanh(), nn.linear(8, 1), scale(1.0)}
  local opt = optim.adam(m, {lr = 0.02})
  m:fit{sine, loss = nn.mse, optimizer = opt, epochs = 3, batch = 16, verbose = false}
  local w0 = first:parameters()[1]:copy():totable()
  local rest0 = snapshot(m)
  first:freeze()
  m:fit{sine, loss = nn.mse, optimizer = opt, epochs = 5, batch = 16, verbose = false}
  assert(same(first:parameters()[1]:copy():totable(), w0), "a frozen layer's weights moved")
  assert(first:parameters()[1].grad:abs():sum():item() == 0, "a frozen layer got a gradient")
  assert(not same(snapshot(m)[3], rest0[3]), "the layers not frozen should still learn")
  -- m:freeze() on the Lua sequential freezes its built-in layers
  m:freeze()
  local all0 = snapshot(m)
  m:fit{sine, loss = nn.mse, optimizer = opt, epochs = 2, batch = 16, verbose = false}
  local all1 = snapshot(m)
  for i = 1, 4 do assert(same(all0[i], all1[i]), "built-in parameter " .. i .. " moved when frozen") end
  assert(not same(all0[5], all1[5]), "the Lua module's own tensor is not frozen by m:freeze()")
  m:unfreeze()
  m:fit{sine, loss = nn.mse, optimizer = opt, epochs = 2, batch = 16, verbose = false}
  assert(not same(first:parameters()[1]:copy():totable(), w0), "unfrozen weights did not learn")
end

-- the same freeze through a hand-written autograd loop on a built-in layer
do
  local lin = nn.linear(2, 1)
  local w = lin:parameters()[1]
  lin:freeze()
  lin(nn.randn{4, 2}:requires_grad()):sum():backward() -- x needs a gradient; w must not get one
  assert(w.grad:abs():sum():item() == 0, "backward reached a frozen weight")
  lin:unfreeze()
  lin(nn.randn{4, 2}):sum():backward()
  assert(w.grad:abs():sum():item() > 0, "backward skipped an unfrozen weight")
end
-- summary, evaluate, predict and the LR range test of a model with a Lua module
do
  nn.seed(21)
  local m = lua_net()
  local text = m:summary{print = false}
  assert(text:find("linear%s+%(None, 8%)%s+24") and text:find("tanh%s+%(None, 8%)%s+0")
    and text:find("linear%s+%(None, 2%)%s+18") and text:find("lua module%s+%(None, 2%)%s+1"), text)
  assert(text:find("Total params: 43", 1, true), text)
  assert(tostring(m):find("Total params: 43", 1, true), tostring(m))
  -- a first module written in Lua needs the input width
  local first_lua = nn.sequential{scale(2.0), nn.linear(2, 3)}
  local okw, ew = pcall(first_lua.summary, first_lua)
  assert(not okw and ew:find("m:summary%(features%)"), ew)
  assert(first_lua:summary{2, print = false}:find("Total params: 10", 1, true))
  m:fit{moons, epochs = 5, batch = 20, verbose = false}
  local ev = m:evaluate(moons)
  assert(ev.loss > 0 and ev.accuracy > 0.5 and ev.f1 > 0 and #ev.confusion == 2, ev.accuracy)
  local cm = ev.confusion
  assert(cm[1][1] + cm[1][2] + cm[2][1] + cm[2][2] == #moons)
  local ev2 = nn.evaluate(m, moons)
  assert(ev2.accuracy == ev.accuracy)
  local y = m:predict(moons:x())
  assert(y.shape[1] == #moons and y.shape[2] == 2)
  -- predict keeps the mode: dropout off after m:eval()
  local dm = nn.sequential{nn.linear(2, 8), nn.dropout(0.5), nn.linear(8, 2), scale(1.0)}
  dm:eval()
  dm:predict(moons:x())
  assert(dm.training == false, "predict switched the Lua model to training")
  local a, b = dm(moons:x()), dm(moons:x())
  assert((a - b):abs():sum():item() == 0, "dropout came back after predict")
  -- the LR range test: weights and the user's optimizer left as they were
  local opt = optim.adam(m, {lr = 0.01})
  m:fit{moons, optimizer = opt, epochs = 1, verbose = false}
  local before, steps = snapshot(m), opt:steps()
  local lr = nn.lr_range_test{m, moons, optimizer = opt, lr_min = 1e-4, lr_max = 10, steps = 30}
  assert(#lr.lr >= 2 and #lr.lr == #lr.loss and lr.lr[1] == 1e-4, #lr.lr)
  assert(same(snapshot(m), before), "the LR range test changed the weights")
  assert(opt:steps() == steps and math.abs(opt.lr - 0.01) < 1e-9, "the optimizer changed")
end

-- fit trains a Lua model in training mode after m:eval() (its batch norm's running
-- statistics move) and gives the mode back; metrics and the confusion matrix as in C
do
  nn.seed(22)
  local bn = nn.batchnorm(8)
  local m = nn.sequential{nn.linear(2, 8), bn, nn.tanh(), nn.linear(8, 2), scale(1.0)}
  m:eval()
  local tr, va = data.moons{n = 120, seed = 22, test = 0.25}
  local run = m:fit{tr, validation = va, epochs = 2, batch = 15, verbose = false,
    metrics = {"precision", "recall", "f1"}}
  local mean = bn:running()
  assert(mean:abs():sum():item() > 1e-4, "fit trained the Lua model in evaluation mode")
  -- the LR range test of a Lua model puts batch norm's statistics back
  local mean0, var0 = bn:running()
  nn.lr_range_test{m, tr, batch = 15, steps = 10}
  local mean1, var1 = bn:running()
  assert((mean1 - mean0):abs():sum():item() == 0 and (var1 - var0):abs():sum():item() == 0,
    "the LR range test left batch norm's running statistics changed")
  assert(m.training == false, "the LR range test changed the mode")
  assert(m.training == false and T.training(bn) == false, "fit did not give the mode back")
  local h = run.history
  assert(#h.f1 == 2 and #h.val_f1 == 2 and h.val_recall[2] >= 0, "metrics missing")
  local cm, mt = run:confusion()
  assert(cm[1][1] + cm[1][2] + cm[2][1] + cm[2][2] == #va)
  assert(math.abs(mt.f1 - h.val_f1[2]) < 1e-12)
  local ev = m:evaluate(va)
  assert(math.abs(ev.f1 - h.val_f1[2]) < 1e-12, ev.f1 .. " vs " .. h.val_f1[2])
  -- every_ms longer than the run: no timed callback
  local calls = 0
  m:fit{tr, epochs = 2, batch = 15, every_ms = 1e9, verbose = false,
    on_step = function() calls = calls + 1 end}
  assert(calls == 0, "on_step ran " .. calls .. " times with every_ms = 1e9")
  -- a function schedule and a table with lr =
  local opt, seen = optim.sgd(m, {lr = 0.5}), {}
  m:fit{tr, optimizer = opt, epochs = 1, batch = 30, verbose = false,
    schedule = {kind = "step", lr = 0.2, gamma = 0.5, period = 2},
    on_step = function(r) seen[#seen + 1] = opt.lr end}
  assert(#seen == 3 and math.abs(seen[1] - 0.2) < 1e-7 and math.abs(seen[3] - 0.1) < 1e-7,
    table.concat(seen, ", "))
end

-- nn.save refuses a model with a Lua module and says what to do instead;
-- nn.save_params / nn.load_params carry its weights into the same architecture
do
  nn.seed(23)
  local m = lua_net()
  m:fit{moons, epochs = 2, batch = 20, verbose = false}
  local path = os.tmpname()
  local ok, err = pcall(nn.save, m, path)
  assert(not ok and err:find("written in Lua") and err:find("nn.save_params", 1, true)
    and err:find("nn.load_params", 1, true), err)
  assert(nn.save_params(m, path))
  local m2 = lua_net()
  assert(not same(snapshot(m2), snapshot(m)))
  assert(nn.load_params(m2, path))
  assert(same(snapshot(m2), snapshot(m)), "loaded parameters differ")
  local x = moons:x()
  assert((m(x) - m2(x)):abs():sum():item() == 0, "outputs differ after load_params")
  local other = lua_net(3)
  local none, why = nn.load_params(other, path)
  assert(none == nil and why:find("tensor 3 has 16 numbers, the model's has 24"), why)
  local f = io.open(path, "wb")
  f:write("not params")
  f:close()
  none, why = nn.load_params(m2, path)
  assert(none == nil and why:find("not a parameter file"), why)
  os.remove(path)
end
-- A model written in Lua trains through the same C loop as a built-in one: wrapped
-- around a built-in twin (its layers found in its fields), it gives the twin's numbers
-- step by step, with class weights, L1/L2 on a layer inside (in the loss and the
-- gradient), batch norm, validation, precision/recall/F1 and confusion matrices.
local Wrap = {}
Wrap.__index = Wrap
function Wrap:forward(x) return self.inner(x) end
Wrap.__call = Wrap.forward
function Wrap:parameters() return self.inner:parameters() end
function Wrap:train(on)
  on = on == nil or not not on
  self.training = on
  self.inner:train(on)
  return self
end
-- in a sequential, the Lua model gets fit, evaluate, summary...
local function wrap(inner) return nn.sequential{setmetatable({inner = inner}, Wrap)} end

local function twin_net()
  nn.seed(31)
  return nn.sequential{nn.linear(2, 8, {l1 = 0.001, l2 = 0.01}), nn.batchnorm(8), nn.tanh(),
    nn.linear(8, 3)}
end

local function close_lists(a, b, tol, what)
  assert(#a == #b, what .. ": " .. #a .. " vs " .. #b .. " entries")
  for i = 1, #a do
    assert(math.abs(a[i] - b[i]) <= tol, ("%s %d: %.9g vs %.9g"):format(what, i, a[i], b[i]))
  end
end

do
  local tr, va = data.spiral{n = 150, classes = 3, seed = 4, test = 0.3}
  local c, w = twin_net(), wrap(twin_net())
  local function fit(m)
    nn.seed(5) -- the same shuffles
    return m:fit{tr, validation = va, optimizer = optim.momentum(m, {lr = 0.05}), epochs = 4,
      batch = 16, class_weights = {1, 2, 0.5}, metrics = {"precision", "recall", "f1"},
      verbose = false}
  end
  local rc, rw = fit(c), fit(w)
  assert(rw.state == "done", tostring(rw.error))
  close_lists(rc:losses(), rw:losses(), 1e-4, "step loss")
  local hc, hw = rc.history, rw.history
  for _, k in ipairs{"loss", "acc", "val_loss", "val_acc", "precision", "recall", "f1",
                     "val_precision", "val_recall", "val_f1"} do
    close_lists(hc[k], hw[k], 1e-4, k)
  end
  local cmc, mtc = rc:confusion()
  local cmw, mtw = rw:confusion()
  assert(same(cmc, cmw), "the validation confusion matrices differ")
  assert(same(select(1, rc:confusion("train")), select(1, rw:confusion("train"))))
  assert(math.abs(mtc.f1 - mtw.f1) < 1e-12)
  local bc, bw = c:children()[2], w.modules[1].inner:children()[2]
  assert((bc:running() - bw:running()):abs():max():item() < 1e-4, "batch-norm statistics differ")
  -- the penalty is in the loss: without it the first step's loss is lower
  local plain = wrap(twin_net())
  plain.modules[1].inner:children()[1]:regularize(0, 0)
  local rp = fit(plain)
  assert(rp:losses()[1] < rw:losses()[1] - 1e-4, rp:losses()[1] .. " vs " .. rw:losses()[1])
  -- s:regularize on a sequential with a Lua module puts the penalty on its built-in layers
  local lr = nn.sequential{nn.linear(2, 3), scale(1.0)}
  assert(lr.modules[1]:penalty() == 0)
  lr:regularize(0, 0.1)
  assert(lr.modules[1]:penalty() > 0, "regularize did not reach the built-in layer")
  -- class weights act: other weights, other losses
  nn.seed(5)
  local ru = wrap(twin_net()):fit{tr, epochs = 1, batch = 16, verbose = false,
    optimizer = optim.momentum(w, {lr = 0.05})}
  assert(math.abs(ru:losses()[1] - rw:losses()[1]) > 1e-4, "class weights made no difference")
end

-- early stopping restores the best epoch's weights and the batch-norm statistics of
-- the built-in layers inside a Lua model
do
  nn.seed(3)
  local g = data.gauss{n = 200, seed = 3}
  local flipped = data.from(g:x(), (1 - g:y()), {classes = 2})
  local bn = nn.batchnorm(8, {momentum = 0.3})
  local m = nn.sequential{nn.linear(2, 8), bn, nn.tanh(), nn.linear(8, 2), scale(1.0)}
  local per_epoch = {}
  local run = m:fit{g, validation = flipped, optimizer = optim.adam(m, {lr = 0.02}), epochs = 50,
    batch = 20, patience = 2, every = 10, verbose = false,
    on_step = function(r) per_epoch[r:status().epoch] = {snapshot(m), bn:running():totable()} end}
  assert(run.state == "stopped" and run.message:find("early stopping"), run.message)
  local best = run.best_epoch
  assert(same(snapshot(m), per_epoch[best][1]), "the weights are not those of epoch " .. best)
  assert(same(bn:running():totable(), per_epoch[best][2]),
    "batch norm's running mean is not that of epoch " .. best)
  assert(not same(bn:running():totable(), per_epoch[best + 1][2]), "statistics did not move")
end

-- an error in the forward fails the run with its message; Ctrl-C ("interrupted!")
-- in the forward stops it and is raised, as it is for a built-in model
do
  local Boom = setmetatable({}, {__index = Wrap})
  Boom.__index = Boom
  function Boom:forward(x)
    self.calls = (self.calls or 0) + 1
    if self.calls == self.fail_at then error(self.why) end
    return self.inner(x)
  end
  Boom.__call = Boom.forward
  local boom = setmetatable({inner = nn.sequential{nn.linear(2, 2)}, fail_at = 4, why = "boom"}, Boom)
  local m = nn.sequential{boom}
  local printed, print0 = {}, print
  print = function(...) printed[#printed + 1] = table.concat({...}, "\t") end -- luacheck: ignore
  local run = m:fit{moons, epochs = 2, batch = 20}
  print = print0 -- luacheck: ignore
  assert(run.state == "failed" and run.error:find("step 3: .*boom"), tostring(run.error))
  local seen
  boom.calls, boom.fail_at, boom.why = 0, 5, "interrupted!"
  local ok, err = pcall(function()
    m:fit{moons, epochs = 2, batch = 20, verbose = false, on_step = function(r) seen = r end}
  end)
  assert(not ok and tostring(err):find("interrupted!"), tostring(err))
  assert(seen and seen.state == "stopped" and seen:status().step == 3,
    seen and (seen.state .. " at step " .. seen:status().step))
end
print("test_fit_lua.lua: ok")
