-- test_seq2seq.lua: batched attention with source masks (lua/text_attention.lua) and the
-- encoder-decoder (lua/text_seq2seq.lua): gradients against finite differences for a
-- batch of 2 with a padded source (every input and parameter of both attention kinds;
-- the decoder's, attention's and output's parameters of a seq2seq), padded positions
-- getting weight 0 and no gradient, a batch agreeing with its sequences one at a time,
-- the same seed giving the same model, greedy and beam decoding keeping steps and
-- weights, refusals naming the problem, and the views on a model, offscreen.
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end
local function near(a, b, tol, what)
  assert(math.abs(a - b) <= tol, ("%s: %.9g and %.9g differ by more than %g"):format(what or "value", a, b, tol))
end
-- flat list of a tensor's values, and a tensor of a flat list in a shape
local function flat(t)
  local out = {}
  local function walk(x)
    if type(x) ~= "table" then out[#out + 1] = x; return end
    for _, y in ipairs(x) do walk(y) end
  end
  walk(t:totable())
  return out
end

-- The worst difference between the gradients backward gives (read after loss():backward())
-- and central differences, over every element of the named slots; get/set read and
-- replace a slot's tensor (tensors have no setter).
local function worst_gradient(slots, get, set, loss)
  for _, n in ipairs(slots) do set(n, get(n):detach():requires_grad()) end
  loss():backward()
  local worst = 0
  for _, n in ipairs(slots) do
    local t = get(n)
    local g, v, shape = flat(t.grad), flat(t), t.shape
    for i = 1, #v do
      local keep, h = v[i], 1e-2
      v[i] = keep + h; set(n, nn.tensor(v):reshape(shape))
      local lp = loss():item()
      v[i] = keep - h; set(n, nn.tensor(v):reshape(shape))
      local lm = loss():item()
      v[i] = keep; set(n, t)
      worst = math.max(worst, math.abs((lp - lm) / (2 * h) - g[i]))
    end
  end
  return worst
end

---------------------------------------------------------------------------------
-- batched attention, padded sources
---------------------------------------------------------------------------------

nn.seed(5)
local B, T, S, d, dv = 2, 3, 5, 4, 2
local lengths = {5, 3} -- the second source is padded after 3 positions
for _, kind in ipairs{"dot", "additive"} do
  local att = text.attention{kind = kind, dim = d, hidden = 3}
  local vals = {q = nn.randn{B, T, d}, k = nn.randn{B, S, d}, v = nn.randn{B, S, dv}}
  local R = nn.randn{B, T, dv}
  -- q, k, v are the inputs; W_q, W_k and v_att (att.v) the additive attention's parameters
  local function get(n)
    if vals[n] then return vals[n] end
    return n == "v_att" and att.v or att[n]
  end
  local function set(n, t)
    if vals[n] then vals[n] = t elseif n == "v_att" then att.v = t else att[n] = t end
  end
  local function loss() return (att:forward(vals.q, vals.k, vals.v, lengths) * R):sum() end
  local slots = kind == "additive" and {"q", "k", "v", "W_q", "W_k", "v_att"} or {"q", "k", "v"}
  local worst = worst_gradient(slots, get, set, loss)
  assert(worst < 2e-3, kind .. " batched attention gradient differs from finite differences by " .. worst)
  -- padding: weight 0, and no gradient reaches the padded keys and values
  local ctx, w = att:forward(vals.q, vals.k, vals.v, lengths)
  assert(ctx.shape[1] == B and ctx.shape[2] == T and ctx.shape[3] == dv)
  assert(w.shape[1] == B and w.shape[2] == T and w.shape[3] == S)
  local wt = att.weights:totable()
  for b = 1, B do
    for t = 1, T do
      local sum = 0
      for j = 1, S do
        sum = sum + wt[b][t][j]
        if j > lengths[b] then assert(wt[b][t][j] == 0, kind .. ": a padded position has weight " .. wt[b][t][j]) end
      end
      near(sum, 1, 1e-5, kind .. " weights' row sum")
    end
  end
  local kg, vg = vals.k.grad:totable(), vals.v.grad:totable()
  for j = lengths[2] + 1, S do
    for i = 1, d do assert(kg[2][j][i] == 0, kind .. ": a padded key has a gradient") end
    for i = 1, dv do assert(vg[2][j][i] == 0, kind .. ": a padded value has a gradient") end
  end
  -- the batch agrees with each sequence alone (the second with its 3 real positions)
  local q2 = nn.tensor(vals.q:totable()[2])
  local k2 = nn.tensor({table.unpack(vals.k:totable()[2], 1, 3)})
  local v2 = nn.tensor({table.unpack(vals.v:totable()[2], 1, 3)})
  local alone = flat(att:forward(q2, k2, v2))
  local batched = flat(ctx)
  for i = 1, #alone do near(batched[T * dv + i], alone[i], 1e-5, kind .. " batch against alone") end
  -- one sequence with a mask: a batch of one
  local c1, w1 = att:forward(q2, nn.tensor(vals.k:totable()[2]), nn.tensor(vals.v:totable()[2]), 3)
  assert(c1.ndim == 2 and w1.shape[2] == S and w1:totable()[1][5] == 0)
  for i = 1, #alone do near(flat(c1)[i], alone[i], 1e-5, kind .. " masked sequence against alone") end
end
local att = text.attention{dim = 4}
fails("the mask lists 1 lengths for 2 sequences", att.forward, att, nn.randn{2, 1, 4}, nn.randn{2, 3, 4}, nil, {3})
fails("sequence 2 of the batch has no real source position", att.forward, att, nn.randn{2, 1, 4}, nn.randn{2, 3, 4}, nil, {3, 0})
fails("a mask tensor must be [2, 3]", att.forward, att, nn.randn{2, 1, 4}, nn.randn{2, 3, 4}, nil, nn.ones{2, 4})
fails("mask must be a list of source lengths", att.forward, att, nn.randn{2, 1, 4}, nn.randn{2, 3, 4}, nil, "3")
fails("queries [2,1,4] and keys [3,4]", att.forward, att, nn.randn{2, 1, 4}, nn.randn{3, 4})
-- a tensor mask is the same as lengths
local qm, km = nn.randn{2, 2, 4}, nn.randn{2, 3, 4}
local a1 = flat(att:forward(qm, km, nil, {3, 2}))
local a2 = flat(att:forward(qm, km, nil, nn.tensor{{1, 1, 1}, {1, 1, 0}}))
for i = 1, #a1 do near(a1[i], a2[i], 1e-6, "tensor mask against lengths") end

---------------------------------------------------------------------------------
-- the encoder-decoder: gradients of its loss against finite differences
---------------------------------------------------------------------------------

local tiny = text.pairs_task({{"a b c", "x y"}, {"b", "y z x"}}, {level = "word"})
assert(tiny.source.tokens[1] == "<PAD>" and tiny.target.tokens[2] == "<START>" and tiny.target.tokens[3] == "<END>")
assert(tiny.source_level == "word" and tiny.x.shape[2] == 3 and tiny.y.shape[2] == 4)
for _, kind in ipairs{"additive", "dot"} do
  nn.seed(2)
  local m = text.seq2seq{task = tiny, embed = 3, hidden = 4, attention = kind}
  local batch = {}
  for i, p in ipairs(tiny.pairs) do
    local s, t = {}, {}
    for j, tok in ipairs(p[1]) do s[j] = tiny.source:id(tok) end
    for j, tok in ipairs(p[2]) do t[j] = tiny.target:id(tok) end
    batch[i] = {s, t}
  end
  local slots = {"tgt_embedding", "W_x", "W_h", "b", "W_o", "b_o", "W_c", "U_c"}
  if kind == "additive" then slots[#slots + 1] = "att.W_k"; slots[#slots + 1] = "att.v" end
  local function get(n)
    local a = n:match("^att%.(.+)")
    return a and m.att[a] or m[n]
  end
  local function set(n, t)
    local a = n:match("^att%.(.+)")
    if a then m.att[a] = t else m[n] = t end
  end
  local function loss() return (m:batch_loss(batch, 1)) end
  local worst = worst_gradient(slots, get, set, loss)
  assert(worst < 3e-3, kind .. " seq2seq gradient differs from finite differences by " .. worst)
  -- the encoder's parameters get gradients through the attention and the first state
  local enc = m.encoder:parameters()
  for _, t in ipairs(enc) do t:zero_grad() end
  loss():backward()
  local g = 0
  for _, v in ipairs(flat(enc[1].grad)) do g = g + math.abs(v) end
  assert(g > 0, kind .. ": no gradient reached the encoder")
end

---------------------------------------------------------------------------------
-- training, decoding, determinism
---------------------------------------------------------------------------------

local pair = text.pairs_task({{"nice to meet you", "ravi de vous rencontrer"}})
nn.seed(1)
local m = text.seq2seq{task = pair, embed = 16, hidden = 32}
assert(tostring(m):find("additive attention", 1, true) and m:nparams() > 0)
local run = m:fit{pair, epochs = 30, batch = 1}
assert(run.state == "done" and #run.losses == 30 and run.losses[30] < run.losses[1] / 10, tostring(run))
local out, r = m:translate("nice to meet you")
assert(out == "ravi de vous rencontrer", out)
assert(#r.steps == 5 and r.done and #r.weights == 5 and #r.weights[1] == 4)
for _, s in ipairs(r.steps) do near(s.probs[s.chosen + 1] > 0.5 and 1 or 0, 1, 0, "a confident step") end
local bout, br = m:translate({"nice", "to", "meet", "you"}, {beam = 3})
assert(bout == out and #br.weights == 5 and br.logp < 0, bout)
assert(#br.steps == 5 and br.steps[5].chosen == 2 and br.steps[1].chosen == r.steps[1].chosen, "beam steps")
near(br.steps[2].probs[br.steps[2].chosen + 1], r.steps[2].probs[r.steps[2].chosen + 1], 1e-9, "beam and greedy step 2")
assert(m:accuracy(pair) == 1)
-- the same seed gives the same numbers
nn.seed(1)
local m2 = text.seq2seq{task = pair, embed = 16, hidden = 32}
local run2 = m2:fit{pair, epochs = 30, batch = 1}
assert(run2.losses[30] == run.losses[30], "the same seed gave another loss")
-- teacher forcing 0 feeds the model's own guesses: another loss than with 1
local task = text.task("reverse", {n = 64, length = 4, symbols = 4})
nn.seed(3)
local ma = text.seq2seq{task = task, embed = 8, hidden = 16}
local la = ma:fit{task, epochs = 1, teacher_forcing = 1}.losses[1]
nn.seed(3)
local mb = text.seq2seq{task = task, embed = 8, hidden = 16}
local lb = mb:fit{task, epochs = 1, teacher_forcing = 0}.losses[1]
assert(la ~= lb, "teacher forcing 0 and 1 gave the same loss")
-- batched greedy agrees with one at a time
local rows = {{3, 4, 5}, {6}}
local outs = ma:predict(rows)
for i, r_ in ipairs(rows) do
  local toks = {}
  for j, id in ipairs(r_) do toks[j] = task.source.tokens[id + 1] end
  local _, one = ma:translate(toks)
  assert(table.concat(one.ids, ",") == table.concat(outs[i], ","), "batched greedy differs from one at a time")
end

fails("attention must be \"dot\", \"additive\" or false", text.seq2seq, {task = pair, attention = "cosine"})
fails("hidden must be a whole number > 0", text.seq2seq, {task = pair, hidden = 0})
fails("give task = (a text.task)", text.seq2seq, {})
fails("text.seq2seq: unknown option 'hiden'", text.seq2seq, {task = pair, hiden = 3})
fails("teacher_forcing must be a ratio from 0 to 1", m.fit, m, {pair, teacher_forcing = 2})
fails("the task's vocabularies are not this model's", m.fit, m, {task})
fails("\"hello\" is not a source token of this model", m.translate, m, "hello there")
fails("s2s:translate: call it on a seq2seq with a colon, s2s:translate(...); got the string \"nice\"", m.translate, "nice")

---------------------------------------------------------------------------------
-- views on a model, offscreen
---------------------------------------------------------------------------------

local png = os.tmpname()
local p, res = plot.attention(m, "nice to meet you", {show = false})
p:save(png)
assert(res.text == "ravi de vous rencontrer")
local _, again = plot.attention(m, {show = false}) -- its last translation
assert(again == m.last and again.text == "ravi de vous rencontrer")
local _, bars = plot.decoding(m, {step = 4, top = 3, show = false})
assert(bars.labels[1] == "rencontrer", bars.labels[1])
local _, bars2 = plot.decoding(res, {step = 5, show = false})
assert(bars2.labels[1] == "<END>")
-- a batch's weights: one sample's map
local ab = text.attention{dim = 4}
ab:forward(nn.randn{2, 3, 4}, nn.randn{2, 5, 4}, nil, {5, 2})
plot.attention(ab, {"a", "b", "c", "d", "e"}, {"x", "y", "z"}, {sample = 2, show = false}):save(png)
fails("sample must be 1 to 2", plot.attention, ab, {}, {}, {sample = 3, show = false})
local noatt = text.seq2seq{task = pair, attention = false}
fails("has no attention", plot.attention, noatt, "nice to meet you", {show = false})

-- at the prompt fit trains in a job, and the views on its model redraw after each epoch
local repl = require "repl"
repl.interactive = true
local lt = text.task("reverse", {n = 100, length = 4, symbols = 4})
nn.seed(1)
local lm = text.seq2seq{task = lt, embed = 8, hidden = 16}
local lrun = lm:fit{lt, epochs = 3, verbose = false}
assert(lrun.job and lrun.state == "running", "fit at the prompt runs in a background job")
fails("a fit of this model is still running", lm.fit, lm, {lt, epochs = 1})
local lp = plot.attention(lm, "abcd", {run = lrun})
plot.decoding(lm, {run = lrun})
lm.last = nil -- only the views' redraws translate from here on
for _ = 1, 100000 do
  if lrun.state ~= "running" then break end
  repl._jobs_step(0.05)
end
for _ = 1, 10 do repl._jobs_step(0.01) end
assert(lrun.state == "done" and lrun.epoch == 3, tostring(lrun))
assert(lm.last and lm.last.source_text == "abcd", "the attention view did not redraw after an epoch")
lp:save(png)
repl.interactive = false
os.remove(png)
print("test_seq2seq: ok")
