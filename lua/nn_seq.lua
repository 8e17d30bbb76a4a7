-- nn_seq.lua: sequence layers for the `nn` table (required by nn.lua): nn.embedding,
-- nn.rnn, nn.lstm, nn.gru (C modules of "nn.seq" that train in the C loop), the
-- readings of a recurrent layer (m:trace, nn.grad_norms) and their views,
-- plot.gates and plot.grad_norms, live while a model trains.
local S = require "nn.seq"
local util = require "util"
local options = require "options"

return function(nn)

local function ccall(f, ...)
  local r = table.pack(pcall(f, ...))
  if not r[1] then error(util.strip_position(r[2]), 3) end
  return table.unpack(r, 2, r.n)
end

local function whole(who, what, v, min)
  if math.type(v) ~= "integer" or v < min then
    error(("%s: %s must be a whole number >= %d, got %s"):format(who, what, min, tostring(v)), 3)
  end
end

--- nn.embedding(vocab, dim [, {padding =}]): ids [batch, T] -> [batch, T, dim]
options.declare("nn.embedding", {"padding"})
function nn.embedding(vocab, dim, opts)
  opts = options.check("nn.embedding", opts)
  whole("nn.embedding", "the vocabulary size", vocab, 1)
  whole("nn.embedding", "the size", dim, 1)
  local pad = opts.padding
  if pad ~= nil and pad ~= false then whole("nn.embedding", "padding (an id)", pad, 0) end
  return ccall(S.embedding, vocab, dim, (pad == nil or pad == false) and -1 or pad)
end

local RNN_OPTS = {"activation", "bidirectional", "layers", "output", "mask", "bptt", "init"}

local function recurrent(cell)
  local who = "nn." .. cell
  local names = {}
  for _, n in ipairs(RNN_OPTS) do if cell == "rnn" or n ~= "activation" then names[#names + 1] = n end end
  options.declare(who, names)
  return function(inputs, hidden, opts)
    opts = options.check(who, opts)
    whole(who, "the number of inputs", inputs, 1)
    whole(who, "the number of units", hidden, 1)
    local out = opts.output or "last"
    if out ~= "last" and out ~= "all" then
      error(("%s: output must be \"last\" or \"all\", got %s"):format(who, tostring(out)), 2)
    end
    local act = opts.activation or "tanh"
    if act ~= "tanh" and act ~= "relu" then
      error(("%s: activation must be \"tanh\" or \"relu\", got %s"):format(who, tostring(act)), 2)
    end
    local layers, bptt = opts.layers or 1, opts.bptt or 0
    whole(who, "layers", layers, 1)
    whole(who, "bptt (steps a gradient flows back; 0 = all)", bptt, 0)
    local init = opts.init or "xavier_uniform"
    local iname, ia, ib = init, 0, 0
    if type(init) == "table" then iname, ia, ib = init[1], init[2] or 0, init[3] or 0 end
    return ccall(S.rnn, cell, inputs, hidden, act, layers, opts.bidirectional and true or false,
      out == "all", opts.mask and true or false, bptt, iname, ia, ib)
  end
end

--- nn.rnn(in, hidden [, {activation=, bidirectional=, layers=, output=, mask=, bptt=, init=}])
nn.rnn = recurrent("rnn")
--- nn.lstm(in, hidden [, {...}]): the course's LSTM (gates f, i, C~, o)
nn.lstm = recurrent("lstm")
--- nn.gru(in, hidden [, {...}]): the textbook's GRU (gates r, z, h~)
nn.gru = recurrent("gru")

local RECURRENT = {rnn = true, lstm = true, gru = true}

-- The first recurrent layer of m (itself, or inside its containers), or nil.
local function find_recurrent(m)
  if RECURRENT[m:info().kind] then return m end
  for _, c in ipairs(m:children() or {}) do
    local r = find_recurrent(c)
    if r then return r end
  end
end

local function recurrent_of(who, m)
  local ok, r = pcall(find_recurrent, m) -- find_recurrent fails on what is not a model
  if not ok or not r then error(who .. ": expected a model with an rnn, lstm or gru layer", 3) end
  return r
end

--- nn.trace(m, what [, {layer=, direction=, sample=}]) -> [T, H] tensor
options.declare("nn.trace", {"layer", "direction", "sample"})
function nn.trace(m, what, opts)
  opts = options.check("nn.trace", opts)
  local r = recurrent_of("nn.trace", m)
  return ccall(S.trace, r, what, opts.layer or 1, opts.direction or 1, opts.sample or 1)
end

--- nn.grad_norms(m) -> {||dL/dh_1||, ..., ||dL/dh_T||} of the last backward
function nn.grad_norms(m)
  return ccall(S.grad_norms, recurrent_of("nn.grad_norms", m))
end

-------------------------------------------------------------------------- views

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

-- A [T, H] tensor as an image of H rows (units) by T columns (time).
local function units_by_time(t)
  local rows = t:totable()
  local img = {}
  for j = 1, #rows[1] do
    local row = {}
    for s = 1, #rows do row[s] = rows[s][j] end
    img[j] = row
  end
  return img
end

local GATES = {rnn = {"h"}, lstm = {"f", "i", "g", "o", "c", "h"}, gru = {"r", "z", "n", "h"}}
local GATE_NAMES = {f = "forget f", i = "input i", g = "candidate C~", o = "output o", c = "cell C",
  h = "hidden h", r = "reset r", z = "update z", n = "candidate h~"}

-- The images and captions of the gates of m's recurrent layer r on x (one sample).
local function gate_images(m, r, x, o)
  m:predict(x) -- the kernels' forward, which keeps the gates
  local imgs, caps = {}, {}
  for _, g in ipairs(GATES[r:info().kind]) do
    imgs[#imgs + 1] = units_by_time(S.trace(r, g, o.layer or 1, o.direction or 1, o.sample or 1))
    caps[#caps + 1] = GATE_NAMES[g]
  end
  return imgs, caps
end

local plot = require "plot"

--- plot.gates(model, x [, {sample=, layer=, direction=, run=, title=, show=}]) -> panel
options.declare("plot.gates", {"sample", "layer", "direction", "run", "title", "show", "fps"})
function plot.gates(m, x, o)
  o = options.check("plot.gates", o)
  local r = recurrent_of("plot.gates", m)
  local imgs, caps = gate_images(m, r, x, o)
  local p = plot.images{images = imgs, captions = caps, shared = false, cols = #imgs > 4 and 3 or #imgs,
    title = o.title or (r:info().kind .. ": units (rows) over time (columns)"), show = o.show}
  if o.run and interactive() then -- redraw while the run trains, at most fps times a second
    local period, last = 1 / (o.fps or 4), os.clock()
    spawn(function()
      while o.run.state == "running" do
        local w = p:window()
        if not (w and w:is_open()) then return end
        if os.clock() - last >= period then
          p:update{images = (gate_images(m, r, x, o))}
          last = os.clock()
        end
        coroutine.yield()
      end
    end, "gates view")
  end
  return p
end

--- plot.grad_norms(model [, {title=, show=, ylog=}]) -> panel: ||dL/dh_t|| against t
options.declare("plot.grad_norms", {"title", "show", "ylog"})
function plot.grad_norms(m, o)
  o = options.check("plot.grad_norms", o)
  local n = nn.grad_norms(m)
  local p = plot.lines{title = o.title or "gradient norm back in time", xlabel = "time step t",
    ylabel = "||dL/dh_t||", ylog = o.ylog ~= false, show = o.show}
  for t, v in ipairs(n) do p:push("||dL/dh_t||", math.max(v, 1e-30), t) end
  return p
end

end
