-- text_w2v.lua: word2vec on a word corpus (text.corpus / data.text{level = "word"}):
-- the training is the engine's (src/engine/word2vec.c, CBOW or skip-gram with
-- negative sampling); here are the words: nearest neighbours by cosine, analogies
-- (a - b + c), similarities, and the vectors of chosen words for the 2-D map.
local T = require "nn.text"
local checker = require "options"
local check = require "argcheck"
local nn = require "nn"

local M = {}
local model_mt = {__name = "word2vec"}
model_mt.__index = model_mt

local describe = check.describe

local DEFAULTS = {
  cbow = {dim = 50, window = 5, negative = 5, lr = 0.05, subsample = 1e-3, epochs = 5},
  skipgram = {dim = 50, window = 5, negative = 5, lr = 0.025, subsample = 1e-3, epochs = 5},
}

checker.declare("text.word2vec", {"method", "dim", "window", "negative", "lr", "subsample", "epochs"}, 0,
  "text.word2vec", '{method = "skipgram", dim = 50, window = 5}')
--- M.new(corpus [, {method = "cbow"|"skipgram", dim = 50, window = 5, negative = 5, lr =,
--- subsample = 1e-3, epochs = 5}]) -> model, loss: trains `epochs` passes at once
--- (epochs = 0: none yet; model:train(n) trains more). lr defaults to 0.05 for CBOW and
--- 0.025 for skip-gram, as in Mikolov's word2vec.
function M.new(corpus, opts)
  if type(corpus) ~= "table" or getmetatable(corpus) == nil or not corpus.vocab then
    error("text.word2vec: expected a corpus (data.text(path, {level = \"word\"})), got " .. describe(corpus), 2)
  end
  if corpus.level ~= "word" then
    error("text.word2vec: the corpus is of characters; make it with {level = \"word\"}", 2)
  end
  opts = checker.check("text.word2vec", opts, 2)
  local method = opts.method or "skipgram"
  if method ~= "cbow" and method ~= "skipgram" then
    error("text.word2vec: method must be \"cbow\" or \"skipgram\", got " .. describe(method), 2)
  end
  local o = setmetatable({}, {__index = function(_, k)
    if opts[k] ~= nil then return opts[k] end
    return DEFAULTS[method][k]
  end})
  local epochs = o.epochs
  if math.type(epochs) ~= "integer" or epochs < 0 then
    error("text.word2vec: epochs must be a whole number >= 0, got " .. describe(epochs), 2)
  end
  for _, r in ipairs{{"dim", 4096}, {"window", 64}, {"negative", 64}} do
    local v = o[r[1]]
    if math.type(v) ~= "integer" or v < 1 or v > r[2] then
      error(("text.word2vec: %s must be 1..%d, got %s"):format(r[1], r[2], describe(v)), 2)
    end
  end
  if not (type(o.lr) == "number" and o.lr > 0 and o.lr <= 10) then
    error("text.word2vec: lr must be in (0, 10], got " .. describe(o.lr), 2)
  end
  if not (type(o.subsample) == "number" and o.subsample >= 0 and o.subsample < 1) then
    error("text.word2vec: subsample must be in [0, 1), got " .. describe(o.subsample), 2)
  end
  local ok, m = pcall(T.word2vec, nn.tensor(corpus.vocab.counts),
    {cbow = method == "cbow", dim = o.dim, window = o.window, negative = o.negative, lr = o.lr,
     subsample = o.subsample})
  if not ok then error("text.word2vec: " .. tostring(m):gsub("^word2vec: ", ""), 2) end
  local model = setmetatable({method = method, corpus = corpus, vocab = corpus.vocab, dim = o.dim,
    window = o.window, _m = m, _ids = corpus:with_breaks(), epochs = 0, losses = {}}, model_mt)
  local loss
  if epochs > 0 then loss = model:train(epochs) end
  return model, loss
end

