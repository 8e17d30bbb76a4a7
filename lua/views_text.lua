-- views_text.lua: the views of sequence models, on the existing plot kinds:
-- plot.attention (a heat map of attention weights, target tokens down, source tokens
-- across: a field with the tokens as labelled points, as plot.confusion draws),
-- plot.decoding (one decoding step's probability bars, the chosen token named), both
-- also on a seq2seq model (text.seq2seq) and live while it trains, and
-- plot.word_map (word vectors on their first two principal components, a scatter
-- with the words as labels) and plot.states (hidden or cell states as a heat map with
-- LSTMVis's selection of the units on over a span and its list of the other spans
-- where they are on). The numbers come from plain functions of this module so that
-- tests and lessons can read them. Loading it adds the four to the plot table.
local plot = require "plot"
local checker = require "options"
local check = require "argcheck"

local M = {}

local describe = check.describe

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

--- M.attention_field(weights, source, target) -> the field of the heat map, one flat cell
--- a weight centred on whole numbers (source token j at x = j, target token i at
--- y = T - i + 1: the first at the top), the tokens naming the axes' ticks
function M.attention_field(w, source, target)
  local T, S = #w, #w[1]
  local rows, top = {}, 0
  for i = 1, T do
    rows[T - i + 1] = w[i]
    for j = 1, S do top = math.max(top, w[i][j]) end
  end
  local xt, yt = {}, {}
  for i = 1, T do yt[T - i + 1] = tostring(target[i] or i) end
  for j = 1, S do xt[j] = tostring(source[j] or j) end
  -- colours from 0 (no weight) to the largest weight, linear: an automatic scale turns
  -- to log colours when most weights are near 0, as a sharp attention's are
  return {values = rows, cells = true, clim = {0, top > 0 and top or 1}, xticks = xt, yticks = yt}
end

checker.declare("plot.attention", {"title", "show", "map", "sample", "run"})
--- plot.attention(weights, source, target [, {title =, show =, sample =}]) -> p: the weights
--- [T, S] (a tensor, rows, or an attention whose forward ran; of a batch [B, T, S], the
--- sample's) as a heat map, one row a target token (its name on the left), one column a
--- source token (its name below). plot.attention(s2s [, source] [, {run =}]): a seq2seq
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
      local field = M.attention_field(res.weights, res.source, target_tokens(res))
      field.title = title(res)
      p:clear()
      p:update(field)
    end, "attention view")
    return p, r
  end
  opts = checker.check("plot.attention", opts)
  w = rows_of(w, "plot.attention", opts.sample)
  source, target = source or {}, target or {}
  if type(source) ~= "table" or type(target) ~= "table" then
    error("plot.attention: source and target must be lists of tokens", 2)
  end
  local field = M.attention_field(w, source, target)
  field.title = opts.title or ("attention weights (%d target x %d source tokens)"):format(#w, #w[1])
  field.map, field.show, field.xlabel, field.ylabel = opts.map or "viridis", opts.show, "source", "target"
  return plot.field(field)
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

---------------------------------------------------------------------------------
-- plot.states: hidden or cell states as a heat map with LSTMVis's selection and
-- match: select a span of steps, the units on (above a threshold) over all of it are
-- selected; the other spans of the data where those units are all on are listed.
---------------------------------------------------------------------------------

--- M.units_on(states, first, last, threshold) -> {units}: the units j whose state
--- states[t][j] (time by unit) is above threshold at every step first..last
function M.units_on(states, first, last, thr)
  local units = {}
  for j = 1, #states[first] do
    local on = true
    for t = first, last do
      if not (states[t][j] > thr) then on = false; break end
    end
    if on then units[#units + 1] = j end
  end
  return units
end

--- M.spans_on(states, len, units, threshold) -> {{first, last}, ...}: the longest runs
--- of steps 1..len where every one of units is above threshold (none without units)
function M.spans_on(states, len, units, thr)
  local spans, start = {}, nil
  for t = 1, len + 1 do
    local on = t <= len and #units > 0
    for _, j in ipairs(on and units or {}) do
      if not (states[t][j] > thr) then on = false; break end
    end
    if on and not start then start = t end
    if not on and start then spans[#spans + 1] = {start, t - 1}; start = nil end
  end
  return spans
end

-- The tokens of words: a vocabulary's, a corpus's (text.corpus: its characters) or a
-- list; nil for a function or nothing.
local function token_list(words)
  if type(words) ~= "table" then return nil end
  return words.tokens or type(words.vocab) == "table" and words.vocab.tokens or words
end

local function token_namer(words)
  if type(words) == "function" then return function(id) return tostring(words(id)) end end
  local list = token_list(words)
  return function(id)
    local i = math.tointeger(id)
    local t = list and i and list[i + 1]
    if t == "\n" then return "⏎" end -- a line's end, as lesson 16 writes it
    return t or tostring(i or id)
  end
end

-- A sequence's words with the steps first..last in brackets (cut to about 80 characters).
local function span_text(view, s, first, last)
  local out = {}
  for t = 1, view.lens[s] do
    local w = view.name(view.ids[s][t])
    if t == first then w = "[" .. w end
    if t == last then w = w .. "]" end
    out[#out + 1] = w
  end
  local line = table.concat(out, " ")
  return #line > 80 and line:sub(1, 77) .. "..." or line
end

local States = {__name = "states view"} -- help's key: states_view
States.__index = States

-- The states of every sequence from one forward (the traces are the last forward's).
local function read_states(view)
  local S = require "nn.seq"
  local m = view.model
  m:predict(view.x)
  local r = view.layer_module
  view.states = {}
  for s = 1, #view.ids do
    view.states[s] = S.trace(r, view.state, view.layer, view.direction, s):totable()
  end
end

local function recurrent_layer(m)
  local kinds = {rnn = true, lstm = true, gru = true}
  local function find(x)
    if kinds[x:info().kind] then return x end
    for _, c in ipairs(x:children() or {}) do
      local r = find(c)
      if r then return r end
    end
  end
  local ok, r = pcall(find, m)
  return ok and r or nil
end

-- The heat map's field (units down, steps across, cells centred on whole numbers: step
-- t at x = t, unit j at y = H - j + 1; the axes' ticks name them) and its marks.
function States:_field()
  local st, T, H = self.states[self.sample], self.lens[self.sample], #self.states[self.sample][1]
  local rows = {}
  for j = 1, H do
    local row = {}
    for t = 1, T do row[t] = st[t][j] end
    rows[H - j + 1] = row -- unit 1 at the top
  end
  local groups = {solid = {{}, {}, {}}, hollow = {{}, {}, {}}}
  local function add(g, x, y, c)
    g = groups[g]
    local n = #g[1] + 1
    g[1][n], g[2][n], g[3][n] = x, y, c
  end
  local chosen, sel = {}, self.selection
  for _, j in ipairs(self.units or {}) do chosen[j] = true end
  local units, words = {}, {}
  for j = 1, H do units[H - j + 1] = (chosen[j] and "> " or "") .. j end
  for t = 1, T do
    local w = self.name(self.ids[self.sample][t])
    if sel and t == sel[1] then w = "[" .. w end
    if sel and t == sel[2] then w = w .. "]" end
    words[t] = w
  end
  if sel then -- the selected cells; those of the matches in this sequence hollow
    for _, j in ipairs(self.units) do
      for t = sel[1], sel[2] do add("solid", t, H - j + 1, 2) end
    end
    for _, m in ipairs(self.matches) do
      if m.seq == self.sample then
        for _, j in ipairs(self.units) do
          for t = m.first, m.last do add("hollow", t, H - j + 1, 2) end
        end
      end
    end
  end
  -- hidden states on tanh's range -1..1: one scale for every sequence and every view
  return {values = rows, cells = true, clim = self.state == "h" and {-1, 1} or {}, xticks = words,
    yticks = units, map = "diverging", xlabel = "time step", ylabel = "unit"}, groups
end

function States:_list()
  local sel = self.selection
  if not sel then
    return ("Select a span: drag over the steps, or v:select(first, last).\nthreshold %.2f (+/- keys)")
      :format(self.threshold)
  end
  local out = {}
  local us = {}
  for i, j in ipairs(self.units) do us[i] = tostring(j) end
  out[1] = ("steps %d-%d of sequence %d: %s"):format(sel[1], sel[2], self.sample,
    span_text(self, self.sample, sel[1], sel[2]))
  if #self.units == 0 then
    out[2] = ("no unit is above %.2f over the whole span: lower the threshold (-) or select fewer steps")
      :format(self.threshold)
    return table.concat(out, "\n")
  end
  out[2] = ("%d of %d units on (> %.2f) all along: %s"):format(#self.units, #self.states[1][1],
    self.threshold, table.concat(us, ", "))
  out[3] = ("%d other spans (of %d step%s or more) where they are all on%s:"):format(#self.matches,
    self.min_length, self.min_length == 1 and "" or "s",
    #self.matches > self.list_max and (", the first " .. self.list_max) or "")
  for i = 1, math.min(#self.matches, self.list_max) do
    local m = self.matches[i]
    out[#out + 1] = ("  %4d  %s"):format(m.seq, m.text)
  end
  return table.concat(out, "\n")
end

function States:_draw()
  local field, marks = self:_field()
  field.title = self.title or ("%s states of sequence %d (units down, steps across; threshold %.2f)")
    :format(self.state == "c" and "cell" or "hidden", self.sample, self.threshold)
  self.map:clear()
  self.map:update(field)
  for _, g in ipairs{"solid", "hollow"} do
    local pts = marks[g]
    if #pts[1] > 0 then self.map:points(pts[1], pts[2], pts[3], g == "hollow") end
  end
  self.list:update{text = self:_list()}
  return self
end

-- The window's width: its steps spaced so that each gets its word below it (the viz
-- writes every k-th when neighbours would touch), in the longest need of the sequences
-- n and b go through, a selection's brackets included; 900 points at least, 1600 (a
-- screen's) at most, where long sequences have every k-th word again.
local STATES_WIDTH = {900, 1600}
local STATES_HEIGHT = 820
local STATES_MAP_HEIGHT = STATES_HEIGHT / 2 -- the heat map's half
-- A window over 1280 x 720 points draws its type larger, by its size over that (the
-- viz's window_size_scale): up to 820 / 720 here, which the height bounds.
local LARGE_WINDOW, LARGE_TYPE = 1280, STATES_HEIGHT / 720
local function states_width(view)
  local room = require("viz.core").tick_label_room
  local projector = plot.defaults().projector
  local area = 0 -- the heat map's width that the steps need
  for s, ids in ipairs(view.ids) do
    local step, prev = 0, nil
    for t = 1, view.lens[s] do
      local r = room("[" .. view.name(ids[t]) .. "]", projector)
      step = math.max(step, prev and (prev + r) / 2 or r)
      prev = r
    end
    area = math.max(area, step * view.lens[s])
  end
  -- the margins (unit names, the colour bar): the pixels beside the T steps at any width
  local w, h, T = STATES_WIDTH[1], STATES_MAP_HEIGHT, view.lens[view.sample]
  local x1 = view.map:to_data(w / 2, h / 2, w, h)
  local x2 = view.map:to_data(w / 2 + 100, h / 2, w, h)
  local margins = x1 and x2 and x2 > x1 and w - T * 100 / (x2 - x1) or 0
  local width = area + margins
  if width > LARGE_WINDOW then width = width * LARGE_TYPE end
  return math.floor(math.max(STATES_WIDTH[1], math.min(STATES_WIDTH[2], width)) + 0.5)
end

--- v:select(first, last [, threshold]) -> units, matches: selects steps first..last
--- of the sequence shown; units = those above the threshold at all of them; matches =
--- {{seq =, first =, last =, text =}, ...} the other spans (of at least min_length
--- steps, in every sequence) where all those units are on
function States:select(first, last, thr)
  check.method(self, States, "select", "v")
  last = last or first
  local T = self.lens[self.sample]
  for _, v in ipairs{first, last} do
    if math.type(v) ~= "integer" or v < 1 or v > T then
      error(("states_view:select: steps are whole numbers 1 to %d (the length of sequence %d), got %s")
        :format(T, self.sample, tostring(v)), 2)
    end
  end
  if thr ~= nil then self:set_threshold(thr, true) end
  if first > last then first, last = last, first end
  self.selection = {first, last}
  self.min_length = self.opts.min_length or (last - first + 1)
  self.units = M.units_on(self.states[self.sample], first, last, self.threshold)
  local matches = {}
  for s = 1, #self.states do
    for _, sp in ipairs(M.spans_on(self.states[s], self.lens[s], self.units, self.threshold)) do
      local own = s == self.sample and sp[1] <= last and sp[2] >= first
      if not own and sp[2] - sp[1] + 1 >= self.min_length then
        matches[#matches + 1] = {seq = s, first = sp[1], last = sp[2], text = span_text(self, s, sp[1], sp[2])}
      end
    end
  end
  self.matches = matches
  self:_draw()
  return self.units, matches
end

--- v:set_threshold(t) -> v: the level above which a unit is on (v.threshold); the
--- selection is redone
function States:set_threshold(t, quiet)
  check.method(self, States, "set_threshold", "v")
  if type(t) ~= "number" or t ~= t then error("states_view:set_threshold: expected a number, got " .. describe(t), 2) end
  self.threshold = t
  if quiet then return self end
  if self.selection then self:select(self.selection[1], self.selection[2]) else self:_draw() end
  return self
end

--- v:show(i) -> v: shows sequence i (the selection is cleared)
function States:show(i)
  check.method(self, States, "show", "v")
  if math.type(i) ~= "integer" or i < 1 or i > #self.ids then
    error(("states_view:show: expected a sequence 1 to %d, got %s"):format(#self.ids, describe(i)), 2)
  end
  self.sample, self.selection, self.units, self.matches = i, nil, nil, nil
  return self:_draw()
end

--- v:refresh() -> v: reads the states again from the model (after training), keeping
--- the selection
function States:refresh()
  check.method(self, States, "refresh", "v")
  read_states(self)
  if self.selection then return self:select(self.selection[1], self.selection[2]) end
  return self:_draw()
end

--- v:save(path) -> v: the heat map and the list as one PNG (the window's)
function States:save(path)
  check.method(self, States, "save", "v")
  self.window:save(path)
  return self
end

checker.declare("plot.states", {"words", "pad", "sample", "state", "threshold", "layer", "direction",
  "min_length", "list", "limit", "run", "fps", "title", "show"})
--- plot.states(model, x [, {words =, pad =, sample = 1, state = "h", threshold = 0.3,
--- min_length =, list = 12, limit = 500, layer =, direction =, run =, title =, show =}])
--- -> v: the hidden (or cell, state = "c") states of the model's recurrent layer on
--- sequence `sample` of x (token ids [N, T], or a data set) as a heat map, units down,
--- steps across, the words (words: a vocabulary, a list or a function of the id) above.
--- Drag over the steps (or v:select(first, last)) to select the units on all along;
--- the list names the other spans of the N sequences where they are all on.
function M.states(m, x, opts)
  opts = checker.check("plot.states", opts)
  local r = type(m) == "userdata" and recurrent_layer(m) or nil
  if not r then error("plot.states: expected a model with an rnn, lstm or gru layer, got " .. describe(m), 2) end
  if type(x) == "userdata" and getmetatable(x) == debug.getregistry()["nnlab.dataset"] then x = x:x() end
  local ok, ids = pcall(function() return x:totable() end)
  if not ok or type(ids[1]) ~= "table" or type(ids[1][1]) ~= "number" then
    error("plot.states: expected token ids [N, T] (a tensor or a data set), got " .. describe(x), 2)
  end
  local limit = opts.limit or 500
  if #ids > limit then ids = {table.unpack(ids, 1, limit)}; x = x:rows(1, limit) end
  local state = opts.state or "h"
  if state ~= "h" and state ~= "c" then error(('plot.states: state must be "h" or "c", got %s'):format(describe(state)), 2) end
  if state == "c" and r:info().kind ~= "lstm" then error("plot.states: only an LSTM has a cell state c", 2) end
  local words = opts.words
  local pad = opts.pad
  local tokens = token_list(words)
  if pad == nil and tokens and tokens[1] == "<PAD>" then pad = 0 end
  if pad == nil and tokens and words.vocab then -- a corpus's lines are padded with the line's end
    for i, t in ipairs(tokens) do if t == "\n" then pad = i - 1; break end end
  end
  local lens = {}
  for s, row in ipairs(ids) do
    local n = #row
    while pad and n > 1 and row[n] == pad do n = n - 1 end
    lens[s] = n
  end
  local view = setmetatable({kind = "states", model = m, layer_module = r, x = x, ids = ids, lens = lens,
    name = token_namer(words), state = state, threshold = opts.threshold or 0.3, sample = opts.sample or 1,
    layer = opts.layer or 1, direction = opts.direction or 1, list_max = opts.list or 12, opts = opts,
    title = opts.title}, States)
  if math.type(view.sample) ~= "integer" or view.sample < 1 or view.sample > #ids then
    error(("plot.states: sample must be 1 to %d, got %s"):format(#ids, describe(opts.sample)), 2)
  end
  local okr, err = pcall(read_states, view)
  if not okr then error("plot.states: " .. tostring(err):gsub("^[^:\n]+:%d+: ", ""), 2) end
  view.map = plot.field{values = {{0, 0}, {0, 0}}, show = false}
  view.list = plot.text{text = "", show = false}
  view:_draw()
  view.window = plot.window{view.map, view.list, cols = 1, width = states_width(view),
    height = STATES_HEIGHT, show = opts.show, title = "states: select a span (drag over the steps)"}
  local press
  view.map:on_click(function(px)
    if not px then return end
    local T = view.lens[view.sample]
    press = math.max(1, math.min(T, math.floor(px + 0.5)))
    if px >= 0.5 then view:select(press, press) end
  end)
  view.map:on_release(function(px)
    if not (press and px) then return end
    local T = view.lens[view.sample]
    local t = math.max(1, math.min(T, math.floor(px + 0.5)))
    if t ~= press then view:select(math.min(press, t), math.max(press, t)) end
    press = nil
  end)
  view.window:keys{{"+", "raise the threshold by 0.05"}, {"-", "lower the threshold by 0.05"},
    {"n", "the next sequence"}, {"b", "the sequence before"}}
  view.window:on_key(function(key)
    if key == "+" or key == "=" then view:set_threshold(view.threshold + 0.05)
    elseif key == "-" then view:set_threshold(view.threshold - 0.05)
    elseif key == "n" and view.sample < #view.ids then view:show(view.sample + 1)
    elseif key == "b" and view.sample > 1 then view:show(view.sample - 1) end
  end)
  local run = opts.run
  if run and rawget(_G, "repl") ~= nil and repl.interactive == true then -- live: after each epoch
    local now = require("repl.core").now
    local period, last, epoch = 1 / (opts.fps or 2), now(), run:status().epoch
    spawn(function()
      while view.window:is_open() do
        local e, done = run:status().epoch, run.state ~= "running"
        if e ~= epoch and (done or now() - last >= period) then -- the end state at once
          epoch, last = e, now()
          view:refresh()
        end
        if done and e == epoch then return end
        coroutine.yield()
      end
    end, "states view")
  end
  return view
end

plot.attention, plot.decoding, plot.word_map = M.attention, M.decoding, M.word_map
plot.states = M.states
return M
