-- Lesson 16: a character-level language model. An LSTM reads the words of the word
-- list one character at a time and learns to predict the next; samples drawn at a
-- few temperatures are shown live while it trains; its bits per character are
-- measured against the unigram baseline.
lesson{"char_lm", "A character-level language model"}

say[[
# Predicting the next character

A **language model** gives the probability of the next token given the ones before:
p(c_t | c_1 … c_{t−1}). At the character level the tokens are letters; here the
text is a list of English words, one a line, and the line's end "\n" (shown ⏎) is
a character too: it is how the model says a word is finished.

The model reads a word one character at a time. At each step an **embedding** turns
the character's id into a vector, an LSTM updates its state, and a dense layer gives
one score (logit) per character of the vocabulary; a softmax turns the scores into
p(next character). The loss is the cross-entropy at every step, −log p(the true next
character), averaged over the real steps: padding counts nowhere.
]]

show[[
L16 = require "lessonlib_16"
words = L16.words()          -- 6000 words of the 63,875 of /usr/share/dict/words (a-z only), shuffled
print(words)
print(table.concat(words.lines_list, " ", 1, 10))
word_train, word_test = L16.split(words)   -- words:lines{test = 0.1}: one sequence a word
print(word_train:x():shape()[1], "training words,", word_test:x():shape()[1], "test words, each padded to",
  word_train:x():shape()[2], "steps")
pair_x, pair_y = L16.pair(words, word_train, 1)
print("x: " .. pair_x)
print("y: " .. pair_y)
]]

say[[
`words:lines()` makes one sequence of each word: x starts with ⏎ (the end of the
word before, the cue "a word starts here"), then the letters; y is x shifted by one:
the letters, then ⏎. So y[t] is always the character after x[t]. Words are padded
to the longest (·): y's padding is −1, which `nn.seq_cross_entropy` skips.
]]

task{
  [[Build the model `lm`: `nn.embedding(V, 16)` (V = `words:size()`, the 27
  characters), an LSTM of 64 units from 16 inputs that outputs **every** step
  (`{output = "all"}`), and `nn.linear(64, V)`, which works on each step. For ids
  [batch, T] it must give logits [batch, T, V]. Start with `nn.seed(1)`.]],
  check = function(env)
    local m = env.lm
    if m == nil or not pcall(function() return m:children() end) then return false, "set lm to an nn.sequential{...}" end
    local x = env.word_train:x():rows(1, 2)
    local ok, y = pcall(function() return m:predict(x) end)
    if not ok then return false, "lm fails on a batch of word ids: " .. tostring(y):gsub("^[^:]*:%d+: ", "") end
    local s = y:shape()
    local V, T = env.words:size(), x:shape()[2]
    if #s ~= 3 then
      return false, ("lm gives [%s] for ids [2, %d]: the LSTM must output every step (output = \"all\"), not only the last")
        :format(table.concat(s, ", "), T)
    end
    if s[3] ~= V then
      return false, ("lm gives %d scores a step; the vocabulary has %d characters (⏎ included): nn.linear(64, words:size())")
        :format(s[3], V)
    end
    local kinds = {}
    for _, c in ipairs(m:children()) do kinds[#kinds + 1] = c:info().kind end
    if kinds[1] ~= "embedding" or kinds[2] ~= "lstm" then
      return false, "lm should be an embedding, then an LSTM, then the linear layer (got " .. table.concat(kinds, ", ") .. ")"
    end
    return true
  end,
  hint = "nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64, {output = \"all\"}), nn.linear(64, words:size())}",
  solution = [[
nn.seed(1)
lm = nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64, {output = "all"}), nn.linear(64, words:size())}]],
  wrong = {
    {"only the last step", [[
nn.seed(1)
lm = nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64), nn.linear(64, words:size())}]]},
    {"the 26 letters without the line's end", [[
nn.seed(1)
lm = nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64, {output = "all"}), nn.linear(64, 26)}]]},
  },
}

say[[
# Samples while it trains

To **sample** a word, start from ⏎, take the model's scores for the next
character, draw one from softmax(scores / T), feed it back, and go on until the
model draws ⏎. T is the **temperature**: T = 1 draws from the model's own
probabilities; T < 1 sharpens them towards the likeliest character (T → 0 always
takes it); T > 1 flattens them towards uniform. `text.lm_sample(lm, words,
{temperature = T})` does it, and the window below redraws samples at T = 0.2, 1 and
2 every 100 training steps, beside the loss in bits per character: the orange line
is the **unigram baseline**, the bits a model needs that knows only how often each
letter occurs.
]]

show[[
live = plot.lm_samples(lm, words, {temperatures = {0.2, 1, 2}, every = 100})
]]

