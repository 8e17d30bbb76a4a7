-- test_fuzz_regressions.lua: the calls with which the Lua-API fuzzer
-- (tests/fuzz/api_fuzz.lua) crashed nnlab or got Lua's own "attempt to ..." from
-- inside lua/, each now a clear error naming the function and the argument.
-- Crashes whose fix belongs to code being rewritten wait in tests/fuzz/regressions/
-- (none today).

local function raises(text, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error saying '" .. text .. "', the call succeeded")
  assert(tostring(err):find(text, 1, true), "expected an error saying '" .. text .. "', got: " .. tostring(err))
  assert(not tostring(err):find("attempt to"), "Lua's own error instead of a message: " .. tostring(err))
end

-- build-asan seed 143, call 1758: d:slice(2^31, ...) overflowed an int in
-- bind_data.c (UBSan abort); 2^32 + 2 wrapped to row 2
do
  local d = data.xor{n = 16}
  raises("first row must be a whole number from 1 to 16, got 2147483648", d.slice, d, 2 ^ 31, -2147483649)
  raises("first row must be a whole number from 1 to 16, got 4294967298", d.slice, d, 2 ^ 32 + 2, 1)
  raises("count must be a whole number from 1 to 16, got 2147483648", d.slice, d, 1, 2 ^ 31)
  raises("first row must be a whole number from 1 to 16, got 0", d.slice, d, 0, 1)
  raises("count must be a whole number from 1 to 1, got 2", d.slice, d, 16, 2)
  assert(d:slice(11, 6):info().n == 6, "a valid slice still works")
end

-- race.find_minima(nil) and find_minima(f, 1) indexed nil and a number (race.lua:75)
do
  local f = function(x, y) return x * x + y * y end
  raises("race.find_minima: f must be a function", race.find_minima, nil, {-1, 1, -1, 1})
  raises("race.find_minima: box must be", race.find_minima, f, 1)
  raises("race.find_minima: box[3] must be a finite number, got nil", race.find_minima, f, {-1, 1})
  raises("race.find_minima: box[2] must be a finite number, got", race.find_minima, f, {-1, 0 / 0, -1, 1})
  raises("race.find_minima: box {1, -1, -1, 1} is empty", race.find_minima, f, {1, -1, -1, 1})
  local minima, values, nglobal = race.find_minima(f, {-1, 1, -1, 1})
  assert(#minima == 1 and math.abs(minima[1][1]) < 1e-9 and values[1] < 1e-12 and nglobal == 1,
    "x^2 + y^2 has its one minimum at (0, 0)")
end

-- dual.math.max/min compared whatever they were given (dual.lua:240, 249); dual.new
-- kept non-numbers, which failed later in arithmetic (dual.lua:84, from dual.grad)
do
  raises("math.max: argument 2 must be a number or a dual number, got table", dual.math.max, 1, {})
  raises("math.min: argument 1 must be a number or a dual number, got nil", dual.math.min, nil, 2)
  -- api_fuzz (seeds 100 to 109): dual.math.atan(dual, "x") did arithmetic on the string (dual.lua:233)
  raises("math.atan: argument 2 must be a number or a dual number, got string", dual.math.atan, dual.new(1, 1), "x")
  raises("math.atan: argument 1 must be a number or a dual number, got table", dual.math.atan, {}, dual.new(1, 1))
  assert(dual.value(dual.math.atan(dual.new(1, 1), 1)) == math.atan(1, 1), "atan of a dual still works")
  assert(dual.math.max(1, 3, 2) == 3 and dual.math.min(4, 3, 5) == 3)
  assert(dual.value(dual.math.min(dual.new(2, 1), 5)) == 2, "the smaller dual wins")
  raises("dual.new: derivative 1 must be a number or a dual number, got function", dual.new, 1, print)
  raises("dual.new: the value must be a number or a dual number, got string", dual.new, "x")
  raises("dual.grad: expected a function, got number", dual.grad, 1, 2)
  raises("dual.grad: argument 3 must be a number (a point), got function", dual.grad,
    function(x, y) return x * y end, 1, print)
  raises("dual.hessian: argument 2 must be a number (a point), got nil", dual.hessian,
    function(x, y) return x * y end)
  local v, gx, gy = dual.grad(function(x, y) return x * y end, 2, 3)
  assert(v == 6 and gx == 3 and gy == 2, "a valid gradient still works")
end

-- race methods given a wrong step or racer indexed or compared them (race.lua:428,
-- 438, 537, 554, 579, 760)
do
  local r = race.new{steps = 3}
  raises("race:noise_draws: k must be a whole number of steps >= 0, got table", r.noise_draws, r, {}, 1)
  raises("race:noise_draws: i must be a racer's number", r.noise_draws, r, 0, 0.5)
  raises("race:compute: k must be a whole number of steps >= 0, got nil", r.compute, r, nil)
  raises("race:compute_one: expected one of this race's racers", r.compute_one, r, 1, 2)
  raises("race:reached: expected one of this race's racers", r.reached, r, nil)
  raises("race:left_eps: upto must be a whole number of steps >= 0, got -1", r.left_eps, r, r.racers[1], -1)
  raises("race:back: expected a whole number of steps, got table", r.back, r, {})
  raises("race:forward: expected a whole number of steps, got inf", r.forward, r, math.huge)
  r:compute(2)
  assert(r.k == 2 and #r:noise_draws(1, 1) == 2, "valid calls still work")
end

-- build-asan seeds 103, 109, 144: m:param(2^31) overflowed an int in bind_model.c
-- (UBSan abort) and 2^32 + 2 wrapped to 2 (the bias); seed 124: opt:state(2147483648)
-- likewise in bind_optim.c, 2^32 + 1 wrapped to the first state array
do
  local m = nn.linear(2, 3)
  for _, i in ipairs{2 ^ 31, 2 ^ 32 + 2, -2 ^ 63, 0, 3, 1.5} do
    raises(("m:param: the index (1 weight, 2 bias) must be a whole number from 1 to 2, got %s")
      :format(math.type(i) and math.tointeger(i) or i), m.param, m, i)
  end
  local w, name = m:param(1)
  assert(name == "weight" and w.shape[1] == 2 and w.shape[2] == 3 and select(2, m:param(2)) == "bias", "valid indices still work")
  assert(nn.relu():param(1) == nil, "a module without parameters still gives nil")
  local opt = optim.adam(m)
  for _, i in ipairs{2147483648, 2 ^ 32 + 1, -2 ^ 63, 0, 3} do
    raises(("opt:state: the index must be a whole number from 1 to 2, got %d"):format(i), opt.state, opt, i)
  end
  assert(opt:state(2).shape[1] == 9 and opt:state("v").shape[1] == 9, "valid states still work")
end

-- build-asan seeds 312-345: m:fit{...}, then m:free(), then run:step(), run:wait() or
-- wait(run) read the freed module in nn_run_for (train.c; heap-use-after-free). A run
-- that ended no longer touches its model, so these return its state.
do
  local m, d = nn.linear(2, 2), data.xor{n = 16}
  local run = m:fit{d, epochs = 1, verbose = false}
  m:free()
  d:free()
  for _, call in ipairs{{"run:step", run.step}, {"run:wait", run.wait}, {"wait", wait}} do
    local ok, err = pcall(call[2], run)
    assert(ok, call[1] .. " after m:free() of an ended run must work, got " .. tostring(err))
  end
  assert(run:status().state == "done", run:status().state)
end

-- seed 2 (as the prompt runs: repl.interactive): m:fit{...} trains in a background
-- job, and :free() of its model, data set, optimizer or validation set left the job
-- reading freed memory at the next prompt pass (a segfault in the normal build too).
-- While the run runs, :free() of what it uses is refused; once it is stopped, the objects can be freed and the job ends without touching them.
do
  local interactive = repl.interactive
  repl.interactive = true
  for _, which in ipairs{"model", "data", "optimizer", "validation"} do
    local m, d, v = nn.linear(2, 2), data.xor{n = 64}, data.xor{n = 16}
    local opt = optim.adam(m)
    local run = m:fit{d, epochs = 1000000, verbose = false, optimizer = opt, validation = v}
    local objects = {model = m, data = d, optimizer = opt, validation = v}
    local noun = ({model = "module:free: the model", data = "dataset:free: the data set",
      optimizer = "optimizer:free: the optimizer", validation = "dataset:free: the data set"})[which]
    raises(noun .. " is used by a running fit; stop the run first (run:stop())", objects[which].free, objects[which])
    repl._jobs_step(0)
    assert(run:status().state == "running", which .. ": the refused free left the run running")
    run:stop()
    objects[which]:free()
    assert(tostring(objects[which]):find("freed"), which .. " was not freed after the stop")
    for _ = 1, 20 do repl._jobs_step(0) end -- what the prompt does between two lines
    assert(run:status().state == "stopped", which .. ": " .. run:status().state)
  end
  repl.interactive = interactive
end

-- the last campaign's sites of Lua's own "attempt to ..." inside lua/: each now names
-- the function and what it expected
do
  local dx = data.xor{n = 8}
  raises("d:playground: call it on a data set with a colon", dx.playground, 5)
  local rr = race{surface = "bowl", optimizers = {"gd"}, show = false}
  raises("race:stalled: expected a racer", rr.stalled, rr, 5)
  raises("repl.nearest: names must be strings", repl.nearest, "a", {1})
  raises("lesson.start: expected options", lesson.start, "01", 5)
  raises("xlim must be a pair {min, max}", plot.lines, {xlim = 5, show = false})
  raises("f must be a function f(x, y), got number", plot.field, {f = 5, show = false})
  local mr = nn.sequential{nn.linear(2, 1)}
  local run = mr:fit{dx, epochs = 1, verbose = false, loss = nn.bce}
  raises("run:with_shown: expected a function", run.with_shown, run, 5)
end

-- the last campaign's sites in the generative models: ae.roc took the length of a
-- number (ae.lua:446), ae.contractive, ae.mse and ae.l1_code did arithmetic on or
-- indexed what they were given (195, 173, 179), ae.principal_angles indexed a number
-- (321), gan.modes_covered took the length of nil (gan.lua:100), gan.interpolate
-- indexed a number (403); NaN and out-of-range numbers passed silently (a NaN
-- probability of noise, a NaN radius, a 1-step walk dividing by zero)
do
  local V = require "views_gen"
  raises("ae.roc: scores must be a list of numbers, got 5", ae.roc, 5, {1})
  raises("ae.roc: scores[2] must be a finite number, got nan", ae.roc, {0.1, 0 / 0}, {1, 0})
  raises("ae.roc: labels[1] must be 1 (anomaly) or 0 (normal), got the string \"x\"", ae.roc, {0.1, 0.2}, {"x", 0})
  raises("ae.contractive: h (codes [batch, code]) must be a tensor, got nil", ae.contractive, nil, nn.ones(2, 2))
  raises("ae.contractive: w [in, code] must have as many columns as h [batch, code] has, got w {4, 5} and h {3, 2}",
    ae.contractive, nn.ones(3, 2), nn.ones(4, 5))
  raises("ae.mse: y must be a tensor, got a table", ae.mse, {}, nn.ones(2))
  raises("ae.mse: y {2, 3} and x {3, 2} must have the same shape", ae.mse, nn.ones(2, 3), nn.ones(3, 2))
  raises("ae.l1_code: h (codes [batch, code]) must be a tensor, got 1", ae.l1_code, 1)
  raises("ae.kl_sparsity: rho must be a target activation between 0 and 1 (not either), got nan",
    ae.kl_sparsity, nn.ones(2, 2) * 0.5, 0 / 0)
  raises("ae.principal_angles: a must be a tensor [d, k] or a table of rows {{...}, ...}, got 3",
    ae.principal_angles, 3, {{1}})
  raises("ae.principal_angles: b[2][1] must be a finite number, got nan", ae.principal_angles,
    {{1}, {0}}, {{1}, {0 / 0}})
  raises("ae.noise: amount (a probability) must be a finite number from 0 to 1, got nan",
    ae.noise, nn.ones(2), "masking", 0 / 0)
  raises("ae.pca: k must be a whole number from 1 to 2, got 1.5", ae.pca, nn.rand(5, 2), 1.5)
  local m = ae.new{sizes = {4, 2}}
  raises("m:fit: lr must be a finite number > 0, got nan", m.fit, m, {nn.rand(8, 4), lr = 0 / 0})
  raises("m:encode: x: linear expects [batch, 4], got [batch, 3]", m.encode, m, nn.ones(2, 3))
  raises("m:fit: call it on an autoencoder with a colon", m.fit, 5)
  raises("gan.modes_covered: centres must be a list of the modes' centres {{x, y}, ...}, got nil",
    gan.modes_covered, {{0, 0}}, nil, 0.3)
  raises("gan.modes_covered: radius must be a finite number > 0, got nan", gan.modes_covered, {{0, 0}}, {{0, 0}}, 0 / 0)
  raises("gan.interpolate: z1 must be a code [1, noise] or [noise] (a tensor), got 1",
    gan.interpolate, 1, nn.ones(1, 2), 3)
  raises("gan.interpolate: n must be a whole number from 1 to 500000, got nan",
    gan.interpolate, nn.zeros(1, 2), nn.ones(1, 2), 0 / 0)
  raises("gan.new: act must be the name of an activation", gan.new, {"ring", n = 16, act = "tanhh"})
  local g = gan.new{"ring", n = 32, hidden = {4}, batch = 8}
  raises("g:surface: box {xmin = 1, xmax = -1, ymin = 0, ymax = 1} must have min < max", g.surface, g,
    {xmin = 1, xmax = -1, ymin = 0, ymax = 1}, 5)
  raises("g:d: x must be points [n, 2] (a tensor), got a tensor [3, 4]", g.d, g, nn.ones(3, 4))
  raises("gan.view: res must be a whole number from 2 to 400, got 1", gan.view, g, {show = false, res = 1})
  local view = gan.view(g, {show = false, res = 8, samples = 8})
  raises("view:key: key must be a key's name", view.key, view, 5)
  raises("view:add_points: x must be a finite number, got nan", view.add_points, view, 0 / 0, 0)
  raises("views.walk: steps must be a whole number from 2 to 50, got 1", V.walk, m, {steps = 1, side = 2, show = false})
  raises("views.code_scatter: labels must list 3 classes (one per row of x), got 1",
    V.code_scatter, m, nn.rand(3, 4), {1}, {show = false})
  local r = ae.roc({0.9, 0.2, 0.6}, {1, 0, 0})
  assert(r.auc == 1 and gan.interpolate(nn.zeros(1, 2), nn.ones(1, 2), 3).shape[1] == 3, "valid calls still work")
  assert(view:add_points(0, 0, 4).gan.real.shape[1] == 4, "a valid click still adds its points")
end

-- issue 18's libraries: nn.dbn(nil) indexed its train (rbm.lua:291, the campaign's
-- site), and the other public functions of rbm.lua, control.lua and faults.lua took
-- wrong types, NaN and out-of-range numbers into Lua's own errors, hangs (a plant's
-- dt = 0: a dead time of infinitely many steps) or nonsense; each now names itself,
-- the argument and the value
do
  local rbmlib, control, faults = require "rbm", require "control", require "faults"
  raises("nn.dbn: train must be a data set, got nil", nn.dbn, nil)
  raises("nn.dbn: test must be a data set or nil, got 5", nn.dbn, data.xor{n = 8}, 5)
  raises("nn.dbn: hidden[2] must be a whole number from 1 to 65536, got nan", nn.dbn, data.xor{n = 8}, nil,
    {hidden = {4, 0 / 0}})
  raises("nn.dbn_pretrain: the data must be a data set or a tensor [n, values], got 5", nn.dbn_pretrain, 5)
  raises("nn.dbn_classifier: rbms must be a list of RBMs, got 5", nn.dbn_classifier, 4, 2, {rbms = 5})
  raises("nn.dbn_classifier: classes must be a whole number from 1 to 1000000, got nil", nn.dbn_classifier, 4)
  local r = nn.rbm(4, 3)
  raises("rbm.view: expected an RBM (nn.rbm), got 5", rbmlib.view, 5)
  raises("rbm.view: shape must be {h, w} with h * w = 4 visible units, got 5", rbmlib.view, r, {shape = 5, show = false})
  raises("rbm:fit: view must be true, false or a view from rbm.view, got 5", r.fit, r, nn.zeros{4, 4}, {view = 5})
  raises("rbm:fit: the data have 2 values a row and the RBM 4 visible units", r.fit, r, data.xor{n = 8})
  raises("rbm:free_energy: the data must have rows of 4 values, got a tensor of shape [4]", r.free_energy, r,
    nn.zeros{4})
  raises("rbm:sample: k must be a whole number from 1 to 1000000, got 9223372036854775807", r.sample, r,
    {k = math.maxinteger})
  raises("rbm:visible: h must be a data set or a tensor [n, 3], got 5", r.visible, r, 5)
  raises("rbm:hidden: call it on a rbm with a colon", r.hidden, nn.zeros{2, 4})
  raises("rbm:set_params: W (argument 1) must be a tensor, got 1", r.set_params, r, 1)
  raises("data.digits: path must be a string, got 5", data.digits, {path = 5})
  assert(r:hidden(nn.zeros{2, 4}).shape[2] == 3 and r:fit(nn.zeros{4, 4}, {epochs = 1}) == r, "valid RBM calls still work")

  raises("control.plant: dt must be a finite number > 0 and <= 1000000, got 0", control.plant, "lag", {dt = 0})
  raises("control.plant: tau must be a finite number > 0 and <= 1000000, got -1", control.plant, "lag", {tau = -1})
  raises("control.plant: the options must be a table, got 5", control.plant, "msd", 5)
  local pl = control.plant("lag")
  raises("plant:step: u must be a finite number, got nan", pl.step, pl, 0 / 0)
  raises("plant:simulate: us (the inputs)[2] must be a finite number, got the string \"a\"", pl.simulate, pl, {1, "a"})
  raises("control.steps: the options must be a table, got 5", control.steps, 5)
  raises("control.prbs: n must be a whole number from 1 to 1000000, got nan", control.prbs, {n = 0 / 0})
  raises("control.pid: dt must be a finite number > 0, got nil", control.pid, {kp = 1})
  raises("control.pid_step: the controller must be a controller (control.pid), got a table", control.pid_step, {}, 1, 0)
  raises("control.closed_loop: expected a plant (control.plant) or a learned model", control.closed_loop, 5, {kp = 1})
  raises("control.tune: kp[2] must be a finite number from 1 to 1000000000, got 0.5", control.tune, pl, {kp = {1, 0.5}})
  raises("control.metrics: response.y[2] must be a number, got the string \"a\"", control.metrics, {t = {1, 2}, r = {1, 1}, y = {1, "a"}})
  raises("control.view: responses must have a plant or a model response", control.view, {})
  local c = control.pid{kp = 1, dt = 0.1}
  assert(control.pid_step(c, 1, 0) == 1 and #pl:simulate{1, 1, 1} == 3, "valid control calls still work")

  raises("faults.series: windows must be a whole number from 1 to 100000, got nan", faults.series, {windows = 0 / 0})
  raises("faults.windows: expected a series from faults.series", faults.windows, {})
  raises("faults.roc: positive must be a list of 2 booleans, one a score, got 5", faults.roc, {1, 2}, 5)
  raises("faults.roc: scores[2] must be a finite number, got nan", faults.roc, {1, 0 / 0}, {true, false})
  raises("faults.threshold: q must be a finite number from 0 to 1, got 2", faults.threshold, {1, 2}, {true, true}, 2)
  raises("faults.recon_scores: the autoencoder must be a model", faults.recon_scores, 5, data.xor{n = 8})
  raises("faults.is_fault: d must be a data set, got nil", faults.is_fault)
  raises("faults.alarm_view: the threshold must be a finite number, got nil", faults.alarm_view,
    faults.series{windows = 4, window = 8}, {0, 0, 0, 0})
  local _, auc = faults.roc({0.9, 0.1}, {true, false})
  assert(auc == 1 and faults.threshold({1, 2, 3}, {true, true, false}, 0.5) == 1, "valid fault calls still work")
end

-- the campaign after issues 15 and 18: text.sample/generate/greedy/beam indexed options
-- that were not tables (text_decode.lua:63, 100, 119, 143); text.entities and
-- text.task multiplied a seed that was not a number (text.lua:52); m.input_shape(5)
-- indexed a number (nn_train.lua:472); nn.load_params on a folder read nothing and
-- indexed nil (nn_train.lua:1082); r:show(5) indexed its options (race.lua:797)
do
  local step = function(state, _) return {0, 1}, state end
  raises("sample: the options must be a table like {temperature = 1}, got 5", text.sample, {0, 1}, 5)
  raises("generate: the options must be a table like {temperature = 1}, got the string \"x\"", text.generate, step, "x")
  raises("greedy: the options must be a table like {max_len = 50}, got true", text.greedy, step, true)
  raises("beam: the options must be a table like {width = 3}, got 3", text.beam, step, 3)
  assert(#text.greedy(step, {max_len = 3}) == 3, "greedy with options still decodes")
  raises("text.entities: seed must be a whole number, got the string \"a\"", text.entities, {n = 2, seed = "a"})
  raises("text.task: seed must be a whole number, got 0.5", text.task, "reverse", {n = 2, seed = 0.5})
  assert(#text.entities{n = 2, seed = 3}.sentences == 2, "a whole seed still works")
  local m = nn.sequential{nn.linear(2, 1)}
  raises("m:input_shape: call it on a model with a colon", m.input_shape, 5)
  local ok, why = nn.load_params(m, os.getenv("TMPDIR") or "/tmp")
  assert(ok == nil and why:find("not a readable file", 1, true), "a folder is no parameter file: " .. tostring(why))
  local rr = race{surface = "bowl", optimizers = {"gd"}, show = false}
  raises("r:show: options must be a table like {play = false}, got number", rr.show, rr, 5)
end

print("fuzz regressions: ok")
