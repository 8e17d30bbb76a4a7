-- text_decode.lua: turning a model's next-token scores into sequences, for any model:
-- each function takes a step function
--   step(state, token) -> logits, state'
-- (logits a list or tensor of V scores for the token after `token`; token ids 0-based)
-- and decodes with it: sampling with a temperature and top-k, greedy decoding, beam
-- search. Each returns the per-step probabilities it saw, for plot.decoding.
local nn = require "nn"
local check = require "argcheck"

local M = {}

local describe = check.describe

-- logits as a flat Lua list (a tensor [V] or [1, V], or a list)
local function as_list(logits, who)
  if type(logits) == "table" then return logits end
  local ok, t = pcall(function() return logits:totable() end)
  if ok and type(t) == "table" then
    if type(t[1]) == "table" then t = t[1] end
    return t
  end
  error(("%s: the step function must return logits (a list or tensor of scores), got %s"):format(who,
    describe(logits)), 3)
end

--- M.softmax(logits [, temperature = 1]) -> probabilities (a list): exp(z/T) normalised,
--- computed from the largest score down so that large scores do not overflow.
function M.softmax(logits, temperature)
  local z = as_list(logits, "softmax")
  local t = temperature or 1
  if not (type(t) == "number" and t > 0) then
    error("softmax: temperature must be a number > 0, got " .. describe(t), 2)
  end
  local mx = -math.huge
  for _, v in ipairs(z) do mx = math.max(mx, v) end
  local p, s = {}, 0
  for i, v in ipairs(z) do p[i] = math.exp((v - mx) / t); s = s + p[i] end
  for i = 1, #p do p[i] = p[i] / s end
  return p
end

-- The 0-based ids of the k largest probabilities, largest first (ties: lower id).
local function top_ids(p, k)
  local ids = {}
  for i = 1, #p do ids[i] = i - 1 end
  table.sort(ids, function(a, b)
    if p[a + 1] ~= p[b + 1] then return p[a + 1] > p[b + 1] end
    return a < b
  end)
  for i = #ids, k + 1, -1 do ids[i] = nil end
  return ids
end
M.top_ids = top_ids

--- M.sample(logits [, {temperature = 1, top_k =, uniform =}]) -> id, probs: one draw
--- from softmax(logits / temperature), kept to the top_k most likely tokens when
--- top_k is given (renormalised); uniform is a number in [0, 1) to use instead of a
--- draw from nn's generator (tests). probs are the probabilities drawn from.
function M.sample(logits, opts)
  opts = check.options("sample", opts, "{temperature = 1}")
  local p = M.softmax(as_list(logits, "sample"), opts.temperature)
  if opts.top_k ~= nil then
    local k = opts.top_k
    if math.type(k) ~= "integer" or k < 1 then
      error("sample: top_k must be a whole number > 0, got " .. describe(k), 2)
    end
    local keep, s = {}, 0
    for _, id in ipairs(top_ids(p, k)) do keep[id + 1] = true; s = s + p[id + 1] end
    for i = 1, #p do p[i] = keep[i] and p[i] / s or 0 end
  end
  local u = opts.uniform or nn.rand{1}:item()
  local acc = 0
  for i = 1, #p do
    acc = acc + p[i]
    if u < acc then return i - 1, p end
  end
  for i = #p, 1, -1 do if p[i] > 0 then return i - 1, p end end -- u at the rounding edge
end

local function check_step(step, who)
  if type(step) ~= "function" then
    error(("%s: expected a step function step(state, token) -> logits, state, got %s"):format(who, describe(step)), 3)
  end
end

local function check_len(v, who, default)
  if v == nil then return default end
  if math.type(v) ~= "integer" or v < 1 then error(("%s: max_len must be a whole number > 0, got %s"):format(who, describe(v)), 3) end
  return v
end

