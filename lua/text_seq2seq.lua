-- text_seq2seq.lua: an encoder-decoder (sequence to sequence) with attention, for
-- text.seq2seq. The encoder is the engine's embedding and LSTM (their graph forward,
-- mask = true over padded sources); the decoder is an LSTM cell written here with
-- tensor ops (its first state is the encoder's last real one, and each step may be
-- fed the model's own previous guess, which a whole-sequence layer cannot do), then
-- attention over the encoder's states (text_attention, batched with the sources'
-- lengths as mask), h~ = tanh(W_c context + U_c h + b_c) (Luong et al., 2015) and a
-- linear layer to the target vocabulary. Everything is autograd, trained on
-- mini-batches with Adam; teacher forcing with a ratio; greedy and beam decoding keep
-- each step's probabilities and attention weights for plot.decoding and
-- plot.attention. Token ids follow text.task: 0 <PAD>, 1 <START>, 2 <END>.
local nn = require "nn"
local optim = require "optim"
local checker = require "options"
local check = require "argcheck"
local decode = require "text_decode"
local attention = require "text_attention"

local M = {}

local S2S = {__name = "seq2seq"}
S2S.__index = S2S
M.class = S2S

local PAD, START, END = 0, 1, 2

local describe = check.describe

local function is_vocab(v) return type(v) == "table" and type(v.tokens) == "table" and type(v.index) == "table" end
local function is_task(t) return type(t) == "table" and type(t.pairs) == "table" and is_vocab(t.source) and is_vocab(t.target) end

local function param(shape, std) return (nn.randn(shape) * std):detach():requires_grad() end

checker.declare("text.seq2seq", {"task", "source", "target", "embed", "hidden", "attention", "max_len",
  "source_level", "target_level"}, 0, "text.seq2seq", '{task = t, hidden = 64}')
