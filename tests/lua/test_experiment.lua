-- test_experiment.lua: experiment{base, vary}: the product of the varied settings, one
-- run per configuration from the same seed (a run equals the same fit done by hand),
-- the best value and its epoch, the table, the CSV, the plot, refusals; and at the
-- prompt it runs as a background job.
local train, test = data.spiral{n = 300, classes = 3, test = 0.3, seed = 1}
local tmp = os.tmpname()
local ex = experiment{base = {data = train, validation = test, epochs = 4, batch = 16, hidden = {16}},
  vary = {lr = {0.003, 0.03}, dropout = {0, 0.2}}, csv = tmp, show = false, verbose = false}
assert(ex.state == "done" and #ex.results == 4, "four configurations ran")
-- keys sorted: dropout varies slowest
assert(ex.results[1].label == "dropout=0 lr=0.003" and ex.results[4].label == "dropout=0.2 lr=0.03", ex.results[1].label)
-- each run is the fit one would write by hand
nn.seed(1)
local m = nn.sequential{nn.linear(2, 16, {init = "he_normal"}), nn.relu(), nn.linear(16, 3)}
local run = m:fit{train, validation = test, epochs = 4, batch = 16, optimizer = optim.adam(m, {lr = 0.03}), verbose = false}
local h = run.history.val_acc
local best, at = -1, 0
for e, v in ipairs(h) do if v > best then best, at = v, e end end
local r2 = ex.results[2]
assert(math.abs(r2.best - best) < 1e-9 and r2.epoch == at,
  ("configuration 2: best %g at %d, by hand %g at %d"):format(r2.best, r2.epoch, best, at))
assert(r2.seconds >= 0 and r2.epochs == 4)
-- the best row and the table, best first
local top = ex:best()
for _, r in ipairs(ex.results) do assert(top.best >= r.best) end
local t = ex:table()
assert(t:find("configuration", 1, true) and select(2, t:gsub("\n", "")) == 4, t)
assert(t:find(top.label, 1, true) < t:find("\n", t:find("\n") + 1), "the best comes first")
-- the CSV: header and one line per configuration
local f = assert(io.open(tmp))
local lines = {}
for l in f:lines() do lines[#lines + 1] = l end
f:close()
os.remove(tmp)
assert(lines[1] == "dropout,lr,best_val_acc,best_epoch,epochs,seconds,state", lines[1])
assert(#lines == 5 and lines[3]:find('^"0","0.03",'), lines[3])
-- one curve per configuration in the plot
assert(ex.plot:kind() == "lines")
local png = os.tmpname() .. ".png"
ex.plot:save(png)
assert(io.open(png), "the plot renders"); os.remove(png)
-- a model builder and a varied width; a regression set uses val_loss, lower is better
local reg_train, reg_test = data.sine{n = 200, test = 0.3, seed = 2}
local ex2 = experiment{base = {data = reg_train, validation = reg_test, epochs = 3,
  model = function(c) return nn.sequential{nn.linear(1, c.hidden), nn.tanh(), nn.linear(c.hidden, 1)} end},
  vary = {hidden = {2, 16}}, csv = false, show = false, verbose = false}
assert(ex2.metric == "val_loss" and ex2:best().best <= math.max(ex2.results[1].best, ex2.results[2].best))
-- refusals name the problem
local ok, err = pcall(experiment, {base = {data = train, validation = test}, vary = {lrr = {1}}})
assert(not ok and err:find("vary.lrr is not a setting", 1, true), err)
ok, err = pcall(experiment, {base = {data = train, validation = test}, vary = {lr = 0.1}})
assert(not ok and err:find("must be a list", 1, true), err)
ok, err = pcall(experiment, {base = {data = train}, vary = {lr = {0.1}}})
assert(not ok and err:find("validation", 1, true), err)
ok, err = pcall(experiment, {base = {data = train, validation = test, model = nn.linear(2, 3)}, vary = {lr = {0.1}}, csv = false, show = false})
assert(not ok and err:find("function(config)", 1, true), err)
-- a model function that ignores a varied setting of the model would train one net
-- under two names: refused, naming the setting
ok, err = pcall(experiment, {base = {data = train, validation = test, epochs = 1,
  model = function() return nn.sequential{nn.linear(2, 4), nn.tanh(), nn.linear(4, 3)} end},
  vary = {dropout = {0, 0.5}}, csv = false, show = false, verbose = false})
assert(not ok and err:find("base.model never reads config.dropout", 1, true), err)
local reads = experiment{base = {data = train, validation = test, epochs = 1, model = function(c)
  return nn.sequential{nn.linear(2, 4), nn.tanh(), nn.dropout(c.dropout), nn.linear(4, 3)} end},
  vary = {dropout = {0, 0.5}, lr = {0.01}}, csv = false, show = false, verbose = false}
assert(#reads.results == 2, "a model function that reads the varied setting runs")
-- at the prompt: a background job that ends with the table
repl.interactive = true
local ex3 = experiment{base = {data = train, validation = test, epochs = 2}, vary = {lr = {0.01, 0.1}},
  csv = false, show = false, verbose = false}
assert(ex3.job and ex3.state == "running", "at the prompt it returns at once")
ex3:wait()
repl.interactive = false
assert(ex3.state == "done" and #ex3.results == 2)
assert(ex3.results[1].run.job, "each configuration trained as a background fit")
print("test_experiment: ok")
