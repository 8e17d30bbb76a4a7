-- Lesson 20: word embeddings. word2vec's two models, CBOW and skip-gram with negative
-- sampling, trained on a small generated corpus whose word groups are known; nearest
-- neighbours by cosine, the student's own cosine, a 2-D map of the vectors (PCA), and
-- what analogies need.
lesson{"word_embeddings", "Word embeddings: word2vec"}

local lib = require "lessonlib_19_20" -- the checks' measures

say[[
# Words as vectors

A network that reads words needs numbers. One-hot vectors (a 1 at the word's
index in a vocabulary of V words) are as long as the vocabulary and say nothing:
every two words are equally far apart. An *embedding* gives each word a short
dense vector (50 to 300 numbers) instead, learned so that words used in the same
contexts get similar vectors. That is the *distributional hypothesis*: "you shall
know a word by the company it keeps" (Firth, 1957).

word2vec (Mikolov et al., 2013) learns them with a tiny task on running text.
Around each word w_t it takes a window of c words on each side, and:

- **CBOW** (continuous bag of words) predicts the centre word from the mean of
  its context's vectors: h = (1/2c) Σ v(w_{t+j});
- **skip-gram** predicts each context word from the centre word: h = v(w_t).

A softmax over the whole vocabulary would cost V dot products per prediction.
*Negative sampling* replaces it with k + 1 logistic regressions: the true word o
against k "negative" words drawn at random, each with its output vector u:

    L = −log σ(u_o · h) − Σ_{n=1..k} log σ(−u_n · h)

Negatives are drawn in proportion to count^0.75, which draws rare words more
often than their share; and each occurrence of a very frequent word ("the") is
dropped with a probability that grows with its frequency (*subsampling*), since
it says little about its neighbours. The engine does this in C
(`src/engine/word2vec.c`); the vectors v are the embeddings.
]]

show[[
lib20 = require "lessonlib_19_20"
corpus = lib20.corpus()        -- 3000 generated sentences (see below)
print(corpus)
for _, line in ipairs(lib20.sentences(corpus, 3)) do print(line) end
]]

say[[
The corpus is generated from ten sentence templates filled with words of six
groups (animals, foods, colours, numbers, countries, capitals), so we know which
words share contexts: a real corpus (Wikipedia, news) teaches the same thing with
millions of sentences. Now skip-gram, 16 numbers per word, a window of 2:
]]

show[[
nn.seed(1)
sg, loss = text.word2vec(corpus, {method = "skipgram", dim = 16, window = 2, epochs = 5})
print(sg, ("mean loss of the last epoch %.3f"):format(loss))
for _, w in ipairs{"cat", "red", "paris", "three"} do
  local near = {}
  for i, r in ipairs(sg:nearest(w, 3)) do near[i] = ("%s %.3f"):format(r.word, r.similarity) end
  print(("%-6s -> %s"):format(w, table.concat(near, ", ")))
end
]]

say[[
Each word's nearest words by cosine similarity are words of its own group: the
model never saw a label, only which words stand next to which. ("cat" is near
"goat" not because both are animals, but because both are eaten for, sleep near
barns and want more food in these sentences.) Before training, the vectors are
random, and the neighbours are too.
]]

