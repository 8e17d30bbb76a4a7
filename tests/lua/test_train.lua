-- test_train.lua: the training API from Lua: layers, fit (foreground in a script),
-- history, evaluate, summary, save/load, optimizers on tensors and Lua modules,
-- NaN runs, early stopping, callbacks, data sets.
local function close(a, b, tol) return math.abs(a - b) <= (tol or 1e-6) end

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
local ev = s:evaluate(test)
assert(ev.accuracy >= 0.95, "spiral test accuracy " .. ev.accuracy)
assert(#ev.confusion == 3 and ev.f1 > 0.9)
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
assert(not okr and e2:find("module 2 %(linear%) takes 4 features but gets 3"), e2)
local reuse = nn.tanh()
assert(not pcall(nn.sequential, {nn.linear(2, 2), reuse, reuse}))

-- data sets
local c = data.circle{n = 100}
assert(c:info().classes == 2 and #c == 100)
local pf = c:playground{"x1", "x2", "x1sq", "x2sq"}
assert(pf:info().nx == 4)
assert(not pcall(data.spiral, {n = 1, classes = 3}))
print("test_train.lua: ok")
