-- lessonlib_00_03.lua: the plumbing of lessons 00 to 03, kept out of the code the
-- lessons print. A lesson's show step takes what it needs with one line,
-- `perceptron_live = require("lessonlib_00_03").perceptron_live`, so that the
-- student reads the idea at the prompt and can open this file for the rest.
-- Nothing here leaves names in the user's globals.
local lib = {}

---------------------------------------------------------------------------------
-- Lesson 01: a perceptron trained live in a plot window
---------------------------------------------------------------------------------

-- Trains a perceptron (w = (0, 0), b = 0) on examples ({x = {x1, x2}, t = 0|1}
-- each) with the student's predict(w, b, x) and update(w, b, x, t, eta), one example
-- at a time, redrawing w·x + b, its zero line and the examples after each update.
-- A click adds an example with t = 1, a right click one with t = 0; at the prompt
-- the job then waits for new points until the window closes. Headless (no
-- interactive prompt) it trains to the end before returning. Returns the job and
-- the plot.
function lib.perceptron_live(examples, eta, predict, update, max_epochs)
  assert(type(examples) == "table", "perceptron_live: examples must be a table of {x = {x1, x2}, t = 0 or 1}")
  assert(type(predict) == "function" and type(update) == "function",
    "perceptron_live(examples, eta, predict, update): give it your predict and update functions")
  local now = require("repl.core").now
  local box = { xmin = -0.5, xmax = 1.5, ymin = -0.5, ymax = 1.5, n = 50 }
  local w, b = {0, 0}, 0
  local p = plot.field{title = "perceptron", xmin = box.xmin, xmax = box.xmax, ymin = box.ymin,
    ymax = box.ymax, n = 2, f = function() return 0 end, levels = {0}}
  local function draw(current, text)
    p:update{f = function(x1, x2) return w[1] * x1 + w[2] * x2 + b end, xmin = box.xmin,
      xmax = box.xmax, ymin = box.ymin, ymax = box.ymax, n = box.n}
    p:clear()
    local xs, ys, cs = {}, {}, {}
    for i, e in ipairs(examples) do xs[i], ys[i], cs[i] = e.x[1], e.x[2], e.t + 1 end
    p:points(xs, ys, cs)
    if current then p:points({current.x[1]}, {current.x[2]}, {current.t + 1}, true) end
    p:label("title", text)
  end
  p:on_click(function(x1, x2, button)
    examples[#examples + 1] = { x = {x1, x2}, t = button == 1 and 1 or 0 }
  end)
  local live = repl.interactive
  local function pause_for(seconds)
    if not live then return end
    local t_end = now() + seconds
    repeat coroutine.yield() until now() >= t_end
  end
  local job = spawn(function()
    local epoch = 0
    while epoch < (max_epochs or 100) do
      epoch = epoch + 1
      local mistakes = 0
      for k = 1, #examples do
        local e = examples[k]
        local y = predict(w, b, e.x)
        if y ~= e.t then mistakes = mistakes + 1 end
        w, b = update(w, b, e.x, e.t, eta)
        draw(e, ("epoch %d: x = (%.2f, %.2f), t = %d, y = %d   w = (%.2f, %.2f), b = %.2f")
          :format(epoch, e.x[1], e.x[2], e.t, y, w[1], w[2], b))
        pause_for(0.25)
      end
      if mistakes == 0 then
        draw(nil, ("learned in %d epochs: w = (%.2f, %.2f), b = %.2f; click to add points"):format(epoch, w[1], w[2], b))
        if not live then break end
        local seen = #examples -- wait for a new point, or for the window to close
        while #examples == seen do
          if not p:window():is_open() then return end
          coroutine.yield()
        end
      end
    end
  end, "perceptron_live")
  if not live then wait(job) end
  return job, p
end

---------------------------------------------------------------------------------
-- Lesson 02: pictures of f's graph and of the 3-3-2 net; the BPN trained on XOR
---------------------------------------------------------------------------------

-- The computational graph of f(x) = 2·sin(x²) + √(5x), one box per primitive
-- function (f1 add, f2 square, f3 square root, f4 sin, f5 multiply).
function lib.f_graph_plot(opts)
  opts = opts or {}
  return plot.graph{
    title = opts.title or "f(x) = 2·sin(x²) + √(5x) as a graph", show = opts.show,
    nodes = {
      {label = "x", style = "data"}, {label = "2", style = "data"}, {label = "5", style = "data"},
      "f2: square\na = x²", "f4: sin\nb = sin a", "f5: multiply\nc = 2·b",
      "f5: multiply\nd = 5·x", "f3: sqrt\ne = √d", "f1: add\nf = c + e",
    },
    edges = { {1, 4}, {4, 5}, {2, 6}, {5, 6}, {3, 7}, {1, 7}, {7, 8}, {6, 9}, {8, 9} },
  }
end

-- The course's 3-3-2 network (Fig. 1.3.1) drawn with the weights v[i][j] (input i
-- to hidden j) and w[j][k] (hidden j to output k): edge colour and width by weight.
function lib.network_332_plot(v, w, opts)
  opts = opts or {}
  return plot.network{sizes = {3, 3, 2}, weights = {v, w}, show = opts.show,
    title = opts.title or "the 3-3-2 net: x₁..x₃ → Z₁..Z₃ → y₁, y₂ (edges by weight)"}
