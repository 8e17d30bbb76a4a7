-- test_text.lua: the text table (issue 14): corpora of characters and words (the
-- vocabulary's order, encode/decode, windows of next-token targets, refusals naming
-- the path or the problem), the FreeDict pairs, the generated tasks and entity set
-- (padding, <START>/<END>, BIO tags, determinism), sampling, greedy and beam search on
-- a hand-made step function where they differ, attention (shapes, weights summing
-- to 1, gradients against finite differences), word2vec through Lua (neighbours,
-- analogy, determinism) and the three views rendered offscreen.
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end
-- a list of numbers as text, whole numbers without ".0" (tensors give floats)
local function join(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = type(v) == "number" and ("%.9g"):format(v) or tostring(v) end
  return table.concat(out, ",")
end
local function near(a, b, tol, what)
  assert(math.abs(a - b) <= tol, ("%s: %.9g and %.9g differ by more than %g"):format(what or "value", a, b, tol))
end

---------------------------------------------------------------------------------
-- corpora
---------------------------------------------------------------------------------

local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write("abba\ncab\n")
f:close()
local c = data.text(path, {level = "char"})
-- counts: a 3, b 3, \n 2, c 1: by count, then by text ("\n" < "a" < "b")
assert(table.concat(c.vocab.tokens, "|") == "a|b|\n|c", table.concat(c.vocab.tokens, "|"))
assert(#c == 9 and c:size() == 4)
assert(join(c:encode("cab")) == "3,0,1")
assert(c:decode{1, 0, 3} == "bac")
fails('"z" is not in the vocabulary (4 tokens)', c.encode, c, "z")
fails("id 7 is outside the vocabulary 0..3", c.decode, c, {7})
local d = c:windows(3)
-- windows from tokens 1, 4, 7 of a b b a \n c a b \n: x = abb, a\nc, ab\n would need a 10th token
assert(#d == 2, #d)
local x, y = d:x():totable(), d:y():totable()
assert(join(x[1]) == "0,1,1" and join(y[1]) == "1,1,0")
assert(join(x[2]) == "0,2,3" and join(y[2]) == "2,3,0")
assert(#c:windows(3, {stride = 1}) == 6)
-- the next token is a class of the vocabulary at every step (per-token metrics)
assert(d:info().classes == 4 and d:info().ny == 3, d:info().classes)
fails("a window of 9 needs 10", c.windows, c, 9)
fails("T must be a whole number > 0", c.windows, c, 0)
fails("cannot open /nonexistent/book.txt", data.text, "/nonexistent/book.txt")
fails('level must be "char" or "word"', data.text, path, {level = "byte"})
local empty = os.tmpname()
fails("holds no words", data.text, empty, {level = "word"})
fails("holds no words", text.corpus, "  ,, .\n", {level = "word"})
os.remove(empty)
os.remove(path)

local w = text.corpus("The cat sat.\nThe dog, the cat!\n", {level = "word"})
assert(table.concat(w.vocab.tokens, " ") == "the cat dog sat")
assert(join(w:with_breaks():totable()) == "0,1,3,-1,0,2,0,1,-1")
assert(w:decode(w:encode("the dog sat")) == "the dog sat")
local rare = text.corpus("a a a b\n", {level = "word", min_count = 2})
assert(table.concat(rare.vocab.tokens, " ") == "<unk> a" and rare.vocab.counts[1] == 1)
assert(join(rare:encode("b a")) == "0,1")

-- the word list: every line a word, a char vocabulary of letters and a few more
local words = data.text(text.paths.words, {level = "char", lines = 2000})
assert(#words > 10000 and words:size() < 80, tostring(words))

-- the King James Bible (bible-kjv-text's LZW windows, decoded in C): verses without
-- their references
local kjv = text.bible{lines = 3}
assert(kjv:decode({table.unpack(kjv.ids, 1, 4)}) == "in the beginning god", kjv:decode({table.unpack(kjv.ids, 1, 4)}))
assert(kjv.vocab.index["ge1"] == nil and kjv.vocab.index["1"] == nil)
local kjv_c = text.bible{lines = 1, level = "char"}
assert(kjv_c:decode(kjv_c.ids) == "In the beginning God created the heaven and the earth.\n")
fails("is not bible-kjv's compressed data file", text.bible, {path = text.paths.words})
fails("cannot open /nonexistent/bible.data", text.bible, {path = "/nonexistent/bible.data"})

---------------------------------------------------------------------------------
-- FreeDict pairs and generated sets
---------------------------------------------------------------------------------

local pairs_ = text.translation_pairs{limit = 300}
assert(#pairs_ == 301, #pairs_)
assert(pairs_[#pairs_][1] == "nice to meet you" and pairs_[#pairs_][2] == "ravi de vous rencontrer")
local found = {}
for _, p in ipairs(text.translation_pairs{}) do found[p[1]] = p[2] end
assert(found.cello == "violoncelle" and found.parsley == "persil", tostring(found.cello))
fails("cannot open /nonexistent/dict.index", text.translation_pairs, {path = "/nonexistent/dict"})

local rev = text.task("reverse", {n = 50, seed = 3})
for _, p in ipairs(rev.pairs) do
  for i = 1, #p[1] do assert(p[2][i] == p[1][#p[1] + 1 - i]) end
end
assert(rev.target.tokens[1] == "<PAD>" and rev.target.tokens[2] == "<START>" and rev.target.tokens[3] == "<END>")
-- y_in is <START> then the target; y is the target then <END>, then padding
local p1 = rev.pairs[1]
local yin, yo, xr = rev.y_in:totable()[1], rev.y:totable()[1], rev.x:totable()[1]
assert(yin[1] == 1 and yo[#p1[2] + 1] == 2)
for i = 1, #p1[2] do
  assert(rev.target.tokens[yo[i] + 1] == p1[2][i] and rev.target.tokens[yin[i + 1] + 1] == p1[2][i])
end
for i = #p1[2] + 2, #yo do assert(yo[i] == 0) end
for i = #p1[1] + 1, #xr do assert(xr[i] == 0) end
assert(rev.y_len:totable()[1][1] == #p1[2] + 1)
-- the same seed, the same set; another seed, another
assert(table.concat(text.task("reverse", {n = 50, seed = 3}).pairs[7][1]) == table.concat(rev.pairs[7][1]))
assert(join(text.task("reverse", {n = 50, seed = 4}).x:totable()[1]) ~= join(xr))
local srt = text.task("sort", {n = 20})
for _, p in ipairs(srt.pairs) do for i = 2, #p[2] do assert(p[2][i - 1] <= p[2][i]) end end
local add = text.task("addition", {n = 20, digits = 2})
for _, p in ipairs(add.pairs) do
  local a, b = table.concat(p[1]):match("^(%d+)%+(%d+)$")
  assert(tonumber(table.concat(p[2])) == tonumber(a) + tonumber(b), table.concat(p[1]))
end
local dates = text.task("dates", {n = 20})
local months = {january = 1, february = 2, march = 3, april = 4, may = 5, june = 6, july = 7, august = 8,
  september = 9, october = 10, november = 11, december = 12}
for _, p in ipairs(dates.pairs) do
  assert(table.concat(p[2]) == ("%04d-%02d-%02d"):format(tonumber(p[1][3]), months[p[1][1]], tonumber(p[1][2])))
end
fails("no task the string \"copy\" (there are addition, dates, reverse, sort)", text.task, "copy")
fails("symbols must be 1 to 26", text.task, "reverse", {symbols = 30})

local ner = text.entities{n = 40, seed = 2}
assert(ner.generated and #ner.sentences == 40)
for _, s in ipairs(ner.sentences) do
  assert(#s.words == #s.tags)
  for i, t in ipairs(s.tags) do
    local kind = t:match("^I%-(%u+)$")
    if kind then assert(s.tags[i - 1] == "B-" .. kind or s.tags[i - 1] == "I-" .. kind, "I- after " .. tostring(s.tags[i - 1])) end
  end
end
local sent = ner.sentences[1]
local ytags = ner.y:totable()[1]
for i = 1, #sent.tags do assert(ner.tags.tokens[ytags[i] + 1] == sent.tags[i]) end
-- the tagger's data set: a class of set.labels at each step, -1 at padding
assert(ner.data:info().classes == #ner.labels and #ner.labels == 7 and ner.data:info().ny == ner.x:shape()[2])
local dy = ner.data:y():totable()
for i, s in ipairs(ner.sentences) do
  for t = 1, #dy[i] do
    if t <= #s.tags then assert(ner.labels[dy[i][t] + 1] == s.tags[t]) else assert(dy[i][t] == -1) end
  end
end
-- the ambiguous names are people and places both
local kinds = {}
for _, s in ipairs(text.entities{n = 400, seed = 3}.sentences) do
  for i, w in ipairs(s.words) do kinds[w .. " " .. s.tags[i]] = true end
end
assert(kinds["georgia B-PER"] and kinds["georgia B-LOC"])

---------------------------------------------------------------------------------
-- per-step labels: accuracy and the confusion matrix count the real steps only
---------------------------------------------------------------------------------

nn.seed(4)
local tagger = nn.sequential{nn.embedding(#ner.words.tokens, 4, {padding = 0}),
  nn.lstm(4, 5, {output = "all", mask = true}), nn.linear(5, #ner.labels)}
local run = tagger:fit{ner.data, epochs = 2, batch = 8, verbose = false, wait = true}
assert(run.state == "done" and run.history.acc[2] > 0, "a tagger trains on the set with its default loss")
local ev = tagger:evaluate(ner.data) -- the default loss of per-step classes: seq_cross_entropy
local pred, right, real, cm_total = tagger:predict(ner.data:x()):totable(), 0, 0, 0
for i, row in ipairs(dy) do
  for t, tag in ipairs(row) do
    if tag >= 0 then
      local best = 1
      for j = 2, #ner.labels do if pred[i][t][j] > pred[i][t][best] then best = j end end
      real, right = real + 1, right + (best - 1 == tag and 1 or 0)
    end
  end
end
for _, r in ipairs(ev.confusion) do for _, v in ipairs(r) do cm_total = cm_total + v end end
assert(#ev.confusion == #ner.labels and cm_total == real, ("confusion counts %d tags, %d are real"):format(cm_total, real))
near(ev.accuracy, right / real, 1e-12, "per-token accuracy over the real steps")
near(ev.loss, nn.seq_cross_entropy(tagger:predict(ner.data:x()):reshape{40, 11 * 7}, ner.data:y()):item(), 1e-4, "loss")
fails("label 7.0 of row 1, step 2 is not a class 0..6 (or -1 for padding)", data.from,
  nn.zeros{1, 3}, nn.tensor{{0, 7, -1}}, {classes = 7})
fails("label -1.0 of row 2 is not a class 0..2", data.from, nn.zeros{2, 1}, nn.tensor{{0}, {-1}}, {classes = 3})
fails("one_hot takes one", ner.data.one_hot, ner.data)
assert(tostring(ner.data):find("7 classes at each of", 1, true), tostring(ner.data))
-- a vocabulary past 512 classes: accuracy per token, no confusion matrix (its square)
local many = {}
for i = 1, 600 do many[i] = "w" .. i end
local big = text.corpus(table.concat(many, " "), {level = "word"}):windows(5)
nn.seed(1)
local bev = nn.sequential{nn.embedding(600, 3), nn.linear(3, 600)}:evaluate(big)
assert(bev.accuracy >= 0 and bev.accuracy <= 1 and bev.confusion == nil and big:info().classes == 600)

---------------------------------------------------------------------------------
-- sampling and decoding
---------------------------------------------------------------------------------

local p = text.softmax({1, 2, 3})
near(p[3], math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3)), 1e-12, "softmax")
local cold = text.softmax({1, 2, 3}, 0.1)
assert(cold[3] > 0.99)
local hot = text.softmax({1, 2, 3}, 100)
assert(hot[1] > 0.32)
-- a draw u falls into the cumulative probabilities
assert(text.sample({0, 0, 0, 0}, {uniform = 0.3}) == 1)
assert(text.sample({0, 0, 0, 0}, {uniform = 0.99}) == 3)
-- top_k = 2 keeps ids 2 and 3 (the largest), each 1/2 when they tie
local id, probs = text.sample({0, 0, 5, 5}, {top_k = 2, uniform = 0.6})
assert(id == 3 and probs[1] == 0 and near(probs[3], 0.5, 1e-12, "top-k") == nil)
fails("top_k must be a whole number > 0", text.sample, {1, 2}, {top_k = 0})
fails("temperature must be a number > 0", text.softmax, {1, 2}, 0)
-- sampling at the prompt draws from nn's generator: the same seed, the same text
nn.seed(5)
local counts = {0, 0, 0}
for _ = 1, 3000 do local i = text.sample({math.log(0.5), math.log(0.3), math.log(0.2)}); counts[i + 1] = counts[i + 1] + 1 end
near(counts[1] / 3000, 0.5, 0.04, "sampled frequency")
near(counts[3] / 3000, 0.2, 0.04, "sampled frequency")

-- A hand-made model where greedy and beam differ. Tokens: 0 <START>, 1 A, 2 B, 3 C,
-- 4 D, 5 <END>. After <START>: A 0.6, B 0.4. After A: C 0.35, D 0.35, <END> 0.3
-- (a flat continuation). After B: C 0.9. After C or D: <END> 1.
-- Greedy: A (0.6) then C (0.35) then <END>: 0.21. Beam 2: B C <END> = 0.36.
local L = math.log
local NEG = -1e9
local table_ = {
  [0] = {NEG, L(0.6), L(0.4), NEG, NEG, NEG},
  [1] = {NEG, NEG, NEG, L(0.35), L(0.35), L(0.3)},
  [2] = {NEG, NEG, NEG, L(0.9), NEG, L(0.1)},
  [3] = {NEG, NEG, NEG, NEG, NEG, 0},
  [4] = {NEG, NEG, NEG, NEG, NEG, 0},
}
local calls = 0
local function step(state, tok) calls = calls + 1; return table_[tok], (state or 0) + 1 end
local g_ids, g_steps = text.greedy(step, {start = 0, stop = 5, max_len = 10})
assert(join(g_ids) == "1,3", join(g_ids))
assert(#g_steps == 3 and g_steps[3].chosen == 5)
near(g_steps[1].probs[2], 0.6, 1e-9, "greedy step 1")
local b_ids, b_logp, beams = text.beam(step, {start = 0, stop = 5, width = 2, max_len = 10})
assert(join(b_ids) == "2,3", join(b_ids))
near(b_logp, L(0.36), 1e-9, "beam log probability")
assert(#beams == 2 and beams[2].logp <= beams[1].logp and beams[1].done)
-- width 1 is greedy
assert(join(text.beam(step, {start = 0, stop = 5, width = 1})) == "1,3")
-- generate at a temperature near 0 is greedy too
assert(join(text.generate(step, {start = 0, stop = 5, temperature = 1e-3})) == "1,3")
fails("expected a step function", text.greedy, 42, {})
fails("the step function must return logits", text.greedy, function() return "x" end, {start = 0})

---------------------------------------------------------------------------------
-- attention: shapes, weights, gradients against finite differences
---------------------------------------------------------------------------------

nn.seed(11)
local q, k, v = nn.randn{3, 4}:requires_grad(), nn.randn{5, 4}:requires_grad(), nn.randn{5, 2}:requires_grad()
for _, kind in ipairs{"dot", "additive"} do
  local att = text.attention{kind = kind, dim = 4, hidden = 3}
  local ctx, wts = att:forward(q, k, v)
  assert(ctx.shape[1] == 3 and ctx.shape[2] == 2 and wts.shape[1] == 3 and wts.shape[2] == 5)
  for _, row in ipairs(att.weights:totable()) do
    local s = 0
    for _, x_ in ipairs(row) do s = s + x_ end
    near(s, 1, 1e-5, kind .. " weights' row sum")
  end
  -- dot product, by hand for row 1, column 1: q1.k1 / sqrt(4) through the softmax
  if kind == "dot" then
    local qt, kt = q:totable(), k:totable()
    local sc = {}
    for j = 1, 5 do
      local s = 0
      for i = 1, 4 do s = s + qt[1][i] * kt[j][i] end
      sc[j] = s / 2
    end
    near(att.weights:totable()[1][1], text.softmax(sc)[1], 1e-5, "dot weight by hand")
  end
  -- gradients of sum(ctx * R) against central differences, for every input and
  -- parameter: each slot is read and replaced by name (tensors have no setter)
  local R = nn.randn{3, 2}
  local vals = {q = q, k = k, v = v}
  local slots = {"q", "k", "v"}
  if kind == "additive" then slots = {"q", "k", "v", "W_q", "W_k", "v_att"} end
  -- q, k, v name the inputs (vals first: the additive attention's own v is "v_att")
  local function get(name) if vals[name] then return vals[name] end return name == "v_att" and att.v or att[name] end
  local function set(name, t)
    if vals[name] then vals[name] = t elseif name == "v_att" then att.v = t else att[name] = t end
  end
  local function loss() return (att:forward(vals.q, vals.k, vals.v) * R):sum() end
  for _, n in ipairs(slots) do set(n, get(n):detach():requires_grad()) end
  loss():backward()
  local worst = 0
  for _, n in ipairs(slots) do
    local t = get(n)
    local g, flat = t.grad:totable(), t:totable()
    for i = 1, #flat do
      for j = 1, #flat[1] do
        local keep, h = flat[i][j], 1e-2
        flat[i][j] = keep + h; set(n, nn.tensor(flat))
        local lp = loss():item()
        flat[i][j] = keep - h; set(n, nn.tensor(flat))
        local lm = loss():item()
        flat[i][j] = keep; set(n, t)
        worst = math.max(worst, math.abs((lp - lm) / (2 * h) - g[i][j]))
      end
    end
  end
  assert(worst < 2e-3, kind .. " attention gradient differs from finite differences by " .. worst)
end
fails('kind must be "dot" or "additive"', text.attention, {kind = "cosine", dim = 2})
fails("queries [3,4] and keys [2,3] differ in size", function()
  text.attention{dim = 4}:forward(nn.randn{3, 4}, nn.randn{2, 3})
end)

---------------------------------------------------------------------------------
-- word2vec through Lua
---------------------------------------------------------------------------------

-- animals in one context, colours in another: each one's nearest word is its twin
local lines = {}
local gen = text._rng(9)
for i = 1, 400 do
  lines[i] = ("the %s runs fast and a %s car stops"):format(gen.pick{"cat", "dog"}, gen.pick{"red", "blue"})
end
local corpus = text.corpus(table.concat(lines, "\n"), {level = "word"})
for _, method in ipairs{"cbow", "skipgram"} do
  nn.seed(3)
  local m = text.word2vec(corpus, {method = method, dim = 10, window = 2, subsample = 0, epochs = 10})
  assert(m:nearest("cat", 1)[1].word == "dog", method .. ": cat's nearest is " .. m:nearest("cat", 1)[1].word)
  assert(m:nearest("red", 1)[1].word == "blue", method)
  assert(m:similarity("cat", "dog") > m:similarity("cat", "red"), method)
  -- the same seed gives the same vectors
  nn.seed(3)
  local m2 = text.word2vec(corpus, {method = method, dim = 10, window = 2, subsample = 0, epochs = 10})
  assert(join(m2:vector("cat"):totable()) == join(m:vector("cat"):totable()))
  local xs, ys, var = m:map{"cat", "dog", "red", "blue", "the"}
  assert(#xs == 5 and #ys == 5 and var[1] >= var[2])
end
fails('"zebra" is not in the vocabulary', function() text.word2vec(corpus, {epochs = 1}):nearest("zebra") end)
fails("the corpus is of characters", text.word2vec, text.corpus("abc"))
fails("dim must be 1..4096, got 0", text.word2vec, corpus, {dim = 0})

---------------------------------------------------------------------------------
-- views, offscreen
---------------------------------------------------------------------------------

local out = os.tmpname()
local att = text.attention{dim = 4}
att:forward(q, k)
plot.attention(att, {"a", "b", "c", "d", "e"}, {"x", "y", "z"}, {show = false}):save(out)
local field = require("views_text").attention_field(att.weights:totable(), {"a"}, {"x"})
assert(#field.values > 0)
-- the weights as flat cells, the first target at the top, colours from 0 to the largest
-- weight: no upsampled nodes and no fake node below zero
local aw = {{0.5, 0.25, 0.25}, {0.1, 0.8, 0.1}}
field = require("views_text").attention_field(aw, {"a", "b", "c"}, {"x", "y"})
assert(field.cells and #field.values == 2 and #field.values[1] == 3, "2 x 3 cells")
for i = 1, 2 do
  for j = 1, 3 do assert(field.values[3 - i][j] == aw[i][j], ("cell %d,%d"):format(i, j)) end
end
assert(field.clim[1] == 0 and field.clim[2] == 0.8 and field.yticks[2] == "x" and field.xticks[3] == "c")
local _, bars = plot.decoding(g_steps, {step = 2, top = 3, show = false, labels = {"<S>", "A", "B", "C", "D", "<E>"}})
assert(bars.labels[1] == "C" and bars.labels[2] == "D" and bars.labels[3] == "<E>", join(bars.labels))
local _, map = plot.word_map(text.word2vec(corpus, {epochs = 1}), {n = 6, show = false})
assert(#map.words == 6 and #map.x == 6)
fails("step must be 1 to 3", plot.decoding, g_steps, {step = 4, show = false})

-- plot.states: LSTMVis's selection and match on hand-made states (time by unit):
-- units 1 and 3 are above 0.5 at steps 2-3; they are both on again at steps 5-6
local VT = require "views_text"
local st = {{0.9, 0, 0.1}, {0.8, 0.2, 0.7}, {0.6, 0.9, 0.9}, {0.1, 0.9, 0.8}, {0.7, 0, 0.6}, {0.9, 0.1, 0.9}}
assert(join(VT.units_on(st, 2, 3, 0.5)) == "1,3")
assert(join(VT.units_on(st, 1, 3, 0.5)) == "1")
assert(#VT.units_on(st, 1, 6, 0.95) == 0)
local function spans_text(sp)
  local o = {}
  for i, x in ipairs(sp) do o[i] = x[1] .. "-" .. x[2] end
  return table.concat(o, " ")
end
assert(spans_text(VT.spans_on(st, 6, {1, 3}, 0.5)) == "2-3 5-6", spans_text(VT.spans_on(st, 6, {1, 3}, 0.5)))
assert(spans_text(VT.spans_on(st, 5, {1, 3}, 0.5)) == "2-3 5-5", "the length cuts the last run")
assert(spans_text(VT.spans_on(st, 6, {}, 0.5)) == "", "no units, no spans")
-- the view on a model: the states are nn.trace's, the list names every other span
nn.seed(2)
local sm = nn.sequential{nn.embedding(#ner.words.tokens, 4, {padding = 0}),
  nn.lstm(4, 6, {output = "all", mask = true}), nn.linear(6, #ner.labels)}
local sv = plot.states(sm, ner.data, {words = ner.words, threshold = 0, sample = 3, show = false})
assert(sv.lens[3] == #ner.sentences[3].words, "lengths from the padding (<PAD> is id 0)")
sm:predict(ner.x)
local trace3 = nn.trace(sm, "h", {sample = 3}):totable()
near(sv.states[3][2][4], trace3[2][4], 1e-6, "the view's states are the trace's")
-- the heat map: one flat cell a unit and step (unit 1 at the top), hidden states on
-- tanh's fixed -1..1, no fake nodes
local sf = sv:_field()
assert(sf.cells and #sf.values == 6 and #sf.values[1] == sv.lens[3], "6 units x the steps, as cells")
for j = 1, 6 do
  for t = 1, sv.lens[3] do
    assert(sf.values[6 - j + 1][t] == sv.states[3][t][j], ("unit %d step %d"):format(j, t))
  end
end
assert(sf.clim[1] == -1 and sf.clim[2] == 1)
assert(#plot.states(sm, ner.data, {state = "c", show = false}):_field().clim == 0, "cell states: the range of the values")
local units, matches = sv:select(2, 3)
assert(join(units) == join(VT.units_on(trace3, 2, 3, 0)))
local expect = 0
for s = 1, #sv.states do
  for _, sp in ipairs(VT.spans_on(sv.states[s], sv.lens[s], units, 0)) do
    local own = s == 3 and sp[1] <= 3 and sp[2] >= 2
    if not own and sp[2] - sp[1] + 1 >= 2 then expect = expect + 1 end
  end
end
assert(#matches == expect and expect > 0, ("%d matches, %d expected"):format(#matches, expect))
assert(matches[1].text:find("[", 1, true) and sv.list:kind() == "text")
sv:set_threshold(2) -- no unit of a tanh state is above 2
assert(#sv.units == 0 and #sv.matches == 0 and sv.selection[1] == 2)
sv:save(out)
local f = io.open(out, "rb")
assert(f and f:read(4) == "\137PNG", "the view saves a PNG")
f:close()
fails("steps are whole numbers 1 to " .. sv.lens[3], sv.select, sv, 0, 2)
fails("expected a number", sv.set_threshold, sv, "high")
fails("v:select: call it on a states view with a colon, v:select(...); got 2", sv.select, 2, 3)
fails("expected a model with an rnn, lstm or gru layer", plot.states, nn.sequential{nn.linear(2, 2)}, ner.data)
fails('state must be "h" or "c"', plot.states, sm, ner.data, {state = "x", show = false})
fails("only an LSTM has a cell state", plot.states, nn.sequential{nn.embedding(90, 4), nn.gru(4, 3, {output = "all"})}, ner.data, {state = "c", show = false})
-- live: with run = a run at the prompt, the view reads the states again as it trains,
-- and the trained model's at its end, keeping the selection
do
  local repl = require "repl"
  nn.seed(2)
  local lm = nn.sequential{nn.embedding(#ner.words.tokens, 4, {padding = 0}),
    nn.lstm(4, 6, {output = "all", mask = true}), nn.linear(6, #ner.labels)}
  local was = repl.interactive
  repl.interactive = true
  local lrun = lm:fit{ner.data, epochs = 30, batch = 8, verbose = false}
  local lv = plot.states(lm, ner.data, {words = ner.words, threshold = 0, run = lrun})
  local before = lv.states[1][2][1]
  lv:select(2, 3)
  for _ = 1, 20000 do
    if lrun.state ~= "running" then break end
    repl._jobs_step(0.01)
  end
  for _ = 1, 20 do repl._jobs_step(0.01) end
  repl.interactive = was
  assert(lrun.state == "done", lrun.state)
  lm:predict(ner.x)
  local after = nn.trace(lm, "h", {sample = 1}):totable()[2][1]
  assert(after ~= before, "training moved the state")
  near(lv.states[1][2][1], after, 1e-6, "the live view's state at the end of the run")
  assert(lv.selection[1] == 2 and lv.selection[2] == 3, "the selection is kept")
  lv.window:close()
end
os.remove(out)
print("test_text: ok")