task{
  [[Train a **CBOW** model `cb` on `corpus` with `text.word2vec`: 16 numbers per
  word, a window of 2 and at least 5 epochs. Its 3 nearest words of "dog" should
  then be animals too.]],
  check = function(env)
    local m = env.cb
    if m == nil then return false, "there is no `cb` yet" end
    if type(m) ~= "table" or type(m.nearest) ~= "function" then
      return false, "`cb` is not a word2vec model: make it with text.word2vec(corpus, {...})"
    end
    if m.method ~= "cbow" then return false, ("`cb` is a %s model; ask for method = \"cbow\""):format(m.method) end
    if m.dim ~= 16 then return false, ("`cb` has %d numbers per word; use dim = 16"):format(m.dim) end
    if m.epochs < 5 then return false, ("`cb` was trained for %d epochs; give it at least 5"):format(m.epochs) end
    local share = lib.same_group(m, 3)
    if share < 0.8 then
      return false, ("only %.0f%% of the words have their 3 nearest words in their own group; train on `corpus`"):format(100 * share)
    end
    for _, r in ipairs(m:nearest("dog", 3)) do
      if lib.group_of(r.word) ~= "animal" then return false, ("dog's nearest words include %q"):format(r.word) end
    end
    return true
  end,
  hint = [[cb = text.word2vec(corpus, {method = "cbow", dim = 16, window = 2, epochs = 5})]],
  solution = [[
nn.seed(1)
cb = text.word2vec(corpus, {method = "cbow", dim = 16, window = 2, epochs = 5})
print(cb:nearest("dog", 3)[1].word)]],
  wrong = {
    { "skip-gram instead of CBOW", [[cb = text.word2vec(corpus, {method = "skipgram", dim = 16, window = 2, epochs = 5})]] },
    { "not trained", [[cb = text.word2vec(corpus, {method = "cbow", dim = 16, window = 2, epochs = 0}); cb.epochs = 5]] },
    { "trained on another text", [[
cb = text.word2vec(text.corpus(("the cat and the dog and the red car\n"):rep(300), {level = "word"}),
  {method = "cbow", dim = 16, window = 2, epochs = 5})]] },
  },
}

say[[
# Cosine similarity

Nearness here is the cosine of the angle between two vectors:

    cos(a, b) = a · b / (‖a‖ ‖b‖)

1 for the same direction, 0 for orthogonal, −1 for opposite. The length of a
word vector grows with how often the word was trained, so the dot product alone
would favour frequent words; the cosine looks at the direction only.
]]

task{
  [[Write `cosine(a, b)` for two tensors of the same size (such as
  `sg:vector("cat")`), returning a number. `(a * b):sum():item()` is their dot
  product, `a:pow(2):sum():sqrt():item()` a length.]],
  check = function(env)
    if type(env.cosine) ~= "function" then return false, "there is no function `cosine` yet" end
    local a, b = nn.tensor{3, 4, 0}, nn.tensor{4, 3, 0}
    local ok, got = pcall(env.cosine, a, b)
    if not ok then return false, "cosine raised an error: " .. tostring(got) end
    if type(got) ~= "number" then return false, "cosine must return a number (use :item())" end
    if math.abs(got - 24) < 1e-4 then return false, "that is the dot product; divide by the two lengths" end
    if math.abs(got - math.sqrt(2)) < 1e-4 then return false, "that is the distance ‖a − b‖; the cosine is a · b / (‖a‖ ‖b‖)" end
    if math.abs(got - 0.96) > 1e-4 then return false, ("cosine({3,4,0}, {4,3,0}) should be 0.96, got %.4f"):format(got) end
    local c = nn.tensor{-2, 0, 5}
    local want = (a * c):sum():item() / (5 * math.sqrt(29))
    local ok2, got2 = pcall(env.cosine, a, c)
    if not ok2 or type(got2) ~= "number" or math.abs(got2 - want) > 1e-4 then
      return false, ("cosine({3,4,0}, {-2,0,5}) should be %.4f"):format(want)
    end
    local ok3, got3 = pcall(env.cosine, env.sg:vector("cat"), env.sg:vector("dog"))
    if not ok3 or type(got3) ~= "number" or math.abs(got3 - env.sg:similarity("cat", "dog")) > 1e-4 then
      return false, "cosine of cat's and dog's vectors differs from sg:similarity(\"cat\", \"dog\")"
    end
    return true
  end,
  hint = "return (a * b):sum():item() / (a:pow(2):sum():sqrt():item() * b:pow(2):sum():sqrt():item())",
  solution = [[
function cosine(a, b)
  return (a * b):sum():item() / (a:pow(2):sum():sqrt():item() * b:pow(2):sum():sqrt():item())
end
print(cosine(sg:vector("cat"), sg:vector("dog")), cosine(sg:vector("cat"), sg:vector("red")))]],
  wrong = {
    { "the dot product", [[function cosine(a, b) return (a * b):sum():item() end]] },
    { "the distance", [[function cosine(a, b) return (a - b):pow(2):sum():sqrt():item() end]] },
    { "divided by one length only", [[function cosine(a, b) return (a * b):sum():item() / a:pow(2):sum():sqrt():item() end]] },
  },
}

