-- Lesson 19: the encoder-decoder. The lab manual's pair "nice to meet you" -> "ravi de
-- vous rencontrer" memorised, <START> and <END>, teacher forcing against free running,
-- greedy decoding with each step's probabilities, a generated task (reversal) learnt
-- with attention, and the attention weights as a heat map (an anti-diagonal).
lesson{"encoder_decoder", "Encoder-decoder: sequence to sequence with attention"}

local lib = require "lessonlib_19" -- the checks' measures

say[[
# Two networks, one translation

A tagger (lesson 18) gives one output per input word. A translation does not:
"nice to meet you" has four words and so has "ravi de vous rencontrer", but the
words do not line up one to one, and in general the lengths differ. The
**encoder-decoder** (Sutskever et al., 2014) splits the work in two:

- the **encoder**, an LSTM, reads the source one token at a time; its states
  h_1 .. h_S summarise what it has read;
- the **decoder**, another LSTM, starts from the encoder's last state and writes
  the target one token at a time, each step fed the token it wrote before.

Two special tokens make that work. The decoder's first input is **<START>**: it
has written nothing yet. And it writes **<END>** when it has finished: that is how
a model says how long its answer is.
]]

show[[
L19 = require "lessonlib_19"
pair = L19.pair_task()
print("source tokens:", table.concat(pair.pairs[1][1], " | "))
print("target tokens:", table.concat(pair.pairs[1][2], " | "))
print("target vocabulary:", table.concat(pair.target.tokens, " "))
print("decoder input  y_in:", pair.y_in)
print("decoder target y   :", pair.y)
]]

say[[
Ids 0, 1, 2 are <PAD>, <START> and <END> in every task. y_in is what the decoder
reads, y what it must write at the same step: y is y_in shifted by one.
]]