--- M.new{task = | source =, target =, embed = 32, hidden = 64, attention = "additive"|"dot"|false,
--- max_len =} -> an encoder-decoder over the task's vocabularies (drawn from nn's generator)
function M.new(o)
  if type(o) ~= "table" then error("text.seq2seq: expected {task = a text.task, hidden = ...}, got " .. describe(o), 2) end
  o = checker.check("text.seq2seq", o)
  local task = o.task
  if task ~= nil and not is_task(task) then
    error("text.seq2seq: task must be a text.task or text.pairs_task, got " .. describe(task), 2)
  end
  local src, tgt = o.source or (task and task.source), o.target or (task and task.target)
  if not is_vocab(src) or not is_vocab(tgt) then
    error("text.seq2seq: give task = (a text.task) or source = and target = vocabularies", 2)
  end
  if tgt.tokens[START + 1] ~= "<START>" or tgt.tokens[END + 1] ~= "<END>" or src.tokens[PAD + 1] ~= "<PAD>" then
    error("text.seq2seq: the vocabularies must start with <PAD>, <START>, <END> (text.task's do)", 2)
  end
  local E, H = o.embed or 32, o.hidden or 64
  for _, kv in ipairs{{"embed", E}, {"hidden", H}} do
    if math.type(kv[2]) ~= "integer" or kv[2] < 1 then
      error(("text.seq2seq: %s must be a whole number > 0, got %s"):format(kv[1], describe(kv[2])), 2)
    end
  end
  local kind = o.attention
  if kind == nil then kind = "additive" end
  if kind ~= false and kind ~= "dot" and kind ~= "additive" then
    error("text.seq2seq: attention must be \"dot\", \"additive\" or false, got " .. describe(kind), 2)
  end
  local max_len = o.max_len or (task and task.y.shape[2] + 2) or 30
  if math.type(max_len) ~= "integer" or max_len < 1 then
    error("text.seq2seq: max_len must be a whole number > 0, got " .. describe(max_len), 2)
  end
  local V = #tgt.tokens
  local m = setmetatable({source = src, target = tgt, embed = E, hidden = H, attention = kind or nil,
    max_len = max_len, teacher_forcing = 1,
    source_level = o.source_level or (task and task.source_level),
    target_level = o.target_level or (task and task.target_level)}, S2S)
  m.src_embedding = nn.embedding(#src.tokens, E, {padding = PAD})
  m.encoder = nn.lstm(E, H, {output = "all", mask = true})
  m.tgt_embedding = param({V, E}, 1 / math.sqrt(E))
  -- the decoder's four gates f, i, C~, o stacked, transposed: a = W_x x^T + W_h h + b [4H, B]
  m.W_x, m.W_h = param({4 * H, E}, 1 / math.sqrt(E)), param({4 * H, H}, 1 / math.sqrt(H))
  local b = {}
  for i = 1, 4 * H do b[i] = i <= H and 1 or 0 end -- forget bias 1, as the engine's LSTM
  m.b = nn.tensor(b):reshape{4 * H, 1}:detach():requires_grad()
  m.params = {}
  for _, t in ipairs(m.src_embedding:parameters()) do m.params[#m.params + 1] = t end
  for _, t in ipairs(m.encoder:parameters()) do m.params[#m.params + 1] = t end
  for _, t in ipairs{m.tgt_embedding, m.W_x, m.W_h, m.b} do m.params[#m.params + 1] = t end
  if kind then
    m.att = attention.new{kind = kind, dim = H}
    m.W_c, m.U_c = param({H, H}, 1 / math.sqrt(H)), param({H, H}, 1 / math.sqrt(H))
    m.b_c = nn.zeros{1, H}:requires_grad()
    for _, t in ipairs(m.att.params) do m.params[#m.params + 1] = t end
    for _, t in ipairs{m.W_c, m.U_c, m.b_c} do m.params[#m.params + 1] = t end
  end
  m.W_o, m.b_o = param({H, V}, 1 / math.sqrt(H)), nn.zeros{1, V}:requires_grad()
  m.params[#m.params + 1], m.params[#m.params + 2] = m.W_o, m.b_o
  return m
end

--- s2s:nparams() -> the number of trained numbers
function S2S:nparams()
  check.method(self, S2S, "nparams", "s2s")
  local n = 0
  for _, t in ipairs(self.params) do n = n + t:numel() end
  return n
end

function S2S:__tostring()
  return ("seq2seq (LSTM encoder-decoder, embed %d, hidden %d, %s; %d -> %d tokens; %d parameters)"):format(
    self.embed, self.hidden, self.attention and (self.attention .. " attention") or "no attention",
    #self.source.tokens, #self.target.tokens, self:nparams())
end

-- Source rows (lists of ids, no padding) as a tensor [B, S] padded after, and the lengths.
local function source_batch(rows)
  local S = 1
  for _, r in ipairs(rows) do S = math.max(S, #r) end
  local flat, len = {}, {}
  for b, r in ipairs(rows) do
    for j = 1, S do flat[#flat + 1] = r[j] or PAD end
    len[b] = #r
  end
  return nn.tensor(flat):reshape{#rows, S}, len
end

--- s2s:encode(x [B, S], lengths) -> states [B, S, H], the last real state of each [B, H]
function S2S:encode(x, len)
  check.method(self, S2S, "encode", "s2s")
  local B, S, H = x.shape[1], x.shape[2], self.hidden
  local states = self.encoder:forward(self.src_embedding:forward(x))
  local at = {}
  for b = 1, B do at[b] = (b - 1) * S + len[b] end
  return states, states:reshape{B * S, H}:gather(at)
end

-- One decoder step for a batch: tokens (B 0-based ids), h and c [H, B] -> logits [B, V],
-- h, c (the attention's weights stay in self.att.weights).
local function step(self, tokens, h, c, keys, len)
  local H, B = self.hidden, #tokens
  local at = {}
  for b, t in ipairs(tokens) do at[b] = t + 1 end
  local x = self.tgt_embedding:gather(at)
  local a = self.W_x:matmul(x, false, true) + self.W_h:matmul(h) + self.b
  local f, i = a:rows(1, H):sigmoid(), a:rows(H + 1, H):sigmoid()
  local g, o = a:rows(2 * H + 1, H):tanh(), a:rows(3 * H + 1, H):sigmoid()
  c = f * c + i * g
  h = o * c:tanh()
  local out = h:t()
  if self.att then
    local ctx = self.att:forward(out:reshape{B, 1, H}, keys, keys, len)
    out = (ctx:reshape{B, H}:matmul(self.W_c) + out:matmul(self.U_c) + self.b_c):tanh()
  end
  return out:matmul(self.W_o) + self.b_o, h, c
end

-- The start of decoding a batch: the encoder's states and the decoder's first h, c.
local function start(self, rows)
  local x, len = source_batch(rows)
  local keys, last = self:encode(x, len)
  return keys, len, last:t(), nn.zeros{self.hidden, #rows}
end

-- The ids of the largest logit of each row (0-based).
local function argmax_ids(logits)
  local out = {}
  for b, v in ipairs(logits:argmax(2):totable()) do out[b] = math.tointeger(type(v) == "table" and v[1] or v) - 1 end
  return out
end

--- s2s:batch_loss(batch [, ratio = 1]) -> loss, tokens: the mean cross-entropy per target
--- token (<END> counted) of a batch {{source ids}, {target ids}}, ..., the decoder fed
--- the true previous token with probability ratio (teacher forcing), else its own guess
function S2S:batch_loss(batch, ratio)
  check.method(self, S2S, "batch_loss", "s2s")
  if type(batch) ~= "table" or #batch == 0 or type(batch[1]) ~= "table" or type(batch[1][1]) ~= "table" then
    error("seq2seq:batch_loss: expected a list of {source ids, target ids} pairs, got " .. describe(batch), 2)
  end
  ratio = ratio or 1
  local B, V = #batch, #self.target.tokens
  local src, T = {}, 0
  for b, p in ipairs(batch) do src[b] = p[1]; T = math.max(T, #p[2] + 1) end
  local keys, len, h, c = start(self, src)
  local total, n, prev = nil, 0, nil
  for t = 1, T do
    local tokens = {}
    local u = ratio < 1 and t > 1 and nn.rand{B}:totable() or nil
    for b, p in ipairs(batch) do
      local truth = t == 1 and START or (p[2][t - 1] or PAD)
      tokens[b] = (u and u[b] >= ratio and prev) and prev[b] or truth
    end
    local logits
    logits, h, c = step(self, tokens, h, c, keys, len)
    local hot = {}
    for b, p in ipairs(batch) do
      local want = t <= #p[2] and p[2][t] or (t == #p[2] + 1 and END or nil)
      for v = 0, V - 1 do hot[#hot + 1] = v == want and 1 or 0 end
      if want then n = n + 1 end
    end
    local term = (logits:log_softmax(2) * nn.tensor(hot):reshape{B, V}):sum()
    total = total and total + term or term
    if ratio < 1 then prev = argmax_ids(logits) end
  end
  return total * (-1 / n), n
end

-- Whether two vocabularies hold the same tokens in the same order (the same ids).
local function same_vocab(a, b)
  if a == b then return true end
  if #a.tokens ~= #b.tokens then return false end
  for i, t in ipairs(a.tokens) do if b.tokens[i] ~= t then return false end end
  return true
end

-- A task's pairs as ids: {{source ids}, {target ids}}.
local function id_pairs(self, task)
  if not is_task(task) then error("seq2seq: expected a task (text.task or text.pairs_task), got " .. describe(task), 3) end
  if not same_vocab(task.source, self.source) or not same_vocab(task.target, self.target) then
    error("seq2seq: the task's vocabularies are not this model's (make the model with task = that task)", 3)
  end
  if task._ids and task._ids_of == self.source then return task._ids end
  local out = {}
  for i, p in ipairs(task.pairs) do
    local s, t = {}, {}
    for j, tok in ipairs(p[1]) do s[j] = self.source:id(tok) end
    for j, tok in ipairs(p[2]) do t[j] = self.target:id(tok) end
    out[i] = {s, t}
  end
  task._ids, task._ids_of = out, self.source
  return out
end

------------------------------------------------------------------------- training

local Run = {__name = "seq2seq run"}
Run.__index = Run
M.Run = Run

local function interactive() return rawget(_G, "repl") ~= nil and repl.interactive == true end

checker.declare("seq2seq:fit", {"epochs", "batch", "lr", "teacher_forcing", "clip", "verbose", "wait", "on_epoch"},
  1, "fit", "{task, epochs = 10}")
--- s2s:fit{task, epochs = 10, batch = 32, lr = 0.01, teacher_forcing = 1, clip = 5, verbose =,
--- wait =, on_epoch =} -> run: Adam on mini-batches of the task's pairs (shuffled from nn's
--- generator each epoch), gradients clipped to norm clip. At the prompt it trains in a
--- background job (run:wait() waits); elsewhere, or with wait = true, before returning.
--- run.losses[e] is epoch e's mean loss; on_epoch(run) runs after each epoch.
function S2S:fit(o)
  check.method(self, S2S, "fit", "s2s")
  if type(o) ~= "table" then error("seq2seq:fit: expected {task, epochs = ...}, got " .. describe(o), 2) end
  local task = o[1]
  o = checker.check("seq2seq:fit", o)
  if self.run and self.run.state == "running" then
    error(("seq2seq:fit: a fit of this model is still running (epoch %d of %d): run:wait() or run:stop() first")
      :format(self.run.epoch, self.run.epochs), 2)
  end
  local ids = id_pairs(self, task)
  local function whole(k, d)
    local v = o[k] or d
    if math.type(v) ~= "integer" or v < 1 then error(("seq2seq:fit: %s must be a whole number > 0, got %s"):format(k, describe(v)), 3) end
    return v
  end
  local epochs, batch = whole("epochs", 10), whole("batch", 32)
  local ratio = o.teacher_forcing or 1
  if type(ratio) ~= "number" or ratio < 0 or ratio > 1 then
    error("seq2seq:fit: teacher_forcing must be a ratio from 0 to 1, got " .. describe(ratio), 2)
  end
  local lr = o.lr or 0.01
  if type(lr) ~= "number" or lr <= 0 then error("seq2seq:fit: lr must be a number > 0, got " .. describe(lr), 2) end
  self.teacher_forcing = ratio
  local run = setmetatable({model = self, pairs = ids, epochs = epochs, batch = batch, teacher_forcing = ratio,
    epoch = 0, losses = {}, state = "running", on_epoch = o.on_epoch, verbose = o.verbose,
    optimizer = optim.adam(self.params, {lr = lr, clip_norm = o.clip or 5}), _at = 1, _sum = 0, _n = 0}, Run)
  self.run = run
  if interactive() and not o.wait then
    local quiet = o.verbose == false
    run.job = spawn(function()
      local shown = -1
      while run:step() do
        -- the progress stays one line above the prompt, a few times a second
        if not quiet and os.clock() - shown > 0.25 then
          shown = os.clock()
          local last = run.losses[#run.losses]
          repl.status(("job %d seq2seq fit: epoch %d of %d%s"):format(run.job.id, run.epoch + 1, run.epochs,
            last and (", last epoch's loss %.4f"):format(last) or ""))
        end
        coroutine.yield()
      end
      if not quiet then
        repl.status()
        print(("job %d %s"):format(run.job.id, tostring(run)))
      end
    end, "seq2seq fit")
    if o.verbose ~= false then
      print(("fit: job %d trains the seq2seq in the background (%d epoch%s); run:wait() waits")
        :format(run.job.id, epochs, epochs == 1 and "" or "s"))
    end
    return run
  end
  return run:wait()
end

-- A fresh order of the pairs for an epoch, from nn's generator.
local function shuffled(n)
  local key, order = nn.rand{n}:totable(), {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b) if key[a] ~= key[b] then return key[a] < key[b] end return a < b end)
  return order
end

--- run:step() -> true while there is more to do: one mini-batch (and the epoch's end)
function Run:step()
  if self.state ~= "running" then return false end
  local m, n = self.model, #self.pairs
  if self._at == 1 then self._order = shuffled(n) end
  local batch = {}
  for i = self._at, math.min(n, self._at + self.batch - 1) do batch[#batch + 1] = self.pairs[self._order[i]] end
  self._at = self._at + #batch
  self.optimizer:zero_grad()
  local loss, tokens = m:batch_loss(batch, self.teacher_forcing)
  loss:backward()
  self.optimizer:step()
  self._sum, self._n = self._sum + loss:item() * tokens, self._n + tokens
  if self._at > n then
    self.epoch = self.epoch + 1
    self.losses[self.epoch] = self._sum / self._n
    self._at, self._sum, self._n = 1, 0, 0
    if self.verbose then print(("epoch %d: loss %.4f"):format(self.epoch, self.losses[self.epoch])) end
    if self.epoch >= self.epochs then self.state = "done" end
    if self.on_epoch then self.on_epoch(self) end
  end
  return self.state == "running"
end

--- run:wait() -> run: trains to the end here (the background job, if any, then finds it done)
function Run:wait()
  while self:step() do end
  return self
end

--- run:stop() -> run: stops after the current mini-batch
function Run:stop()
  if self.state == "running" then self.state = "stopped" end
  return self
end

function Run:__tostring()
  local last = self.losses[#self.losses]
  return ("seq2seq run: %s, epoch %d of %d%s"):format(self.state, self.epoch, self.epochs,
    last and (", loss %.4f"):format(last) or "")
end

------------------------------------------------------------------------- decoding

-- A source (string or list of tokens) as tokens and ids.
local function source_tokens(self, src, who)
  local toks
  if type(src) == "string" then
    local level = self.source_level or (src:find("%s") and "word" or "char")
    toks = require("text")._split[level](src)
  elseif type(src) == "table" then
    toks = src
  else
    error(("%s: expected the source as a string or a list of tokens, got %s"):format(who, describe(src)), 3)
  end
  if #toks == 0 then error(who .. ": the source is empty", 3) end
  local ids = {}
  for i, t in ipairs(toks) do
    local id = self.source.index[t]
    if not id or id <= END then
      error(("%s: %s is not a source token of this model (%d tokens)"):format(who, describe(t), #self.source.tokens), 3)
    end
    ids[i] = id
  end
  return toks, ids
end

function S2S:join(tokens)
  check.method(self, S2S, "join", "s2s")
  return table.concat(tokens, self.target_level == "word" and " " or "")
end

-- A translation's result prints as one line at the prompt (its tables are long).
local Translation = {__name = "translation"}
function Translation.__tostring(r)
  return ("translation %q -> %q (%s, %d steps%s; fields steps, weights, tokens, ids)"):format(r.source_text, r.text,
    r.beams and ("beam of " .. #r.beams) or "greedy", #r.steps, r.done and "" or ", no <END> before max_len")
end

checker.declare("seq2seq:translate", {"beam", "max_len", "alpha"}, 0, "translate", "{beam = 3}")
--- s2s:translate(source [, {beam =, max_len =, alpha =}]) -> text, result: greedy decoding
--- (beam = width: beam search) of one source (a string, split as the task's source, or
--- a list of tokens). result = {source =, tokens =, ids =, steps =, weights =, done =}:
--- steps[i] = {probs =, chosen =} (a beam search: its winner's), weights[i] the
--- attention over the source at output step i (the <END> step included); a beam
--- search adds logp and beams. Kept in s2s.last for the views.
function S2S:translate(src, o)
  check.method(self, S2S, "translate", "s2s")
  o = checker.check("seq2seq:translate", o)
  local toks, sids = source_tokens(self, src, "seq2seq:translate")
  local max_len = o.max_len or self.max_len
  local r = nn.no_grad(function()
    local keys, len, h, c = start(self, {sids})
    local function fn(state, tok)
      local logits, h2, c2 = step(self, {tok}, state.h, state.c, keys, len)
      local rows, probs = {table.unpack(state.rows)}, {table.unpack(state.probs)}
      if self.att then rows[#rows + 1] = self.att.weights:reshape{#sids}:totable() end
      probs[#probs + 1] = decode.softmax(logits)
      local s = {h = h2, c = c2, rows = rows, probs = probs}
      state.next = s
      return logits, s
    end
    local first = {h = h, c = c, rows = {}, probs = {}}
    if o.beam then
      local ids, logp, beams = decode.beam(fn, {start = START, stop = END, state = first, width = o.beam, max_len = max_len,
        alpha = o.alpha})
      local best, steps = beams[1], {} -- the winner's steps: what it chose, from which probabilities
      for i, p in ipairs(best.state.probs) do steps[i] = {probs = p, chosen = ids[i] or END} end
      return {ids = ids, logp = logp, beams = beams, steps = steps, weights = best.state.rows, done = best.done}
    end
    local ids, steps = decode.greedy(fn, {start = START, stop = END, state = first, max_len = max_len})
    local last = first
    while last.next do last = last.next end
    return {ids = ids, steps = steps, weights = last.rows, done = steps[#steps].chosen == END}
  end)
  r.source, r.tokens = toks, {}
  local wide = false
  for _, t in ipairs(toks) do wide = wide or utf8.len(t) ~= 1 end
  r.source_text = type(src) == "string" and src or table.concat(toks, wide and " " or "")
  for i, id in ipairs(r.ids) do r.tokens[i] = self.target:token(id) end
  r.vocab = self.target
  r.text = self:join(r.tokens)
  self.last = setmetatable(r, Translation)
  return r.text, r
end

--- s2s:predict(sources) -> outputs, weights: greedy decoding of a list of sources (lists
--- of 0-based source ids) in one batch; outputs[b] the ids before <END>, weights[b][t]
--- the attention over source b at output step t
function S2S:predict(rows, max_len)
  check.method(self, S2S, "predict", "s2s")
  max_len = max_len or self.max_len
  return nn.no_grad(function()
    local B = #rows
    local keys, len, h, c = start(self, rows)
    local out, w, done, tokens = {}, {}, {}, {}
    for b = 1, B do out[b], w[b], tokens[b] = {}, {}, START end
    for _ = 1, max_len do
      local logits
      logits, h, c = step(self, tokens, h, c, keys, len)
      tokens = argmax_ids(logits)
      local aw = self.att and self.att.weights:reshape{B, -1}:totable()
      local open = false
      for b = 1, B do
        if not done[b] then
          if aw then w[b][#w[b] + 1] = {table.unpack(aw[b], 1, len[b])} end
          if tokens[b] == END then done[b] = true else out[b][#out[b] + 1] = tokens[b]; open = true end
        end
      end
      if not open then break end
    end
    return out, w
  end)
end

--- s2s:accuracy(task [, {n =}]) -> the share of the task's pairs (the first n) whose greedy
--- translation is exactly the target, and the share of target tokens right in place
function S2S:accuracy(task, o)
  check.method(self, S2S, "accuracy", "s2s")
  local ids = id_pairs(self, task)
  local n = math.min(#ids, o and o.n or #ids)
  local exact, right, total = 0, 0, 0
  for from = 1, n, 256 do
    local rows = {}
    for i = from, math.min(n, from + 255) do rows[#rows + 1] = ids[i][1] end
    local out = self:predict(rows)
    for j, got in ipairs(out) do
      local want = ids[from + j - 1][2]
      local same = #got == #want
      for t = 1, #want do
        total = total + 1
        if got[t] == want[t] then right = right + 1 else same = false end
      end
      if same then exact = exact + 1 end
    end
  end
  return exact / n, right / total
end

return M
