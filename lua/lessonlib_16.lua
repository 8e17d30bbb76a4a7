-- lessonlib_16.lua: the plumbing of lesson 16 (a character-level language model): the
-- lesson's subsample of the word list and its split, one training pair written out,
-- and the measures of sampled words the lesson prints and its checks use (bits per
-- character under the model, the share found in the dictionary, the share of
-- letter triples the dictionary has).
local L = {}

L.N = 6000 -- words of the list the lesson trains on (the whole list: text.word_list())

local dict, dict_triples -- the whole word list, and its letter triples (with the start and end)
local function dictionary()
  if not dict then
    dict, dict_triples = {}, {}
    for w in require("nn.text").read(text.paths.words):gmatch("[^\n]+") do
      dict[w] = true
      local s = "^" .. w .. "$"
      for i = 1, #s - 2 do dict_triples[s:sub(i, i + 2)] = true end
    end
  end
  return dict, dict_triples
end

--- L.words() -> the lesson's corpus: L.N words of the list, shuffled with seed 1
function L.words() return text.word_list{n = L.N, seed = 1} end

--- L.split(words) -> train, test: one sequence a word, a tenth held out (seed 1)
function L.split(words)
  nn.seed(1)
  return words:lines{test = 0.1}
end

-- A token as the lesson prints it: the line's end as ⏎, padding as ·
local function shown(words, id)
  if id < 0 then return "·" end
  local t = words.vocab:token(id)
  return t == "\n" and "⏎" or t
end

--- L.pair(words, set, i) -> x, y: row i of a corpus:lines set as text
function L.pair(words, set, i)
  local x, y = set:x():rows(i, 1):totable()[1], set:y():rows(i, 1):totable()[1]
  local xs, ys = {}, {}
  for t = 1, #x do -- x's padding ("\n" after the end) as ·, as y's -1
    local pad = y[t] < 0
    xs[t], ys[t] = pad and "·" or shown(words, math.tointeger(x[t])), shown(words, math.tointeger(y[t]))
  end
  return table.concat(xs, " "), table.concat(ys, " ")
end

--- L.bits_of(model, words, list) -> bits per character of the strings in list under
--- the model (its plain softmax, temperature 1)
function L.bits_of(model, words, list)
  return (text.bits_per_char(model, words:lines{strings = list}))
end

--- L.in_dictionary(list) -> the share of the strings that are words of the whole list
function L.in_dictionary(list)
  local d = dictionary()
  local n = 0
  for _, w in ipairs(list) do if d[w] then n = n + 1 end end
  return n / math.max(1, #list)
end

--- L.known_triples(list) -> the share of the letter triples of the strings (with ^ at
--- the start and $ at the end of each: "^ca", "cat", "at$") that occur in the word list
function L.known_triples(list)
  local _, triples = dictionary()
  local n, known = 0, 0
  for _, w in ipairs(list) do
    local s = "^" .. w .. "$"
    for i = 1, #s - 2 do
      n = n + 1
      if triples[s:sub(i, i + 2)] then known = known + 1 end
    end
  end
  return known / math.max(1, n)
end

--- L.distinct(list) -> the share of the strings that differ from all before them
function L.distinct(list)
  local seen, n = {}, 0
  for _, w in ipairs(list) do
    if not seen[w] then seen[w] = true; n = n + 1 end
  end
  return n / math.max(1, #list)
end

--- L.unigram_bits(words) -> the entropy of the corpus's character counts in bits (what
--- the task asks the student to compute; the view draws it as the baseline)
function L.unigram_bits(words) return require("views_lm").unigram_bits(words) end

return L