end

local function sigmoid(s) return 1 / (1 + math.exp(-s)) end

local XOR = { {x = {0, 0}, t = 0}, {x = {0, 1}, t = 1}, {x = {1, 0}, t = 1}, {x = {1, 1}, t = 0} }

-- The textbook's BPN algorithm (phases I to III for each pattern, an update after
-- each) on XOR with a 2-2-1 sigmoid net. opts: seed (the small random starting
-- weights are uniform in [−0.5, 0.5), drawn from a generator of its own so that
-- nn's random numbers are left alone), eta, tolerance (stop when E = Σ ½(t − y)²
-- over the four patterns falls below it), max_epochs, init (a number: every
-- weight starts at it, to show why the textbook wants them random). Returns the
-- epochs it took (nil when it hit max_epochs), the final E, and the hidden
-- weights v (v[i][j], input i to hidden j).
function lib.bpn_xor(opts)
  local state = opts.seed or 1
  local function rand()
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  end
  local function init() return opts.init or (rand() - 0.5) end
  local eta, hidden = opts.eta or 0.5, 2
  local v, v0, w, w0 = { {}, {} }, {}, {}, init()
  for i = 1, 2 do for j = 1, hidden do v[i][j] = init() end end
  for j = 1, hidden do v0[j], w[j] = init(), init() end
  local E
  for epoch = 1, opts.max_epochs or 5000 do
    E = 0
    for _, p in ipairs(XOR) do
      local z, y_in = {}, w0
      for j = 1, hidden do
        z[j] = sigmoid(v0[j] + p.x[1] * v[1][j] + p.x[2] * v[2][j])
        y_in = y_in + z[j] * w[j]
      end
      local y = sigmoid(y_in)
      E = E + 0.5 * (p.t - y) ^ 2
      local delta_k = (p.t - y) * y * (1 - y)
      for j = 1, hidden do
        local delta_j = delta_k * w[j] * z[j] * (1 - z[j]) -- with the old w[j]
        w[j] = w[j] + eta * delta_k * z[j]
        v[1][j] = v[1][j] + eta * delta_j * p.x[1]
        v[2][j] = v[2][j] + eta * delta_j * p.x[2]
        v0[j] = v0[j] + eta * delta_j
      end
      w0 = w0 + eta * delta_k
    end
    if E < (opts.tolerance or 0.01) then return epoch, E, v end
  end
  return nil, E, v
end

---------------------------------------------------------------------------------
-- Lesson 03: the backward signal through a deep net, layer by layer
---------------------------------------------------------------------------------

-- A net of 10 layers of width 128 (or width) with activation act ("sigmoid", "tanh" or
-- "relu") and weights from the initialiser init ("xavier_normal", "he_normal",
-- ...), biases zero, fed one random batch of 64 (nn.seed(seed), 7 by default), the
-- loss mean(output²). Returns, for layers 1 to 10, the norm of ∂L/∂h_k, the
-- gradient arriving at layer k's output: the backward signal that backpropagation
-- multiplies by f′ and a weight matrix at every layer on its way down. It is
-- computed with the same phases as lesson 02's by hand: δ = (δ from above)·Wᵀ ⊙ f′.
function lib.backward_signal(act, init, seed, width)
  assert(act == "sigmoid" or act == "tanh" or act == "relu",
    "backward_signal: act must be \"sigmoid\", \"tanh\" or \"relu\", got " .. tostring(act))
  width = width or 128
  nn.seed(seed or 7)
  local layers = {}
  for k = 1, 10 do layers[k] = nn.linear(width, width, {init = init}) end
  local last = nn.linear(width, 1, {init = init})
  local h, z = { [0] = nn.randn{64, width} }, {}
  for k = 1, 10 do
    z[k] = layers[k]:forward(h[k - 1])
    h[k] = nn[act]()(z[k])
  end
  local out = last:forward(h[10])
  local dh = (out * (2 / 64)):matmul(last:param(1):t()) -- ∂L/∂h10
  local norms = {}
  for k = 10, 1, -1 do
    norms[k] = math.sqrt((dh * dh):sum():item())
    local fprime
    if act == "relu" then
      fprime = nn.step(z[k])
    elseif act == "sigmoid" then
      local s = z[k]:sigmoid(); fprime = s * (1 - s)
    else
      local t = z[k]:tanh(); fprime = 1 - t * t
    end
    dh = (dh * fprime):matmul(layers[k]:param(1):t()) -- ∂L/∂h(k−1)
  end
  return norms
end

return lib
