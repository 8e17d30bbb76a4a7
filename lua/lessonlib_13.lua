-- lessonlib_13.lua: the plumbing of lesson 13 (residual networks), kept out of the
-- code the lesson prints: the deep sigmoid net with and without skip connections,
-- the gradient norm of each linear layer's weights on one batch, training both, and
-- the plots. tests/lua/test_lessons_13.lua asserts the claims of the lesson's text
-- with the same settings and seeds.
local lib = {}

lib.width, lib.blocks = 32, 10 -- 10 blocks of two linear layers: 22 linear layers in all

-- The spiral of three arms (600 points, 30% held out), the same every time.
function lib.spiral()
  nn.seed(7)
  return data.spiral{n = 600, classes = 3, noise = 0.1, test = 0.3}
end

-- The deep net: linear(2, w), then `blocks` blocks f(x) = linear(sigmoid(linear(
-- sigmoid(x)))), each added to its input when skip (x + f(x)), then linear(w, 3).
-- Seeded, so that both nets start from the same weights.
function lib.deep_net(skip, opts)
  opts = opts or {}
  local w, blocks = opts.width or lib.width, opts.blocks or lib.blocks
  nn.seed(opts.seed or 1)
  local layers = {nn.linear(2, w)}
  for _ = 1, blocks do
    local f = nn.sequential{nn.sigmoid(), nn.linear(w, w), nn.sigmoid(), nn.linear(w, w)}
    layers[#layers + 1] = skip and nn.residual(f) or f
  end
  layers[#layers + 1] = nn.linear(w, 3)
  return nn.sequential(layers)
end

-- The norm of d(loss)/dW of each linear layer (input first) for the first 128 rows
-- of set, with the cross-entropy loss: one forward and backward through autograd.
function lib.grad_norms(m, set)
  local n = math.min(128, set:x().shape[1])
  m:zero_grad()
  local loss = nn.cross_entropy(m:forward(set:x():rows(1, n)), set:y():rows(1, n))
  loss:backward()
  local norms = {}
  for _, p in ipairs(m:parameters()) do
    if #p.shape == 2 then norms[#norms + 1] = p.grad:pow(2):sum():sqrt():item() end
  end
  m:zero_grad()
  return norms
end

-- Trains m with momentum (lr 0.02, 0.9, batch 32) for `epochs`; the run.
function lib.train(m, train, test, epochs)
  nn.seed(3)
  return m:fit{train, validation = test, epochs = epochs or 40, batch = 32,
    optimizer = optim.momentum(m, {lr = 0.02}), wait = true, verbose = false}
end

-- One plot of the gradient norms per layer, log scale, a line per net.
function lib.plot_norms(series, opts)
  opts = opts or {}
  local p = plot.lines{title = "gradient norm of each layer's weights, one batch", xlabel = "layer (input first)",
    ylabel = "|dL/dW|", ylog = true, show = opts.show}
  for _, s in ipairs(series) do
    local xs = {}
    for i = 1, #s[2] do xs[i] = i end
    p:add(s[1], xs, s[2])
  end
  return p
end

-- One plot of the training loss per epoch of the runs ({name, run}).
function lib.plot_loss(runs, opts)
  opts = opts or {}
  local p = plot.lines{title = "training loss per epoch", xlabel = "epoch", ylabel = "loss", show = opts.show}
  for _, r in ipairs(runs) do
    local xs = {}
    for e = 1, #r[2].history.loss do xs[e] = e end
    p:add(r[1], xs, r[2].history.loss)
  end
  return p
end

return lib
