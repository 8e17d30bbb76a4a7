-- views_text.lua: the views of sequence models, on the existing plot kinds:
-- plot.attention (a heat map of attention weights, target tokens down, source tokens
-- across: a field with the tokens as labelled points, as plot.confusion draws),
-- plot.decoding (one decoding step's probability bars, the chosen token named) and
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

local function rows_of(w, who)
  if type(w) == "table" and getmetatable(w) and rawget(w, "weights") then w = w.weights end -- an attention
  if type(w) == "userdata" then
    local ok, t = pcall(function() return w:totable() end)
    if ok then w = t end
  end
  if type(w) ~= "table" or type(w[1]) ~= "table" then
    error(("%s: expected attention weights (a tensor [T, S], rows of numbers, or an attention after a forward), got %s")
      :format(who, describe(w)), 3)
  end
  return w
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

checker.declare("plot.attention", {"title", "show", "map"})
--- plot.attention(weights, source, target [, {title =, show =}]) -> p: the weights
--- [T, S] (a tensor, rows, or an attention whose forward ran) as a heat map, one row a
--- target token (its name on the left), one column a source token (named above)
function M.attention(w, source, target, opts)
  opts = checker.check("plot.attention", opts)
  w = rows_of(w, "plot.attention")
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

checker.declare("plot.decoding", {"step", "top", "labels", "title", "show"})
--- plot.decoding(steps [, {step = 1, top = 10, labels =, title =, show =}]) -> p, bars: the
--- probabilities of decoding step `step` (steps as text.greedy/generate/beam give),
--- the top most likely tokens, named by labels (a vocabulary's tokens, or a function
--- of the 0-based id). bars = {values =, labels =}; the title names the chosen token.
function M.decoding(steps, opts)
  opts = checker.check("plot.decoding", opts)
  if type(steps) ~= "table" or type(steps[1]) ~= "table" or not steps[1].probs then
    error("plot.decoding: expected the steps of a decoding (text.greedy(...) gives ids, steps), got " .. describe(steps), 2)
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