pause()

say[[
# A map of the words

16 numbers per word do not fit on a screen. Principal component analysis finds
the two directions along which the words' vectors vary most; the map shows each
word at its coordinates along those two. Groups that the neighbours showed
become islands. Two dimensions keep only part of the spread (the variances
printed below say how much each axis holds), so two words close on the map may
still be apart in the 16.
]]

show[[
word_map, map = plot.word_map(sg, {words = lib20.map_words()})
print(("variance along the first two axes: %.4f and %.4f"):format(map.variance[1], map.variance[2]))
]]

say[[
# Real text: the King James Bible

Debian's bible-kjv-text package holds the King James Bible, 790 000 words in 31 102
verses. Words seen fewer than 5 times become `<unk>`, which leaves about 5300. One
epoch of skip-gram with 50 numbers per word takes a few seconds:
]]

show[[
bible = text.bible{min_count = 5}
print(bible)
nn.seed(1)
kjv = text.word2vec(bible, {method = "skipgram", dim = 50, window = 5, epochs = 1})
for _, w in ipairs{"david", "egypt", "water"} do
  local near = {}
  for i, r in ipairs(kjv:nearest(w, 5)) do near[i] = r.word end
  print(("%-6s -> %s"):format(w, table.concat(near, ", ")))
end
]]

say[[
Nobody told the model that David, Abraham and Moses are people, or that Egypt and
Canaan are lands: the verses put them in the same places of their sentences
("and David said unto", "out of the land of Egypt"). Some neighbours are odd
(look at water's): one epoch over one book is little, and neighbours share how
words are used, not what they mean.
]]

say[[
# Analogies, and what they need

On large corpora word vectors famously answer analogies by arithmetic:
v(king) − v(man) + v(woman) is nearest to v(queen), and v(paris) − v(france) +
v(italy) to v(rome). That works when the corpus says the same relation many
times in many ways, so that "capital of" becomes one direction in the space.
Our corpus states it in two templates only:
]]

show[[
for _, q in ipairs{{"paris", "france", "italy"}, {"tokyo", "japan", "egypt"}} do
  local r = sg:analogy(q[1], q[2], q[3], 3)
  print(("%s - %s + %s -> %s, %s, %s"):format(q[1], q[2], q[3], r[1].word, r[2].word, r[3].word))
end
]]

say[[
The answers are capitals (or "city", which stands beside them), but the right
one only now and then: over all 30 pairs of our six countries, about a third.
The vectors learned *which kind* of word a capital is far better than *which*
capital goes with which country. The original vectors were trained on 1.6
billion words.
]]

quiz{
  [[A skip-gram model with negative sampling (k = 5) sees the pair (centre "cat",
  context "eats"). Which output vectors does that one step change?]],
  choices = {
    "All V output vectors, through the softmax's normalisation.",
    "Those of \"eats\" and of the 5 words drawn as negatives.",
    "Only that of \"eats\".",
    "Those of the 5 nearest words of \"cat\".",
  },
  answer = 2,
  why = [[The loss has k + 1 terms, −log σ(u_eats · h) and −log σ(−u_n · h) for each of
  the k negatives drawn from the count^0.75 distribution, so only those k + 1
  output vectors (and the input vector of "cat") get gradients. That is why
  negative sampling costs k + 1 dot products instead of V.]],
}

say[[
# Next

An embedding layer is the same table of vectors inside a network, trained by the
network's own loss: the sequence models of lessons 15 to 19 start with one, and
word2vec's vectors can initialise it.
]]