--- M.generate(step, {start =, state =, max_len = 50, stop =, temperature = 1, top_k =})
--- -> ids, steps: samples one token at a time, feeding each back, until the token
--- stop (when given) or max_len tokens. steps[i] = {probs =, chosen =}.
function M.generate(step, opts)
  check_step(step, "generate")
  opts = check.options("generate", opts, "{temperature = 1}")
  local n = check_len(opts.max_len, "generate", 50)
  local state, tok, ids, steps = opts.state, opts.start, {}, {}
  for i = 1, n do
    local logits
    logits, state = step(state, tok)
    local p
    tok, p = M.sample(logits, {temperature = opts.temperature, top_k = opts.top_k})
    steps[i] = {probs = p, chosen = tok}
    if tok == opts.stop then break end
    ids[#ids + 1] = tok
  end
  return ids, steps
end

--- M.greedy(step, {start =, state =, max_len = 50, stop =}) -> ids, steps: the most
--- likely token at each step (ids without the stop token).
function M.greedy(step, opts)
  check_step(step, "greedy")
  opts = check.options("greedy", opts, "{max_len = 50}")
  local n = check_len(opts.max_len, "greedy", 50)
  local state, tok, ids, steps = opts.state, opts.start, {}, {}
  for i = 1, n do
    local logits
    logits, state = step(state, tok)
    local p = M.softmax(as_list(logits, "greedy"))
    tok = top_ids(p, 1)[1]
    steps[i] = {probs = p, chosen = tok}
    if tok == opts.stop then break end
    ids[#ids + 1] = tok
  end
  return ids, steps
end

--- M.beam(step, {start =, state =, width = 3, max_len = 50, stop =, alpha = 0}) -> ids,
--- logp, beams: keeps the `width` most likely partial sequences at each step (each
--- extended by its width best tokens); a sequence that emits stop is finished. The
--- best finished one by logp / length^alpha wins (alpha = 0: the plain sum of log
--- probabilities). beams lists the final hypotheses {ids =, logp =, score =, state =},
--- best first (state: the step function's last state of that hypothesis); ids never
--- include start or stop.
function M.beam(step, opts)
  check_step(step, "beam")
  opts = check.options("beam", opts, "{width = 3}")
  local n = check_len(opts.max_len, "beam", 50)
  local width = opts.width or 3
  if math.type(width) ~= "integer" or width < 1 then error("beam: width must be a whole number > 0, got " .. describe(width), 2) end
  local alpha = opts.alpha or 0
  local function score(h) return h.logp / math.max(1, #h.ids + (h.done and 1 or 0)) ^ alpha end
  local beams = {{ids = {}, logp = 0, state = opts.state, last = opts.start, done = false}}
  for _ = 1, n do
    local cand, open = {}, false
    for _, h in ipairs(beams) do
      if h.done then
        cand[#cand + 1] = h
      else
        open = true
        local logits, state = step(h.state, h.last)
        local p = M.softmax(as_list(logits, "beam"))
        for _, id in ipairs(top_ids(p, width)) do
          if p[id + 1] > 0 then
            local ids = {table.unpack(h.ids)}
            local done = id == opts.stop
            if not done then ids[#ids + 1] = id end
            cand[#cand + 1] = {ids = ids, logp = h.logp + math.log(p[id + 1]), state = state, last = id, done = done}
          end
        end
      end
    end
    if not open then break end
    for i, h in ipairs(cand) do h.order = i end -- a stable sort: ties keep their order
    table.sort(cand, function(a, b)
      local sa, sb = score(a), score(b)
      if sa ~= sb then return sa > sb end
      return a.order < b.order
    end)
    beams = {}
    for i = 1, math.min(width, #cand) do beams[i] = cand[i] end
  end
  local out = {}
  for i, h in ipairs(beams) do out[i] = {ids = h.ids, logp = h.logp, score = score(h), done = h.done, state = h.state} end
  return out[1].ids, out[1].logp, out
end

return M
