-- test_options.lua: the one checker of option tables (lua/options.lua): unknown
-- names are refused with the nearest one and the list, a non-table is refused
-- naming the function, positional entries are counted, and the completion finds
-- the option names of the call whose braces the cursor is in.
local options = require "options"

local function raises(f, want, what)
  local ok, err = pcall(f)
  assert(not ok, what .. ": expected an error")
  assert(tostring(err):find(want, 1, true), ("%s: expected %q in %q"):format(what, want, tostring(err)))
  return err
end

options.declare("demo.fit", { "epochs", "batch", "optimizer", "loss" }, 1)
local function fit(opts) return options.check("demo.fit", opts) end

-- the good cases pass the table through
local t = { "train", epochs = 3, batch = 8 }
assert(fit(t) == t, "a good table comes back")
assert(next(fit(nil)) == nil, "nil reads as no options")

-- a typo names the nearest option and what the function takes
raises(function() fit{ epoch = 5 } end,
  "demo.fit: unknown option 'epoch'; did you mean 'epochs'? (it takes batch, epochs, loss, optimizer)",
  "a typo")
raises(function() fit{ zzzzz = 1 } end, "demo.fit: unknown option 'zzzzz' (it takes", "nothing near")
-- the error points at the caller's line, not at options.lua or fit
local err = raises(function() fit{ epoch = 5 } end, "unknown option", "position")
assert(not tostring(err):find("options.lua", 1, true), "no internal file in " .. tostring(err))

-- not a table, or too many positional entries
raises(function() fit(42) end, "demo.fit: expected a table of options {batch = ...}, got number", "a number")
raises(function() fit{ "a", "b" } end, "demo.fit: unexpected entry [2] in the options (it takes 1 before the named ones)",
  "two positional")
options.declare("demo.plot", { "title" })
raises(function() options.check("demo.plot", { "x" }) end, "it takes only named ones", "positional where none")

-- completion inside the braces of a call
local function same(a, b) return table.concat(a, ",") == table.concat(b, ",") end
assert(same(options.complete("demo.fit{"), { "batch", "epochs", "loss", "optimizer" }), "after the brace")
assert(same(options.complete("demo.fit{train, epochs = 3, "), { "batch", "epochs", "loss", "optimizer" }),
  "after a comma")
