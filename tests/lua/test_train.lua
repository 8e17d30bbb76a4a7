-- test_train.lua: the training API from Lua: layers, fit (foreground in a script),
-- history, evaluate, summary, save/load, optimizers on tensors and Lua modules,
-- NaN runs, early stopping, callbacks, data sets.
local function close(a, b, tol) return math.abs(a - b) <= (tol or 1e-6) end

local T = require "nn.train" -- the binding, for the mode of a built-in module
nn.seed(1)
-- XOR from tensors: 2-8-1 tanh with BCE, learned to 100%
local xor = data.from(nn.tensor{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, nn.tensor{{0}, {1}, {1}, {0}},
  {classes = 2})
local m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
local run = m:fit{xor, loss = nn.bce, optimizer = optim.adam(m, {lr = 0.05}), epochs = 300,
  batch = 4, verbose = false}
assert(run.state == "done", run.state)
assert(#run.history.loss == 300)
assert(m:evaluate(xor, nn.bce).accuracy == 1, "XOR not learned")
-- a run prints its last epoch's figures, as the line that said it was done, not a
-- batch's loss beside them
assert(tostring(run) == ("run (done, epoch 300/300, step 300, loss %.4f, acc %.4f)")
  :format(run.history.loss[300], run.history.acc[300]), tostring(run))

-- the spiral of the design page, with validation and a progress line
local train, test = data.spiral{n = 400, classes = 3, noise = 0.1, test = 0.3, seed = 42}
assert(#train == 280 and #test == 120)
data.standardize(train, test)
local s = nn.sequential{nn.linear(2, 32), nn.tanh(), nn.linear(32, 32), nn.tanh(), nn.linear(32, 3)}
local text = s:summary{print = false}
assert(text:find("Total params: 1,251", 1, true), text)
local opt = optim.adam(s, {lr = 0.01})
assert(close(opt.lr, 0.01))
local steps = 0
run = s:fit{train, validation = test, loss = nn.cross_entropy, optimizer = opt, epochs = 150,
  batch = 32, on_step = function(r) steps = steps + 1 end, every = 9, verbose = false}
assert(steps == 150, "on_step ran " .. steps .. " times")
-- history(from): the epochs from `from` on at their own numbers, and how many there are
-- (what a live view asks for ten times a second instead of the whole history)
do
  local raw, whole = run._r, run._r:history()
  local part = raw:history(148)
  assert(part.epochs == 150 and #whole.loss == 150, tostring(part.epochs))
  for _, k in ipairs{ "loss", "val_loss", "acc", "val_acc", "f1" } do
    assert(part[k][147] == nil and part[k][148] == whole[k][148] and part[k][150] == whole[k][150], k)
  end
  assert(next(raw:history(151).loss) == nil and raw:history(151).epochs == 150)
  assert(whole.epochs == nil) -- the whole history is as it was
  local ok, err = pcall(raw.history, raw, 0)
  assert(not ok and err:find("from", 1, true), err)
  -- history(from, names...): those fields alone, the same numbers
  local two = raw:history(148, "val_loss", "loss")
  assert(two.epochs == 150 and two.acc == nil and two.f1 == nil and two.seconds == nil)
  assert(two.loss[148] == whole.loss[148] and two.val_loss[150] == whole.val_loss[150])
  ok, err = pcall(raw.history, raw, 1, "loss", "lsos")
  assert(not ok and err:find("no field 'lsos'", 1, true), err)
end
local ev = s:evaluate(test)
assert(ev.accuracy >= 0.95, "spiral test accuracy " .. ev.accuracy)
assert(#ev.confusion == 3 and ev.f1 > 0.9)
assert(tostring(ev) == ("evaluation: loss %.4f, accuracy %.4f, precision %.4f, recall %.4f, f1 %.4f (.confusion: 3 x 3)")
  :format(ev.loss, ev.accuracy, ev.precision, ev.recall, ev.f1), tostring(ev))
opt.lr = 0.001 -- settable between steps
assert(close(opt.lr, 0.001))
assert(not pcall(function() opt.bogus = 1 end))

-- save and load: identical outputs, bit for bit; a corrupted file is refused
local path = os.tmpname()
nn.save(s, path, opt)
local s2, opt2 = nn.load(path)
assert(s2 and opt2 and opt2:kind() == "adam" and opt2:steps() == opt:steps())
local x = test:x()
local a, b = s(x), s2(x)
for i, row in ipairs(a:totable()) do
  for j, v in ipairs(row) do assert(v == b:totable()[i][j], "outputs differ after load") end
end
local f = io.open(path, "r+b")
f:seek("set", 60)
local c = f:read(1)
f:seek("set", 60)
f:write(string.char(c:byte() ~ 0x20))
f:close()
local bad, msg = nn.load(path)
assert(bad == nil and msg:find("CRC-32", 1, true), msg)
os.remove(path)

-- a NaN run stops with its message
local plane = data.plane{n = 100}
local r = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)}
local ok, nan_run = pcall(function()
  return r:fit{plane, loss = nn.mse, optimizer = optim.sgd(r, {lr = 1e6}), epochs = 20,
    verbose = false}
end)
assert(ok and nan_run.state == "failed" and nan_run.error:find("learning rate"), tostring(nan_run))

-- issue 17: Adam at lr 1e6 keeps a finite loss that grows past 1e20: the run ends
-- "failed" saying the loss diverged and naming the learning rate, not "done"
local div = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)}
local div_run = div:fit{plane, loss = nn.mse, optimizer = optim.adam(div, {lr = 1e6}), epochs = 5,
  verbose = false}
assert(div_run.state == "failed" and div_run.error:find("^the loss diverged: epoch 1's loss")
  and div_run.error:find("the learning rate (1e+06) is too high", 1, true), tostring(div_run.error))
-- a NaN in the data is named by row and column before the run starts
local nan_rows, nan_ys = {}, {}
for i = 1, 20 do nan_rows[i] = {i / 20, 1 - i / 20}; nan_ys[i] = {i / 10} end
nan_rows[17][2] = 0 / 0
local nan_set = data.from(nn.tensor(nan_rows), nn.tensor(nan_ys))
local nan_ok, nan_err = pcall(function() return div:fit{nan_set, loss = nn.mse, epochs = 1, verbose = false} end)
assert(not nan_ok and tostring(nan_err):find("fit: the training data has a NaN at row 17, column 2", 1, true),
  tostring(nan_err))

-- early stopping restores the best epoch
local g = data.gauss{n = 200, seed = 3}
local flipped = data.from(g:x(), (1 - g:y()), {classes = 2})
local e = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}
run = e:fit{g, validation = flipped, epochs = 50, batch = 20, patience = 2, verbose = false}
assert(run.state == "stopped" and run.message:find("early stopping"), run.message)
assert(#run.history.loss == run.best_epoch + 2)

-- micrograd style: an optimizer on a tensor
local w = nn.tensor{3.0}:requires_grad()
local sgd = optim.sgd(w, {lr = 0.1})
for _ = 1, 3 do
  sgd:zero_grad()
  local l = (w * w):sum()
  l:backward()
  sgd:step()
end
assert(close(w:item(), 3 * 0.8 ^ 3, 1e-5), w:item()) -- w <- w - 0.1 * 2w

-- optimizer state for plots
local ad = optim.adagrad(w, {lr = 0.1})
sgd:zero_grad(); (w * w):sum():backward(); ad:step()
assert(ad:state("sum_sq"):item() > 0 and ad:effective_lr():item() > 0)
assert(close(optim.defaults("rmsprop").rho, 0.9) and close(optim.defaults("rmsprop").eps, 1e-10, 1e-15))

-- a module written in Lua, composed with built-in ones, trained through autograd
local Scale = {}
Scale.__index = Scale
function Scale:forward(x) return x * self.k end
Scale.__call = Scale.forward
function Scale:parameters() return {self.k} end
local lm = nn.sequential{nn.linear(1, 16), nn.tanh(), nn.linear(16, 1),
  setmetatable({k = nn.tensor{1.0}:requires_grad()}, Scale)}
local sine = data.sine{n = 64, seed = 2}
local h = lm:fit{sine, validation = 0.25, loss = nn.mse, optimizer = optim.adam(lm, {lr = 0.02}),
  epochs = 40, batch = 16, verbose = false}
assert(h.history.loss[40] < 0.2 * h.history.loss[1], h.history.loss[40])
assert(h.history.val_loss[40] < 0.3 * h.history.val_loss[1], h.history.val_loss[40])

-- activations as functions and modules, losses on tensors
local y = nn.tanh(nn.tensor{{0.5, -0.5}})
assert(close(y:totable()[1][1], math.tanh(0.5), 1e-6))
assert(close(nn.cross_entropy(nn.tensor{{1, 2, 3}}, nn.tensor{{2}}):item(), 0.40760596, 1e-6))
local lr = nn.lr_range_test{s, train, lr_min = 1e-4, lr_max = 1, steps = 30}
assert(#lr.lr >= 2 and #lr.lr == #lr.loss)

-- parameter tensors outlive a freed model (the memory goes with the last of them)
local fm = nn.sequential{nn.linear(2, 3), nn.relu(), nn.linear(3, 1)}
fm(nn.randn{4, 2}):sum():backward()
local fw = fm:parameters()[1]
local fg = fw.grad
fm:free()
assert(not pcall(function() return fm(nn.randn{1, 2}) end))
fm = nil
collectgarbage(); collectgarbage()
assert(fw:sum():item() == fw:sum():item() and fg:abs():sum():item() > 0)

-- at the prompt fit is a background job; opt.lr set while it runs takes effect
repl.interactive = true
local bg = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
local bgopt = optim.adam(bg, {lr = 0.01})
local bgrun = bg:fit{data.moons{n = 200, seed = 4}, optimizer = bgopt, epochs = 200, batch = 8}
repl.interactive = false
assert(bgrun.job and bgrun.state == "running", "fit at the prompt should be a job")
assert(tostring(jobs()):find("fit"))
bgopt.lr = 0.002
bgrun:wait()
assert(bgrun.state == "done" and close(bgopt.lr, 0.002))

-- a validation fraction splits the training set
local vr = nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 2)}
local vrun = vr:fit{data.gauss{n = 100}, validation = 0.2, epochs = 2, verbose = false}
assert(vrun.history.val_loss[2] == vrun.history.val_loss[2])
assert(vrun:status().steps_per_epoch == 3) -- 80 rows in batches of 32

