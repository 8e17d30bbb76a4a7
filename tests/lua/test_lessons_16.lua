-- test_lessons_16.lua: the claims that the text of lesson 16 makes from numbers hold
-- for the run it makes (lua/lessonlib_16.lua with the lesson's model, settings and
-- seeds, as its reference solutions write them). A change that moves a figure past
-- what the text says fails here; then fix the text or the lesson, not this test.
local L = require "lessonlib_16"

local function check(cond, fmt, ...)
  if not cond then error(("lesson claim does not hold: " .. fmt):format(...), 2) end
end

local words = L.words()
local train, test = L.split(words)
check(words:size() == 27, "16: the 27 characters (%d)", words:size())
check(train:info().n == 5400 and test:info().n == 600, "16: 5400 training and 600 test words")
local x, y = L.pair(words, train, 1)
check(x:sub(1, 3) == "⏎" and y:find("⏎", 1, true) and y:find("·", 1, true), "16: x starts with ⏎, y ends with ⏎ then padding")

-- the reference solutions of the first two tasks
nn.seed(1)
local lm = nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64, {output = "all"}), nn.linear(64, words:size())}
local run = lm:fit{train, loss = nn.seq_cross_entropy, optimizer = optim.adam(lm, {lr = 0.01}), epochs = 6, batch = 32,
  verbose = false}

-- "about 3 bits, a perplexity near 8 instead of 19"; "about 1.2 bits less"; the check's bar 0.8
local bits, ppl = text.bits_per_char(lm, test)
local uni = L.unigram_bits(words)
check(math.abs(uni - 4.24) < 0.01 and math.abs(2 ^ uni - 19) < 0.2, "16: the unigram baseline 4.24 bits, perplexity 19 (%.3f)", uni)
check(bits > 2.8 and bits < 3.2 and ppl > 7 and ppl < 9, "16: the LSTM about 3 bits a character, perplexity near 8 (%.3f, %.2f)", bits, ppl)
check(uni - bits >= 1.0 and uni - bits <= 1.4, "16: the LSTM beats the unigram baseline by about 1.2 bits (%.3f)", uni - bits)

-- "The loss curve starts above the orange line ... crosses the line within the first hundred steps"
local steps = run:losses()
local late = 0
for i = 91, 100 do late = late + steps[i] / 10 end
check(steps[1] / math.log(2) > uni and late / math.log(2) < uni, "16: the loss starts above the baseline (%.2f bits) and is below it by step 100 (%.2f)",
  steps[1] / math.log(2), late / math.log(2))

-- task 3: a lower temperature gives likelier words (the check's margins, with room)
local cold = text.lm_sample(lm, words, {n = 20, temperature = 0.2, seed = 1})
local warm = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})
local hot = text.lm_sample(lm, words, {n = 20, temperature = 2.0, seed = 1})
local bc, bw, bh = L.bits_of(lm, words, cold), L.bits_of(lm, words, warm), L.bits_of(lm, words, hot)
check(bc < bw - 0.5 and bw < bh - 0.6, "16: samples' bits cold %.2f < warm %.2f < hot %.2f", bc, bw, bh)

-- the table of 200 samples a temperature (seed 2) and what the text reads from it
local function stats(t)
  local s = text.lm_sample(lm, words, {n = 200, temperature = t, seed = 2})
  return L.distinct(s), L.in_dictionary(s), L.known_triples(s)
end
local d02, w02 = stats(0.2)
local d05, w05, k05 = stats(0.5)
local d1, w1, k1 = stats(1)
local _, w2, k2 = stats(2)
-- "Cold is repetitive: ... many of the 200 are repeats, and many are real words"
check(d02 <= 0.8 and d05 >= 0.95 and d1 >= 0.95, "16: T = 0.2 repeats (%.2f distinct; %.2f at 0.5, %.2f at 1)", d02, d05, d1)
check(w02 >= 0.1, "16: T = 0.2 samples real words (%.2f)", w02)
-- generated words look like words: at T = 0.5 a share are words of the dictionary, and
-- nearly all their letter triples are English ones; at T = 2 far fewer
-- ("a seventh on the page")
check(w05 >= 0.1 and w05 <= 0.2 and w05 >= 3 * w2, "16: T = 0.5 gives dictionary words, about a seventh (%.2f, T = 2: %.2f)", w05, w2)
check(k05 >= 0.97 and k1 >= 0.95, "16: T = 0.5 and 1 keep to English letter triples (%.3f, %.3f)", k05, k1)
check(k2 < 0.95, "16: T = 2 makes letter triples no English word has (%.3f known)", k2)
check(w1 < w05 or w1 < 0.15, "16: T = 1's words are mostly new (%.2f in the dictionary)", w1)
print(("ok   16 (bits %.3f, unigram %.3f; dictionary share at T = 0.5 %.2f, at T = 2 %.2f)"):format(bits, uni, w05, w2))
