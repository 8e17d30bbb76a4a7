-- text_lm.lua: a character-level language model in a few lines: the word list as a
-- corpus of shuffled words (text.word_list), each line of a corpus as one training
-- sequence (corpus:lines: the line-start token, then the characters; the targets are
-- the characters, then the line's end, padded with -1 for nn.seq_cross_entropy),
-- sampling whole lines from a trained model at a temperature and a top-k
-- (text.lm_sample, batched; text.lm_step for text.generate, greedy and beam) and
-- its bits per character on a set (text.bits_per_char). The model is any model whose
-- output for ids [batch, T] is logits [batch, T, V], as
--   nn.sequential{nn.embedding(V, E), nn.lstm(E, H, {output = "all"}), nn.linear(H, V)}
-- gives. Loaded by text.lua, which passes the text table and the corpus metatable.
local nn = require "nn"
local data = require "data"
local checker = require "options"
local check = require "argcheck"
local decode = require "text_decode"

return function(text, corpus_mt)

local describe, want = check.describe, check.want
local count, fraction, positive = check.is_count, check.is_fraction, check.is_positive
local function is_corpus(c) return getmetatable(c) == corpus_mt end

---------------------------------------------------------------------------------
-- The word list
---------------------------------------------------------------------------------

checker.declare("text.word_list", {"n", "seed", "all", "path"}, 0, "text.word_list", "{n = 5000, seed = 1}")
--- text.word_list([{n =, seed = 1, all = false, path = text.paths.words}]) -> corpus: the
--- words of Debian's wamerican word list as a character corpus, one word a line, in an
--- order shuffled by seed (the list is alphabetical: a model reading it in order
--- would learn to copy the word before). Only the words of lower-case letters a-z by
--- default (no names, no possessives 's, no accents); all = true keeps every word.
--- n = the first n words after shuffling.
function text.word_list(opts)
  opts = checker.check("text.word_list", opts, 2)
  local n = want("text.word_list", opts, "n", count, "a whole number > 0")
  local seed = want("text.word_list", opts, "seed", function(v) return math.type(v) == "integer" end,
    "a whole number") or 1
  local path = want("text.word_list", opts, "path", function(v) return type(v) == "string" end, "a path") or text.paths.words
  local ok, s = pcall(require("nn.text").read, path)
  if not ok then error(("text.word_list: %s (Debian's wamerican holds the word list)"):format(s), 2) end
  local words = {}
  for w in s:gmatch("[^\n]+") do
    if opts.all or w:find("^[a-z]+$") then words[#words + 1] = w end
  end
  if #words == 0 then error(("text.word_list: %s holds no words"):format(path), 2) end
  local g = text._rng(seed)
  for i = #words, 2, -1 do -- Fisher-Yates with the corpus generator: the same seed, the same order
    local j = g.below(i) + 1
    words[i], words[j] = words[j], words[i]
  end
  if n and n < #words then
    for i = #words, n + 1, -1 do words[i] = nil end
  end
  local c = text.corpus(table.concat(words, "\n") .. "\n")
  c.name = ("%d words of %s"):format(#words, path)
  c.lines_list = words
  return c
end

---------------------------------------------------------------------------------
-- One sequence a line
---------------------------------------------------------------------------------

-- The lines of a character corpus as lists of ids, each without its "\n".
local function line_ids(c)
  local out, cur = {}, {}
  for i, id in ipairs(c.ids) do
    if c.line_ends[i] then
      out[#out + 1] = cur
      cur = {}
    else
      cur[#cur + 1] = id
    end
  end
  if #cur > 0 then out[#out + 1] = cur end
  return out
end

-- The id of the line's end "\n", the start and stop token of a character model.
local function newline_id(c, who)
  local id = c.vocab.index["\n"]
  if c.level ~= "char" or not id then
    error(("%s: expected a character corpus (data.text, text.corpus or text.word_list with level \"char\"), got a %s corpus")
      :format(who, c.level), 3)
  end
  return id
end

checker.declare("corpus:lines", {"test", "limit", "max_len", "shuffle", "strings"}, 0, "lines", "{test = 0.1}")
--- c:lines([{test =, limit =, max_len =, shuffle =}]) -> data set(s) of a character
--- corpus, one sequence a line: x [N, L] the line's start ("\n", the end of the line
--- before) then its characters, y [N, L] its characters then "\n": y[i][t] is the
--- character after x[i][t]. Shorter lines are padded: x with "\n", y with -1 (which
--- nn.seq_cross_entropy ignores). L is the longest line + 1; max_len = n leaves out
--- longer lines; limit = the first so many lines; test = a fraction split off;
--- strings = {s1, s2, ...}: these lines instead of the corpus's own, encoded with its
--- vocabulary (to score sampled or made-up words with text.bits_per_char).
function corpus_mt.lines(c, opts)
  check.method(c, corpus_mt, "lines", "c")
  opts = checker.check("corpus:lines", opts, 2)
  local nl = newline_id(c, "corpus:lines")
  want("corpus:lines", opts, "test", fraction, "a fraction in [0, 1)")
  local limit = want("corpus:lines", opts, "limit", count, "a whole number > 0")
  local max_len = want("corpus:lines", opts, "max_len", count, "a whole number > 0")
  local source
  if opts.strings ~= nil then
    if type(opts.strings) ~= "table" then error("corpus:lines: strings must be a list of strings, got " .. describe(opts.strings), 2) end
    source = {}
    for i, str in ipairs(opts.strings) do
      if type(str) ~= "string" or str:find("\n") then
        error(("corpus:lines: strings[%d] must be a string without a newline, got %s"):format(i, describe(str)), 2)
      end
      local ok, ids = pcall(c.encode, c, str)
      if not ok then error(("corpus:lines: strings[%d]: %s"):format(i, tostring(ids):gsub("^[^:]*:%d+: ", "")), 2) end
      source[i] = ids
    end
  else
    source = line_ids(c)
  end
  local lines = {}
  for _, l in ipairs(source) do
    if (#l > 0 or opts.strings) and (not max_len or #l <= max_len) then lines[#lines + 1] = l end
    if limit and #lines >= limit then break end
  end
  if #lines == 0 then error("corpus:lines: no line " .. (max_len and ("of at most " .. max_len .. " characters") or "with characters"), 2) end
  local L = 0
  for _, l in ipairs(lines) do L = math.max(L, #l + 1) end
  local x, y = {}, {}
  for _, l in ipairs(lines) do
    for t = 1, L do
      x[#x + 1] = t == 1 and nl or (l[t - 1] or nl)
      y[#y + 1] = l[t] or (t == #l + 1 and nl or -1)
    end
  end
  local d = data.from(nn.tensor(x):reshape{#lines, L}, nn.tensor(y):reshape{#lines, L})
  if (opts.test or 0) > 0 then
    if opts.shuffle ~= false then d:shuffle() end
    return d:split(opts.test)
  end
  return d
end

---------------------------------------------------------------------------------
-- Sampling
---------------------------------------------------------------------------------

local function check_model(m, who)
  local ok = pcall(function() return m.predict end)
  if not (ok and m.predict) then
    error(("%s: expected a language model (ids [batch, T] -> logits [batch, T, V]), got %s"):format(who, describe(m)), 3)
  end
end

-- The logits of the last step of each row of ids [n, t]: a list of n lists of V.
local function last_logits(m, rows, who)
  local n, t = #rows, #rows[1]
  local flat = {}
  for i = 1, n do table.move(rows[i], 1, t, (i - 1) * t + 1, flat) end
  local ok, y = pcall(m.predict, m, nn.tensor(flat):reshape{n, t})
  if not ok then error(("%s: the model's forward failed on ids [%d, %d]: %s"):format(who, n, t, tostring(y)), 3) end
  local shape = y:shape()
  if #shape ~= 3 then
    error(("%s: the model must give logits [batch, T, V] (a recurrent layer with output = \"all\", then nn.linear), got [%s]")
      :format(who, table.concat(shape, ", ")), 3)
  end
  local V = shape[3]
  local last = y:reshape{n * t, V}
  local out = {}
  for i = 1, n do out[i] = last:rows(i * t, 1):totable()[1] end
  return out, V
end

--- text.lm_step(model) -> step(state, token) for text.generate, greedy and beam: state
--- is the list of ids read so far; each step runs the model over all of them (a
--- language model needs no other state) and gives the logits after the last.
function text.lm_step(m)
  check_model(m, "text.lm_step")
  return function(state, tok)
    local ids = {table.unpack(state or {})}
    ids[#ids + 1] = tok
    local logits = last_logits(m, {ids}, "text.lm_step")
    return logits[1], ids
  end
end

-- lm_sample's second result prints one line at the prompt (its lists of ids filled
-- the screen under the lines the student asked for); the fields are the same.
local SampleInfo = {__name = "sample info"}
function SampleInfo.__tostring(info)
  local lp = {}
  for i, v in ipairs(info.logp) do lp[i] = ("%.2f"):format(v) end
  return ("(%d line%s, log p %s; .ids, .logp)"):format(#info.logp, #info.logp == 1 and "" or "s",
    table.concat(lp, ", "))
end

checker.declare("text.lm_sample", {"n", "temperature", "top_k", "max_len", "prefix", "seed"}, 0, "text.lm_sample",
  "{n = 8, temperature = 0.5}")
--- text.lm_sample(model, corpus [, {n = 8, temperature = 1, top_k =, max_len = 30, prefix = "",
--- seed =}]) -> lines, info: n lines sampled from a character model trained on the
--- corpus's lines: from the line start ("\n") and the prefix, one character at a time
--- from softmax(logits / temperature) (top_k: among the k most likely only), each fed
--- back, until "\n" or max_len characters. The n lines are sampled side by side (one
--- forward a step). seed = s draws from a generator of its own (the same seed, the
--- same draws, whatever trains meanwhile); without it nn's generator draws.
--- info = {ids =, logp =}: each line's ids and log-probability under the temperature.
function text.lm_sample(m, c, opts)
  check_model(m, "text.lm_sample")
  if not is_corpus(c) then error("text.lm_sample: expected the corpus the model learned (its vocabulary), got " .. describe(c), 2) end
  opts = checker.check("text.lm_sample", opts, 2)
  local nl = newline_id(c, "text.lm_sample")
  local n = want("text.lm_sample", opts, "n", count, "a whole number > 0") or 8
  local temp = want("text.lm_sample", opts, "temperature", positive, "a number > 0") or 1
  local top_k = want("text.lm_sample", opts, "top_k", count, "a whole number > 0")
  local max_len = want("text.lm_sample", opts, "max_len", count, "a whole number > 0") or 30
  local prefix = want("text.lm_sample", opts, "prefix", function(v) return type(v) == "string" end, "a string") or ""
  local seed = want("text.lm_sample", opts, "seed", function(v) return math.type(v) == "integer" end, "a whole number")
  local g = seed and text._rng(seed)
  local start = {nl}
  local ok, pre = pcall(c.encode, c, prefix)
  if not ok then error("text.lm_sample: the prefix: " .. tostring(pre):gsub("^[^:]*:%d+: ", ""), 2) end
  table.move(pre, 1, #pre, 2, start)
  local rows, out, logp, done = {}, {}, {}, {}
  for i = 1, n do rows[i], out[i], logp[i] = {table.unpack(start)}, {table.unpack(pre)}, 0, false end
  local open = n
  for _ = 1, max_len do
    if open == 0 then break end
    local logits = last_logits(m, rows, "text.lm_sample")
    for i = 1, n do
      local tok = nl
      if not done[i] then
        local u = g and (g.next() / 2 ^ 53) or nil
        local p
        tok, p = decode.sample(logits[i], {temperature = temp, top_k = top_k, uniform = u})
        logp[i] = logp[i] + math.log(p[tok + 1])
        if tok == nl then done[i] = true; open = open - 1 else out[i][#out[i] + 1] = tok end
      end
      rows[i][#rows[i] + 1] = tok -- finished rows read on ("\n"): all rows stay one length
    end
  end
  local lines = {}
  for i = 1, n do lines[i] = c:decode(out[i]) end
  return lines, setmetatable({ids = out, logp = logp}, SampleInfo)
end

---------------------------------------------------------------------------------
-- Bits per character
---------------------------------------------------------------------------------

checker.declare("text.bits_per_char", {"batch"}, 0, "text.bits_per_char", "{batch = 256}")
--- text.bits_per_char(model, set [, {batch = 256}]) -> bits, perplexity, count: the mean
--- of -log2 p(next character) over the set's real targets (y >= 0; padding counts
--- nowhere), the perplexity 2^bits and the number of targets. The set is one
--- corpus:lines or corpus:windows gives.
function text.bits_per_char(m, d, opts)
  check_model(m, "text.bits_per_char")
  local okd, info = pcall(function() return d:info() end)
  if not okd or type(info) ~= "table" then error("text.bits_per_char: expected a data set (c:lines() gives one), got " .. describe(d), 2) end
  opts = checker.check("text.bits_per_char", opts, 2)
  local batch = want("text.bits_per_char", opts, "batch", count, "a whole number > 0") or 256
  local total, nreal = 0, 0
  local N = info.n
  for s = 1, N, batch do
    local k = math.min(batch, N - s + 1)
    local part = d:slice(s, k)
    local x, y = part:x(), part:y()
    local ok, z = pcall(m.predict, m, x)
    if not ok then error("text.bits_per_char: the model's forward failed: " .. tostring(z), 2) end
    local shape = z:shape()
    if #shape ~= 3 or shape[1] ~= k or shape[2] ~= y:shape()[2] then
      error(("text.bits_per_char: the model gives [%s] for ids [%d, %d]; expected logits [%d, %d, V]")
        :format(table.concat(shape, ", "), k, y:shape()[2], k, y:shape()[2]), 2)
    end
    local lp = z:log_softmax():totable()
    for i, row in ipairs(y:totable()) do
      for t, c in ipairs(row) do
        if c >= 0 then
          local v = lp[i][t][math.tointeger(c) + 1]
          if v == nil then error(("text.bits_per_char: target %g is outside the model's %d outputs"):format(c, shape[3]), 2) end
          total, nreal = total - v, nreal + 1
        end
      end
    end
  end
  if nreal == 0 then error("text.bits_per_char: the set has no targets (every y is padding)", 2) end
  local bits = total / nreal / math.log(2)
  return bits, 2 ^ bits, nreal
end

require "views_lm" -- plot.lm_samples

end
