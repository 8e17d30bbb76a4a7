-- doc/lm.lua: help entries of the character-level language model (lua/text_lm.lua)
-- and its live view plot.lm_samples (lua/views_lm.lua).
return {
  ["text.word_list"] = {
    sig = "c = text.word_list([{n =, seed = 1, all = false, path =}])",
    summary = "the word list (wamerican) as a character corpus, one word a line, shuffled",
    text = [[
The words of /usr/share/dict/words (text.paths.words), in an order shuffled by seed:
the list is alphabetical, and a model reading it in order would learn to copy the
word before. Only the words of the letters a-z by default (63,875 of them: no names,
no possessives 's, no accents); all = true keeps every word. n = the first n words
after shuffling (a subsample that trains in seconds). c.lines_list holds the words;
c:lines() makes one training sequence of each.]],
    example = [[
c = text.word_list{n = 1000}
print(c, c.lines_list[1], c:size())   --> ... 27: 26 letters and the line's end]],
  },
  ["corpus:lines"] = {
    sig = "d = c:lines([{test =, limit =, max_len =, shuffle =, strings =}])",
    summary = "one sequence a line of a character corpus: x the line's start then its characters, y the next character at each step",
    text = [[
x[i] is "\n" (the end of the line before: the cue that a line starts) then the
line's characters; y[i] is its characters then "\n", so y[i][t] is the character
after x[i][t]. Lines are padded to the longest + 1: x with "\n", y with -1, which
nn.seq_cross_entropy skips. max_len = n leaves out longer lines; limit = the first n
lines; test = 0.1 splits off a tenth (shuffled first unless shuffle = false).
strings = {...} makes the set of those strings instead (encoded with the corpus's
vocabulary), to score made-up or sampled words with text.bits_per_char. A word
corpus is refused: it has no line-start token.]],
    example = [[
c = text.corpus("cat\nhorse\n")
d = c:lines()
print(d:x():shape()[2], d:y():totable()[1][4], d:y():totable()[1][5])   --> 6 0.0 -1.0 (id 0 is "\n")]],
  },
  ["text.lm_sample"] = {
    sig = "lines, info = text.lm_sample(model, corpus [, {n = 8, temperature = 1, top_k =, max_len = 30, prefix = \"\", seed =}])",
    summary = "lines (words) sampled from a character language model at a temperature",
    text = [[
From the line start ("\n") and the prefix, one character at a time is drawn from
softmax(logits / temperature), among the top_k likeliest only when top_k is given,
and fed back, until the model draws "\n" or max_len characters. A low temperature
(0.2) takes the likeliest characters: repetitive, common words and endings; a high
one (2) flattens the distribution: random letters. The n lines are drawn side by
side, one forward of the model a step (over the whole prefix: the model needs no
state of its own). seed = s draws from a generator of its own (the same seed gives
the same draws whatever trains meanwhile); without it nn's generator draws. The
model maps ids [batch, T] to logits [batch, T, V] (an embedding, a recurrent layer
with output = "all", nn.linear). info.ids and info.logp: each line's ids and
log-probability under the temperature.]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\ncart\n")
lm = nn.sequential{nn.embedding(c:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, c:size())}
print(#text.lm_sample(lm, c, {n = 3, temperature = 0.5, seed = 1}))   --> 3]],
  },
  ["text.lm_step"] = {
    sig = "step = text.lm_step(model)",
    summary = "a language model as a step function for text.generate, text.greedy and text.beam",
    text = [[
step(state, token) -> logits, state': state is the list of ids read so far; each step
runs the model over all of them and gives the scores of the token after the last.
Start from the corpus's "\n" id and stop at it to decode one line; plot.decoding
shows each step's probabilities.]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\n")
lm = nn.sequential{nn.embedding(c:size(), 8), nn.gru(8, 16, {output = "all"}), nn.linear(16, c:size())}
nl = c.vocab.index["\n"]
ids = text.greedy(text.lm_step(lm), {start = nl, stop = nl, max_len = 6})
print(c:decode(ids))]],
  },
  ["text.bits_per_char"] = {
    sig = "bits, perplexity, n = text.bits_per_char(model, set [, {batch = 256}])",
    summary = "a language model's mean -log2 p(next character) over a set's real targets, and 2^bits",
    text = [[
The set is what corpus:lines (or corpus:windows) gives; padding (a target below 0)
counts nowhere. bits per character is the loss in base 2: how many yes/no questions
the model needs on average for the next character; the perplexity 2^bits is the
number of equally likely characters that would leave it as unsure. The unigram
baseline, a model that knows only the characters' frequencies, needs the entropy
-Σ p log2 p of the counts (c.vocab.counts).]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\n")
lm = nn.sequential{nn.embedding(c:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, c:size())}
print(text.bits_per_char(lm, c:lines()))   -- about log2(5) = 2.3 untrained]],
  },
  ["plot.lm_samples"] = {
    sig = "view = plot.lm_samples(model, corpus [, {run =, temperatures = {0.2, 1, 2}, n = 6, every = 100, max_len = 20, top_k =, prefix =, seed = 1, title =, show =}])",
    summary = "lines sampled from a language model at a few temperatures, redrawn while it trains, beside its loss in bits per character",
    text = [[
A window of two panels: n samples at each temperature, redrawn every `every`
training steps, and the training loss in bits per character with the corpus's
unigram entropy as the line to beat. Give view.on_step to fit (on_step =
view.on_step): the view follows that run, live in a foreground fit (wait = true)
too. Or run = a run training in the background at the prompt. Each refresh draws
with the same seed, so only the model changes between refreshes. The view follows
run:seek (and the arrow keys in its window): the samples of a past epoch come from
that epoch's weights. view.samples = {{temperature =, lines =}, ...}.]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\ncart\ncard\n")
lm = nn.sequential{nn.embedding(c:size(), 8), nn.lstm(8, 16, {output = "all"}), nn.linear(16, c:size())}
v = plot.lm_samples(lm, c, {every = 5, n = 3, show = false})
lm:fit{c:lines(), loss = nn.seq_cross_entropy, epochs = 20, batch = 2, on_step = v.on_step, verbose = false}
v:save("samples.png"); print(v.samples[1].temperature, #v.samples[1].lines)]],
  },
  ["lm_samples_view:refresh"] = {
    sig = "view:refresh() -> view",
    summary = "new samples from the model now (or at the epoch run:seek chose) and the loss curve to the run's last step",
    text = [[The view does it by itself every `every` steps of the run it follows; call it after changing the model by hand.]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\n")
lm = nn.sequential{nn.embedding(c:size(), 4), nn.rnn(4, 8, {output = "all"}), nn.linear(8, c:size())}
v = plot.lm_samples(lm, c, {show = false}); v:refresh(); print(v.refreshes)   --> 2]],
  },
  ["lm_samples_view:save"] = {
    sig = "view:save(path)",
    summary = "the view's window (samples and loss curve) as a PNG; works without a display",
    text = [[As window:save.]],
    example = [[
nn.seed(1)
c = text.corpus("cat\ncar\n")
lm = nn.sequential{nn.embedding(c:size(), 4), nn.rnn(4, 8, {output = "all"}), nn.linear(8, c:size())}
plot.lm_samples(lm, c, {show = false}):save("lm.png")]],
  },
}