-- errors name the user's line and the values
local okr, e2 = pcall(function() return nn.sequential{nn.linear(2, 3), nn.linear(4, 1)} end)
assert(not okr and e2:find("module 2: linear expects %[batch, 4%], got %[batch, 3%]"), e2)
local reuse = nn.tanh()
assert(not pcall(nn.sequential, {nn.linear(2, 2), reuse, reuse}))

-- data sets
local c = data.circle{n = 100}
assert(c:info().classes == 2 and #c == 100)
local pf = c:playground{"x1", "x2", "x1sq", "x2sq"}
assert(pf:info().nx == 4)
assert(not pcall(data.spiral, {n = 1, classes = 3}))
-- Output written by the library while f runs: print's lines and io.write's text.
local function captured(f)
  local out, print0, write0 = {}, print, io.write
  print = function(...) out[#out + 1] = table.concat({...}, "\t") .. "\n" end -- luacheck: ignore
  io.write = function(...) out[#out + 1] = table.concat({...}) end -- luacheck: ignore
  local ok, a = pcall(f)
  print, io.write = print0, write0 -- luacheck: ignore
  assert(ok, a)
  return table.concat(out), a
end

local function count(text, pat)
  local n = 0
  for _ in text:gmatch(pat) do n = n + 1 end
  return n
end

-- modes: fit trains in training mode even after m:eval() (batch norm's running
-- statistics move) and gives the mode back; predict and evaluate keep the mode
do
  nn.seed(11)
  local gs = data.gauss{n = 80, seed = 11}
  local bn = nn.batchnorm(4)
  local bm = nn.sequential{nn.linear(2, 4), bn, nn.tanh(), nn.dropout(0.5), nn.linear(4, 2)}
  bm:eval()
  bm:fit{gs, epochs = 2, batch = 20, verbose = false}
  local mean, var = bn:running()
  assert(mean:abs():sum():item() > 1e-4 and (var - 1):abs():sum():item() > 1e-4,
    "batch norm's running statistics did not move: fit ran in evaluation mode")
  assert(T.training(bm) == false, "fit did not give back the evaluation mode")
  local x = gs:x()
  bm:predict(x)
  assert(T.training(bm) == false, "predict switched an evaluated model to training")
  bm:evaluate(gs)
  assert(T.training(bm) == false, "evaluate switched the mode")
  local a, b = bm(x), bm(x) -- dropout off: the same numbers twice
  assert((a - b):abs():sum():item() == 0, "dropout active after predict in evaluation mode")
  bm:train()
  bm:predict(x)
  assert(T.training(bm) == true, "predict switched a training model to evaluation")
end

-- schedules: the Lua formulas against hand values, the engine's against them inside
-- fit, lr = in a raw table, and a function
do
  local function sched(t) return optim.schedule(t) end
  local st = sched{kind = "step", lr0 = 1, gamma = 0.5, period = 10}
  assert(st(0) == 1 and st(9) == 1 and st(10) == 0.5 and st(25) == 0.25)
  assert(close(sched{kind = "exponential", lr0 = 1, gamma = 0.9}(2), 0.81, 1e-12))
  local cs = sched{kind = "cosine", lr0 = 1, lr_min = 0, period = 10}
  assert(close(cs(0), 1) and close(cs(5), 0.5, 1e-12) and close(cs(10), 0) and close(cs(20), 0))
  local cy = sched{kind = "cyclic", lr0 = 1, lr_min = 0.1, period = 4}
  assert(close(cy(0), 0.1) and close(cy(2), 0.55) and close(cy(4), 1) and close(cy(6), 0.55)
    and close(cy(8), 0.1))
  local wu = sched{kind = "warmup", lr0 = 1, period = 4}
  assert(wu(0) == 0.25 and wu(3) == 1 and wu(10) == 1)
  assert(sched{kind = "constant", lr = 0.3}(7) == 0.3)

  local d40 = data.gauss{n = 40, seed = 12} -- 4 steps an epoch with batch 10
  local function lrs_of(schedule)
    local sm = nn.sequential{nn.linear(2, 2)}
    local o = optim.sgd(sm, {lr = 0.01})
    local seen = {}
    sm:fit{d40, optimizer = o, epochs = 6, batch = 10, shuffle = false, verbose = false,
      schedule = schedule, on_step = function(r) seen[r:status().step] = o.lr end}
    return seen
  end
  -- a step schedule with lr = (not lr0): halves every 2 epochs (8 steps)
  local seen = lrs_of{kind = "step", lr = 0.1, gamma = 0.5, period = 8}
  for s = 1, 24 do
    local epoch = (s - 1) // 4 + 1
    local want = 0.1 * 0.5 ^ ((epoch - 1) // 2)
    assert(close(seen[s], want, 1e-7), ("step %d (epoch %d): lr %g, want %g"):format(s, epoch,
      seen[s], want))
  end
  -- the engine's cosine equals optim.schedule's at every step
  local spec = {kind = "cosine", lr0 = 0.2, lr_min = 0.01, period = 20}
  seen = lrs_of(spec)
  for s = 1, 24 do assert(close(seen[s], optim.schedule(spec)(s - 1), 1e-7), s) end
  -- a function of the step
  seen = lrs_of(function(t) return 0.001 * (t + 1) end)
  for s = 1, 24 do assert(close(seen[s], 0.001 * s, 1e-7), ("step %d: lr %g"):format(s, seen[s])) end
  assert(not pcall(lrs_of, function() return "fast" end))
  assert(not pcall(lrs_of, {kind = "sideways"}))
end

-- metrics during training: per epoch for train and validation, in the progress line;
-- the confusion matrix on the run; binary for two classes, like evaluate
do
  nn.seed(13)
  local tr2, va2 = data.moons{n = 200, seed = 13, test = 0.3}
  local mm = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 2)}
  local out, mrun = captured(function()
    return mm:fit{tr2, validation = va2, epochs = 3, batch = 20,
      metrics = {"accuracy", "precision", "recall", "f1"}}
  end)
  local h = mrun.history
  for _, k in ipairs{"precision", "recall", "f1", "val_precision", "val_recall", "val_f1"} do
    assert(#h[k] == 3 and h[k][3] >= 0 and h[k][3] <= 1, k)
  end
  assert(out:find("epoch 3/3 .* %- f1 %d%.%d+ .* %- val_f1 %d%.%d+"), out)
  local cm, mt = mrun:confusion()
  assert(cm[1][1] + cm[1][2] + cm[2][1] + cm[2][2] == #va2)
  local tp, fp, fn = cm[2][2], cm[1][2], cm[2][1]
  assert(close(mt.precision, tp / (tp + fp), 1e-12) and close(mt.recall, tp / (tp + fn), 1e-12))
  assert(close(h.val_f1[3], mt.f1, 1e-12))
  local ev2 = mm:evaluate(va2)
  assert(close(ev2.f1, h.val_f1[3], 1e-12) and close(ev2.precision, h.val_precision[3], 1e-12))
  local ct = mrun:confusion("train")
  assert(ct[1][1] + ct[1][2] + ct[2][1] + ct[2][2] == #tr2)
  local okm, em = pcall(function() mm:fit{tr2, metrics = {"auc"}, verbose = false} end)
  assert(not okm and em:find("unknown metric auc"), em)
  okm, em = pcall(function() mm:fit{data.plane{n = 20}, metrics = {"f1"}, verbose = false} end)
  assert(not okm and em:find("need a classification set"), em)
end

-- callbacks every M ms: a period longer than any run never calls on_step
do
  local em = nn.sequential{nn.linear(2, 2)}
  local calls = 0
  em:fit{data.gauss{n = 40}, epochs = 5, batch = 4, every_ms = 1e9, verbose = false,
    on_step = function() calls = calls + 1 end}
  assert(calls == 0, "on_step ran " .. calls .. " times with every_ms = 1e9")
end

-- a NaN run: the message once (verbose), the run and its history come back; at the
-- prompt the job ends without an error of its own
do
  local pm = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)}
  local out, nrun = captured(function()
    return pm:fit{plane, loss = nn.mse, optimizer = optim.sgd(pm, {lr = 1e6}), epochs = 20}
  end)
  assert(count(out, "the loss became") == 1, out)
  assert(nrun.state == "failed" and nrun.error:find("at step %d+ %(epoch 1, batch %d+ of 4%)"),
    tostring(nrun.error))
  assert(nrun.history and #nrun:losses() >= 1)
  repl.interactive = true
  local brun = pm:fit{plane, loss = nn.mse, optimizer = optim.sgd(pm, {lr = 1e6}), epochs = 20}
  repl.interactive = false
  assert(pcall(brun.wait, brun), "waiting on a failed run raised")
  assert(brun.state == "failed" and brun.error:find("learning rate"))
  assert(brun.job.state == "done", "the job of a failed run ended with " .. brun.job.state)
  local dm = nn.sequential{nn.linear(2, 2)}
  local done = dm:fit{data.gauss{n = 20}, epochs = 1, verbose = false}
  assert(done.state == "done" and done.error == nil)
end

-- progress lines (plain output): every epoch up to 50; beyond, every k-th and the last
do
  local g20 = data.gauss{n = 20, seed = 14}
  local pm = nn.sequential{nn.linear(2, 2)}
  local out = captured(function() pm:fit{g20, epochs = 7, batch = 20} end)
  assert(count(out, "epoch %d+/7 ") == 7, out)
  out = captured(function() pm:fit{g20, epochs = 120, batch = 20} end)
  assert(count(out, "epoch %d+/120 ") == 40, out)
  assert(count(out, "a line every 3 epochs") == 1 and out:find("epoch 120/120", 1, true), out)
end

-- a model prints as its summary table; m:summary() prints it once and returns nothing
do
  local shown = tostring(s)
  assert(shown:find("Layer (type)", 1, true) and shown:find("Total params: 1,251", 1, true), shown)
  assert(shown:find("linear%s+%(None, 32%)%s+96"), shown)
  local out = captured(function() assert(select("#", s:summary()) == 0) end)
  assert(count(out, "Total params") == 1, out)
  assert(tostring(nn.tanh()) == "tanh")
  -- a deep net's printed form keeps to a screen: its first and last layers, and how to
  -- see the rest; m:summary() still lists every layer
  local layers = {}
  for i = 1, 15 do layers[#layers + 1] = nn.linear(i == 1 and 4 or 8, 8); layers[#layers + 1] = nn.relu() end
  layers[#layers + 1] = nn.linear(8, 3)
  local deep = nn.sequential(layers)
  local printed = tostring(deep)
  assert(count(printed, "\n") <= 16 + 5, printed)
  assert(printed:find("... 16 more layers (m:summary() lists every one)", 1, true), printed)
  assert(printed:find("linear%s+%(None, 3%)%s+27"), printed)
  local listed = deep:summary{print = false}
  assert(count(listed, "relu ") == 15 and not listed:find("more layers", 1, true), listed)
  -- the sample shape a model was built for heads its printed form
  local cm = nn.sequential{nn.conv2d(1, 2, 3), nn.relu(), nn.flatten(), nn.linear(2 * 4 * 4, 3)}
  assert(tostring(cm):find("^sequential %(any %-> 3%)"), tostring(cm))
  cm:input_shape{1, 6, 6}
  assert(tostring(cm):find("^sequential %(1x6x6 %-> 3%)"), tostring(cm))
end

-- the LR range test leaves the user's optimizer (state, steps, rate) as it was
do
  local lm2 = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 3)}
  local lo = optim.adam(lm2, {lr = 0.01})
  lm2:fit{train, optimizer = lo, epochs = 1, verbose = false}
  local steps0, m0 = lo:steps(), lo:state(1):totable()
  local w0 = lm2:parameters()[1]:copy():totable()
  nn.lr_range_test{lm2, train, optimizer = lo, steps = 20}
  assert(lo:steps() == steps0 and close(lo.lr, 0.01), "optimizer steps or rate changed")
  local m1 = lo:state(1):totable()
  for i = 1, #m0 do assert(m0[i] == m1[i], "optimizer state changed at " .. i) end
  local w1 = lm2:parameters()[1]:copy():totable()
  for i = 1, #w0 do for j = 1, #w0[i] do assert(w0[i][j] == w1[i][j]) end end
end

-- PReLU: one slope per feature or one shared, both trained and saved; activation
-- constructors refuse options they do not have instead of ignoring them
do
  nn.seed(3)
  local pm = nn.sequential{nn.linear(2, 4), nn.prelu(4, {init = 0.2}), nn.linear(4, 1)}
  local slopes = pm:children()[2]:param(1)
  assert(slopes:numel() == 4 and close(slopes:totable()[3], 0.2, 1e-7), "prelu(4) has 4 slopes at 0.2")
  pm:fit{data.circle{n = 64}, loss = nn.bce, epochs = 3, verbose = false}
  local s = pm:children()[2]:param(1):totable()
  assert(s[1] ~= s[2] or s[2] ~= s[3], "per-feature slopes train apart")
  local shared = nn.prelu{init = 0.1}
  assert(shared:param(1):numel() == 1 and close(shared:param(1):totable()[1], 0.1, 1e-7))
  local path = os.tmpname()
  for _, model in ipairs{pm, nn.sequential{nn.linear(2, 3), nn.prelu(), nn.linear(3, 1)}} do
    nn.save(model, path)
    local back = assert(nn.load(path))
    local x = nn.randn{5, 2}
    local a, b = model:predict(x):totable(), back:predict(x):totable()
    for i = 1, 5 do assert(a[i][1] == b[i][1], "prelu model loads bit for bit") end
  end
  os.remove(path)
  for _, bad in ipairs{
    {function() return nn.bipolar_sigmoid{slop = 2} end, "unknown option 'slop'"},
    {function() return nn.tanh(3) end, "takes no argument"},
    {function() return nn.prelu(0.5) end, "features must be a whole number"},
    {function() return nn.prelu(4, {slope = 1}) end, "unknown option 'slope'"},
  } do
    local ok, err = pcall(bad[1])
    assert(not ok and tostring(err):find(bad[2], 1, true), tostring(err))
  end
end

-- a run that first grows its weights huge (a finite but enormous epoch loss) and then
-- hits a NaN is put back at its start, where the loss was lowest, not at the huge
-- weights of the last epoch's start: a smaller lr then trains on the same model
do
  nn.seed(1)
  local m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}
  local w0 = m:parameters()[1]:copy():totable()
  local opt = optim.sgd(m, {lr = 1e6})
  local d = data.plane{n = 100}
  local r = m:fit{d, loss = nn.mse, optimizer = opt, epochs = 5, verbose = false}
  assert(r.state == "failed", "lr 1e6 diverges")
  assert(r.history.loss[1] > 1e6, "epoch 1 ended finite but huge: " .. tostring(r.history.loss[1]))
  assert(tostring(r.error):find("start of epoch 1", 1, true), tostring(r.error))
  local w1 = m:parameters()[1]:totable()
  for i = 1, #w0 do for j = 1, #w0[i] do assert(w0[i][j] == w1[i][j], "weights put back") end end
  opt.lr = 0.01
  local r2 = m:fit{d, loss = nn.mse, optimizer = opt, epochs = 3, verbose = false}
  assert(r2.state == "done" and r2.history.loss[3] < r2.history.loss[1], "trains on after")
end
-- fit's defaults are written once (lua/nn_train.lua, T.fit_defaults), a raw run of the
-- binding takes them from there, and the engine checks each value by name; a batch
-- larger than the set is the whole set, for the run and for a sampled schedule
do
  local d64 = data.gauss{n = 64, seed = 14}
  local m = nn.sequential{nn.linear(2, 2)}
  local opt = optim.sgd(m, {lr = 0.01})
  assert(T.fit_defaults.batch == 32 and T.fit_defaults.epochs == 10 and T.fit_defaults.shuffle)
  local raw = T.run(m, opt, d64, nil, {loss = "cross_entropy"})
  assert(raw:status().steps_per_epoch == 2, "the default batch is not 32")
  raw:run_for(0)
  assert(raw:status().epoch == 10, "the default epochs are not 10")
  local run = m:fit{d64, optimizer = opt, verbose = false}
  assert(run:status().steps_per_epoch == 2 and run:status().epoch == 10)
  local function fit_error(opts)
    opts[1], opts.optimizer, opts.verbose = d64, opt, false
    local ok, err = pcall(m.fit, m, opts)
    assert(not ok, "expected an error")
    return tostring(err)
  end
  for _, case in ipairs{
    {{epochs = 0}, "fit: epochs must be >= 1, got 0"},
    {{batch = -2}, "fit: batch must be >= 1 (or 0: the whole set), got -2"},
    {{batch = 2.5}, "fit: batch must be a whole number, got 2.5"},
    {{epochs = "many"}, "fit: epochs must be a number, got string"},
    {{patience = -1}, "fit: patience must be >= 0 (0: no early stopping), got -1"},
    {{min_delta = -0.5}, "fit: min_delta must be >= 0, got -0.5"},
    {{every_ms = -1}, "fit: every_ms must be >= 0, got -1"},
    {{shuffle = "yes"}, "fit: shuffle must be true or false, got string"},
    {{loss = nn.huber, delta = 0}, "fit: delta (of the Huber loss) must be > 0, got 0"},
    {{schedule = {kind = "step", period = 0}}, "fit: optim.schedule: period must be a whole number >= 1, got 0"},
  } do
    local err = fit_error(case[1])
    assert(err == case[2], ("%q, want %q"):format(err, case[2]))
  end
  -- batch 1000 on 64 rows: one step an epoch, and a schedule function sampled for as many
  local seen = {}
  local big = m:fit{d64, optimizer = opt, epochs = 3, batch = 1000, verbose = false,
    schedule = function(t) return 0.01 * (t + 1) end,
    on_step = function(r) seen[#seen + 1] = opt.lr end}
  assert(big:status().steps_per_epoch == 1 and #seen == 3 and close(seen[3], 0.03, 1e-7),
    #seen .. " steps")
end
print("test_train.lua: ok")
