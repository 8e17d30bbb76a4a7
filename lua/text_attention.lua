-- text_attention.lua: attention for an encoder-decoder, dot-product (Luong, scaled as
-- in the Transformer) and additive (Bahdanau), made of tensor ops that autograd
-- records (matmul, broadcast add, tanh, softmax), so their gradients are the ops'
-- own. One sequence (queries [T, d] (decoder states), keys [S, d] and values [S, dv]
-- (encoder states)) or a batch of them ([B, T, d], [B, S, d], [B, S, dv]), whose
-- padded source positions a mask keeps out of the softmax; the weights ([T, S] or
-- [B, T, S]) of the last forward are kept, detached, for plot.attention.
local nn = require "nn"
local check = require "argcheck"

local M = {}

local att_mt = {__name = "attention"}
att_mt.__index = att_mt

local describe, is_tensor = check.describe, check.is_tensor

local function shape_str(t) return "[" .. table.concat(t.shape, ",") .. "]" end

--- M.new{kind = "dot"|"additive", dim =, hidden = dim, scale = true, key_dim = dim}
--- -> att: dot scores q.k (divided by sqrt(dim) when scale); additive scores
--- v^T tanh(W_q q + W_k k) with W_q [dim, hidden], W_k [key_dim, hidden], v [hidden, 1],
--- drawn from nn's generator (normal, std 1/sqrt(fan-in)). att.params lists them.
function M.new(opts)
  if type(opts) ~= "table" then error("text.attention: expected {kind = \"dot\"|\"additive\", dim = ...}, got " .. describe(opts), 2) end
  local kind = opts.kind or "dot"
  if kind ~= "dot" and kind ~= "additive" then
    error("text.attention: kind must be \"dot\" or \"additive\", got " .. describe(kind), 2)
  end
  local d = opts.dim
  if math.type(d) ~= "integer" or d < 1 then error("text.attention: dim must be a whole number > 0, got " .. describe(d), 2) end
  local a = setmetatable({kind = kind, dim = d, scale = opts.scale ~= false, params = {}}, att_mt)
  if kind == "additive" then
    local h, kd = opts.hidden or d, opts.key_dim or d
    a.hidden, a.key_dim = h, kd
    a.W_q = (nn.randn{d, h} * (1 / math.sqrt(d))):detach():requires_grad()
    a.W_k = (nn.randn{kd, h} * (1 / math.sqrt(kd))):detach():requires_grad()
    a.v = (nn.randn{h, 1} * (1 / math.sqrt(h))):detach():requires_grad()
    a.params = {a.W_q, a.W_k, a.v}
  end
  return a
end

-- The scores of a batch: q [B, T, d], k [B, S, kd] -> [B, T, S], by broadcasting
-- (each of the B sequences its own T x S block; the tensor ops have no batched matmul).
local function batch_scores(a, q, k)
  local B, T, S = q.shape[1], q.shape[2], k.shape[2]
  if a.kind == "dot" then
    local d = q.shape[3]
    local s = (q:reshape{B, T, 1, d} * k:reshape{B, 1, S, d}):sum(4)
    return a.scale and s * (1 / math.sqrt(d)) or s
  end
  local h = a.hidden
  local qp = q:reshape{B * T, a.dim}:matmul(a.W_q):reshape{B, T, 1, h}
  local kp = k:reshape{B * S, a.key_dim}:matmul(a.W_k):reshape{B, 1, S, h}
  return (qp + kp):tanh():reshape{B * T * S, h}:matmul(a.v):reshape{B, T, S}
end

--- att:scores(q [T, d], k [S, d]) -> the scores [T, S] before the softmax; a batch
--- q [B, T, d], k [B, S, d] -> [B, T, S]
function att_mt.scores(a, q, k)
  check.method(a, att_mt, "scores", "att")
  local last = q.ndim
  if q.ndim ~= k.ndim or (last == 3 and q.shape[1] ~= k.shape[1]) then
    error(("attention: queries %s and keys %s: both [T, d] and [S, d], or both a batch [B, T, d] and [B, S, d]")
      :format(shape_str(q), shape_str(k)), 3)
  end
  if a.kind == "dot" and q.shape[last] ~= k.shape[last] then
    error(("attention: queries %s and keys %s differ in size"):format(shape_str(q), shape_str(k)), 3)
  end
  if a.kind == "additive" and (q.shape[last] ~= a.dim or k.shape[last] ~= a.key_dim) then
    local b = last == 3 and "B," or ""
    error(("attention: queries %s and keys %s, this attention takes [%sT,%d] and [%sS,%d]"):format(shape_str(q),
      shape_str(k), b, a.dim, b, a.key_dim), 3)
  end
  if last == 3 then return batch_scores(a, q, k) end
  local T, S = q.shape[1], k.shape[1]
  if a.kind == "dot" then
    local s = q:matmul(k, false, true)
    return a.scale and s * (1 / math.sqrt(q.shape[2])) or s
  end
  local h = a.hidden
  local e = (q:matmul(a.W_q):reshape{T, 1, h} + k:matmul(a.W_k):reshape{1, S, h}):tanh()
  return e:reshape{T * S, h}:matmul(a.v):reshape{T, S}
