-- doc/text.lua: help entries of the text table (lua/text.lua and its parts
-- text_decode.lua, text_attention.lua, text_w2v.lua) and of its views (views_text.lua).
return {
  ["text"] = {
    sig = "text",
    summary = "corpora, sequence sets, word2vec, sampling and decoding, attention, the encoder-decoder",
    text = [[
Corpora: data.text(path, {level = "char"|"word"}), text.corpus(s) or text.bible() give a corpus
with its vocabulary (?corpus:encode, decode, windows). Sets: text.translation_pairs
(English-French, FreeDict), text.task (reverse, sort, dates, addition), text.entities
(generated named entities, BIO tags), text.pairs_task (pairs of strings). Models:
text.word2vec (CBOW, skip-gram), text.attention (dot, additive; batched, masked),
text.seq2seq (an LSTM encoder-decoder with attention). Decoding over any step function: text.sample,
text.generate, text.greedy, text.beam. Views: plot.attention, plot.states (LSTMVis), plot.decoding,
plot.word_map. Token ids start at 0, as class indices do. A character language
model (lesson 16): text.word_list, corpus:lines, text.lm_sample, text.bits_per_char,
plot.lm_samples.]],
    example = [[
c = text.corpus("to be or not to be\n", {level = "word"})
print(c, c:encode("not to be")[1])]],
  },
  ["text.paths"] = {
    sig = "text.paths = {words =, freedict =}",
    summary = "where the Debian text packages put their files",
    text = [[
words is the word list of wamerican (/usr/share/dict/words, one word a line: a
corpus for character-level models); bible the King James Bible of bible-kjv-text
(?text.bible); freedict is the base path of the FreeDict
English-French dictionary (its .index and .dict.dz) that text.translation_pairs reads.]],
    example = [[print(text.paths.words)]],
  },
  ["data.text"] = {
    sig = "c = data.text(path [, {level = \"char\"|\"word\", min_count =, unknown =, lines =}])",
    summary = "a text file (plain or gzip) as a corpus of characters or words, with its vocabulary",
    text = [[
level = "char" (the default) takes every character (UTF-8), each line ending in
"\n" so that a model learns where lines end; "word" takes words, lower case,
punctuation dropped, each line a sentence (word2vec's windows do not cross lines).
The vocabulary is ordered by falling count (ties by text). min_count = n maps words
seen fewer than n times to unknown ("<unk>"). lines = n reads only the first n
lines. A missing file is refused naming the path, and so is a text with no tokens.
Same as text.file.]],
    example = [[
c = data.text(text.paths.words, {lines = 1000})
print(c, c:decode(c:encode("hello")))]],
  },
  ["text.file"] = {
    sig = "c = text.file(path [, {level =, min_count =, unknown =, lines =}])",
    summary = "the same as data.text: a text file as a corpus",
    text = [[See data.text.]],
    example = [[print(text.file(text.paths.words, {lines = 10}))]],
  },
  ["text.corpus"] = {
    sig = "c = text.corpus(s [, {level = \"char\"|\"word\", min_count =, unknown =, lines =}])",
    summary = "a string as a corpus of characters or words, with its vocabulary",
    text = [[As data.text, for text already in a string. c.ids lists the token ids, c.vocab is the vocabulary (?text.vocabulary).]],
    example = [[
c = text.corpus("the cat sat\nthe dog sat\n", {level = "word"})
print(#c, c:size(), c.vocab.tokens[1])   --> 6 4 sat (ties by text)]],
  },
  ["corpus:encode"] = {
    sig = "ids = c:encode(s)",
    summary = "a string as the list of its token ids (split as the corpus was)",
    text = [[A token not in the vocabulary is an error naming it, unless the corpus has an unknown token (min_count).]],
    example = [[
c = text.corpus("abba")
print(table.concat(c:encode("baa"), ","))   --> 1,0,0]],
  },
  ["corpus:decode"] = {
    sig = "s = c:decode(ids)",
    summary = "token ids back to text: characters joined, or words joined by spaces",
    text = [[The inverse of c:encode; an id outside the vocabulary is an error naming it.]],
    example = [[
c = text.corpus("abba")
print(c:decode{1, 0})   --> ba]],
  },
  ["corpus:windows"] = {
    sig = "d = c:windows(T [, {stride = T, limit =, test =, shuffle =}])",
    summary = "windows of T tokens as a data set: x [N, T] ids, y [N, T] the next token at each position",
    text = [[
A language model's training set: y[i][t] = x[i][t + 1], a class of the vocabulary at
each step (fit and evaluate report the accuracy per token). Windows start every stride
tokens (stride = 1: every position); limit keeps at most that many; test = 0.2
splits off a fifth (shuffled first unless shuffle = false).]],
    example = [[
c = text.corpus("hello world\n")
d = c:windows(4)
print(d, d:x():totable()[1][1], d:y():totable()[1][1])]],
  },
  ["corpus:with_breaks"] = {
    sig = "t = c:with_breaks()",
    summary = "the ids as a tensor with -1 after each line of a word corpus (word2vec's input)",
    text = [[A -1 is a sentence break: word2vec's context windows do not cross it.]],
    example = [[print(text.corpus("a b\nc\n", {level = "word"}):with_breaks())]],
  },
  ["corpus:size"] = {
    sig = "n = c:size()",
    summary = "the size of the corpus's vocabulary",
    text = [[#c is the number of tokens; c:size() the number of distinct ones (a model's output size).]],
    example = [[print(text.corpus("abba"):size())   --> 3 (a, b and the line's end)]],
  },
  ["text.vocabulary"] = {
    sig = "v = text.vocabulary(tokens [, {specials =, min_count =, unknown =}])",
    summary = "a vocabulary of a token list: v.tokens (id + 1 -> token), v.index (token -> id), v.counts",
    text = [[
specials come first ({"<PAD>", "<START>", "<END>"} gives them ids 0, 1, 2), then
the unknown token when given, then the tokens by falling count (ties by text).
v:id(token) and v:token(id) look up; #v is the size.]],
    example = [[
v = text.vocabulary({"b", "a", "b"}, {specials = {"<PAD>"}})
print(v:id("b"), v:token(2))   --> 1 a]],
  },
  ["vocabulary:id"] = {
    sig = "id = v:id(token)",
    summary = "a token's 0-based id (the unknown token's for one not in the vocabulary, else an error)",
    text = [[See text.vocabulary.]],
    example = [[print(text.vocabulary({"x", "y", "y"}):id("y"))   --> 0]],
  },
  ["vocabulary:token"] = {
    sig = "token = v:token(id)",
    summary = "the token of a 0-based id",
    text = [[See text.vocabulary.]],
    example = [[print(text.vocabulary({"x", "y", "y"}):token(1))   --> x]],
  },
  ["text.bible"] = {
    sig = "c = text.bible([{level = \"word\", min_count =, unknown =, lines =, path =}])",
    summary = "the King James Bible (Debian's bible-kjv-text) as a corpus of words or characters, a verse a line",
    text = [[
bible-kjv-text keeps the text in its own format (/usr/lib/bible.data: 68 windows of
64 KiB, each compressed with Unix compress's LZW), which the engine decodes: 4.4 MB,
790 000 words, 31 102 verses. Each verse is a line, its reference ("Ge1:1") left
out. lines = n keeps the first n verses; min_count = 5 maps rare words to <unk>
(a vocabulary of about 5300 instead of 12 800). A corpus for word2vec: one epoch of
skip-gram (dim 50) takes a few seconds.]],
    example = [[
c = text.bible{lines = 2}
print(c, c:decode({table.unpack(c.ids, 1, 4)}))   --> ... in the beginning god]],
  },
  ["text.translation_pairs"] = {
    sig = "pairs = text.translation_pairs([{limit =, words = 1, path =}])",
    summary = "English-French word pairs from the FreeDict dictionary, and the lab manual's pair",
    text = [[
Reads Debian's dict-freedict-eng-fra in its dictd form: the .index (headword,
offset and length in base 64) and the gzip'd .dict.dz; each English headword of at
most `words` words (letters and spaces only) with the first word of its first
French sense, lower case: about 7400 pairs. Last comes "nice to meet you" ->
"ravi de vous rencontrer". Each pair is {english, french}.]],
    example = [[
p = text.translation_pairs{limit = 5}
print(#p, p[1][1], p[1][2], p[#p][2])]],
  },
  ["text.task"] = {
    sig = "task = text.task(name [, {n = 1000, seed = 1, length = 8, symbols = 10, digits = 3}])",
    summary = "a generated sequence-to-sequence set: reverse, sort, dates or addition, padded, with <START> and <END>",
    text = [[
"reverse" and "sort": strings of 1 to length letters from the first `symbols`;
"dates": "march 7 1994" (words) -> "1994-03-07" (characters); "addition": "12+345"
-> "357" with numbers of up to `digits` digits. task.pairs lists {source tokens,
target tokens}; task.source and task.target are vocabularies with <PAD> 0,
<START> 1, <END> 2; tensors task.x [n, S] (padded after), task.y_in [n, T]
(<START> and the target: the decoder's input under teacher forcing), task.y [n, T]
(the target and <END>), task.x_len and task.y_len [n, 1]. The same seed gives the
same set.]],
    example = [[
t = text.task("reverse", {n = 3})
print(table.concat(t.pairs[1][1]), table.concat(t.pairs[1][2]), t.x.shape[2])]],
  },
  ["text.pad_pairs"] = {
    sig = "task = text.pad_pairs(task)",
    summary = "fills a task's padded tensors (x, y_in, y, x_len, y_len) from its pairs and vocabularies",
    text = [[For a task of your own: task.pairs of {source tokens, target tokens}, task.source and task.target vocabularies with specials {"<PAD>", "<START>", "<END>"}.]],
    example = [[
sp = {"<PAD>", "<START>", "<END>"}
t = {pairs = {{{"hi"}, {"salut"}}}}
t.source, t.target = text.vocabulary({"hi"}, {specials = sp}), text.vocabulary({"salut"}, {specials = sp})
print(text.pad_pairs(t).y)]],
  },
  ["text.pairs_task"] = {
    sig = "task = text.pairs_task(pairs [, {level = \"word\", source_level =, target_level =}])",
    summary = "a sequence-to-sequence task (as text.task's) from pairs of strings, split into words or characters",
    text = [[
pairs: {{source string, target string}, ...}, such as text.translation_pairs() gives.
level "word" (default) or "char" for both sides, or source_level and target_level
each. The task has pairs, source and target vocabularies (<PAD> 0, <START> 1, <END>
2) and the padded tensors x, y_in, y, x_len, y_len of text.task.]],
    example = [[
t = text.pairs_task({{"nice to meet you", "ravi de vous rencontrer"}})
print(t.y_in, t.y)]],
  },
  ["text.seq2seq"] = {
    sig = "s2s = text.seq2seq{task = | source =, target =, embed = 32, hidden = 64, attention = \"additive\"|\"dot\"|false, max_len =}",
    summary = "an LSTM encoder-decoder with attention over a task's vocabularies: fit, translate (greedy or beam), accuracy",
    text = [[
The encoder embeds the source and runs an LSTM over it (padding masked); the decoder
is an LSTM cell that starts from the encoder's last state, reads <START> and then
the previous target token, attends over the encoder's states (text.attention,
additive by default) and scores the next token through tanh(W_c context + U_c h +
b_c). s2s:fit{task, ...} trains it with teacher forcing (a ratio), s2s:translate(s)
decodes greedily (or {beam = k}), keeping each step's probabilities and attention
weights for plot.decoding and plot.attention. s2s.params lists its tensors.]],
    example = [[
nn.seed(1)
pair = text.pairs_task({{"nice to meet you", "ravi de vous rencontrer"}})
s2s = text.seq2seq{task = pair, embed = 16, hidden = 32}
s2s:fit{pair, epochs = 30, batch = 1}
print((s2s:translate("nice to meet you")))   --> ravi de vous rencontrer]],
  },
  ["seq2seq:fit"] = {
    sig = "run = s2s:fit{task, epochs = 10, batch = 32, lr = 0.01, teacher_forcing = 1, clip = 5, verbose =, wait =, on_epoch =}",
    summary = "trains the encoder-decoder on a task's pairs with Adam on mini-batches; teacher forcing with a ratio",
    text = [[
Each step of the decoder reads the true previous target token with probability
teacher_forcing (1: always, teacher forcing; 0: its own previous guess, free
running), drawn for each sequence and step. The loss is the mean cross-entropy per
target token, <END> included. Gradients are clipped to norm clip. At the prompt the
run trains in a background job (run:wait() waits; plot.attention(s2s, s, {run =
run}) follows it); elsewhere, or with wait = true, fit returns when done.
run.losses[e] is epoch e's mean loss; on_epoch(run) runs after each epoch.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 200, length = 4, symbols = 4})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
run = s2s:fit{t, epochs = 2, teacher_forcing = 0.5}
print(#run.losses)   --> 2]],
  },
  ["seq2seq:translate"] = {
    sig = "text, result = s2s:translate(source [, {beam =, max_len =, alpha =}])",
    summary = "greedy (or beam) decoding of one source, with each step's probabilities and attention weights",
    text = [[
source: a string (split as the task's source: words or characters) or a list of
tokens. result.tokens, result.ids, result.steps ({probs =, chosen =} per step; of
a beam search, its winner's, with result.logp and result.beams), result.weights (the attention over the source at each output step, <END>
step included), result.done (ended with <END>). Kept in s2s.last.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 50, length = 3, symbols = 3})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
out, r = s2s:translate("abc")
print(#r.steps, #r.weights[1])   -- one row of 3 weights per step]],
  },
  ["seq2seq:predict"] = {
    sig = "outputs, weights = s2s:predict(sources [, max_len])",
    summary = "greedy decoding of a batch of sources (lists of source ids) at once",
    text = [[outputs[b] lists the ids written before <END>; weights[b][t] the attention over source b at output step t.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 50, length = 3, symbols = 3})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
out = s2s:predict({{3, 4}, {5}})
print(#out)   --> 2]],
  },
  ["seq2seq:accuracy"] = {
    sig = "exact, tokens = s2s:accuracy(task [, {n =}])",
    summary = "the share of a task's pairs translated exactly (greedy), and of target tokens right in place",
    text = [[task: one with the model's vocabularies (a test set made with text.task and given the training set's source and target, then text.pad_pairs).]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 50, length = 3, symbols = 3})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
print(s2s:accuracy(t) <= 1)   --> true]],
  },
  ["seq2seq:encode"] = {
    sig = "states, last = s2s:encode(x, lengths)",
    summary = "the encoder's states [B, S, H] of source ids x [B, S] (padded with 0) and each one's last real state [B, H]",
    text = [[lengths lists the B source lengths. Recorded by autograd like the rest.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 20, length = 3, symbols = 3})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
states, last = s2s:encode(nn.tensor{{3, 4, 0}}, {2})
print(states.shape[2], last.shape[2])   --> 3 16]],
  },
  ["seq2seq:batch_loss"] = {
    sig = "loss, tokens = s2s:batch_loss(batch [, teacher_forcing = 1])",
    summary = "the mean cross-entropy per target token of a batch of {source ids, target ids} pairs (a tensor to backward)",
    text = [[What fit minimises; tokens is the number of target tokens counted (<END> included).]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 20, length = 3, symbols = 3})
s2s = text.seq2seq{task = t, embed = 8, hidden = 16}
loss = s2s:batch_loss({{{3, 4}, {4, 3}}})
loss:backward(); print(loss:item() > 0)   --> true]],
  },
  ["seq2seq:nparams"] = {
    sig = "n = s2s:nparams()",
    summary = "the number of trained numbers of the encoder-decoder",
    text = [[The sum over s2s.params.]],
    example = [[print(text.seq2seq{task = text.task("reverse", {n = 5}), embed = 4, hidden = 8}:nparams())]],
  },
  ["seq2seq:join"] = {
    sig = "s = s2s:join(tokens)",
    summary = "target tokens as text: joined by spaces for words, directly for characters",
    text = [[How translate makes its text.]],
    example = [[print(text.seq2seq{task = text.task("reverse", {n = 5})}:join{"c", "b", "a"})   --> cba]],
  },
  ["seq2seq_run:step"] = {
    sig = "more = run:step()",
    summary = "one mini-batch of a seq2seq fit (and the epoch's end); false when the run is over",
    text = [[fit's background job calls it between prompts; run:wait() calls it to the end.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 40, length = 3, symbols = 3})
run = text.seq2seq{task = t, embed = 4, hidden = 8}:fit{t, epochs = 1}
print(run:step())   --> false]],
  },
  ["seq2seq_run:wait"] = {
    sig = "run = run:wait()",
    summary = "trains a seq2seq fit to its end here",
    text = [[At the prompt fit trains in the background; wait finishes it in the foreground.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 40, length = 3, symbols = 3})
print(text.seq2seq{task = t, embed = 4, hidden = 8}:fit{t, epochs = 1}:wait().state)   --> done]],
  },
  ["seq2seq_run:stop"] = {
    sig = "run = run:stop()",
    summary = "stops a seq2seq fit after its current mini-batch",
    text = [[run.state becomes "stopped"; the model keeps what it learned.]],
    example = [[
nn.seed(1)
t = text.task("reverse", {n = 40, length = 3, symbols = 3})
print(text.seq2seq{task = t, embed = 4, hidden = 8}:fit{t, epochs = 1}:stop().state)   --> done]],
  },
  ["text.entities"] = {
    sig = "set = text.entities([{n = 500, seed = 1}])",
    summary = "a GENERATED named-entity set: sentences from templates with BIO tags of people, places, organisations",
    text = [[
Twelve sentence templates filled from made-up lists of people, places and
organisations: not real annotated text. The names of text.AMBIGUOUS are people and
places both: at the start of a sentence only the words after them decide. Tags
B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG and O. set.sentences = {{words =, tags =}};
set.words and set.tags are vocabularies (<PAD> 0); set.x, set.y [n, T] ids padded
with 0; set.len [n, 1]. set.data is the tagger's data set: x = set.x and a class of
set.labels (the tags without <PAD>) at each step, -1 at padding.]],
    example = [[
set = text.entities{n = 2}
s = set.sentences[1]
print(table.concat(s.words, " ")); print(table.concat(s.tags, " "))
print(set.data)   --> dataset (2 samples, 9 features, 5 classes at each of 9 steps)]],
  },
  ["text.softmax"] = {
    sig = "p = text.softmax(logits [, temperature = 1])",
    summary = "probabilities exp(z/T) / Σ exp(z/T) of a list or tensor of scores",
    text = [[A low temperature sharpens the distribution towards the largest score, a high one flattens it towards uniform.]],
    example = [[print(text.softmax({1, 2, 3}, 0.5)[3])]],
  },
  ["text.sample"] = {
    sig = "id, probs = text.sample(logits [, {temperature = 1, top_k =, uniform =}])",
    summary = "one token id (0-based) drawn from softmax(logits / temperature), optionally among the top k only",
    text = [[
The draw comes from nn's generator (nn.seed makes it repeatable); uniform = u in
[0, 1) uses u instead. With top_k the k most likely tokens share the probability
(renormalised), the rest get 0. probs are the probabilities drawn from.]],
    example = [[
nn.seed(1)
print(text.sample({0, 1, 5}, {temperature = 0.5, top_k = 2}))]],
  },
  ["text.generate"] = {
    sig = "ids, steps = text.generate(step, {start =, state =, max_len = 50, stop =, temperature = 1, top_k =})",
    summary = "samples a sequence one token at a time from a step function",
    text = [[
step(state, token) -> logits, state' gives the scores of the token after `token`
(any model: wrap its forward). Each sampled token is fed back, until stop or
max_len. steps[i] = {probs =, chosen =} (for plot.decoding).]],
    example = [[
nn.seed(1)
step = function(s, tok) return {0, 0, 3}, s end
print(#text.generate(step, {start = 0, max_len = 5}))]],
  },
  ["text.greedy"] = {
    sig = "ids, steps = text.greedy(step, {start =, state =, max_len = 50, stop =})",
    summary = "greedy decoding: the most likely token at each step",
    text = [[As text.generate with the arg max instead of a draw. ids do not include stop.]],
    example = [[
step = function(s, tok) return tok == 0 and {0, 2, 1} or {5, 0, 0}, s end
print(table.concat(text.greedy(step, {start = 0, stop = 0}), ","))   --> 1]],
  },
  ["text.beam"] = {
    sig = "ids, logp, beams = text.beam(step, {start =, state =, width = 3, max_len = 50, stop =, alpha = 0})",
    summary = "beam search: the width most likely partial sequences kept at each step",
    text = [[
Each open hypothesis is extended by its width best tokens; the width best of all
candidates (finished ones included) are kept; a hypothesis that emits stop is
finished. The best by logp / length^alpha wins (alpha = 0: the sum of log
probabilities). beams lists the final ones {ids =, logp =, score =, done =}. Beam
search can find a sequence that greedy decoding misses when the first likely token
leads to flat continuations.]],
    example = [[
L = math.log
tbl = {[0] = {-1e9, L(.6), L(.4), -1e9}, [1] = {-1e9, -1e9, L(.5), L(.5)}, [2] = {-1e9, -1e9, -1e9, 0}}
step = function(s, tok) return tbl[tok] or {0, 0, 0, 0}, s end
print(table.concat(text.beam(step, {start = 0, stop = 3, width = 2}), ","))   --> 2 (greedy: 1)]],
  },
  ["text.attention"] = {
    sig = "att = text.attention{kind = \"dot\"|\"additive\", dim =, hidden = dim, key_dim = dim, scale = true}",
    summary = "attention for an encoder-decoder: dot-product (scaled) or additive (Bahdanau), with autograd",
    text = [[
att:forward(q [T, d], k [S, d] [, v = k] [, mask]) -> context [T, dv], weights [T, S]:
weights = softmax over the source of the scores, context = weights v. A batch:
q [B, T, d], k [B, S, d], v [B, S, dv] -> context [B, T, dv], weights [B, T, S], with
mask a list of the B source lengths (or a tensor [B, S] of 1 real, 0 padding): padded
positions get weight 0 and no gradient. Dot scores
are q.k / sqrt(d) (scale = false: q.k); additive scores v^T tanh(W_q q + W_k k),
with W_q, W_k, v in att.params (train them with your other parameters). Built of
tensor ops, so loss:backward() reaches q, k, v and the parameters. att.weights
keeps the last weights for plot.attention.]],
    example = [[
nn.seed(1)
att = text.attention{kind = "additive", dim = 4, hidden = 3}
ctx, w = att:forward(nn.randn{2, 4}, nn.randn{5, 4})
print(ctx.shape[2], w.shape[2])   --> 4 5]],
  },
  ["attention:forward"] = {
    sig = "context, weights = att:forward(q, k [, v [, mask]])",
    summary = "the context vectors and attention weights of queries q [T, d] over keys k [S, d] and values v [S, dv], or of a batch [B, ...] with source lengths as mask",
    text = [[See text.attention. att(q, k, v, mask) is the same.]],
    example = [[
att = text.attention{dim = 2}
print(select(2, att:forward(nn.tensor{{1, 0}}, nn.tensor{{1, 0}, {0, 1}})))]],
  },
  ["attention:scores"] = {
    sig = "s = att:scores(q, k)",
    summary = "the scores [T, S] (a batch: [B, T, S]) before the softmax",
    text = [[See text.attention.]],
    example = [[print(text.attention{dim = 2, scale = false}:scores(nn.tensor{{1, 2}}, nn.tensor{{3, 4}}))]],
  },
  ["text.word2vec"] = {
    sig = "model, loss = text.word2vec(corpus [, {method = \"skipgram\"|\"cbow\", dim = 50, window = 5, negative = 5, lr =, subsample = 1e-3, epochs = 5}])",
    summary = "word vectors by word2vec (negative sampling) on a word corpus, trained in C",
    text = [[
skip-gram predicts each context word from the centre word's vector; CBOW predicts
the centre word from the mean of its context's vectors. Negative sampling: the true
word against `negative` words drawn in proportion to count^0.75; each occurrence of
a word of frequency f is kept with probability (sqrt(f/t) + 1) t/f (t = subsample,
0 keeps all); the window shrinks at random (1 to window). lr (0.025 skip-gram, 0.05
CBOW) falls linearly to lr/10^4. Draws come from nn's generator: nn.seed makes a run
repeatable. loss is the mean loss of the last epoch. ?word2vec:nearest.]],
    example = [[
nn.seed(1)
c = text.corpus(("the cat eats\nthe dog eats\na red car\na blue car\n"):rep(100), {level = "word"})
m = text.word2vec(c, {dim = 8, window = 2, subsample = 0, epochs = 5})
print(m:nearest("cat", 1)[1].word)   --> dog]],
  },
  ["word2vec:train"] = {
    sig = "loss = model:train([epochs = 1])",
    summary = "more epochs of word2vec; the mean loss of the last",
    text = [[The learning rate falls from lr over these epochs again.]],
    example = [[
c = text.corpus(("a b c\n"):rep(20), {level = "word"})
m = text.word2vec(c, {dim = 4, epochs = 0})
print(m:train(2) > 0, m.epochs)   --> true 2]],
  },
  ["word2vec:vectors"] = {
    sig = "t = model:vectors()",
    summary = "the word vectors [vocab, dim], row id + 1 for word id",
    text = [[A copy, made once after each training.]],
    example = [[print(text.word2vec(text.corpus("a b\n", {level = "word"}), {dim = 3, epochs = 1}):vectors().shape[2])   --> 3]],
  },
  ["word2vec:out_vectors"] = {
    sig = "t = model:out_vectors()",
    summary = "the output (context) vectors [vocab, dim] that negative sampling trains beside the word vectors",
    text = [[word2vec keeps two vectors per word; the input ones (model:vectors()) are the embeddings.]],
    example = [[print(text.word2vec(text.corpus("a b\n", {level = "word"}), {dim = 3, epochs = 1}):out_vectors().shape[1])   --> 2]],
  },
  ["word2vec:free"] = {
    sig = "model:free()",
    summary = "releases the engine's model now rather than at garbage collection",
    text = [[Using the model afterwards is an error.]],
    example = [[m = text.word2vec(text.corpus("a b\n", {level = "word"}), {dim = 2, epochs = 1}); m:free()]],
  },
  ["word2vec:vector"] = {
    sig = "t = model:vector(word)",
    summary = "one word's vector [dim]",
    text = [[An unknown word is an error naming it.]],
    example = [[print(text.word2vec(text.corpus("a b\n", {level = "word"}), {dim = 3, epochs = 1}):vector("a"))]],
  },
  ["word2vec:nearest"] = {
    sig = "list = model:nearest(word [, k = 5])",
    summary = "the k words with the highest cosine similarity to word's vector, best first: {word =, similarity =}",
    text = [[The word itself is left out. Cosine: a.b / (|a| |b|), the angle only (the length of a vector grows with how often its word was trained).]],
    example = [[
nn.seed(1)
c = text.corpus(("the cat eats\nthe dog eats\na red car\na blue car\n"):rep(100), {level = "word"})
print(text.word2vec(c, {dim = 8, window = 2, subsample = 0}):nearest("red", 1)[1].word)   --> blue]],
  },
  ["word2vec:analogy"] = {
    sig = "list = model:analogy(a, b, c [, k = 1])",
    summary = "the words nearest to vec(a) - vec(b) + vec(c), a, b and c left out",
    text = [[king - man + woman -> queen on large corpora; small ones rarely hold such regular offsets.]],
    example = [[
c = text.corpus(("a b c d\n"):rep(50), {level = "word"})
print(#text.word2vec(c, {dim = 4}):analogy("a", "b", "c", 1))   --> 1]],
  },
  ["word2vec:similarity"] = {
    sig = "cos = model:similarity(a, b)",
    summary = "the cosine of two words' vectors",
    text = [[1 for the same direction, 0 for orthogonal, -1 for opposite.]],
    example = [[print(text.word2vec(text.corpus("a b\n", {level = "word"}), {dim = 3, epochs = 1}):similarity("a", "a"))]],
  },
  ["word2vec:words"] = {
    sig = "list = model:words([n])",
    summary = "the n most frequent words of the vocabulary (all without n)",
    text = [[The vocabulary is ordered by falling count.]],
    example = [[print(text.word2vec(text.corpus("a b b\n", {level = "word"}), {dim = 2, epochs = 1}):words(1)[1])   --> b]],
  },
  ["word2vec:map"] = {
    sig = "xs, ys, variances = model:map(words)",
    summary = "the words' vectors on their first two principal components (the 2-D map's coordinates)",
    text = [[PCA of the chosen words' vectors (mean removed); variances are the two components' variances. plot.word_map draws it.]],
    example = [[
c = text.corpus(("a b c d\n"):rep(20), {level = "word"})
xs, ys = text.word2vec(c, {dim = 4, epochs = 1}):map{"a", "b", "c"}
print(#xs)   --> 3]],
  },
  ["plot.attention"] = {
    sig = "p = plot.attention(weights, source, target [, {title =, map =, sample =, show =}])  or  plot.attention(s2s [, source] [, {run =}])",
    summary = "attention weights as a heat map: one row per target token, one column per source token",
    text = [[
weights: a tensor [T, S] (of a batch [B, T, S]: the sample's, 1 by default), rows of
numbers, or an attention (text.attention) after a forward (its last weights). source
and target are the token lists that name the columns (x ticks) and rows (y ticks). On a
seq2seq model (text.seq2seq): the weights while it translates source (a string or
tokens; default its last translation); with run = its fit at the prompt, translated
again and redrawn after each epoch. Returns p and the translation.]],
    example = [[
att = text.attention{dim = 2}
att:forward(nn.tensor{{1, 0}, {0, 1}}, nn.tensor{{1, 0}, {0, 1}, {1, 1}})
plot.attention(att, {"le", "chat", "noir"}, {"the", "cat"}, {show = false}):save("attention.png")]],
  },
  ["plot.decoding"] = {
    sig = "p, bars = plot.decoding(steps [, {step = 1, top = 10, labels =, title =, show =}])  or  plot.decoding(s2s [, {source =, step =, run =}])",
    summary = "one decoding step's probability bars: the top tokens, the chosen one named in the title",
    text = [[
steps as text.greedy, text.generate or text.beam's callers get them, or a
seq2seq translation's result; labels names the tokens (a vocabulary, a list by id +
1, or a function of the id). On a seq2seq model: the greedy steps of source (default
its last translation), named by its target vocabulary, redrawn after each epoch of
run (its fit at the prompt).]],
    example = [[
_, steps = text.greedy(function(s, t) return {1, 3, 2}, s end, {start = 0, max_len = 2})
p, bars = plot.decoding(steps, {labels = {"a", "b", "c"}, show = false})
print(bars.labels[1])   --> b]],
  },
  ["plot.word_map"] = {
    sig = "p, map = plot.word_map(model [, {words =, n = 60, title =, show =}])",
    summary = "a 2-D map of word vectors: the words at their first two principal components, as labels",
    text = [[words chooses the words (default: the n most frequent). map has words, x, y and the two variances. Close on the map need not mean close in all dimensions: two axes keep only part of the spread.]],
    example = [[
c = text.corpus(("the cat eats\nthe dog eats\na red car\n"):rep(30), {level = "word"})
p, map = plot.word_map(text.word2vec(c, {dim = 4}), {show = false})
print(#map.words)]],
  },
  ["plot.states"] = {
    sig = "v = plot.states(model, x [, {words =, pad =, sample = 1, state = \"h\", threshold = 0.3, min_length =, list = 12, limit = 500, layer =, direction =, run =, title =, show =}])",
    summary = "a recurrent layer's hidden (or cell) states as a heat map, with LSTMVis's selection of the units on over a span and the other spans where they are on",
    text = [[
x: token ids [N, T] (a tensor or a data set; at most limit sequences). The heat map
shows sequence `sample`: units down, steps across, its words (words: a vocabulary, a
corpus (its characters, the line's end as ⏎), a list or a function of the id) as x
ticks, the units as y ticks, the window wide enough for every word (up to 1600
points); state "c" is an LSTM's cell state. Drag over
the steps, or type v:select(first, last): the units above threshold at every step of
the span are marked (> beside their number, dots on their cells) and the list under
the map names the other spans of the N sequences, at least min_length steps (the
span's length by default), where all of them are on, with their words and the span
in brackets. Keys: + and - move the threshold by 0.05, n and b show the next or
previous sequence. pad (default 0 when the vocabulary's first token is <PAD>; a
corpus's line end) ends each sequence. direction = 2 reads a bidirectional layer's backward states.
run = a run of m:fit{...}: the states are read again after each epoch, live.
v.units, v.matches ({seq =, first =, last =, text =}), v.states[s][t][unit].]],
    example = [[
set = text.entities{n = 40}
nn.seed(1)
m = nn.sequential{nn.embedding(#set.words.tokens, 8, {padding = 0}),
  nn.lstm(8, 6, {output = "all", mask = true}), nn.linear(6, #set.labels)}
v = plot.states(m, set.data, {words = set.words, threshold = 0, show = false})
units, matches = v:select(2, 3)
print(#units, #matches)]],
  },
  ["states_view:select"] = {
    sig = "units, matches = v:select(first, last [, threshold])",
    summary = "select steps first..last of the sequence shown: the units on all along, and the other spans where they are all on",
    text = [[
units: the units whose state is above the threshold at every step of the span.
matches: {{seq =, first =, last =, text =}, ...} the longest runs of steps, in every
sequence of the view, where all those units are above it (the selection's own run
left out, runs shorter than min_length too). The heat map marks them; the list
below it names them. A mouse drag over the steps calls it.]],
    example = [[
set = text.entities{n = 20}
m = nn.sequential{nn.embedding(#set.words.tokens, 4), nn.lstm(4, 3, {output = "all"})}
v = plot.states(m, set.data, {words = set.words, show = false})
print(#v:select(1, 2, 0))]],
  },
  ["states_view:set_threshold"] = {
    sig = "v:set_threshold(t)",
    summary = "the level above which a unit counts as on (v.threshold); the selection is made again",
    text = [[The keys + and - in the view's window move it by 0.05. A hidden state h = o tanh(C) lies in (-1, 1).]],
    example = [[
set = text.entities{n = 20}
m = nn.sequential{nn.embedding(#set.words.tokens, 4), nn.lstm(4, 3, {output = "all"})}
v = plot.states(m, set.data, {show = false})
v:select(1, 1); v:set_threshold(0.1); print(#v.units)]],
  },
  ["states_view:show"] = {
    sig = "v:show(i)",
    summary = "show sequence i of the view's data in the heat map (the selection is cleared)",
    text = [[The keys n and b in the window show the next and the previous sequence. A match's seq is such an i.]],
    example = [[
set = text.entities{n = 20}
m = nn.sequential{nn.embedding(#set.words.tokens, 4), nn.lstm(4, 3, {output = "all"})}
v = plot.states(m, set.data, {show = false}); v:show(5); print(v.sample)   --> 5]],
  },
  ["states_view:refresh"] = {
    sig = "v:refresh()",
    summary = "read the states again from the model (after more training), keeping the selection",
    text = [[plot.states{..., run = run} does it after each epoch of a run at the prompt.]],
    example = [[
set = text.entities{n = 20}
m = nn.sequential{nn.embedding(#set.words.tokens, 4), nn.lstm(4, 3, {output = "all"})}
v = plot.states(m, set.data, {show = false}); v:refresh()]],
  },
  ["states_view:save"] = {
    sig = "v:save(path)",
    summary = "the heat map and the list of matches as one PNG",
    text = [[The view's window saved (with no display too).]],
    example = [[
set = text.entities{n = 20}
m = nn.sequential{nn.embedding(#set.words.tokens, 4), nn.lstm(4, 3, {output = "all"})}
v = plot.states(m, set.data, {words = set.words, show = false}); v:select(2, 2, 0); v:save("states.png")]],
  },
}
