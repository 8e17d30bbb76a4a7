-- test_seq.lua: the sequence layers from Lua: the IMDB model of the course notes with
-- its summary's parameter counts (embedding 160,000, LSTM 53,200, dense 101), the
-- options and their refusals, save/load of each kind, the gate and gradient-norm
-- views, and a long-dependency task on which the LSTM beats the vanilla RNN (seeded).
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end

-- the course's IMDB model and its summary
local m = nn.sequential{nn.embedding(5000, 32), nn.lstm(32, 100), nn.linear(100, 1), nn.sigmoid()}
local lines = {}
local print0 = print
print = function(...) lines[#lines + 1] = table.concat({...}, " ") end
m:summary()
print = print0
local text = table.concat(lines, "\n")
assert(text:find("160,000", 1, true) and text:find("53,200", 1, true) and text:find("213,301", 1, true), text)
assert(m:nparams() == 213301)
-- a sequence of any length: the steps' axis is None, as Keras prints it
assert(text:find("embedding%s+%(None, None, 32%)%s+160,000") and text:find("lstm%s+%(None, 100%)"), text)
local all = nn.sequential{nn.embedding(27, 16), nn.lstm(16, 64, {output = "all"}), nn.linear(64, 27)}
local compact = tostring(all:summary{print = false})
assert(compact:find("lstm%s+%(None, None, 64%)") and compact:find("linear%s+%(None, None, 27%)"), compact)
compact = all:summary{12, print = false}
assert(compact:find("linear%s+%(None, 12, 27%)"), compact)
-- a layer that needs the length: unknown ("?"), not a made-up number
compact = nn.sequential{nn.embedding(27, 16), nn.flatten(), nn.linear(16, 3)}:summary{print = false}
assert(compact:find("flatten%s+%(None, %?%)") and not compact:find("1000"), compact)
assert(compact:find("? depends on the input's size: m:input_shape{steps} sets it", 1, true), compact)
assert(not all:summary{print = false}:find("depends on", 1, true), "no hint when every size is known")
local cnn = nn.sequential{nn.conv2d(1, 6, 5), nn.flatten(), nn.linear(6 * 24 * 24, 10)}
assert(tostring(cnn):find("m:input_shape{channels, height, width} sets it", 1, true), tostring(cnn))
cnn:input_shape{1, 28, 28}
assert(tostring(cnn):find("conv2d%s+%(None, 6, 24, 24%)") and not tostring(cnn):find("?", 1, true), tostring(cnn))
assert(tostring(nn.embedding(5, 3)) == "embedding (15 parameters)", tostring(nn.embedding(5, 3)))
assert(nn.gru(32, 100):nparams() == 3 * 100 * (32 + 100 + 1))
assert(nn.rnn(32, 100):nparams() == 100 * (32 + 100 + 1))
assert(nn.lstm(32, 100, {bidirectional = true, layers = 2}):nparams() == 2 * 53200 + 2 * 4 * 100 * (200 + 101))

-- shapes: last and all steps, bidirectional
nn.seed(1)
local x = nn.randn{2, 7, 3}
assert(table.concat(nn.gru(3, 4):predict(x):shape(), " ") == "2 4")
assert(table.concat(nn.lstm(3, 4, {output = "all", bidirectional = true}):predict(x):shape(), " ") == "2 7 8")
-- the graph at the prompt (autograd) gives the kernels' values
local r = nn.rnn(3, 5, {output = "all"})
local a, b = r(x), r:predict(x)
assert(((a - b):abs():max()):item() < 1e-6)

-- refusals name the problem
fails("unknown option 'activation'", nn.lstm, 3, 4, {activation = "relu"})
fails('output must be "last" or "all"', nn.rnn, 3, 4, {output = "every"})
fails('activation must be "tanh" or "relu"', nn.rnn, 3, 4, {activation = "sigmoid"})
fails("units must be a whole number >= 1", nn.gru, 3, 0)
fails("expects [batch, T, 3], got [batch, 5]", function() return nn.lstm(3, 4):predict(nn.randn{2, 5}) end)
fails("is not a whole number in 0..9", function() return nn.embedding(10, 2):predict(nn.tensor{{1, 12}}) end)
fails("expected a model with an rnn, lstm or gru layer", nn.trace, nn.sequential{nn.linear(2, 2)}, "h")
fails("has no 'r'", function() local l = nn.lstm(1, 2); l:predict(nn.randn{1, 3, 1}); return nn.trace(l, "r") end)

-- save and load each kind, options and padding included
local path = os.tmpname()
for _, k in ipairs{"rnn", "lstm", "gru"} do
  nn.seed(2)
  local s = nn.sequential{nn.embedding(9, 3, {padding = 0}), nn[k](3, 4, {mask = true, bidirectional = true, layers = 2}), nn.linear(8, 2)}
  local ids = nn.tensor{{0, 0, 3, 4, 8}, {1, 2, 0, 0, 0}}
  local want = s:predict(ids)
  nn.save(s, path)
  local l = nn.load(path)
  assert(((l:predict(ids) - want):abs():max()):item() == 0, k)
  assert(l:nparams() == s:nparams())
end
os.remove(path)

-- masking through the embedding: pre-padding does not change the last real step
local s = nn.sequential{nn.embedding(9, 3, {padding = 0}), nn.lstm(3, 4, {mask = true})}
local short, padded = s:predict(nn.tensor{{5, 6, 7}}), s:predict(nn.tensor{{0, 0, 5, 6, 7}})
assert(((short - padded):abs():max()):item() < 1e-6)

-- the views: the gates of an LSTM as six maps, gradient norms after a step
nn.seed(4)
local tr = data.from(nn.randn{32, 10, 1}, nn.randn{32, 1})
local g = nn.sequential{nn.lstm(1, 6), nn.linear(6, 1)}
g:fit{tr, loss = nn.mse, epochs = 1, batch = 32, verbose = false}
local norms = nn.grad_norms(g)
assert(#norms == 10 and norms[10] > 0)
local p = plot.gates(g, nn.randn{1, 10, 1}, {show = false})
local png = os.tmpname() .. ".png"
p:save(png)
assert(io.open(png, "rb"), "gates view saved")
os.remove(png)
assert(nn.trace(g, "c"):shape()[1] == 10 and nn.trace(g, "c"):shape()[2] == 6)
plot.grad_norms(g, {show = false})

-- long dependency: the label is the sign of the first of 40 steps, the rest noise; with
-- one seed the LSTM learns it and the vanilla RNN stays near chance
local function task(n, T, seed)
  nn.seed(seed)
  local v, y = nn.randn{n, T, 1}:totable(), {}
  for i = 1, n do
    y[i] = {v[i][1][1] > 0 and 1 or 0}
    v[i][1][1] = y[i][1] == 1 and 1 or -1
  end
  return data.from(nn.tensor(v), nn.tensor(y), {classes = 2})
end
local train, test = task(512, 40, 1), task(256, 40, 2)
local acc = {}
for _, k in ipairs{"rnn", "lstm"} do
  nn.seed(3)
  local net = nn.sequential{nn[k](1, 16), nn.linear(16, 1)}
  net:fit{train, loss = nn.bce, optimizer = optim.adam(net, {lr = 0.01}), epochs = 20, batch = 32, verbose = false}
  acc[k] = net:evaluate(test, nn.bce).accuracy
end
print(("long dependency (40 steps): rnn %.3f, lstm %.3f"):format(acc.rnn, acc.lstm))
assert(acc.lstm > 0.95 and acc.rnn < 0.7, "LSTM should beat the RNN")
