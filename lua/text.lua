-- text.lua: the `text` table: corpora (any text file as characters or words, with a
-- vocabulary, encode/decode, and windows of length T as a data set), real text from
-- Debian packages (the word list, English-French pairs of the FreeDict dictionary),
-- generated sequence tasks (reverse, sort, dates, addition) and a generated
-- named-entity set, word2vec (the engine's, src/engine/word2vec.c), sampling, greedy
-- decoding and beam search over any step function, and attention (dot-product and
-- additive) built from tensor ops so that autograd differentiates it. Loading it adds
-- data.text and the views plot.attention, plot.decoding and plot.word_map.
-- Token ids start at 0, as class indices do; vocab[id + 1] is the token.
local T = require "nn.text"
local checker = require "options"
local check = require "argcheck"
local nn = require "nn"     -- not the globals: a student may reuse their names
local data = require "data"

local text = {}

local WORDS = "/usr/share/dict/words"
local FREEDICT = "/usr/share/dictd/freedict-eng-fra"
local BIBLE = "/usr/lib/bible.data"
text.paths = {words = WORDS, freedict = FREEDICT, bible = BIBLE}

local describe = check.describe

local function options(fname, opts) return checker.check(fname, opts, 3) end

local want = check.want
local count, is_integer = check.is_count, check.is_integer

local function tensor_of(list, shape)
  local t = nn.tensor(#list > 0 and list or {0})
  if shape then t = t:reshape(shape) end
  return t
end

---------------------------------------------------------------------------------
-- A small seeded generator for the generated sets (xorshift64*): the same seed gives
-- the same set, whatever else drew from nn's generator.
---------------------------------------------------------------------------------

local function rng(seed)
  local s = (seed or 1) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
  if s == 0 then s = 1 end
  local g = {}
  function g.next()
    s = s ~ (s >> 12); s = s ~ (s << 25); s = s ~ (s >> 27)
    return (s * 0x2545F4914F6CDD1D) >> 11 -- 53 bits
  end
  function g.below(n) return g.next() % n end
  function g.pick(list) return list[g.below(#list) + 1] end
  return g
end
text._rng = rng

---------------------------------------------------------------------------------
-- Vocabularies and corpora
---------------------------------------------------------------------------------

local vocab_mt = {__name = "vocabulary"}
vocab_mt.__index = vocab_mt

--- text.vocabulary(tokens [, {specials =, min_count =, unknown =}]) -> v: the tokens'
--- distinct values, specials first, then by falling count (ties by text); v.tokens
--- (id + 1 -> token), v.index (token -> id), v.counts (id + 1 -> count).
function text.vocabulary(tokens, opts)
  if type(tokens) ~= "table" then error("text.vocabulary: expected a list of tokens (strings), got " .. describe(tokens), 2) end
  opts = check.options("text.vocabulary", opts)
  for i, t in ipairs(tokens) do
    if type(t) ~= "string" then error(("text.vocabulary: token %d is %s, not a string"):format(i, describe(t)), 2) end
  end
  for _, key in ipairs{"specials"} do
    if opts[key] ~= nil and type(opts[key]) ~= "table" then error("text.vocabulary: specials must be a list of strings", 2) end
  end
  if opts.min_count ~= nil and not count(opts.min_count) then
    error("text.vocabulary: min_count must be a whole number > 0, got " .. describe(opts.min_count), 2)
  end
  if opts.unknown ~= nil and type(opts.unknown) ~= "string" then
    error("text.vocabulary: unknown must be a string, got " .. describe(opts.unknown), 2)
  end
  local counts, order = {}, {}
  for _, t in ipairs(tokens) do
    if counts[t] == nil then order[#order + 1] = t; counts[t] = 0 end
    counts[t] = counts[t] + 1
  end
  local min = opts.min_count or 1
  local special = {}
  for _, s in ipairs(opts.specials or {}) do special[s] = true end
  local kept = {}
  for _, t in ipairs(order) do
    if counts[t] >= min and not special[t] then kept[#kept + 1] = t end
  end
  table.sort(kept, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local v = setmetatable({tokens = {}, index = {}, counts = {}, unknown = opts.unknown}, vocab_mt)
  local function add(t, c)
    if v.index[t] then return end
    v.tokens[#v.tokens + 1] = t
    v.index[t] = #v.tokens - 1
    v.counts[#v.tokens] = c
  end
  for _, s in ipairs(opts.specials or {}) do add(s, counts[s] or 0) end
  if opts.unknown then add(opts.unknown, 0) end
  for _, t in ipairs(kept) do add(t, counts[t]) end
  if opts.unknown then -- the dropped words' occurrences count as the unknown token's
    local u = v.index[opts.unknown] + 1
    for _, t in ipairs(order) do if not v.index[t] then v.counts[u] = v.counts[u] + counts[t] end end
  end
  return v
end

function vocab_mt.__len(v) return #v.tokens end

--- v:id(token) -> its id, the unknown token's for one not in the vocabulary, or an
--- error naming it when there is no unknown token.
function vocab_mt.id(v, tok)
  check.method(v, vocab_mt, "id", "v")
  local id = v.index[tok]
  if id then return id end
  if v.unknown then return v.index[v.unknown] end
  error(("text: %s is not in the vocabulary (%d tokens)"):format(type(tok) == "string" and ("%q"):format(tok) or describe(tok), #v.tokens), 3)
end

--- v:token(id) -> the token of a 0-based id
function vocab_mt.token(v, id)
  check.method(v, vocab_mt, "token", "v")
  local i = math.tointeger(id) -- ids from tensors come as floats
  local t = i and v.tokens[i + 1]
  if not t then error(("text: id %s is outside the vocabulary 0..%d"):format(tostring(id), #v.tokens - 1), 3) end
  return t
end

local SPLIT = {}
function SPLIT.char(s)
  local out = {}
  for c in s:gmatch(utf8.charpattern) do out[#out + 1] = c end
  return out
end
function SPLIT.word(s)
  local out = {}
  for w in s:lower():gmatch("[^%s%.,;:!%?%(%)%[%]\"]+") do
    w = w:gsub("^'+", ""):gsub("'+$", "")
    if w ~= "" then out[#out + 1] = w end
  end
  return out
end

local corpus_mt = {__name = "corpus"}
corpus_mt.__index = corpus_mt

local corpus_options = {"level", "min_count", "unknown", "lines", "name"}
checker.declare("text.corpus", corpus_options, 0, "text.corpus", '{level = "word"}')
checker.declare("data.text", corpus_options, 0, "data.text", '{level = "char"}')

-- A corpus of the string s: its tokens (ids), where its lines end, its vocabulary.
local function make_corpus(fname, s, opts)
  local level = opts.level or "char"
  if level ~= "char" and level ~= "word" then
    error(("%s: level must be \"char\" or \"word\", got %s"):format(fname, describe(level)), 3)
  end
  want(fname, opts, "min_count", count, "a whole number > 0")
  want(fname, opts, "lines", count, "a whole number > 0")
  local toks, ends = {}, {}
  local nlines = 0
  for line in (s .. (s:sub(-1) == "\n" and "" or "\n")):gmatch("([^\n]*)\n") do
    nlines = nlines + 1
    if opts.lines and nlines > opts.lines then break end
    local part = SPLIT[level](line)
    if level == "char" then part[#part + 1] = "\n" end -- a char model learns where lines end
    table.move(part, 1, #part, #toks + 1, toks)
    if #part > 0 then ends[#toks] = true end
  end
  if #toks == 0 then
    error(("%s: %s holds no %s"):format(fname, opts.name or "the text", level == "char" and "characters" or "words"), 3)
  end
  local unknown = opts.min_count and opts.min_count > 1 and (opts.unknown or "<unk>") or opts.unknown
  local v = text.vocabulary(toks, {min_count = opts.min_count, unknown = unknown})
  local ids = {}
  for i, t in ipairs(toks) do ids[i] = v:id(t) end
  return setmetatable({level = level, vocab = v, ids = ids, line_ends = ends, name = opts.name}, corpus_mt)
end

--- text.corpus(s [, {level = "char"|"word", min_count =, unknown =, lines =}]) -> corpus
function text.corpus(s, opts)
  if type(s) ~= "string" then error("text.corpus: expected the text as a string, got " .. describe(s), 2) end
  return make_corpus("text.corpus", s, options("text.corpus", opts))
end

--- data.text(path [, {level = "char"|"word", min_count =, unknown =, lines =}]) -> corpus:
--- a text file (plain or gzip) as characters (each line ends in "\n") or words
--- (lower case, punctuation dropped); lines = only the first so many lines.
function text.file(path, opts)
  if type(path) ~= "string" then error("data.text: expected a file path, got " .. describe(path), 2) end
  opts = options("data.text", opts)
  local ok, s = pcall(T.read, path)
  if not ok then error("data.text: " .. tostring(s), 2) end
  local o = setmetatable({name = path}, {__index = opts})
  return make_corpus("data.text", s, o)
end

function corpus_mt.__len(c) return #c.ids end
function corpus_mt.__tostring(c)
  return ("corpus of %d %s, vocabulary %d%s"):format(#c.ids, c.level == "char" and "characters" or "words",
    #c.vocab.tokens, c.name and (" (" .. c.name .. ")") or "")
end
function corpus_mt.size(c)
  check.method(c, corpus_mt, "size", "c")
  return #c.vocab.tokens
end

--- c:encode(s) -> {ids}: s split as the corpus was (characters or words)
function corpus_mt.encode(c, s)
  check.method(c, corpus_mt, "encode", "c")
  if type(s) ~= "string" then error("corpus:encode: expected a string, got " .. describe(s), 2) end
  local out = {}
  for i, t in ipairs(SPLIT[c.level](s)) do out[i] = c.vocab:id(t) end
  return out
end

--- c:decode(ids) -> the text: characters joined, or words joined by spaces
function corpus_mt.decode(c, ids)
  check.method(c, corpus_mt, "decode", "c")
  if type(ids) ~= "table" then error("corpus:decode: expected a list of ids, got " .. describe(ids), 2) end
  local out = {}
  for i, id in ipairs(ids) do out[i] = c.vocab:token(id) end
  return table.concat(out, c.level == "char" and "" or " ")
end

checker.declare("corpus:windows", {"stride", "limit", "test", "shuffle"}, 0, "windows", "{stride = 8}")
--- c:windows(T [, {stride = T, limit =, test =, shuffle =}]) -> data set(s): x [N, T]
--- token ids, y [N, T] the next token at each position (y[i][t] = x[i][t + 1]), a
--- class of the vocabulary at each step (accuracy and confusion per token);
--- windows start every stride tokens; limit = at most so many windows.
function corpus_mt.windows(c, len, opts)
  check.method(c, corpus_mt, "windows", "c")
  if math.type(len) ~= "integer" or len < 1 then
    error("corpus:windows: T must be a whole number > 0, got " .. describe(len), 2)
  end
  opts = options("corpus:windows", opts)
  local stride = want("corpus:windows", opts, "stride", count, "a whole number > 0") or len
  want("corpus:windows", opts, "limit", count, "a whole number > 0")
  if #c.ids < len + 1 then
    error(("corpus:windows: the corpus has %d tokens, a window of %d needs %d"):format(#c.ids, len, len + 1), 2)
  end
  local x, y, n = {}, {}, 0
  for s = 1, #c.ids - len, stride do
    if opts.limit and n >= opts.limit then break end
    n = n + 1
    for t = 0, len - 1 do
      x[#x + 1] = c.ids[s + t]
      y[#y + 1] = c.ids[s + t + 1]
    end
  end
  local d = data.from(tensor_of(x, {n, len}), tensor_of(y, {n, len}), {classes = #c.vocab.tokens})
  if opts.shuffle ~= false and (opts.test or 0) > 0 then d:shuffle() end
  if (opts.test or 0) > 0 then return d:split(opts.test) end
  return d
end

--- c:with_breaks() -> a tensor of the ids with -1 after each line of a word corpus (word2vec's input)
function corpus_mt.with_breaks(c)
  check.method(c, corpus_mt, "with_breaks", "c")
  local out = {}
  for i, id in ipairs(c.ids) do
    out[#out + 1] = id
    if c.line_ends[i] and c.level == "word" then out[#out + 1] = -1 end
  end
  return tensor_of(out)
end

checker.declare("text.bible", {"level", "min_count", "unknown", "lines", "path"}, 0, "text.bible", '{lines = 5000}')
--- text.bible([{level = "word", min_count =, unknown =, lines =, path =}]) -> corpus: the
--- King James Bible of Debian's bible-kjv-text (its compressed data file, decoded in
--- C), one verse a line without its reference ("Ge1:1 "); lines = the first n verses.
function text.bible(opts)
  opts = options("text.bible", opts)
  local ok, s = pcall(T.read_bible, opts.path or BIBLE)
  if not ok then error(("text.bible: %s (Debian's bible-kjv-text holds it)"):format(s), 2) end
  s = s:gsub("^[^\n]*\n", "", 1):gsub("%f[^\n%z][%w]+%d+:%d+ ", "")
  local o = setmetatable({name = "the King James Bible", level = opts.level or "word"}, {__index = opts})
  return make_corpus("text.bible", s, o)
end

---------------------------------------------------------------------------------
-- English-French pairs (FreeDict, dictd format)
---------------------------------------------------------------------------------

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64num(s)
  local n = 0
  for i = 1, #s do
    local d = B64:find(s:sub(i, i), 1, true)
    if not d then return nil end
    n = n * 64 + d - 1
  end
  return n
end

-- The first translation of a dictd entry: the lines after the headword, the first
-- sense ("1. abc, alphabet" or "abécédaire") and its first comma-separated word.
local function first_translation(entry)
  local lines = {}
  for l in entry:gmatch("[^\n]+") do lines[#lines + 1] = l end
  for i = 2, #lines do
    local l = lines[i]:gsub("^%s+", ""):gsub("^%d+%.%s*", "")
    if l ~= "" and not l:find("^Note") and not l:find("^%(") then
      local first = l:match("^([^,;]+)")
      return first and first:gsub("%s+$", "")
    end
  end
end

checker.declare("text.translation_pairs", {"limit", "words", "path"}, 0, "text.translation_pairs", "{limit = 2000}")
--- text.translation_pairs([{limit =, words = 1, path =}]) -> {{en, fr}, ...}: English
--- headwords of the FreeDict English-French dictionary (Debian's dict-freedict-eng-fra,
--- read from its dictd .index and gzip'd .dict.dz) with their first French
--- translation, lower case, headwords of at most `words` words; then the lab
--- manual's pair "nice to meet you" -> "ravi de vous rencontrer".
function text.translation_pairs(opts)
  opts = options("text.translation_pairs", opts)
  want("text.translation_pairs", opts, "limit", count, "a whole number > 0")
  local maxw = want("text.translation_pairs", opts, "words", count, "a whole number > 0") or 1
  local base = opts.path or FREEDICT
  local function read(path)
    local ok, s = pcall(T.read, path)
    if not ok then error(("text.translation_pairs: %s (Debian's dict-freedict-eng-fra holds it)"):format(s), 3) end
    return s
  end
  local index, dict = read(base .. ".index"), read(base .. ".dict.dz")
  local pairs_, seen = {}, {}
  for line in index:gmatch("[^\n]+") do
    local head, off, len = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    local o, n = off and b64num(off), len and b64num(len)
    if head and o and n and not head:find("^00") and o + n <= #dict then
      local en = head:lower()
      local nwords = select(2, en:gsub("%S+", ""))
      if nwords <= maxw and en:find("^[a-z][a-z ]*$") and not seen[en] then
        local fr = first_translation(dict:sub(o + 1, o + n))
        if fr and fr ~= "" then
          seen[en] = true
          pairs_[#pairs_ + 1] = {en, utf8.len(fr) and fr:lower() or fr}
          if opts.limit and #pairs_ >= opts.limit then break end
        end
      end
    end
  end
  pairs_[#pairs_ + 1] = {"nice to meet you", "ravi de vous rencontrer"}
  return pairs_
end

---------------------------------------------------------------------------------
-- Generated sequence-to-sequence tasks
---------------------------------------------------------------------------------

text.PAD, text.START, text.END = "<PAD>", "<START>", "<END>"

local MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december"}
local MDAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

-- Each maker returns one pair of token lists (source, target) from the generator g.
local TASKS = {}
function TASKS.reverse(g, o)
  local n = 1 + g.below(o.length)
  local s, t = {}, {}
  for i = 1, n do s[i] = string.char(97 + g.below(o.symbols)) end
  for i = 1, n do t[i] = s[n + 1 - i] end
  return s, t
end
function TASKS.sort(g, o)
  local s, t = TASKS.reverse(g, o)
  t = {table.unpack(s)}
  table.sort(t)
  return s, t
end
function TASKS.dates(g)
  -- "march 7 1994" (words) -> "1994-03-07" (characters)
  local m = 1 + g.below(12)
  local d = 1 + g.below(MDAYS[m])
  local y = 1950 + g.below(80)
  return {MONTHS[m], tostring(d), tostring(y)}, SPLIT.char(("%04d-%02d-%02d"):format(y, m, d))
end
function TASKS.addition(g, o)
  local lim = math.tointeger(10 ^ o.digits)
  local a, b = g.below(lim), g.below(lim)
  return SPLIT.char(("%d+%d"):format(a, b)), SPLIT.char(tostring(a + b))
end

checker.declare("text.task", {"n", "seed", "length", "symbols", "digits"}, 0, "text.task", "{n = 1000, seed = 1}")
--- text.task(name [, {n = 1000, seed = 1, length = 8, symbols = 10, digits = 3}]) -> task:
--- a generated sequence-to-sequence set: "reverse" and "sort" (letters of lengths 1 to
--- length from the first `symbols` letters), "dates" ("march 7 1994" -> "1994-03-07"),
--- "addition" ("12+345" -> "357"). task.pairs = {{source tokens}, {target tokens}};
--- task.source and task.target are vocabularies whose ids 0, 1, 2 are <PAD>, <START>,
--- <END>; tensors task.x [n, S] (source ids, padded after), task.y_in [n, T] (<START>
--- then the target, the decoder's input under teacher forcing), task.y [n, T] (the
--- target then <END>), with task.x_len and task.y_len the lengths before padding.
function text.task(name, opts)
  if not TASKS[name] then
    local names = {}
    for k in pairs(TASKS) do names[#names + 1] = k end
    table.sort(names)
    error(("text.task: no task %s (there are %s)"):format(describe(name), table.concat(names, ", ")), 2)
  end
  opts = options("text.task", opts)
  local o = {
    n = want("text.task", opts, "n", count, "a whole number > 0") or 1000,
    length = want("text.task", opts, "length", count, "a whole number > 0") or 8,
    symbols = want("text.task", opts, "symbols", function(v) return count(v) and v <= 26 end, "1 to 26") or 10,
    digits = want("text.task", opts, "digits", function(v) return count(v) and v <= 9 end, "1 to 9") or 3,
  }
  local g = rng(want("text.task", opts, "seed", is_integer, "a whole number") or 1)
  local pairs_, src_tok, tgt_tok = {}, {}, {}
  for i = 1, o.n do
    local s, t = TASKS[name](g, o)
    pairs_[i] = {s, t}
    table.move(s, 1, #s, #src_tok + 1, src_tok)
    table.move(t, 1, #t, #tgt_tok + 1, tgt_tok)
  end
  local specials = {text.PAD, text.START, text.END}
  local task = {name = name, pairs = pairs_, source_level = name == "dates" and "word" or "char", target_level = "char",
    source = text.vocabulary(src_tok, {specials = specials}),
    target = text.vocabulary(tgt_tok, {specials = specials})}
  text.pad_pairs(task)
  return task
end

checker.declare("text.pairs_task", {"level", "source_level", "target_level"}, 0, "text.pairs_task", '{level = "word"}')
--- text.pairs_task(pairs [, {level = "word", source_level =, target_level =}]) -> task: a
--- sequence-to-sequence set (as text.task's) from pairs of strings {{source, target}, ...}
--- (text.translation_pairs gives them), split into words or characters (level, or
--- each side's own).
function text.pairs_task(list, opts)
  opts = options("text.pairs_task", opts)
  if type(list) ~= "table" or #list == 0 then
    error("text.pairs_task: expected a list of {source, target} string pairs, got " .. describe(list), 2)
  end
  local lv = {}
  for _, side in ipairs{"source", "target"} do
    local l = opts[side .. "_level"] or opts.level or "word"
    if l ~= "word" and l ~= "char" then
      error(("text.pairs_task: %s_level must be \"word\" or \"char\", got %s"):format(side, describe(l)), 2)
    end
    lv[side] = l
  end
  local pairs_, src_tok, tgt_tok = {}, {}, {}
  for i, p in ipairs(list) do
    if type(p) ~= "table" or type(p[1]) ~= "string" or type(p[2]) ~= "string" then
      error(("text.pairs_task: pair %d must be {source string, target string}, got %s"):format(i, describe(p)), 2)
    end
    local s, t = SPLIT[lv.source](p[1]), SPLIT[lv.target](p[2])
    if #s == 0 or #t == 0 then error(("text.pairs_task: pair %d (%q, %q) has an empty side"):format(i, p[1], p[2]), 2) end
    pairs_[i] = {s, t}
    table.move(s, 1, #s, #src_tok + 1, src_tok)
    table.move(t, 1, #t, #tgt_tok + 1, tgt_tok)
  end
  local specials = {text.PAD, text.START, text.END}
  local task = {name = "pairs", pairs = pairs_, source_level = lv.source, target_level = lv.target,
    source = text.vocabulary(src_tok, {specials = specials}), target = text.vocabulary(tgt_tok, {specials = specials})}
  return text.pad_pairs(task)
end
text._split = SPLIT

--- text.pad_pairs(task) fills task.x, y_in, y, x_len, y_len from task.pairs and the
--- vocabularies task.source and task.target (ids 0 <PAD>, 1 <START>, 2 <END>).
function text.pad_pairs(task)
  local function is_vocab(v) return type(v) == "table" and getmetatable(v) == vocab_mt end
  if type(task) ~= "table" or type(task.pairs) ~= "table" or not is_vocab(task.source) or not is_vocab(task.target) then
    error("text.pad_pairs: expected a task {pairs =, source = vocabulary, target = vocabulary}, got " .. describe(task), 2)
  end
  for i, p in ipairs(task.pairs) do
    if type(p) ~= "table" or type(p[1]) ~= "table" or type(p[2]) ~= "table" then
      error(("text.pad_pairs: pair %d must be {source tokens, target tokens}, got %s"):format(i, describe(p)), 2)
    end
  end
  if #task.pairs == 0 then error("text.pad_pairs: the task has no pairs", 2) end
  local S, Tn = 1, 1
  for _, p in ipairs(task.pairs) do S = math.max(S, #p[1]); Tn = math.max(Tn, #p[2] + 1) end
  local x, yin, y, xl, yl = {}, {}, {}, {}, {}
  local ps, pt = task.source:id(text.PAD), task.target:id(text.PAD)
  local st, en = task.target:id(text.START), task.target:id(text.END)
  for i, p in ipairs(task.pairs) do
    for j = 1, S do x[#x + 1] = p[1][j] and task.source:id(p[1][j]) or ps end
    for j = 1, Tn do
      yin[#yin + 1] = j == 1 and st or (p[2][j - 1] and task.target:id(p[2][j - 1]) or pt)
      y[#y + 1] = p[2][j] and task.target:id(p[2][j]) or (j == #p[2] + 1 and en or pt)
    end
    xl[i], yl[i] = #p[1], #p[2] + 1
  end
  local n = #task.pairs
  task.x, task.y_in, task.y = tensor_of(x, {n, S}), tensor_of(yin, {n, Tn}), tensor_of(y, {n, Tn})
  task.x_len, task.y_len = tensor_of(xl, {n, 1}), tensor_of(yl, {n, 1})
  return task
end

---------------------------------------------------------------------------------
-- A named-entity set generated from templates (BIO tags)
---------------------------------------------------------------------------------

-- Four names are both a person's and a place's (text.AMBIGUOUS): at the start of a
-- sentence only the words after them tell which ("georgia works for ..." against
-- "georgia is a beautiful place ."), the right context a bidirectional tagger reads.
local AMBIGUOUS = {"jordan", "georgia", "florence", "victoria"}
text.AMBIGUOUS = AMBIGUOUS
local PEOPLE = {"ada lovelace", "alan turing", "grace hopper", "marie curie", "john smith", "maria garcia",
  "ahmed khan", "yuki tanaka", "olga petrova", "kwame mensah", "emma", "noah", "liam", "sofia",
  table.unpack(AMBIGUOUS)}
local PLACES = {"paris", "london", "new york", "lagos", "tokyo", "buenos aires", "cairo", "berlin",
  "cape town", "oslo", "lima", "hanoi", table.unpack(AMBIGUOUS)}
local ORGS = {"acme corp", "the red cross", "united nations", "globex", "initech", "stark industries",
  "the world bank", "nasa", "unicef", "the royal society"}
local TEMPLATES = {
  "{PER} works for {ORG} in {LOC} .",
  "{PER} moved to {LOC} last year .",
  "{ORG} opened an office in {LOC} .",
  "yesterday {PER} met {PER} at {ORG} .",
  "the mayor of {LOC} thanked {ORG} .",
  "{PER} was born in {LOC} .",
  "{ORG} hired {PER} .",
  "a letter from {PER} reached {LOC} on monday .",
  "we visited {LOC} and {LOC} with {PER} .",
  "{ORG} and {ORG} signed a deal .",
  "{LOC} is a beautiful place .",
  "{LOC} has a famous museum .",
}
local FILL = {PER = PEOPLE, LOC = PLACES, ORG = ORGS}

checker.declare("text.entities", {"n", "seed"}, 0, "text.entities", "{n = 500, seed = 1}")
--- text.entities([{n = 500, seed = 1}]) -> set: a named-entity set GENERATED from twelve
--- sentence templates filled with made-up lists of people, places and organisations
--- (not real annotated text); the names of text.AMBIGUOUS are people and places both.
--- set.sentences = {{words = {...}, tags = {...}}} with
--- BIO tags (B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG, O); set.words and set.tags are
--- vocabularies (id 0 <PAD>); tensors set.x [n, T] word ids, set.y [n, T] tag ids
--- (padded with <PAD>), set.len [n, 1] the lengths. set.data is the tagger's data set:
--- x = set.x, y = set.y - 1, a class of set.labels (the tags without <PAD>: class c is
--- set.labels[c + 1]) at each step, -1 at padding.
function text.entities(opts)
  opts = options("text.entities", opts)
  local n = want("text.entities", opts, "n", count, "a whole number > 0") or 500
  local g = rng(want("text.entities", opts, "seed", is_integer, "a whole number") or 1)
  local sentences, all_w, all_t = {}, {}, {}
  for i = 1, n do
    local words, tags = {}, {}
    for piece in g.pick(TEMPLATES):gmatch("%S+") do
      local kind = piece:match("^{(%u+)}$")
      if kind then
        local k = 0
        for w in g.pick(FILL[kind]):gmatch("%S+") do
          k = k + 1
          words[#words + 1], tags[#tags + 1] = w, (k == 1 and "B-" or "I-") .. kind
        end
      else
        words[#words + 1], tags[#tags + 1] = piece, "O"
      end
    end
    sentences[i] = {words = words, tags = tags}
    table.move(words, 1, #words, #all_w + 1, all_w)
    table.move(tags, 1, #tags, #all_t + 1, all_t)
  end
  local set = {sentences = sentences, generated = true,
    words = text.vocabulary(all_w, {specials = {text.PAD}}),
    tags = text.vocabulary(all_t, {specials = {text.PAD}})}
  local L = 0
  for _, s in ipairs(sentences) do L = math.max(L, #s.words) end
  local x, y, len = {}, {}, {}
  for i, s in ipairs(sentences) do
    for j = 1, L do
      x[#x + 1] = s.words[j] and set.words:id(s.words[j]) or 0
      y[#y + 1] = s.tags[j] and set.tags:id(s.tags[j]) or 0
    end
    len[i] = #s.words
  end
  set.x, set.y, set.len = tensor_of(x, {n, L}), tensor_of(y, {n, L}), tensor_of(len, {n, 1})
  set.labels = {table.unpack(set.tags.tokens, 2)}
  set.data = data.from(set.x, set.y - 1, {classes = #set.labels})
  return set
end

---------------------------------------------------------------------------------
-- Models and decoding (their own files)
---------------------------------------------------------------------------------

local decode = require "text_decode"
text.softmax, text.sample, text.generate, text.greedy, text.beam =
  decode.softmax, decode.sample, decode.generate, decode.greedy, decode.beam
text.attention = require("text_attention").new
text.seq2seq = require("text_seq2seq").new
text.word2vec = require("text_w2v").new
require("text_lm")(text, corpus_mt) -- text.word_list, corpus:lines, text.lm_sample, text.bits_per_char
require "views_text" -- plot.attention, plot.decoding, plot.word_map

-- data.text is the corpus maker by its DESIGN.md name
data.text = text.file

return text
