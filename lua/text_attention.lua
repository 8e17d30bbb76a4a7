-- text_attention.lua: attention for an encoder-decoder, dot-product (Luong, scaled as
-- in the Transformer) and additive (Bahdanau), made of tensor ops that autograd
-- records (matmul, broadcast add, tanh, softmax), so their gradients are the ops'
-- own. One sequence at a time: queries [T, d] (decoder states), keys [S, d] and
-- values [S, dv] (encoder states); the weights [T, S] of the last forward are kept,
-- detached, for plot.attention.
local nn = require "nn"
local debug = debug -- captured: --safe takes it from user code (lua/sandbox.lua)

local M = {}

local att_mt = {__name = "attention"}
att_mt.__index = att_mt

-- a method called on something else (v.id(5) for v:id(5)) says so
local function check_self_att_mt(v, name)
  if getmetatable(v) ~= att_mt then
    error(("attention:%s: call it with a colon on a attention (x:%s(...)), got %s"):format(name, name, type(v)), 3)
  end
end

local function describe(v)
  if type(v) == "string" then return ("the string %q"):format(v) end
  return type(v) == "number" and ("number " .. tostring(v)) or (v == nil and "nothing" or "a " .. type(v))
end

local function is_tensor(v)
  return type(v) == "userdata" and getmetatable(v) == debug.getregistry()["nnlab.tensor"]
end

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

--- att:scores(q [T, d], k [S, d]) -> the scores [T, S] before the softmax
function att_mt.scores(a, q, k)
  check_self_att_mt(a, "scores")
  local T, S = q.shape[1], k.shape[1]
  if a.kind == "dot" then
    if q.shape[2] ~= k.shape[2] then
      error(("attention: queries %s and keys %s differ in size"):format(shape_str(q), shape_str(k)), 3)
    end
    local s = q:matmul(k, false, true)
    return a.scale and s * (1 / math.sqrt(q.shape[2])) or s
  end
  if q.shape[2] ~= a.dim or k.shape[2] ~= a.key_dim then
    error(("attention: queries %s and keys %s, this attention takes [T,%d] and [S,%d]"):format(shape_str(q),
      shape_str(k), a.dim, a.key_dim), 3)
  end
  local h = a.hidden
  local e = (q:matmul(a.W_q):reshape{T, 1, h} + k:matmul(a.W_k):reshape{1, S, h}):tanh()
  return e:reshape{T * S, h}:matmul(a.v):reshape{T, S}
end

--- att:forward(q [T, d], k [S, d] [, v = k]) -> context [T, dv], weights [T, S]:
--- weights = softmax over the source of the scores, context = weights v. att.weights
--- keeps a detached copy of the weights.
function att_mt.forward(a, q, k, v)
  check_self_att_mt(a, "forward")
  for i, t in ipairs({q, k}) do
    if not is_tensor(t) or t.ndim ~= 2 then
      error(("attention: %s must be a matrix tensor, got %s"):format(i == 1 and "queries" or "keys",
        is_tensor(t) and shape_str(t) or describe(t)), 2)
    end
  end
  v = v or k
  if not is_tensor(v) or v.ndim ~= 2 or v.shape[1] ~= k.shape[1] then
    error(("attention: values must be a matrix with as many rows as the keys (%d), got %s"):format(k.shape[1],
      is_tensor(v) and shape_str(v) or describe(v)), 2)
  end
  local w = a:scores(q, k):softmax(2)
  a.weights = w:detach()
  return w:matmul(v), w
end
att_mt.__call = att_mt.forward

function att_mt.__tostring(a)
  if a.kind == "dot" then return ("attention (dot product%s)"):format(a.scale and ", scaled" or "") end
  return ("attention (additive, [%d] x [%d] -> %d)"):format(a.dim, a.key_dim, a.hidden)
end

return M
