-- lessonlib_19.lua: the plumbing of lesson 19 (encoder-decoder), kept out of the code
-- the lesson prints: the course's pair as a task, the reversal task's train and test
-- sets (the test set in the training set's vocabularies), the measures the checks
-- use (exact-match accuracy, how often attention looks at the mirrored position),
-- and short runs. Nothing here leaves names in the user's globals.
-- tests/lua/test_lessons_19.lua asserts the claims the lesson's text makes, with the
-- same settings.
local text = require "text"

local lib = {}

lib.PAIR = {"nice to meet you", "ravi de vous rencontrer"}

--- lib.pair_task() -> the lab manual's one pair as a word-level task
function lib.pair_task() return text.pairs_task({lib.PAIR}, {level = "word"}) end

--- lib.reverse_sets([n = 1000]) -> train, test: reversal of 1 to 8 letters of a..h, the
--- test set (200 pairs, another seed) encoded with the training set's vocabularies
function lib.reverse_sets(n)
  local opts = {length = 8, symbols = 8}
  local train = text.task("reverse", {n = n or 1000, seed = 1, length = opts.length, symbols = opts.symbols})
  local test = text.task("reverse", {n = 200, seed = 2, length = opts.length, symbols = opts.symbols})
  test.source, test.target = train.source, train.target
  text.pad_pairs(test)
  return train, test
end

--- lib.reverse_model([attention = "additive"]) -> the lesson's seq2seq for reversal, from seed 1
function lib.reverse_model(attention)
  nn.seed(1)
  return text.seq2seq{task = (lib.reverse_sets()), embed = 16, hidden = 48, attention = attention}
end

--- lib.argmax(row) -> the 1-based position of the largest number of a list
function lib.argmax(row)
  local best, at = -math.huge, 0
  for j, v in ipairs(row) do if v > best then best, at = v, j end end
  return at
end

--- lib.alignment(model, task) -> the share of output positions t (of the reversed
--- letters, <END> left out) whose largest attention weight is on source position
--- n + 1 - t, over the task's pairs, the model decoding greedily
function lib.alignment(model, task)
  local rows = {}
  for i, p in ipairs(task.pairs) do
    local r = {}
    for j, t in ipairs(p[1]) do r[j] = model.source:id(t) end
    rows[i] = r
  end
  local _, weights = model:predict(rows)
  local good, total = 0, 0
  for b, r in ipairs(rows) do
    local n = #r
    for t = 1, math.min(n, #weights[b]) do
      total = total + 1
      if lib.argmax(weights[b][t]) == n + 1 - t then good = good + 1 end
    end
  end
  return good / total
end

--- lib.tokens(task, i, which) -> pair i's source (which = 1) or target (2) tokens
function lib.tokens(task, i, which) return task.pairs[i][which] end

--- lib.teacher_forcing_race(train, test, epochs) -> {ratio = accuracy}: the lesson's
--- model trained from seed 1 for `epochs` with teacher forcing 1 and 0, each one's
--- exact-match accuracy on test
function lib.teacher_forcing_race(train, test, epochs)
  local out = {}
  for _, ratio in ipairs{1, 0} do
    local m = lib.reverse_model()
    m:fit{train, epochs = epochs or 3, teacher_forcing = ratio, wait = true}
    out[ratio] = m:accuracy(test)
  end
  return out
end

--- lib.freedict(n) -> train: n FreeDict English-French word pairs whose two words have 2
--- to 7 letters (no spaces or punctuation), spread evenly over the alphabet (every k-th
--- such pair of the dictionary), as a character-level task
function lib.freedict(n)
  local all = {}
  for _, p in ipairs(text.translation_pairs()) do
    local a, b = utf8.len(p[1]), utf8.len(p[2])
    if a and b and a >= 2 and a <= 7 and b >= 2 and b <= 7 and p[1]:find("^%l+$")
      and p[2]:find("^[a-z\xC3\x80-\xBF]+$") then all[#all + 1] = p end
  end
  local keep, stride = {}, math.max(1, #all // n)
  for i = 1, #all, stride do
    keep[#keep + 1] = all[i]
    if #keep == n then break end
  end
  return text.pairs_task(keep, {level = "char"})
end

return lib
