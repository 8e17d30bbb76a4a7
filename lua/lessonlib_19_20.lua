-- lessonlib_19_20.lua: the plumbing of lesson 20 (word embeddings), kept out of the
-- code the lesson prints: the small corpus it trains on, generated from templates so
-- that which words share contexts is known (animals, foods, colours, numbers,
-- countries and their capitals), and the checks' measures. Nothing here leaves
-- names in the user's globals. tests/lua/test_lessons_19_20.lua asserts the claims
-- the lesson's text makes, with the same settings.
local text = require "text"

local lib = {}

lib.groups = {
  animal = {"cat", "dog", "horse", "cow", "sheep", "goat"},
  food = {"grass", "meat", "bread", "fish", "apples", "corn"},
  colour = {"red", "blue", "green", "yellow", "white", "black"},
  number = {"two", "three", "four", "five", "six", "seven"},
  country = {"france", "italy", "spain", "germany", "japan", "egypt"},
  capital = {"paris", "rome", "madrid", "berlin", "tokyo", "cairo"},
}

local TEMPLATES = {
  "the {animal} eats {food} in the field",
  "a hungry {animal} wants more {food}",
  "my {animal} sleeps near the {colour} barn",
  "she painted the door {colour} and the wall {colour}",
  "he bought a {colour} car last week",
  "we counted {number} birds and {number} trees",
  "there are {number} days until the trip",
  "{capital} is the capital of {country}",
  "we flew to {capital} the largest city of {country}",
  "people in {country} eat {food} every day",
}

--- lib.corpus([sentences = 3000, seed = 1]) -> a word corpus (text.corpus) of generated
--- sentences; a capital always comes with its own country in one sentence.
function lib.corpus(sentences, seed)
  local g = text._rng(seed or 1)
  local lines = {}
  for i = 1, sentences or 3000 do
    local pair = g.below(#lib.groups.country) + 1 -- the country of this sentence's capital
    lines[i] = g.pick(TEMPLATES):gsub("{(%a+)}", function(kind)
      if kind == "capital" then return lib.groups.capital[pair] end
      if kind == "country" then return lib.groups.country[pair] end
      return g.pick(lib.groups[kind])
    end)
  end
  return text.corpus(table.concat(lines, "\n"), {level = "word"})
end

--- lib.sentences(corpus, n) -> the corpus's first n sentences as text
function lib.sentences(corpus, n)
  local out, cur = {}, {}
  for i, id in ipairs(corpus.ids) do
    cur[#cur + 1] = id
    if corpus.line_ends[i] then
      out[#out + 1] = corpus:decode(cur)
      cur = {}
      if #out == n then break end
    end
  end
  return out
end

--- lib.analogies(model) -> how many of the 30 analogies capital_i - country_i +
--- country_j give capital_j first, and how many give some capital first
function lib.analogies(model)
  local C, K = lib.groups.capital, lib.groups.country
  local right, capital = 0, 0
  for i = 1, #C do
    for j = 1, #C do
      if i ~= j then
        local w = model:analogy(C[i], K[i], K[j], 1)[1].word
        if w == C[j] then right = right + 1 end
        if lib.group_of(w) == "capital" then capital = capital + 1 end
      end
    end
  end
  return right, capital
end

--- lib.group_of(word) -> the group name of a word of the groups, or nil
function lib.group_of(word)
  for name, list in pairs(lib.groups) do
    for _, w in ipairs(list) do if w == word then return name end end
  end
end

--- lib.same_group(model, k) -> the share of the groups' words whose k nearest words
--- are all in the word's own group (1: every group is a tight cluster)
function lib.same_group(model, k)
  local good, total = 0, 0
  for name, list in pairs(lib.groups) do
    for _, w in ipairs(list) do
      total = total + 1
      local ok = true
      for _, r in ipairs(model:nearest(w, k or 3)) do
        if lib.group_of(r.word) ~= name then ok = false end
      end
      if ok then good = good + 1 end
    end
  end
  return good / total
end

local ORDER = {"animal", "food", "colour", "number", "country", "capital"}

--- lib.map_words() -> the groups' words, for the 2-D map
function lib.map_words()
  local out = {}
  for _, name in ipairs(ORDER) do
    for _, w in ipairs(lib.groups[name]) do out[#out + 1] = w end
  end
  return out
end

return lib