task{
  [[Train `lm` on `word_train`: loss `nn.seq_cross_entropy`, Adam with lr 0.01,
  6 epochs, batch 32, `on_step = live.on_step` (the window follows the run), and
  `wait = true`. Keep the run as `lm_run`. Watch the samples: first random letters,
  then letter pairs that English has, then endings (-ing, -ers, -tion) and whole
  words. Its bits per character on `word_test` must be at least 0.8 below the
  unigram baseline.]],
  check = function(env)
    local m = env.lm
    if m == nil or not pcall(function() return m:children() end) then return false, "build lm first (the task before)" end
    if env.lm_run == nil or not pcall(function() return env.lm_run:status() end) then
      return false, "set lm_run to what lm:fit{...} returns"
    end
    local ok, bits = pcall(text.bits_per_char, m, env.word_test)
    if not ok then return false, "lm cannot be scored on word_test: " .. tostring(bits) end
    local base = env.L16.unigram_bits(env.words)
    if bits > base - 0.8 then
      return false, ("lm needs %.2f bits per character on word_test; the unigram baseline is %.2f: train it longer (6 epochs, lr 0.01)")
        :format(bits, base)
    end
    return true
  end,
  hint = [[lm_run = lm:fit{word_train, loss = nn.seq_cross_entropy, optimizer = optim.adam(lm, {lr = 0.01}), epochs = 6, batch = 32, on_step = live.on_step, wait = true}]],
  solution = [[
lm_run = lm:fit{word_train, loss = nn.seq_cross_entropy, optimizer = optim.adam(lm, {lr = 0.01}), epochs = 6,
  batch = 32, on_step = live.on_step, wait = true, verbose = false}]],
  wrong = {
    {"a learning rate far too small", [[
lm_run = lm:fit{word_train, loss = nn.seq_cross_entropy, optimizer = optim.adam(lm, {lr = 1e-6}), epochs = 1,
  batch = 32, wait = true, verbose = false}]]},
    {"plain SGD at that rate: it hardly moves in an epoch", [[
lm_run = lm:fit{word_train, loss = nn.seq_cross_entropy, optimizer = optim.sgd(lm, {lr = 0.01}), epochs = 1,
  batch = 32, wait = true, verbose = false}]]},
  },
}

say[[
The loss curve starts above the orange line: untrained, the model does worse than
one that only counts letters; it crosses the line within the first hundred steps.
The view follows the run: `lm_run:seek(1)` (or the left arrow in its window) shows
the samples the model drew after its first epoch, `lm_run:seek("latest")` the last.
Each refresh draws with the same seed, so what changes is the model, not the dice.
]]

pause()

say[[
# Temperature

The same model, three ways of drawing from it.
]]

task{
  [[Sample 20 words at each temperature, with `seed = 1` so that the draws repeat:
  `cold = text.lm_sample(lm, words, {n = 20, temperature = 0.2, seed = 1})`, then
  `warm` at 1.0 and `hot` at 2.0. Print them.]],
  check = function(env)
    local lists = {cold = env.cold, warm = env.warm, hot = env.hot}
    for name, l in pairs(lists) do
      if type(l) ~= "table" or #l < 10 or type(l[1]) ~= "string" then
        return false, ("set %s to the list text.lm_sample returns (n = 20)"):format(name)
      end
    end
    local b = {}
    for name, l in pairs(lists) do b[name] = env.L16.bits_of(env.lm, env.words, l) end
    if not (b.cold < b.warm - 0.3 and b.warm < b.hot - 0.3) then
      return false, ("under the model the samples take %.2f (cold), %.2f (warm) and %.2f (hot) bits per character: "
        .. "a lower temperature must give likelier words (T = 0.2, 1.0, 2.0)"):format(b.cold, b.warm, b.hot)
    end
    return true
  end,
  hint = "cold = text.lm_sample(lm, words, {n = 20, temperature = 0.2, seed = 1}); the same with 1.0 for warm and 2.0 for hot",
  solution = [[
cold = text.lm_sample(lm, words, {n = 20, temperature = 0.2, seed = 1})
warm = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})
hot = text.lm_sample(lm, words, {n = 20, temperature = 2.0, seed = 1})
print("T = 0.2:", table.concat(cold, " "))
print("T = 1.0:", table.concat(warm, " "))
print("T = 2.0:", table.concat(hot, " "))]],
  wrong = {
    {"the same temperature three times", [[
cold = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})
warm = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})
hot = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})]]},
    {"cold and hot swapped", [[
cold = text.lm_sample(lm, words, {n = 20, temperature = 2.0, seed = 1})
warm = text.lm_sample(lm, words, {n = 20, temperature = 1.0, seed = 1})
hot = text.lm_sample(lm, words, {n = 20, temperature = 0.2, seed = 1})]]},
  },
}

show[[
for _, t in ipairs{0.2, 0.5, 1, 2} do
  local s = text.lm_sample(lm, words, {n = 200, temperature = t, seed = 2})
  print(("T = %-3g  %3.0f%% distinct, %3.0f%% in the dictionary, %3.0f%% of letter triples English has"):format(t,
    100 * L16.distinct(s), 100 * L16.in_dictionary(s), 100 * L16.known_triples(s)))
end
]]

