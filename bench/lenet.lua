-- lenet.lua: nnlab's side of the LeNet-5 workload (bench/lenet.sh, issue 13): conv 6@5x5
-- pad 2, ReLU, max pool 2, conv 16@5x5, ReLU, max pool 2, flatten, 120, ReLU, 84, ReLU,
-- 10 on Fashion-MNIST's 60000 training images as [n, 1, 28, 28], He-uniform conv and
-- Xavier-uniform linear weights with zero biases (nnlab's defaults, which lenet.py copies),
-- batch 64, SGD lr 0.01 momentum 0.9, cross-entropy, shuffled epochs, through m:fit.
--   nnlab bench/lenet.lua time ROUNDS [LIMIT]: after 100 warm-up steps on a model thrown
--     away, the best wall time of ROUNDS one-epoch fits, each of a new model (LIMIT images);
--   nnlab bench/lenet.lua accuracy EPOCHS [SEEDS]: the test accuracy after EPOCHS epochs,
--     the mean over seeds 1..SEEDS (default 3), each seed's figure on a comment line: one
--     seed's accuracy after 3 epochs moves by about a point, more than the target allows.
--   nnlab bench/lenet.lua same EPOCHS SEED FILE: as accuracy for one seed, and writes to
--     FILE the initial weights and each epoch's order of the training rows (0-based), so
--     that lenet.py same trains from the same weights on the same batches: the step is
--     the same on both sides (losses equal to float rounding), so the two accuracies
--     differ by float rounding only, where the seeds' figures differ by their draws.
-- OPENBLAS_NUM_THREADS sets the threads.
local mode, count, limit = arg and arg[1] or "time", tonumber(arg and arg[2]) or 1, tonumber(arg and arg[3])
local now = require("repl.core").now

local function lenet()
  return nn.sequential{
    nn.conv2d(1, 6, 5, {padding = 2}), nn.relu(), nn.maxpool2d(2),
    nn.conv2d(6, 16, 5), nn.relu(), nn.maxpool2d(2), nn.flatten(),
    nn.linear(400, 120), nn.relu(), nn.linear(120, 84), nn.relu(), nn.linear(84, 10)}
end

local function fit(m, d, epochs)
  local opt = optim.sgd(m, {lr = 0.01, momentum = 0.9})
  m:fit{d, epochs = epochs, batch = 64, optimizer = opt, verbose = false}
end

nn.seed(1)
if mode == "time" then
  local train = data.fashion_mnist{split = "train", limit = limit, shape = "image"}
  fit(lenet(), data.fashion_mnist{split = "train", limit = math.min(limit or 6400, 6400), shape = "image"}, 1) -- warm-up: 100 steps
  local best = math.huge
  for _ = 1, count do
    local m = lenet()
    local t0 = now()
    fit(m, train, 1)
    best = math.min(best, now() - t0)
  end
  print(("nnlab lenet epoch_s %.3f"):format(best))
  print(("# nnlab lenet: %d images, best of %d epochs"):format(#train, count))
elseif mode == "accuracy" then
  local train, test = data.fashion_mnist{shape = "image"}
  local seeds, sum = math.tointeger(tonumber(arg[3])) or 3, 0
  for seed = 1, seeds do
    nn.seed(seed)
    local m = lenet()
    fit(m, train, count)
    local acc = m:evaluate(test).accuracy
    print(("# nnlab lenet seed %d test_acc %.4f"):format(seed, acc))
    sum = sum + acc
  end
  print(("nnlab lenet test_acc %.4f"):format(sum / seeds))
elseif mode == "same" then
  local seed, path = math.tointeger(tonumber(arg[3])), arg[4]
  if not (seed and path) then error("usage: nnlab bench/lenet.lua same EPOCHS SEED FILE") end
  local train, test = data.fashion_mnist{shape = "image"}
  local n = #train
  local rows = data.from(nn.arange(n):reshape(n, 1), nn.zeros(n, 1)) -- row numbers, shuffled alike
  nn.seed(seed)
  local m = lenet()
  local f = assert(io.open(path, "w"))
  local function write(tag, values)
    local s = {}
    for i = 1, #values do s[i] = ("%.9g"):format(values[i]) end
    f:write(tag, " ", #values, "\n", table.concat(s, " "), "\n")
  end
  local function flat(t, out)
    if type(t) ~= "table" then out[#out + 1] = t; return out end
    for _, v in ipairs(t) do flat(v, out) end
    return out
  end
  -- linear weights are [in, out] here, [out, in] in PyTorch: lenet.py transposes them
  for i, p in ipairs(m:parameters()) do write("param" .. i, flat(p:totable(), {})) end
  local opt = optim.sgd(m, {lr = 0.01, momentum = 0.9})
  for e = 1, count do
    -- one Fisher-Yates permutation (the engine's generator) applied to both sets
    nn.seed(1000 * seed + e); rows:shuffle()
    nn.seed(1000 * seed + e); train:shuffle()
    write("order" .. e, flat(rows:x():totable(), {}))
    local run = m:fit{train, epochs = 1, batch = 64, optimizer = opt, shuffle = false, verbose = false}
    print(("# nnlab lenet same epoch %d loss %.6f"):format(e, run.history.loss[1]))
  end
  f:close()
  print(("nnlab lenet same seed %d test_acc %.4f"):format(seed, m:evaluate(test).accuracy))
else
  error("usage: nnlab bench/lenet.lua time ROUNDS [LIMIT] | accuracy EPOCHS [SEEDS] | same EPOCHS SEED FILE")
end