task{
  [[Write the decoder's input and its target for the pair, as lists of tokens (strings):
  `dec_in` (what the decoder reads at steps 1 to 5) and `dec_out` (what it must write
  at those steps).]],
  check = function(env)
    local a, b = env.dec_in, env.dec_out
    if type(a) ~= "table" or type(b) ~= "table" then return false, "set dec_in and dec_out to lists of strings" end
    local words = {"ravi", "de", "vous", "rencontrer"}
    local function same(x, y)
      if #x ~= #y then return false end
      for i = 1, #y do if x[i] ~= y[i] then return false end end
      return true
    end
    if a[1] ~= "<START>" then return false, "the decoder's first input is <START>: at step 1 it has written nothing yet" end
    if b[#b] ~= "<END>" then return false, "the target ends with <END>: that is how the decoder says it has finished" end
    if same(a, b) then return false, "dec_in and dec_out are the same: the target is the input shifted by one step" end
    if not same(a, {"<START>", table.unpack(words)}) then
      return false, "dec_in is <START> and then the four French words"
    end
    if not same(b, {"ravi", "de", "vous", "rencontrer", "<END>"}) then
      return false, "dec_out is the four French words and then <END>"
    end
    return true
  end,
  hint = [[dec_in = {"<START>", "ravi", ...}; dec_out = {"ravi", ..., "<END>"}]],
  solution = [[
dec_in = {"<START>", "ravi", "de", "vous", "rencontrer"}
dec_out = {"ravi", "de", "vous", "rencontrer", "<END>"}]],
  wrong = {
    {"no <START>", [[
dec_in = {"ravi", "de", "vous", "rencontrer", "<END>"}
dec_out = {"ravi", "de", "vous", "rencontrer", "<END>"}]]},
    {"no <END>", [[
dec_in = {"<START>", "ravi", "de", "vous", "rencontrer"}
dec_out = {"<START>", "ravi", "de", "vous", "rencontrer"}]]},
    {"the English words", [[
dec_in = {"<START>", "nice", "to", "meet", "you"}
dec_out = {"nice", "to", "meet", "you", "<END>"}]]},
  },
}

say[[
# Memorising one pair

`text.seq2seq` builds the model: source and target embeddings of 16 numbers, an
encoder and a decoder LSTM of 32 units, and a linear layer from the decoder's state
to a score for each target word. Untrained, it writes anything:
]]

show[[
nn.seed(1)
pair_model = text.seq2seq{task = pair, embed = 16, hidden = 32}
print(pair_model)
print("untrained:", (pair_model:translate("nice to meet you")))
]]

say[[
Training runs the decoder over the target with the **true** previous word as each
step's input (the rows of y_in), and sums the cross-entropy of each step's scores
against y: that is **teacher forcing**. `fit` does it with Adam.
]]

task{
  [[Train `pair_model` on `pair` until `pair_model:translate("nice to meet you")` gives
  "ravi de vous rencontrer". `pair_model:fit{pair, epochs = 30, batch = 1}` takes 30
  steps of Adam (one pair, one step an epoch).]],
  check = function(env)
    local m = env.pair_model
    if type(m) ~= "table" or getmetatable(m) ~= require("text_seq2seq").class then
      return false, "pair_model should be the text.seq2seq model made above"
    end
    if m.run and m.run.state == "running" then
      return false, ("the fit is still running (epoch %d of %d): wait for it, run:wait()"):format(m.run.epoch, m.run.epochs)
    end
    local ok, got = pcall(m.translate, m, "nice to meet you")
    if not ok then return false, "pair_model cannot translate the pair: make it with task = pair" end
    if got ~= "ravi de vous rencontrer" then
      return false, ("it translates \"nice to meet you\" as %q: train it longer"):format(got)
    end
    return true
  end,
  hint = "pair_model:fit{pair, epochs = 30, batch = 1}",
  solution = [[pair_model:fit{pair, epochs = 30, batch = 1, wait = true}
print(pair_model:translate("nice to meet you"))]],
  wrong = {
    {"two steps", [[
nn.seed(1)
pair_model = text.seq2seq{task = pair, embed = 16, hidden = 32}
pair_model:fit{pair, epochs = 2, batch = 1, wait = true}]]},
    {"a learning rate too small", [[
nn.seed(1)
pair_model = text.seq2seq{task = pair, embed = 16, hidden = 32}
pair_model:fit{pair, epochs = 30, batch = 1, lr = 1e-5, wait = true}]]},
  },
}

say[[
# Greedy decoding, step by step

At test time there is no true previous word to feed. **Greedy decoding** starts from
<START>, picks the most likely word at each step, feeds it back as the next input,
and stops at <END> (or after max_len steps). `translate` keeps each step's
probabilities:
]]

show[[
out, result = pair_model:translate("nice to meet you")
for i, s in ipairs(result.steps) do
  print(("step %d: %-10s p = %.3f"):format(i, pair.target.tokens[s.chosen + 1], s.probs[s.chosen + 1]))
end
step_view = plot.decoding(pair_model, {step = 2})
]]

say[[
Greedy decoding can go wrong for good: a word picked at step 2 cannot be taken back
at step 3. **Beam search** keeps the k most likely partial translations instead
(`pair_model:translate(s, {beam = 3})`); with one memorised pair both agree.
]]

pause()

say[[
# Teacher forcing and free running

With teacher forcing the decoder trains on perfect inputs, but at test time it
reads its own guesses, mistakes included: it never practised recovering from them
(*exposure bias*). The other extreme, **free running**, feeds the model's own guess
at every step while training. `teacher_forcing = r` in `fit` mixes them: at each
step each sequence gets the true previous token with probability r, its own guess
otherwise.

A larger task shows the difference: reverse a string of 1 to 8 letters a..h
("abc" -> "cba"), 1000 pairs to train on and 200 others to test. The same model,
from the same seed, three epochs each way:
]]

show[[
rev_train, rev_test = L19.reverse_sets()
print(("%d training pairs, e.g. %s -> %s"):format(#rev_train.pairs,
  table.concat(rev_train.pairs[1][1]), table.concat(rev_train.pairs[1][2])))
tf_race = L19.teacher_forcing_race(rev_train, rev_test, 3)
print(("exact matches on the test set after 3 epochs: teacher forcing %.2f, free running %.2f")
  :format(tf_race[1], tf_race[0]))
]]

say[[
Early on, free running feeds the decoder mostly wrong letters, and it learns from a
confused history: teacher forcing gets further in the same time. Mixing in some
free running (r = 0.5) later in training is a common middle way.
]]

task{
  [[Write `decoder_input(truth, guess, t, ratio, u)`: the token the decoder reads at step
  t while training. truth is the target (a list of tokens), guess the model's own
  outputs so far, u a random number in [0, 1). Step 1 reads "<START>"; a later step
  reads the true previous token when u < ratio, else the model's previous guess.]],
  check = function(env)
    local f = env.decoder_input
    if type(f) ~= "function" then return false, "there is no function decoder_input yet" end
    local truth, guess = {"c", "b", "a"}, {"c", "a", "a"}
    local cases = {
      {1, 1, 0.5, "<START>", "step 1 reads <START>"},
      {1, 0, 0.5, "<START>", "step 1 reads <START>, whatever the ratio"},
      {2, 1, 0.3, "c", "with ratio 1 (teacher forcing) step 2 reads the true previous token, truth[1]"},
      {3, 1, 0.9, "b", "with ratio 1 step 3 reads truth[2]"},
      {3, 0, 0.1, "a", "with ratio 0 (free running) step 3 reads the model's previous guess, guess[2]"},
      {3, 0.5, 0.2, "b", "with ratio 0.5 and u = 0.2 < 0.5 the true token: truth[2]"},
      {3, 0.5, 0.7, "a", "with ratio 0.5 and u = 0.7 the model's guess: guess[2]"},
    }
    for _, c in ipairs(cases) do
      local ok, got = pcall(f, truth, guess, c[1], c[2], c[3])
      if not ok then return false, "decoder_input raised an error: " .. tostring(got) end
      if got ~= c[4] then return false, ("decoder_input(truth, guess, %d, %g, %g) gave %s: %s"):format(c[1], c[2], c[3], tostring(got), c[5]) end
    end
    return true
  end,
  hint = [=[if t == 1 then return "<START>" end; then truth[t - 1] or guess[t - 1]]=],
  solution = [[
function decoder_input(truth, guess, t, ratio, u)
  if t == 1 then return "<START>" end
  if u < ratio then return truth[t - 1] end
  return guess[t - 1]
end]],
  wrong = {
    {"always the truth", [[
function decoder_input(truth, guess, t, ratio, u)
  if t == 1 then return "<START>" end
  return truth[t - 1]
end]]},
    {"the token of the same step", [[
function decoder_input(truth, guess, t, ratio, u)
  if t == 1 then return "<START>" end
  if u < ratio then return truth[t] end
  return guess[t]
end]]},
    {"no <START>", [[
function decoder_input(truth, guess, t, ratio, u)
  if u < ratio then return truth[t] end
  return guess[t]
end]]},
  },
}

say[[
# Attention

The decoder starts from one vector, the encoder's last state: eight letters must
fit in 48 numbers, and the first letter has been through eight LSTM steps since.
**Attention** (Bahdanau et al., 2015) lets each decoder step look back at every
encoder state h_1 .. h_S. At step t, with decoder state s_t (the arrangement of
Luong et al., 2015):

    e_tj = v^T tanh(W_q s_t + W_k h_j)         a score for each source position j
    a_tj = exp(e_tj) / Σ_k exp(e_tk)            the weights: a softmax over j
    c_t  = Σ_j a_tj h_j                         the context vector
    s~_t = tanh(W_c c_t + U_c s_t + b_c)        what the output layer reads

(the *additive* score; the *dot* score is s_t · h_j / √d). Padded source positions
get weight 0, so that a batch can mix lengths. `text.seq2seq` uses additive
attention unless told `attention = "dot"` or `attention = false`.
]]

task{
  [[Build `rev_model`, a `text.seq2seq` on `rev_train` with `embed = 16, hidden = 48`
  (attention as it comes), train it for 8 epochs and keep its exact-match accuracy on
  `rev_test` (`rev_model:accuracy(rev_test)`) in `rev_acc`. It should pass 0.9.
  At the prompt, watch it learn where to look:
  `run = rev_model:fit{rev_train, epochs = 8}`, then
  `plot.attention(rev_model, "abcdefgh", {run = run})`.]],
  check = function(env)
    local m, acc = env.rev_model, env.rev_acc
    if type(m) ~= "table" or getmetatable(m) ~= require("text_seq2seq").class then
      return false, "rev_model should be a text.seq2seq model on rev_train"
    end
    if m.run and m.run.state == "running" then
      return false, ("the fit is still running (epoch %d of %d): wait for it, run:wait()"):format(m.run.epoch, m.run.epochs)
    end
    if #m.source.tokens ~= #env.rev_train.source.tokens then return false, "make rev_model with task = rev_train" end
    if type(acc) ~= "number" then return false, "set rev_acc to rev_model:accuracy(rev_test)" end
    local real = m:accuracy(env.rev_test)
    if math.abs(real - acc) > 1e-9 then return false, "rev_acc is not rev_model's accuracy on rev_test" end
    if not m.att then return false, ("without attention: %.2f of the test set right. Leave attention on"):format(acc) end
    if not m.run then return false, ("untrained, %.2f of the test set right: fit it"):format(acc) end
    if acc < 0.9 then return false, ("%.2f of the test set right: it should pass 0.9 (8 epochs)"):format(acc) end
    return true
  end,
  hint = [[rev_model = text.seq2seq{task = rev_train, embed = 16, hidden = 48}; rev_model:fit{rev_train, epochs = 8}]],
  solution = [[
nn.seed(1)
rev_model = text.seq2seq{task = rev_train, embed = 16, hidden = 48}
rev_model:fit{rev_train, epochs = 8, wait = true}
rev_acc = rev_model:accuracy(rev_test)
print(("exact matches: %.3f"):format(rev_acc))]],
  wrong = {
    {"one epoch", [[
nn.seed(1)
rev_model = text.seq2seq{task = rev_train, embed = 16, hidden = 48}
rev_model:fit{rev_train, epochs = 1, wait = true}
rev_acc = rev_model:accuracy(rev_test)]]},
    {"untrained", [[
nn.seed(1)
rev_model = text.seq2seq{task = rev_train, embed = 16, hidden = 48}
rev_acc = rev_model:accuracy(rev_test)]]},
  },
}

say[[
The same model without attention (`attention = false`) gets only about a third of
the test set right after 8 epochs: every letter has to squeeze through the
encoder's last state.
]]

show[[
print(rev_model:translate("abcdefgh"))
attention_view = plot.attention(rev_model, "abcdefgh")
]]

say[[
One row per output letter, one column per source letter, bright where the decoder
looked. To write the first output letter ("h") it looks at the last source letter,
to write the second at the one before: the bright cells run along the
**anti-diagonal**. Nobody told the model to look there; it is where the letter it
needs is. (The <END> row looks near the start: the source is used up.) For a
translation the map shows which source words each target word came from.
]]

task{
  [[From `_, rev_result = rev_model:translate("abcdefgh")`, make `looks`: for each of
  the 8 output letters t, the source position (1 to 8) with the largest attention
  weight in `rev_result.weights[t]`.]],
  check = function(env)
    local r, looks = env.rev_result, env.looks
    if type(r) ~= "table" or type(r.weights) ~= "table" then
      return false, "set rev_result: _, rev_result = rev_model:translate(\"abcdefgh\")"
    end
    if type(looks) ~= "table" or #looks ~= 8 then return false, "looks should list 8 positions, one per output letter" end
    local mirrored = 0
    for t = 1, 8 do
      local want = lib.argmax(r.weights[t])
      if looks[t] ~= want then
        return false, ("looks[%d] is %s; the largest weight of row %d is at position %d"):format(t, tostring(looks[t]), t, want)
      end
      if want == 9 - t then mirrored = mirrored + 1 end
    end
    if mirrored < 6 then return false, ("only %d of 8 on the anti-diagonal: is rev_model trained?"):format(mirrored) end
    return true
  end,
  hint = "for each t, loop over j = 1..8 and keep the j of the largest rev_result.weights[t][j]",
  solution = [[
_, rev_result = rev_model:translate("abcdefgh")
looks = {}
for t = 1, 8 do
  local best = 1
  for j, w in ipairs(rev_result.weights[t]) do
    if w > rev_result.weights[t][best] then best = j end
  end
  looks[t] = best
end
print(table.concat(looks, " "))]],
  wrong = {
    {"the diagonal, assumed", [[
_, rev_result = rev_model:translate("abcdefgh")
looks = {1, 2, 3, 4, 5, 6, 7, 8}]]},
    {"the smallest weight", [[
_, rev_result = rev_model:translate("abcdefgh")
looks = {}
for t = 1, 8 do
  local best = 1
  for j, w in ipairs(rev_result.weights[t]) do
    if w < rev_result.weights[t][best] then best = j end
  end
  looks[t] = best
end]]},
  },
}

show[[
share = L19.alignment(rev_model, rev_test)
print(("over the test set, %.0f%% of output letters look hardest at the mirrored source letter"):format(100 * share))
]]

pause()

say[[
# Real words: English to French, letter by letter

Debian's FreeDict dictionary gives English-French word pairs. Read letter by
letter, a translation is a harder reversal: some words pass unchanged ("adonis"),
others change a little ("agency" -> "agence"), others are new words. 100 pairs
spread over the alphabet, 20 epochs in batches of 10:
]]

show[[
words = L19.freedict(100)
nn.seed(1)
word_model = text.seq2seq{task = words, embed = 16, hidden = 64}
word_model:fit{words, epochs = 20, batch = 10, wait = true}
print(("exact on its 100 training words: %.2f"):format(word_model:accuracy(words)))
for i = 1, 4 do
  local en = table.concat(words.pairs[i][1])
  print(en, "->", (word_model:translate(en)))
end
for _, en in ipairs{"house", "water", "bread"} do print(en, "(never seen) ->", (word_model:translate(en))) end
]]

say[[
It has learnt almost all of its 100 words, and none of the others: for a word it
never saw it writes a French-looking string, not "maison", "eau" or "pain". A
dictionary is memorised, not reasoned out; 100 words are little. Try
`text.task("dates")` ("march 7 1994" -> "1994-03-07") for a task with a rule: its
attention maps show the month word feeding the two month digits.
]]

quiz{
  [[After training, a seq2seq model decodes "abcdefgh" greedily. At step 3 it picks
  "e" with probability 0.6 where "f" was right. What does step 4 read?]],
  choices = {"\"f\", the true letter: the decoder is teacher-forced", "\"e\", its own guess",
    "<START> again", "nothing: decoding stops at a mistake"},
  answer = 2,
  why = [[At test time there is no true target to feed: each step reads the token the
  decoder picked at the step before, mistakes included. Teacher forcing only exists
  during training, which is why a model trained with it alone may not recover.]],
}

say[[
# Next

Lesson 20 learns word vectors (word2vec) from running text: the embeddings that
the encoder and decoder here learned from scratch.
]]