--- model:train([epochs = 1]) -> the mean loss of the last epoch (the learning rate
--- falls over these epochs from lr)
function model_mt.train(model, epochs)
  check.method(model, model_mt, "train", "m")
  epochs = epochs or 1
  if math.type(epochs) ~= "integer" or epochs < 1 then
    error("word2vec:train: epochs must be a whole number > 0, got " .. describe(epochs), 2)
  end
  local loss = model._m:train(model._ids, epochs)
  model.epochs = model.epochs + epochs
  model.losses[#model.losses + 1] = loss
  model._vectors = nil
  return loss
end

--- model:vectors() -> the word vectors [vocab, dim] (row id + 1 is word id's)
function model_mt.vectors(model)
  check.method(model, model_mt, "vectors", "m")
  model._vectors = model._vectors or model._m:vectors()
  return model._vectors
end

--- model:out_vectors() -> the output (context) vectors [vocab, dim] of negative sampling
function model_mt.out_vectors(model)
  check.method(model, model_mt, "out_vectors", "m")
  return model._m:out_vectors()
end

--- model:free() releases the engine's model now (else the garbage collector does)
function model_mt.free(model)
  check.method(model, model_mt, "free", "m")
  model._m:free()
  model._vectors = nil
end

local function word_id(model, w, who)
  if type(w) ~= "string" then error(("%s: expected a word, got %s"):format(who, describe(w)), 3) end
  local id = model.vocab.index[w]
  if not id then error(("%s: %q is not in the vocabulary (%d words)"):format(who, w, #model.vocab.tokens), 3) end
  return id
end

--- model:vector(word) -> its vector [dim]
function model_mt.vector(model, w)
  check.method(model, model_mt, "vector", "m")
  return model:vectors():rows(word_id(model, w, "word2vec:vector") + 1):reshape{model.dim}
end

-- The k nearest words to q [dim], leaving out the 0-based ids in skip.
local function nearest_to(model, q, k, skip)
  local rows = {}
  for i, id in ipairs(skip) do rows[i] = id + 1 end
  k = math.min(k, #model.vocab.tokens - #skip)
  if k < 1 then return {} end
  local ids, sims = T.nearest(model:vectors(), q, k, rows)
  local out = {}
  for i, r in ipairs(ids) do out[i] = {word = model.vocab.tokens[r], similarity = sims[i]} end
  return out
end

--- model:nearest(word [, k = 5]) -> {{word =, similarity =}, ...}: the k words whose
--- vectors have the highest cosine with word's, best first (word itself left out)
function model_mt.nearest(model, w, k)
  check.method(model, model_mt, "nearest", "m")
  local id = word_id(model, w, "word2vec:nearest")
  return nearest_to(model, model:vector(w), k or 5, {id})
end

--- model:analogy(a, b, c [, k = 1]) -> {{word =, similarity =}, ...}: the words nearest
--- to vec(a) - vec(b) + vec(c) ("king" - "man" + "woman"), a, b and c left out
function model_mt.analogy(model, a, b, c, k)
  check.method(model, model_mt, "analogy", "m")
  local ia, ib, ic = word_id(model, a, "word2vec:analogy"), word_id(model, b, "word2vec:analogy"),
    word_id(model, c, "word2vec:analogy")
  local q = model:vector(a) - model:vector(b) + model:vector(c)
  return nearest_to(model, q, k or 1, {ia, ib, ic})
end

--- model:similarity(a, b) -> the cosine of the two words' vectors
function model_mt.similarity(model, a, b)
  check.method(model, model_mt, "similarity", "m")
  local va, vb = model:vector(a):totable(), model:vector(b):totable()
  local d, na, nb = 0, 0, 0
  for i = 1, #va do d, na, nb = d + va[i] * vb[i], na + va[i] ^ 2, nb + vb[i] ^ 2 end
  return (na > 0 and nb > 0) and d / math.sqrt(na * nb) or 0
end

--- model:words([n]) -> the n most frequent words (all when n is nil)
function model_mt.words(model, n)
  check.method(model, model_mt, "words", "m")
  local out = {}
  for i = 1, math.min(n or #model.vocab.tokens, #model.vocab.tokens) do out[i] = model.vocab.tokens[i] end
  return out
end

--- model:map(words) -> xs, ys, variances: the words' vectors projected on their first
--- two principal components (the 2-D map), and the two components' variances
function model_mt.map(model, words)
  check.method(model, model_mt, "map", "m")
  local rows = {}
  for i, w in ipairs(words) do rows[i] = word_id(model, w, "word2vec:map") + 1 end
  if #rows < 2 then error("word2vec:map: give at least two words", 2) end
  local proj, var = T.pca(model:vectors():gather(rows), math.min(2, model.dim))
  local p = proj:totable()
  local xs, ys = {}, {}
  for i = 1, #p do xs[i], ys[i] = p[i][1], p[i][2] or 0 end
  return xs, ys, var
end

function model_mt.__tostring(model)
  return ("word2vec (%s, %d words, dim %d, window %d, %d epoch%s)"):format(model.method, #model.vocab.tokens,
    model.dim, model.window, model.epochs, model.epochs == 1 and "" or "s")
end

return M
