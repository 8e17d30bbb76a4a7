-- test_text_lm.lua: the character-level language model's API (lua/text_lm.lua) and its
-- live view (lua/views_lm.lua) against known answers: corpus:lines's sequences, a
-- bigram "model" of known probabilities whose bits per character are computed by
-- hand and whose samples follow softmax(logits / T) (argmax as T -> 0, top_k = 1
-- greedy, the shares of the first letter at T = 1 and T = 0.5), the word list's
-- subsample, the refusals, and plot.lm_samples during a fit: it refreshes every
-- `every` steps, leaves the training as it would be without it, draws its PNG, and
-- run:seek(0) gives back the untrained model's samples (the same seed, the same weights).
local V = require "views_lm"

local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end
local function near(a, b, tol, what)
  assert(math.abs(a - b) <= tol, ("%s: %.9g, expected %.9g"):format(what, a, b))
end

-- counts: "\n" 3, b 3, a 2; ties by text: ids 0 "\n", 1 b, 2 a
local c = text.corpus("ab\nab\nb\n")
assert(c.vocab.tokens[1] == "\n" and c.vocab.tokens[2] == "b" and c.vocab.tokens[3] == "a")

-- corpus:lines: x = "\n" then the line, y = the line then "\n", padded with "\n" / -1
local d = c:lines()
assert(d:info().n == 3 and d:x():shape()[2] == 3)
local x, y = d:x():totable(), d:y():totable()
local function same(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end -- 2.0 == 2: ids from tensors are floats
  return true
end
assert(same(x[1], {0, 2, 1}) and same(y[1], {2, 1, 0}), "ab")
assert(same(x[3], {0, 1, 0}) and same(y[3], {1, 0, -1}), "b, padded")
local s = c:lines{strings = {"ba", ""}}
assert(same(s:x():totable()[1], {0, 1, 2}) and same(s:y():totable()[1], {1, 2, 0}), "strings")
assert(same(s:y():totable()[2], {0, -1, -1}), "the empty string: the line's end at once")
assert(c:lines{max_len = 1}:info().n == 1 and c:lines{limit = 2}:info().n == 2)
local tr, te = c:lines{test = 0.34}
assert(tr:info().n + te:info().n == 3)
fails("expected a character corpus", function() return text.corpus("a b\n", {level = "word"}):lines() end)
fails("strings[1]: text: \"z\" is not in the vocabulary", function() return c:lines{strings = {"za"}} end)
fails("strings[1] must be a string without a newline", function() return c:lines{strings = {"a\nb"}} end)
fails("no line of at most", function() return c:lines{max_len = 0 + 0 * 1 + 1, limit = 1, strings = {"abab"}} end)
fails("unknown option 'tset'", function() return c:lines{tset = 0.1} end)
fails("c:lines: call it on a corpus with a colon, c:lines(...); got a table", function() return c.lines({}) end)

-- A bigram model of known probabilities: the logits at each step are log P(. | x_t).
local P = {[0] = {0.1, 0.3, 0.6}, [1] = {0.8, 0.1, 0.1}, [2] = {0.2, 0.7, 0.1}} -- by id: "\n", b, a
local bigram = {}
function bigram.predict(_, ids)
  local out = {}
  for i, row in ipairs(ids:totable()) do
    out[i] = {}
    for t, id in ipairs(row) do
      local p = P[math.tointeger(id)]
      out[i][t] = {math.log(p[1]), math.log(p[2]), math.log(p[3])}
    end
  end
  return nn.tensor(out)
end
local L2 = math.log(2)
local function lg(p) return -math.log(p) / L2 end

-- bits per character by hand: "ab" twice (a|\n, b|a, \n|b), then "b" (b|\n, \n|b)
local want = (2 * (lg(0.6) + lg(0.7) + lg(0.8)) + lg(0.3) + lg(0.8)) / 8
local bits, ppl, n = text.bits_per_char(bigram, d)
near(bits, want, 1e-6, "bits per character")
near(ppl, 2 ^ want, 1e-5, "perplexity")
assert(n == 8, "8 real targets, padding left out")
near(text.bits_per_char(bigram, d, {batch = 1}), want, 1e-6, "batch of one")
-- the unigram baseline: counts 3, 3, 2 of 8
near(V.unigram_bits(c), -(2 * 3 / 8 * math.log(3 / 8, 2) + 2 / 8 * math.log(2 / 8, 2)), 1e-12, "unigram entropy")

-- sampling: T -> 0 is the argmax chain \n -> a -> b -> \n; top_k = 1 is greedy
local lines, info = text.lm_sample(bigram, c, {n = 3, temperature = 0.01, seed = 1})
assert(same(lines, {"ab", "ab", "ab"}), table.concat(lines, ","))
-- the info prints one line at the prompt, its fields as they are
assert(tostring(info) == ("(3 lines, log p %.2f, %.2f, %.2f; .ids, .logp)"):format(info.logp[1], info.logp[2],
  info.logp[3]) and #info.ids == 3, tostring(info))
assert(same(text.lm_sample(bigram, c, {n = 2, top_k = 1, seed = 5}), {"ab", "ab"}))
-- at T = 1 the log-probability of "ab" is log 0.6 + log 0.7 + log 0.8
local l1, i1 = text.lm_sample(bigram, c, {n = 40, seed = 3, max_len = 8})
for k, line in ipairs(l1) do
  if line == "ab" then near(i1.logp[k], math.log(0.6 * 0.7 * 0.8), 1e-5, "logp of ab (float32 logits)") end
end
near(info.logp[1], math.log(1), 1e-6, "T -> 0: probability 1")
-- the same seed gives the same lines; the prefix is kept and continued
assert(same(text.lm_sample(bigram, c, {n = 5, seed = 9}), text.lm_sample(bigram, c, {n = 5, seed = 9})))
assert(same(text.lm_sample(bigram, c, {n = 2, prefix = "b", temperature = 0.01, seed = 1}), {"b", "b"}))
-- the first letter's shares: a 0.6 at T = 1; 0.36 / (0.36 + 0.09 + 0.01) at T = 0.5
local function share_a(T)
  local k = 0
  local got = text.lm_sample(bigram, c, {n = 2000, temperature = T, seed = 7, max_len = 1})
  for _, w in ipairs(got) do if w:sub(1, 1) == "a" then k = k + 1 end end
  return k / #got
end
near(share_a(1), 0.6, 0.04, "P(a first) at T = 1")
near(share_a(0.5), 0.36 / 0.46, 0.04, "P(a first) at T = 0.5")
-- text.lm_step decodes with text.greedy
local ids = text.greedy(text.lm_step(bigram), {start = 0, stop = 0, max_len = 5})
assert(c:decode(ids) == "ab")
fails("temperature must be a number > 0", text.lm_sample, bigram, c, {temperature = 0})
fails("expected the corpus the model learned", text.lm_sample, bigram, "abc")
fails("expected a language model", text.lm_sample, 42, c)
fails("must give logits [batch, T, V]", text.lm_sample, nn.sequential{nn.embedding(3, 2), nn.lstm(2, 3), nn.linear(3, 3)}, c)
fails("expected a data set", text.bits_per_char, bigram, {})

-- the word list: lower-case a-z words, shuffled by seed, the first n
local w = text.word_list{n = 500}
assert(#w.lines_list == 500 and w:size() == 27)
for _, word in ipairs(w.lines_list) do assert(word:find("^[a-z]+$"), word) end
assert(same(text.word_list{n = 20}.lines_list, text.word_list{n = 20, seed = 1}.lines_list))
assert(not same(text.word_list{n = 20}.lines_list, text.word_list{n = 20, seed = 2}.lines_list))
assert(w.lines_list[1] ~= "a" and w.lines_list[2] > "", "shuffled, not alphabetical")
fails("text.word_list: cannot open /no/such/list", text.word_list, {path = "/no/such/list"})

-- plot.lm_samples during a fit: a refresh every `every` steps, then seek
nn.seed(1)
local wc = text.word_list{n = 300}
local lm = nn.sequential{nn.embedding(wc:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, wc:size())}
local view = plot.lm_samples(lm, wc, {every = 10, n = 4, show = false})
assert(view.refreshes == 1 and #view.samples == 3 and #view.samples[1].lines == 4)
local untrained = {table.unpack(view.samples[3].lines)}
local run = lm:fit{wc:lines(), loss = nn.seq_cross_entropy, optimizer = optim.adam(lm, {lr = 0.01}), epochs = 3,
  batch = 30, on_step = view.on_step, verbose = false}
-- 30 steps: refreshes at steps 1, 11, 21 and the last (30), after the first one
assert(view.refreshes == 5, "refreshes: " .. view.refreshes)
assert(view.step == 30 and view.loss:version() > 0)
local trained = {table.unpack(view.samples[3].lines)}
-- the view draws from a generator of its own and its forwards leave the run alone:
-- the same model trained without it ends with the same weights
nn.seed(1)
local twin = nn.sequential{nn.embedding(wc:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, wc:size())}
twin:fit{wc:lines(), loss = nn.seq_cross_entropy, optimizer = optim.adam(twin, {lr = 0.01}), epochs = 3, batch = 30,
  verbose = false}
assert(text.bits_per_char(twin, wc:lines()) == text.bits_per_char(lm, wc:lines()), "the view changed the training")
assert(not same(trained, untrained), "training changed the samples")
run:seek(0)
assert(same(view.samples[3].lines, untrained), "seek(0): the untrained model's samples again")
run:seek("latest")
assert(same(view.samples[3].lines, trained), "seek latest: the trained model's")
local png = os.tmpname() .. ".png"
view:save(png)
local f = assert(io.open(png, "rb"))
assert(f:read(8) == "\137PNG\r\n\26\n", "a PNG")
f:close()
os.remove(png)
fails("temperature 2 must be a number > 0", plot.lm_samples, lm, wc, {temperatures = {1, -1}, show = false})
fails("expected a language model", plot.lm_samples, nil, wc)
fails("run must be a run", plot.lm_samples, lm, wc, {run = 3, show = false})

-- the loss curve draws a point every tenth of `every` steps: a run shorter than one
-- refresh of the samples still shows its curve (not only its first loss)
do
  local m2 = nn.sequential{nn.embedding(wc:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, wc:size())}
  local v2 = plot.lm_samples(m2, wc, {every = 100, n = 2, show = false})
  local real, pushed = v2.loss, {}
  v2.loss = setmetatable({push = function(_, name, y, x)
    if name == "train" then pushed[#pushed + 1] = x end
    return real:push(name, y, x)
  end}, {__index = function(_, k) return function(_, ...) return real[k](real, ...) end end})
  m2:fit{wc:lines(), loss = nn.seq_cross_entropy, epochs = 3, batch = 30, on_step = v2.on_step, verbose = false}
  -- 30 steps: the first loss at step 1, then the means of steps 1-10, 11-20 and 21-30
  assert(#pushed == 4 and pushed[1] == 1 and pushed[4] == 30,
    "the curve's points: " .. #pushed .. " at " .. table.concat(pushed, ", "))
end
print("text_lm: ok")
