-- lessonlib_18.lua: the plumbing of lesson 18 (sequence tagging): training a tagger on
-- the generated named-entity set, reading its per-token predictions, entity spans from
-- BIO tags and their precision, recall and F1 (as CoNLL scores them: an entity counts
-- when its type and both ends are right), the sentences whose first word only the
-- words after it decide, and tagged sentences in brackets; so that the lesson's page
-- shows the models and the numbers, not the loops.
local L = {}

local function argmax(row)
  local best = 1
  for j = 2, #row do if row[j] > row[best] then best = j end end
  return best
end

--- L.train(model, train [, epochs]) -> run: Adam (lr 0.02), batch 32, 15 epochs, the
--- set's own loss (seq_cross_entropy: a class at each step, padding left out)
function L.train(model, train, epochs)
  return model:fit{train, optimizer = optim.adam(model, {lr = 0.02}), epochs = epochs or 15, batch = 32,
    verbose = false, wait = true}
end

--- L.tags(model, set, labels) -> predicted, truth: for each sentence of the data set its
--- predicted and its true tag names (lists as long as the sentence, padding left out)
function L.tags(model, set, labels)
  local out, ys = model:predict(set:x()):totable(), set:y():totable()
  local predicted, truth = {}, {}
  for i, row in ipairs(ys) do
    local p, t = {}, {}
    for s, y in ipairs(row) do
      if y >= 0 then
        t[#t + 1] = labels[y + 1]
        p[#p + 1] = labels[argmax(out[i][s])]
      end
    end
    predicted[i], truth[i] = p, t
  end
  return predicted, truth
end

--- L.spans(tags) -> {{type, first, last}, ...}: the entities of a list of BIO tags; B-X
--- starts one, I-X goes on with an X (a stray I-X starts one, as CoNLL's scorer does),
--- O or another type ends it
function L.spans(tags)
  local spans, cur = {}, nil
  for i, tag in ipairs(tags) do
    local bio, kind = tag:match("^([BI])%-(.+)$")
    if bio == "I" and cur and cur[1] == kind then
      cur[3] = i
    elseif bio then
      cur = {kind, i, i}
      spans[#spans + 1] = cur
    else
      cur = nil
    end
  end
  return spans
end

--- L.entity_scores(model, set, labels [, spans]) -> {precision =, recall =, f1 =,
--- right =, predicted =, truth =}: over the entities of every sentence, found by spans
--- (L.spans by default) in the predicted and the true tags
function L.entity_scores(model, set, labels, spans)
  spans = spans or L.spans
  local predicted, truth = L.tags(model, set, labels)
  local right, np, nt = 0, 0, 0
  for i = 1, #truth do
    local want = {}
    for _, s in ipairs(spans(truth[i])) do want[table.concat(s, " ")] = true; nt = nt + 1 end
    for _, s in ipairs(spans(predicted[i])) do
      np = np + 1
      if want[table.concat(s, " ")] then right = right + 1 end
    end
  end
  local p, r = np > 0 and right / np or 0, nt > 0 and right / nt or 0
  return {precision = p, recall = r, f1 = p + r > 0 and 2 * p * r / (p + r) or 0, right = right,
    predicted = np, truth = nt}
end

--- L.ambiguous_starts(set, ner) -> {i, ...}: the sentences of the data set that start
--- with a name of text.AMBIGUOUS (a person's or a place's: only the words after it say)
function L.ambiguous_starts(set, ner)
  local ids = {}
  for _, w in ipairs(text.AMBIGUOUS) do ids[ner.words:id(w)] = true end
  local out = {}
  for i, row in ipairs(set:x():totable()) do
    if ids[math.tointeger(row[1])] then out[#out + 1] = i end
  end
  return out
end

--- L.ambiguous_accuracy(model, set, ner) -> right / n, right, n: the first word's tag
--- on the sentences that start with an ambiguous name
function L.ambiguous_accuracy(model, set, ner)
  local predicted, truth = L.tags(model, set, ner.labels)
  local starts = L.ambiguous_starts(set, ner)
  local right = 0
  for _, i in ipairs(starts) do
    if predicted[i][1] == truth[i][1] then right = right + 1 end
  end
  return #starts > 0 and right / #starts or 0, right, #starts
end

--- L.bracketed(words, tags) -> "[georgia PER] works for [acme corp ORG] ."
function L.bracketed(words, tags)
  local out, ends = {}, {}
  local starts = {}
  for _, s in ipairs(L.spans(tags)) do starts[s[2]], ends[s[3]] = s[1], s[1] end
  for i, w in ipairs(words) do
    if starts[i] then w = "[" .. w end
    if ends[i] then w = w .. " " .. ends[i] .. "]" end
    out[#out + 1] = w
  end
  return table.concat(out, " ")
end

--- L.words(set, ner, i) -> the words of sentence i of the data set
function L.words(set, ner, i)
  local row, out = set:x():rows(i, 1):totable()[1], {}
  for _, id in ipairs(row) do
    if id ~= 0 then out[#out + 1] = ner.words:token(id) end
  end
  return out
end

--- L.print_tagged(model, set, ner, list [, {wrong = true, max =}]): each sentence i of
--- list with the model's entities in brackets, and the true ones under it where they
--- differ; wrong = only those, max = at most so many sentences
function L.print_tagged(model, set, ner, list, opts)
  opts = opts or {}
  local predicted, truth = L.tags(model, set, ner.labels)
  local shown = 0
  for _, i in ipairs(list) do
    local words = L.words(set, ner, i)
    local p, t = L.bracketed(words, predicted[i]), L.bracketed(words, truth[i])
    if (p ~= t or not opts.wrong) and shown < (opts.max or math.huge) then
      shown = shown + 1
      print(("%4d  %s"):format(i, p))
      if p ~= t then print("      true: " .. t) end
    end
  end
end

--- L.first_place(set, ner) -> i, t: the first sentence with a place name (B-LOC) past
--- its first word, and that word's step
function L.first_place(set, ner)
  local loc = ner.labels
  for i, row in ipairs(set:y():totable()) do
    for t = 2, #row do
      if row[t] >= 0 and loc[row[t] + 1] == "B-LOC" then return i, t end
    end
  end
end

--- L.share_of(matches, set, labels, kind) -> the share of the matched spans that start
--- on an entity of that kind ("LOC")
function L.share_of(matches, set, labels, kind)
  if #matches == 0 then return 0 end
  local ys, n = set:y():totable(), 0
  for _, m in ipairs(matches) do
    local tag = labels[(ys[m.seq][m.first] or -1) + 1] or "O"
    if tag:sub(3) == kind then n = n + 1 end
  end
  return n / #matches
end

return L