end

-- The additive mask [B, 1, S] of a mask argument: 0 at the real source positions,
-- -1e9 at padding (exp of it is 0: padding gets no weight and no gradient). mask is
-- a list of B source lengths (the first len positions are real) or a tensor [B, S]
-- of 1 (real) and 0 (padding); every sequence needs one real position.
local function mask_bias(mask, B, S)
  local rows = {}
  if is_tensor(mask) then
    if mask.ndim ~= 2 or mask.shape[1] ~= B or mask.shape[2] ~= S then
      error(("attention: a mask tensor must be [%d, %d] (1 real, 0 padding), got %s"):format(B, S, shape_str(mask)), 3)
    end
    rows = mask:totable()
  elseif type(mask) == "table" then
    if #mask ~= B then error(("attention: the mask lists %d lengths for %d sequences"):format(#mask, B), 3) end
    for b, n in ipairs(mask) do
      if math.type(n) ~= "integer" and not (type(n) == "number" and n == math.floor(n)) then
        error(("attention: source length %d is %s, not a whole number"):format(b, describe(n)), 3)
      end
      rows[b] = {}
      for j = 1, S do rows[b][j] = j <= n and 1 or 0 end
    end
  else
    error("attention: mask must be a list of source lengths or a tensor [B, S] of 1 and 0, got " .. describe(mask), 3)
  end
  local bias = {}
  for b = 1, B do
    local any = false
    for j = 1, S do
      local real = rows[b][j] ~= 0
      any = any or real
      bias[#bias + 1] = real and 0 or -1e9
    end
    if not any then error(("attention: sequence %d of the batch has no real source position"):format(b), 3) end
  end
  return nn.tensor(bias):reshape{B, 1, S}
end

--- att:forward(q [T, d], k [S, d] [, v = k [, mask]]) -> context [T, dv], weights [T, S]:
--- weights = softmax over the source of the scores, context = weights v. A batch:
--- q [B, T, d], k [B, S, d], v [B, S, dv] -> context [B, T, dv], weights [B, T, S];
--- mask (a list of B source lengths, or a tensor [B, S] of 1 real / 0 padding) gives
--- padded source positions weight 0. att.weights keeps a detached copy of the weights.
function att_mt.forward(a, q, k, v, mask)
  check.method(a, att_mt, "forward", "att")
  for i, t in ipairs({q, k}) do
    if not is_tensor(t) or (t.ndim ~= 2 and t.ndim ~= 3) then
      error(("attention: %s must be a matrix [T, d] or a batch [B, T, d], got %s"):format(
        i == 1 and "queries" or "keys", is_tensor(t) and shape_str(t) or describe(t)), 2)
    end
  end
  v = v or k
  local batched = q.ndim == 3
  local S = k.shape[k.ndim - 1]
  if not is_tensor(v) or v.ndim ~= k.ndim or v.shape[k.ndim - 1] ~= S or (batched and v.shape[1] ~= k.shape[1]) then
    error(("attention: values must be a %s with as many rows as the keys (%d), got %s"):format(
      batched and "batch [B, S, dv]" or "matrix", S, is_tensor(v) and shape_str(v) or describe(v)), 2)
  end
  if mask ~= nil and not batched then -- one sequence with a mask: a batch of one
    local T, dv = q.shape[1], v.shape[2]
    if type(mask) == "number" then mask = {mask} end
    if is_tensor(mask) and mask.ndim == 1 then mask = mask:reshape{1, -1} end
    local ctx, w = a:forward(q:reshape{1, T, q.shape[2]}, k:reshape{1, S, k.shape[2]}, v:reshape{1, S, dv}, mask)
    a.weights = a.weights:reshape{T, S}
    return ctx:reshape{T, dv}, w:reshape{T, S}
  end
  local sc = a:scores(q, k)
  if not batched then
    local w = sc:softmax(2)
    a.weights = w:detach()
    return w:matmul(v), w
  end
  local B, T, dv = q.shape[1], q.shape[2], v.shape[3]
  if mask ~= nil then sc = sc + mask_bias(mask, B, S) end
  local w = sc:softmax(3)
  a.weights = w:detach()
  local ctx = (w:reshape{B, T, S, 1} * v:reshape{B, 1, S, dv}):sum(3)
  return ctx, w
end
att_mt.__call = att_mt.forward

function att_mt.__tostring(a)
  if a.kind == "dot" then return ("attention (dot product%s)"):format(a.scale and ", scaled" or "") end
  return ("attention (additive, [%d] x [%d] -> %d)"):format(a.dim, a.key_dim, a.hidden)
end

return M