assert(#options.complete("demo.fit{epochs = ") == 0, "a value position completes no option")
assert(#options.complete("demo.fit{title = 'a, ") == 0, "inside a string")
assert(#options.complete("demo.fit{epochs = 3}; x = {") == 0, "a closed call")
assert(same(options.complete("demo.plot(x, {"), { "title" }), "f(x, {...})")
assert(#options.complete("nosuch{") == 0, "a function that declares nothing")
options.declare("module:demo", { "patience" })
m = nn.linear(2, 1)
assert(same(options.complete("m:demo{"), { "patience" }), "a method of an object: " .. table.concat(options.complete("m:demo{"), ","))
m = nil
-- Every module's functions that take options go through the checker: a typo is
-- refused with the nearest name, naming the function.
local model = nn.sequential{ nn.linear(2, 4), nn.tanh(), nn.linear(4, 1) }
local set = data.spiral{ n = 20, seed = 1 }
local panel = plot.lines{ show = false }
local typos = {
  { "nn.linear: unknown option 'inti'; did you mean 'init'?", function() nn.linear(2, 3, { inti = "he_normal" }) end },
  { "nn.sigmoid: unknown option 'slop'; did you mean 'slope'?", function() nn.sigmoid{ slop = 2 } end },
  { "nn.batchnorm: unknown option 'momentun'; did you mean 'momentum'?", function() nn.batchnorm(3, { momentun = 0.1 }) end },
  { "nn.prelu: unknown option 'inits'; did you mean 'init'?", function() nn.prelu(3, { inits = 0.1 }) end },
  { "fit: unknown option 'epoch'; did you mean 'epochs'?", function() model:fit{ set, epoch = 5 } end },
  { "m:summary: unknown option 'inputz'; did you mean 'inputs'?", function() model:summary{ inputz = 2 } end },
  { "optim.sgd: unknown option 'lrr'; did you mean 'lr'?", function() optim.sgd(model, { lrr = 0.1 }) end },
  { "optim.adam: unknown option 'beta_1'; did you mean 'beta1'?", function() optim.new("adam", model, { beta_1 = 0.9 }) end },
  { "plot.lines: unknown option 'titel'; did you mean 'title'?", function() plot.lines{ titel = "x", show = false } end },
  { "plot.field: unknown option 'xmn'; did you mean 'xmin'?", function() plot.field{ xmn = 0, show = false } end },
  { "p:update (a lines plot): unknown option 'ylable'; did you mean 'ylabel'?", function() panel:update{ ylable = "y" } end },
  { "plot.window: unknown option 'colls'; did you mean 'cols'?", function() plot.window{ panel, colls = 2, show = false } end },
  { "plot.decision: unknown option 'tittle'; did you mean 'title'?", function() plot.decision(model, set, { tittle = "x" }) end },
  { "plot.confusion: unknown option 'labals'; did you mean 'labels'?", function() plot.confusion(nil, { labals = {} }) end },
  { "race: unknown option 'surfce'; did you mean 'surface'?", function() race{ surfce = "bowl", show = false } end },
  { "playground: unknown option 'hiden'; did you mean 'hidden'?", function() playground{ hiden = { 2 } } end },
  { "plot.defaults: unknown option 'projecter'; did you mean 'projector'?", function() plot.defaults{ projecter = true } end },
  { "data.spiral: unknown option 'nosie'; did you mean 'noise'?", function() data.spiral{ nosie = 0.1 } end },
  { "data.csv: unknown option 'lable'; did you mean 'label'?", function() data.csv("x.csv", { lable = "y" }) end },
  { "experiment: unknown option 'bse'; did you mean 'base'?", function() experiment{ bse = {} } end },
  { "nn.conv2d: unknown option 'pading'; did you mean 'padding'?", function() nn.conv2d(1, 6, 5, { pading = 2 }) end },
  { "nn.batchnorm2d: unknown option 'momentun'; did you mean 'momentum'?", function() nn.batchnorm2d(4, { momentun = 0.1 }) end },
  { "nn.rbm: unknown option 'gausian'; did you mean 'gaussian'?", function() nn.rbm(4, 3, { gausian = true }) end },
  { "m:fit: unknown option 'epoch'; did you mean 'epochs'?", function() ae.new{ sizes = { 4, 2 } }:fit{ nn.rand(8, 4), epoch = 3 } end },
  { "conv: unknown option 'kernal'; did you mean 'kernel'?", function() conv{ image = "edge6", kernal = "sobel_x" } end },
  { 'conv: no built-in kernel "sobelx"; did you mean "sobel_x"?', function() conv{ image = "edge6", kernel = "sobelx", show = false } end },
  { 'conv: no built-in kernel "vertical"; did you mean "vertical_edge"?', function() conv{ image = "edge6", kernel = "vertical", show = false } end },
  { "data.fashion_mnist: unknown option 'n': limit = 2000 takes the first 2000 images", function() data.fashion_mnist{ n = 2000 } end },
}
for _, case in ipairs(typos) do
  local e = raises(case[2], case[1], case[1])
  assert(e:match("^[^:]*test_options%.lua:%d+: "), "the position is the caller's, not lua/'s: " .. e)
end

-- Not a table, or a wrong kind of argument: an error naming the function and the
-- argument, never Lua's own "attempt to index" from inside lua/.
local wrong = {
  { "plot.lines: expected a table of options", function() plot.lines(5) end },
  { "plot.surface: expected a table of options", function() plot.surface("x") end },
  { "p:update: expected a table of options {title = ...}, got number", function() panel:update(3) end },
  { "p:update: call it on a plot with a colon", function() panel.update{ title = "x" } end },
  { "plot.window: expected the panels to group", function() plot.window(7) end },
  { "plot.graph: expected a table of options", function() plot.graph(nn.tensor{ 1 }, 4) end },
  { "optim.new: kind must be an optimizer's name", function() optim.new(5, model) end },
  { "optim.new: kind must be an optimizer's name (gd, sgd", function() optim.new({}, model) end },
  { "did you mean 'adam'?", function() optim.new("adan", model) end },
  { "optim.sgd: expected a table of options", function() optim.sgd(model, "fast") end },
  { "nn.batchnorm: expected a table of options", function() nn.batchnorm(4, 5) end },
  { "nn.linear: expected a table of options", function() nn.linear(2, 3, "he") end },
  { "m:summary: inputs must be the input width", function() model:summary("x") end },
  { "evaluate: expected a model", function() nn.evaluate(5, set) end },
  { "playground: expected a table of options", function() playground(5) end },
  { "race: expected a table of options", function() race(5) end },
  { "race.new: expected a table of options", function() race.new() end },
  { "data.moons: expected a table of options like {n = 200", function() data.moons(3) end },
  { "plot.loss: expected a table of options", function() plot.loss(nil, 3) end },
  -- what a student tries first, told where it goes
  { "fit: unknown option 'lr': the optimizer's setting: optimizer = optim.adam(m, {lr = 0.01})",
    function() model:fit{ set, lr = 0.1 } end },
  { "fit: unknown option 'batch_size': the batch size is batch = 32", function() model:fit{ set, batch_size = 8 } end },
  { "fit: optimizer must be an optimizer of this model's parameters (optimizer = optim.adam(m, {lr = 0.01})), got 'adam'",
    function() model:fit{ set, optimizer = "adam" } end },
  { "optim.adam: expected the model first, then the settings: optim.adam(m, {lr = 0.01})",
    function() optim.adam{ lr = 0.01 } end },
}
for _, case in ipairs(wrong) do
  local e = raises(case[2], case[1], case[1])
  assert(not e:find("attempt to"), "Lua's own error: " .. e)
end

-- Every declared function refuses an unknown key: each is called with
-- {zzz_unknown = 1} (the check comes before any work), so a function that declares
-- its names but forgets to check them fails here.
local kinds = {}
for _, k in ipairs(require("viz.core").kinds) do kinds[k.name] = true end
local function call_with(fname, o)
  local kind = fname:match("^plot:update:(.+)$")
  if kind then
    local p = plot[kind](kind == "graph" and { nodes = { "a" }, show = false } or { show = false })
    return p:update(o)
  end
  if fname == "plot:update" then return panel:update(o) end
  local mod, name = fname:match("^(%a+)%.([%w_]+)$")
  if mod == "plot" and kinds[name] then
    if name == "graph" then return plot.graph(nn.tensor{ 1 }, o) end
    return plot[name](o)
  end
  if fname == "plot.defaults" then return plot.defaults(o) end
  if fname == "plot.window" then o[1] = panel; return plot.window(o) end
  if fname == "plot.network(model)" then return plot.network(model, o) end
  if fname == "plot.decision" or fname == "plot.samples" or fname == "plot.layers" then
    return plot[name](model, set, o)
  end
  if fname == "plot.probabilities" then return plot.probabilities(model, set, 1, o) end
  if fname == "plot.attention" then return plot.attention({ { 1 } }, { "a" }, { "b" }, o) end
  if fname == "plot.explain" or fname == "plot.saliency" then return plot[name](model, 1, o) end
  if fname == "plot.top_images" then return plot.top_images(model, set, o) end
  if fname == "plot.gates" then return plot.gates(model, nil, o) end
  if fname == "plot.lm_samples" then return plot.lm_samples(model, text.corpus("ab\n"), o) end
  if fname == "plot.states" then return plot.states(model, nil, o) end
  if mod == "plot" then return plot[name](nil, o) end -- plot.loss, plot.confusion, plot.lr_range
  if mod == "optim" then return optim[name](model, o) end
  if fname == "nn.linear" then return nn.linear(2, 3, o) end
  if fname == "nn.batchnorm" then return nn.batchnorm(3, o) end
  if fname == "nn.embedding" then return nn.embedding(10, 2, o) end
  if fname == "nn.rnn" or fname == "nn.lstm" or fname == "nn.gru" then return nn[name](2, 3, o) end
  if fname == "nn.trace" then return nn.trace(model, "h", o) end
  if fname == "nn.lr_range_test" then o[1], o[2] = model, set; return nn.lr_range_test(o) end
  if mod == "nn" then return nn[name](o) end
  if fname == "data.csv" then return data.csv("x.csv", o) end
  if fname == "data.text" then return data.text("x.txt", o) end
  if fname == "text.corpus" then return text.corpus("abc", o) end
  if fname == "corpus:windows" then return text.corpus("abcdef"):windows(2, o) end
  if fname == "text.task" then return text.task("reverse", o) end
  if fname == "text.word2vec" then return text.word2vec(text.corpus("a b", { level = "word" }), o) end
  if fname == "corpus:lines" then return text.corpus("ab\n"):lines(o) end
  if fname == "text.lm_sample" then return text.lm_sample(model, text.corpus("ab\n"), o) end
  if fname == "text.bits_per_char" then return text.bits_per_char(model, set, o) end
  if fname == "text.pairs_task" then return text.pairs_task({ { "a", "b" } }, o) end
  if fname == "seq2seq:fit" or fname == "seq2seq:translate" then
    local t = text.task("reverse", { n = 4, length = 2, symbols = 2 })
    local s2s = text.seq2seq{ task = t, embed = 2, hidden = 2 }
    if fname == "seq2seq:fit" then o[1] = t; return s2s:fit(o) end
    return s2s:translate("ab", o)
  end
  if mod == "text" then return text[name](o) end
  if fname == "data.idx" then return data.idx("a", "b", o) end
  if fname == "data.from" then return data.from(set:x(), set:y(), o) end
  if mod == "data" then return data[name](o) end
  if fname == "module:fit" then o[1] = set; return model:fit(o) end
  if fname == "module:summary" then return model:summary(o) end
  if fname == "race" then return race(o) end
  if fname == "race.new" then return race.new(o) end
  if fname == "playground" then return playground(o) end
  if fname == "experiment" then return experiment(o) end
  error("test_options: no way to call " .. fname .. " here; add one")
end
local walked = 0
for _, fname in ipairs(options.declared()) do
  if not fname:find("^demo") and fname ~= "module:demo" then
    local e = raises(function() call_with(fname, { zzz_unknown = 1 }) end, "unknown option 'zzz_unknown'", fname)
    assert(not e:find("attempt to"), fname .. ": " .. e)
    walked = walked + 1
  end
end
assert(walked > 60, "the walk called " .. walked .. " functions")
-- completion knows the names of the functions declared across the modules
local function has(list, name) for _, v in ipairs(list) do if v == name then return true end end return false end
assert(has(options.complete("plot.lines{"), "title"), "plot.lines{ completes title")
assert(has(options.complete("optim.sgd(m, {"), "momentum"), "optim.sgd(m, { completes momentum")
assert(has(options.complete("nn.linear(2, 3, {"), "init"), "nn.linear(2, 3, { completes init")
assert(has(options.complete("race{"), "surface"), "race{ completes surface")
panel_for_completion = panel
assert(has(options.complete("panel_for_completion:update{"), "ylabel"), "p:update{ completes ylabel")
panel_for_completion = nil
print(("options: %d declared functions refuse an unknown option"):format(walked))
print("options: ok")