say[[
Cold (T = 0.2) is **repetitive**: the likeliest letters again and again, so the
same few words and endings come back (many of the 200 are repeats) and many are
real words. Hot (T = 2) is **random**: unlikely letters get a real chance, and
letter triples appear that no English word has. T = 1 draws what the model
believes; its words are new but look English. Sampling only among the k likeliest
letters (`top_k = 5`) is the other way to keep the tail out.
]]

pause()

say[[
# Bits per character

A model's loss on held-out text, in bits (log base 2), is its **bits per
character**: how many yes/no questions it needs on average to name the next
character. Its **perplexity** is 2^bits: a model with perplexity 8 is as unsure as
one choosing among 8 equally likely characters. The baseline to beat knows only the
frequency p_c of each character: its bits are the entropy H = −Σ p_c log₂ p_c.
`words.vocab.counts[i]` is the count of the character `words.vocab.tokens[i]`.
]]

task{
  [[Compute the unigram baseline `unigram_bits` (the entropy of the character
  counts, in bits), and the model's `lm_bits = text.bits_per_char(lm, word_test)`.]],
  check = function(env)
    local u, b = env.unigram_bits, env.lm_bits
    if type(u) ~= "number" or type(b) ~= "number" then return false, "set unigram_bits and lm_bits to numbers" end
    local want = env.L16.unigram_bits(env.words)
    if math.abs(u - want * math.log(2)) < 1e-6 then return false, "that is the entropy in nats: use log base 2 (math.log(p, 2))" end
    if math.abs(u - math.log(env.words:size(), 2)) < 1e-6 then
      return false, "log2 of the vocabulary size is the uniform model's bits: weight each character by its frequency"
    end
    if math.abs(u - want) > 1e-6 then return false, ("unigram_bits is %.4f; −Σ p log2 p of the counts gives something else"):format(u) end
    local real = text.bits_per_char(env.lm, env.word_test)
    if math.abs(b - real) > 1e-6 then return false, ("lm_bits is %.4f; text.bits_per_char(lm, word_test) gives %.4f"):format(b, real) end
    return true
  end,
  hint = "n = the sum of words.vocab.counts; unigram_bits = −Σ (k/n) * math.log(k/n, 2) over the counts k",
  solution = [[
local n = 0
for _, k in ipairs(words.vocab.counts) do n = n + k end
unigram_bits = 0
for _, k in ipairs(words.vocab.counts) do unigram_bits = unigram_bits - k / n * math.log(k / n, 2) end
lm_bits = text.bits_per_char(lm, word_test)
print(("unigram %.2f bits/char (perplexity %.1f), the LSTM %.2f (perplexity %.1f)"):format(unigram_bits,
  2 ^ unigram_bits, lm_bits, 2 ^ lm_bits))]],
  wrong = {
    {"natural log: nats, not bits", [[
local n = 0
for _, k in ipairs(words.vocab.counts) do n = n + k end
unigram_bits = 0
for _, k in ipairs(words.vocab.counts) do unigram_bits = unigram_bits - k / n * math.log(k / n) end
lm_bits = text.bits_per_char(lm, word_test)]]},
    {"every character equally likely", [[
unigram_bits = math.log(words:size(), 2)
lm_bits = text.bits_per_char(lm, word_test)]]},
  },
}

say[[
The LSTM needs about 1.2 bits less per character than the unigram model: about 3
bits, a perplexity near 8 instead of 19. The bits it saves are what it learned of
spelling: which letters follow which, which endings close a word.
]]

quiz{
  [[A model's perplexity on the test words is 8. What does it say?]],
  choices = {
    "It gets 8 characters in 100 wrong.",
    "On average it is as unsure of the next character as a fair choice among 8.",
    "It needs 8 bits per character.",
    "Its samples repeat every 8 words.",
  },
  answer = 2,
  why = [[Perplexity is 2^(bits per character): 8 means 3 bits, the uncertainty of a
  fair 8-sided die. It is not an error rate: the model spreads probability over
  several characters and pays −log₂ p for the one that comes.]],
}

say[[
# Your turn: the whole list

The page trained on 6000 words so that it runs in seconds. The whole list has
63,875: `words = text.word_list()`, `word_train, word_test = words:lines{test = 0.1}`,
and the same model and fit. An epoch then takes about 10 s of CPU (64 units) and
reaches 2.86 bits a character; three reach 2.78. With ten times the words a larger
LSTM pays off: 128 units (about 20 s an epoch) reach 2.69 bits in two epochs, and a
quarter of its samples at T = 0.5 are dictionary words (a seventh on the page).
`text.word_list{all = true}` keeps names and possessives (capitals and 's).

# Next

Lesson 17 opens the LSTM's gates and compares it with the GRU.
]]
