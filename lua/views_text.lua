-- views_text.lua: the views of sequence models, on the existing plot kinds:
-- plot.attention (a heat map of attention weights, target tokens down, source tokens
-- across: a field with the tokens as labelled points, as plot.confusion draws),
-- plot.decoding (one decoding step's probability bars, the chosen token named), both
-- also on a seq2seq model (text.seq2seq) and live while it trains, and
-- plot.word_map (word vectors on their first two principal components, a scatter
-- with the words as labels). The numbers come from plain functions of this module so
-- that tests and lessons can read them. Loading it adds the three to the plot table.
local plot = require "plot"
local checker = require "options"

local M = {}

local function describe(v)
  if type(v) == "string" then return ("the string %q"):format(v) end
  return type(v) == "number" and ("number " .. tostring(v)) or (v == nil and "nothing" or "a " .. type(v))
end

local function rows_of(w, who, sample)
  if type(w) == "table" and getmetatable(w) and rawget(w, "weights") then w = w.weights end -- an attention
  if type(w) == "userdata" then
    local ok, t = pcall(function() return w:totable() end)
    if ok then w = t end
  end
  if type(w) == "table" and type(w[1]) == "table" and type(w[1][1]) == "table" then -- a batch [B, T, S]
    local b = sample or 1
    if math.type(b) ~= "integer" or b < 1 or b > #w then
      error(("%s: sample must be 1 to %d (the batch), got %s"):format(who, #w, describe(sample)), 3)
    end
    w = w[b]
  end
  if type(w) ~= "table" or type(w[1]) ~= "table" then
    error(("%s: expected attention weights (a tensor [T, S] or [B, T, S], rows of numbers, an attention after a forward, or a seq2seq model), got %s")
      :format(who, describe(w)), 3)
  end
  return w
end

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

local function is_seq2seq(v) return type(v) == "table" and getmetatable(v) == require("text_seq2seq").class end

-- A seq2seq model's translation of source (or its last one): the result of translate.
local function translation(m, source, who)
  if source ~= nil then return select(2, m:translate(source)) end
  if m.last then return m.last end
  error(who .. ": the model has translated nothing yet: give a source (a string or a list of tokens)", 3)
end

-- The target tokens of a translation's rows: its output, then <END> when it stopped.
local function target_tokens(r)
  local t = {table.unpack(r.tokens)}
  if #r.weights > #t then t[#t + 1] = "<END>" end
  return t
end

-- Redraws view p with draw() after each epoch of run while the run trains and p's
-- window is open (at the prompt only: elsewhere the run is over when this is called).
local function follow(p, run, draw, name)
  if not (run and interactive()) then return end
  local seen = run.epoch
  spawn(function()
    while run.state == "running" or run.epoch ~= seen do
      local w = p:window()
      if not (w and w:is_open()) then return end
      if run.epoch ~= seen then seen = run.epoch; draw() end
      coroutine.yield()
    end
  end, name)
end

local SUB = 8 -- grid nodes per cell side

--- M.attention_field(weights, source, target) -> the field of the heat map and its
--- labelled points (token names left of the rows and above the columns)
function M.attention_field(w, source, target)
  local T, S = #w, #w[1]
  local margin = 1.6
  local nx, ny = math.floor((S + margin) * SUB + 0.5), (T + 1) * SUB
  local rows = {}
  for gy = 1, ny do
    local row = {}
    local ti = T - math.floor((gy - 0.5) / SUB) -- target row, 1 at the top
    for gx = 1, nx do
      local sj = math.floor((gx - 0.5) / SUB - margin) + 1
      row[gx] = (ti >= 1 and sj >= 1 and sj <= S) and w[ti][sj] or 0 / 0
    end
    rows[gy] = row
  end
  rows[1][nx] = -1e-9 -- keeps the colour scale linear (see views_data's confusion)
  local xs, ys, cls, text = {}, {}, {}, {}
  local function add(x, y, c, s) xs[#xs + 1], ys[#ys + 1], cls[#cls + 1], text[#text + 1] = x, y, c, s end
  for i = 1, T do add(-margin + 0.05, T - i + 0.5, 2, tostring(target[i] or i)) end
  for j = 1, S do add(j - 1 + 0.1, T + (j % 2 == 1 and 0.7 or 0.3), 2, tostring(source[j] or j)) end
  return {values = rows, xmin = -margin, xmax = S, ymin = 0, ymax = T + 1, levels = 0}, {xs, ys, cls, text}
end

checker.declare("plot.attention", {"title", "show", "map", "sample", "run"})
--- plot.attention(weights, source, target [, {title =, show =, sample =}]) -> p: the weights
--- [T, S] (a tensor, rows, or an attention whose forward ran; of a batch [B, T, S], the
--- sample's) as a heat map, one row a target token (its name on the left), one column a
--- source token (named above). plot.attention(s2s [, source] [, {run =}]): a seq2seq
--- model's weights while it translates source (default its last translation); with
--- run = (its fit at the prompt) translated again and redrawn after each epoch.
function M.attention(w, source, target, opts)
  if is_seq2seq(w) then
    if type(source) == "table" and source[1] == nil and target == nil and opts == nil then
      opts, source = source, nil -- plot.attention(s2s, {opts}): its last translation
    elseif type(target) == "table" and opts == nil and not target[1] then
      opts, target = target, nil
    end
    opts = checker.check("plot.attention", opts)
    local m, r = w, translation(w, source, "plot.attention")
    if not m.att then error("plot.attention: this seq2seq model has no attention (attention = false)", 2) end
    local function title(res)
      return opts.title or ("attention while translating %q -> %q (epoch %d)"):format(
        res.source_text, res.text, m.run and m.run.epoch or 0)
    end
    local p = M.attention(r.weights, r.source, target_tokens(r), {title = title(r), show = opts.show, map = opts.map})
    follow(p, opts.run, function()
      local res = select(2, m:translate(r.source))
      local field, marks = M.attention_field(res.weights, res.source, target_tokens(res))
      field.title = title(res)
      p:clear()
      p:update(field)
      p:points(marks[1], marks[2], marks[3])
      p:labels(marks[4])
    end, "attention view")
    return p, r
  end
  opts = checker.check("plot.attention", opts)
  w = rows_of(w, "plot.attention", opts.sample)
  source, target = source or {}, target or {}
  if type(source) ~= "table" or type(target) ~= "table" then
    error("plot.attention: source and target must be lists of tokens", 2)
  end
  local field, marks = M.attention_field(w, source, target)
  field.title = opts.title or ("attention weights (%d target x %d source tokens)"):format(#w, #w[1])
  field.map, field.show, field.xlabel, field.ylabel = opts.map or "viridis", opts.show, "source", "target"
  local p = plot.field(field)
  p:points(marks[1], marks[2], marks[3])
  p:labels(marks[4])
  return p
end

checker.declare("plot.decoding", {"step", "top", "labels", "title", "show", "source", "run"})
--- plot.decoding(steps [, {step = 1, top = 10, labels =, title =, show =}]) -> p, bars: the
--- probabilities of decoding step `step` (steps as text.greedy/generate/beam give),
--- the top most likely tokens, named by labels (a vocabulary's tokens, or a function
--- of the 0-based id). bars = {values =, labels =}; the title names the chosen token.
--- plot.decoding(s2s [, {source =, step =, run =}]): a seq2seq model's greedy steps on
--- source (default its last translation), redrawn after each epoch of run.
function M.decoding(steps, opts)
  opts = checker.check("plot.decoding", opts)
  if is_seq2seq(steps) then
    local m = steps
    local r = translation(m, opts.source, "plot.decoding")
    local o = {step = math.min(opts.step or 1, #r.steps), top = opts.top, labels = m.target, title = opts.title,
      show = opts.show}
    local p, bars = M.decoding(r.steps, o)
    follow(p, opts.run, function()
      local res = select(2, m:translate(r.source))
      local k = math.min(opts.step or 1, #res.steps)
      local ids = require("text_decode").top_ids(res.steps[k].probs, opts.top or 10)
      local values, labels = {}, {}
      for i, id in ipairs(ids) do values[i], labels[i] = res.steps[k].probs[id + 1], m.target.tokens[id + 1] end
      p:update{values = values, labels = labels, title = opts.title or ("step %d of %d: chose %s (%.0f%%), epoch %d")
        :format(k, #res.steps, m.target.tokens[res.steps[k].chosen + 1], 100 * res.steps[k].probs[res.steps[k].chosen + 1],
          m.run and m.run.epoch or 0)}
    end, "decoding view")
    return p, bars
  end
  if type(steps) == "table" and type(steps.steps) == "table" and steps.vocab then -- a translate result
    if opts.labels == nil then opts.labels = steps.vocab end
    steps = steps.steps
  end
  if type(steps) ~= "table" or type(steps[1]) ~= "table" or not steps[1].probs then
    error("plot.decoding: expected the steps of a decoding (text.greedy(...) gives ids, steps) or a seq2seq model, got " .. describe(steps), 2)
  end
  local k = opts.step or 1
  if math.type(k) ~= "integer" or k < 1 or k > #steps then
    error(("plot.decoding: step must be 1 to %d, got %s"):format(#steps, describe(opts.step)), 2)
  end
  local s = steps[k]
  local name = opts.labels
  local function label(id)
    if type(name) == "function" then return tostring(name(id)) end
    if type(name) == "table" then return tostring((name.tokens or name)[id + 1] or id) end
    return tostring(id)
  end
  local ids = require("text_decode").top_ids(s.probs, opts.top or 10)
  local values, labels = {}, {}
  for i, id in ipairs(ids) do values[i], labels[i] = s.probs[id + 1], label(id) end
  local p = plot.bars{values = values, labels = labels, show = opts.show, ylim = {0, 1}, ylabel = "probability",
    title = opts.title or ("step %d of %d: chose %s (%.0f%%)"):format(k, #steps, label(s.chosen),
      100 * s.probs[s.chosen + 1])}
  return p, {values = values, labels = labels}
end

checker.declare("plot.word_map", {"words", "n", "title", "show"})
--- plot.word_map(model [, {words =, n = 60, title =, show =}]) -> p, map: the words
--- (default: the n most frequent) on the first two principal components of their
--- word2vec vectors. map = {words =, x =, y =, variance =}.
function M.word_map(model, opts)
  opts = checker.check("plot.word_map", opts)
  if type(model) ~= "table" or type(model.map) ~= "function" then
    error("plot.word_map: expected a word2vec model (text.word2vec(corpus)), got " .. describe(model), 2)
  end
  local words = opts.words or model:words(opts.n or 60)
  local xs, ys, var = model:map(words)
  local p = plot.scatter{x = xs, y = ys, labels = words, show = opts.show, xlabel = "PC 1",
    ylabel = "PC 2", title = opts.title or ("%d word vectors (%s, dim %d) on their first two principal components")
      :format(#words, model.method, model.dim)}
  return p, {words = words, x = xs, y = ys, variance = var}
end

plot.attention, plot.decoding, plot.word_map = M.attention, M.decoding, M.word_map
return M
