-- dual.lua: exact derivatives of functions the student types, by forward-mode dual
-- numbers. A dual carries a value and its derivatives along n directions; Lua's
-- operators and a shadow `math` table push both through f. Duals whose parts are
-- duals again (nested) give second derivatives the same way, so Hessians are exact
-- too: no finite differences anywhere. Also a formula compiler for strings such as
-- "x^2 - y^2 + 0.1*sin(5*x)" that accepts only x, y, numbers, operators and the
-- math functions below. The races (race.lua) take their gradients from here.
--
-- Limits: `==` between a dual and a plain number is always false (Lua calls __eq
-- only for two tables), so compare with <, <=, >, >= or dual.value(d) == c. A helper
-- function that f calls must use `math.*` from f's own environment or receive
-- duals only through operators; math functions captured in a local before f was
-- made (local sin = math.sin) are swapped for the dual-aware ones too.

local M = {}

local rawmath = math
-- captured: --safe takes debug and string.dump from user code, and load's mode
-- "b" (lua/sandbox.lua); the bytecode here is dumped from a live function, never
-- read from outside
local debug, dump, load = debug, string.dump, load
local type, select, setmetatable, getmetatable = type, select, setmetatable, getmetatable

-- A dual is {v, d1, ..., dn} with this metatable: v the value, di = dv/dt_i. Parts
-- are plain numbers or duals themselves (nested, for second derivatives).
local Dual = {}
Dual.__name = "dual"

local function isdual(a)
    return getmetatable(a) == Dual
end

local function make(t)
    return setmetatable(t, Dual)
end

-- The number of derivative directions of a dual (its length less the value).
local function width(a)
    return #a - 1
end

-- Numbers of a (dual or plain) as the value (i = 1) or a derivative (i > 1).
local function part(a, i)
    if isdual(a) then return a[i] or 0 end
    return i == 1 and a or 0
end

local function checkoperand(a, op)
    local t = type(a)
    if t ~= "number" and not isdual(a) then
        error(("dual: cannot %s a dual and a %s"):format(op, t), 3)
    end
end

-- ---- arithmetic: each rule works on parts that are numbers or duals ----------

function Dual.__add(a, b)
    checkoperand(a, "add"); checkoperand(b, "add")
    if not isdual(a) then a, b = b, a end
    local r = {}
    if isdual(b) then
        for i = 1, rawmath.max(#a, #b) do r[i] = part(a, i) + part(b, i) end
    else
        r[1] = a[1] + b
        for i = 2, #a do r[i] = a[i] end
    end
    return make(r)
end

function Dual.__unm(a)
    local r = {}
    for i = 1, #a do r[i] = -a[i] end
    return make(r)
end

function Dual.__sub(a, b)
    checkoperand(a, "subtract"); checkoperand(b, "subtract")
    return a + -b
end

-- (a b)' = a' b + a b'
function Dual.__mul(a, b)
    checkoperand(a, "multiply"); checkoperand(b, "multiply")
    if not isdual(a) then a, b = b, a end
    local r = {}
    if isdual(b) then
        local av, bv = a[1], b[1]
        r[1] = av * bv
        for i = 2, rawmath.max(#a, #b) do r[i] = part(a, i) * bv + av * part(b, i) end
    else
        for i = 1, #a do r[i] = a[i] * b end
    end
    return make(r)
end

-- (a / b)' = (a' - (a/b) b') / b
function Dual.__div(a, b)
    checkoperand(a, "divide"); checkoperand(b, "divide")
    local r = {}
    if not isdual(b) then
        for i = 1, #a do r[i] = a[i] / b end
        return make(r)
    end
    local v = part(a, 1) / b[1]
    r[1] = v
    for i = 2, rawmath.max(isdual(a) and #a or 0, #b) do
        r[i] = (part(a, i) - v * b[i]) / b[1]
    end
    return make(r)
end

-- Applies derivative dv (a number or dual) by the chain rule: result {v, dv a'}.
local function chain(a, v, dv)
    local r = {v}
    for i = 2, #a do r[i] = dv * a[i] end
    return make(r)
end

local dlog -- forward: math.log for duals, used by the power rules

-- a^p: p a^(p-1) a' for a constant p; c^b: c^b log(c) b'; a^b: a^b (b' log a + b a'/a)
function Dual.__pow(a, b)
    checkoperand(a, "raise"); checkoperand(b, "raise")
    if not isdual(b) then
        if b == 0 then return 1 end -- constant: keeps 0 * Inf out of a'
        if b == 1 then return a end
        if b == 2 then return a * a end -- exact, and cheaper
        return chain(a, a[1] ^ b, b * a[1] ^ (b - 1))
    end
    if not isdual(a) then
        local v = a ^ b[1]
        return chain(b, v, v * rawmath.log(a))
    end
    local v = a[1] ^ b[1]
    local r = {v}
    local la = dlog(a[1])
    for i = 2, rawmath.max(#a, #b) do
        r[i] = v * (part(b, i) * la + b[1] * part(a, i) / a[1])
    end
    return make(r)
end

-- a mod b = a - floor(a/b) b: derivative 1 in a and -floor(a/b) in b, piecewise
function Dual.__mod(a, b)
    checkoperand(a, "take the remainder of"); checkoperand(b, "take the remainder of")
    return a - rawmath.floor(M.value(a) / M.value(b)) * b
end

function Dual.__idiv(a, b)
    return rawmath.floor(M.value(a) / M.value(b)) -- piecewise constant: derivative 0
end

-- Comparisons look at values only (ties and kinks are the caller's business).
function Dual.__lt(a, b) return M.value(a) < M.value(b) end
function Dual.__le(a, b) return M.value(a) <= M.value(b) end
function Dual.__eq(a, b) return M.value(a) == M.value(b) end

function Dual.__tostring(a)
    local parts = {}
    for i = 2, #a do parts[#parts + 1] = tostring(a[i]) end
    return ("dual(%s; %s)"):format(tostring(a[1]), table.concat(parts, ", "))
end

function Dual.__concat(a, b)
    return tostring(a) .. tostring(b)
end

-- ---- the math functions: plain numbers go to Lua's, duals by the chain rule ---

-- Lua 5.4 has no hyperbolic functions; these keep full precision near 0.
local function tanh(x)
    local ax = rawmath.abs(x)
    if ax < 1e-4 then return x - x * x * x / 3 end
    local t = rawmath.exp(-2 * ax)
    local r = (1 - t) / (1 + t)
    return x < 0 and -r or r
end

local function sinh(x)
    if rawmath.abs(x) < 1e-4 then return x + x * x * x / 6 end
    return (rawmath.exp(x) - rawmath.exp(-x)) / 2
end

local function cosh(x)
    return (rawmath.exp(x) + rawmath.exp(-x)) / 2
end

local D = {} -- the dual-aware math functions

-- f(a) with derivative df(a, value); both are written with D, so nesting works
local function unary(name, f, df)
    D[name] = function(a, ...)
        if isdual(a) then
            local v = D[name](a[1])
            return chain(a, v, df(a[1], v))
        end
        if type(a) ~= "number" then
            error(("bad argument #1 to '%s' (number expected, got %s)"):format(name, type(a)), 2)
        end
        return f(a, ...)
    end
end

unary("sin", rawmath.sin, function(a) return D.cos(a) end)
unary("cos", rawmath.cos, function(a) return -D.sin(a) end)
unary("tan", rawmath.tan, function(_, v) return 1 + v * v end)
unary("exp", rawmath.exp, function(_, v) return v end)
unary("sqrt", rawmath.sqrt, function(_, v) return 0.5 / v end)
unary("asin", rawmath.asin, function(a) return 1 / D.sqrt(1 - a * a) end)
unary("acos", rawmath.acos, function(a) return -1 / D.sqrt(1 - a * a) end)
unary("tanh", tanh, function(_, v) return 1 - v * v end)
unary("sinh", sinh, function(a) return D.cosh(a) end)
unary("cosh", cosh, function(a) return D.sinh(a) end)
unary("abs", rawmath.abs, function(a)
    return a > 0 and 1 or (a < 0 and -1 or 0) -- the kink at 0 gets 0, as autograd does
end)

-- log(a) and log(a, base) = log(a) / log(base)
local log1 = function(a) return rawmath.log(a) end
unary("ln", log1, function(a) return 1 / a end)
function D.log(a, base)
    if base == nil then return D.ln(a) end
    return D.ln(a) / D.ln(base)
end
dlog = D.ln

-- Argument i of math.<fname> must be a number or a dual: compared or computed
-- with, anything else would raise Lua's own "attempt to ..." from inside this file.
local function checkvalue(a, i, fname)
    if type(a) ~= "number" and not isdual(a) then
        error(("math.%s: argument %d must be a number or a dual number, got %s"):format(fname, i,
            type(a)), 3)
    end
end

-- atan(y) and atan(y, x): d/dy = x/(x^2+y^2), d/dx = -y/(x^2+y^2)
function D.atan(y, x)
    x = x == nil and 1 or x
    if not isdual(y) and not isdual(x) then return rawmath.atan(y, x) end
    checkvalue(y, 1, "atan")
    checkvalue(x, 2, "atan")
    local yv, xv = M.part(y, 1), M.part(x, 1)
    local n = rawmath.max(isdual(y) and #y or 0, isdual(x) and #x or 0)
    local r2 = xv * xv + yv * yv
    local r = {D.atan(yv, xv)}
    for i = 2, n do r[i] = (xv * part(y, i) - yv * part(x, i)) / r2 end
    return make(r)
end

-- piecewise: the branch that wins by value carries its derivative
function D.max(a, ...)
    checkvalue(a, 1, "max")
    local best = a
    for i = 1, select("#", ...) do
        local b = select(i, ...)
        checkvalue(b, i + 1, "max")
        if M.value(b) > M.value(best) then best = b end
    end
    return best
end

function D.min(a, ...)
    checkvalue(a, 1, "min")
    local best = a
    for i = 1, select("#", ...) do
        local b = select(i, ...)
        checkvalue(b, i + 1, "min")
        if M.value(b) < M.value(best) then best = b end
    end
    return best
end

function D.floor(a) return rawmath.floor(M.value(a)) end
function D.ceil(a) return rawmath.ceil(M.value(a)) end

-- The shadow math table: Lua's math with the functions above in place of its own.
local shadow = setmetatable({}, {__index = rawmath})
for k, f in pairs(D) do
    if k ~= "ln" then shadow[k] = f end
end
M.math = shadow

-- ---- public helpers ---------------------------------------------------------

-- The plain number inside a (nested) dual, or the number itself.
function M.value(a)
    while isdual(a) do a = a[1] end
    return a
end

M.part = part
M.isdual = isdual

-- A dual of value v with derivatives d1, d2, ... (numbers or duals).
function M.new(v, ...)
    local parts = {v, ...}
    for i = 1, select("#", ...) + 1 do
        local p = parts[i]
        if type(p) ~= "number" and not isdual(p) then
            error(("dual.new: %s must be a number or a dual number, got %s"):format(
                i == 1 and "the value" or ("derivative %d"):format(i - 1), type(p)), 2)
        end
    end
    return make(parts)
end

-- Argument i of fname (a point to differentiate at) must be a number (or a dual,
-- when derivatives are nested).
local function checkpoint(x, i, fname)
    if type(x) ~= "number" and not isdual(x) then
        error(("%s: argument %d must be a number (a point), got %s"):format(fname, i, type(x)), 3)
    end
end

-- ---- running a user's function with duals ------------------------------------

local wrapped = setmetatable({}, {__mode = "k"}) -- f -> its dual-ready copy

-- Math functions that a closure may hold in upvalues, mapped to their shadows.
local swap = {}
for k, f in pairs(D) do
    if rawmath[k] then swap[rawmath[k]] = f end
end

-- A copy of f that sees `math` as the shadow table: f's code loaded again from its
-- bytecode, with f's own upvalues joined back except _ENV (a proxy of f's
-- environment) and captured math functions. f itself is not changed. C functions
-- and stripped functions are returned as they are.
function M.wrap(f)
    if type(f) ~= "function" then
        error(("dual.wrap: expected a function, got %s"):format(type(f)), 2)
    end
    if wrapped[f] then return wrapped[f] end
    local info = debug.getinfo(f, "Su")
    if info.what == "C" then return f end
    local ok, code = pcall(dump, f)
    if not ok then return f end
    local g = load(code, "=" .. (info.short_src or "f"), "b")
    for i = 1, info.nups do
        local name, value = debug.getupvalue(f, i)
        if name == "_ENV" then
            local env = setmetatable({math = shadow},
                {__index = value, __newindex = value})
            debug.setupvalue(g, i, env)
        elseif type(value) == "function" and swap[value] then
            debug.setupvalue(g, i, swap[value])
        else
            debug.upvaluejoin(g, i, f, i)
        end
    end
    wrapped[f] = g
    return g
end

local function result(r, who)
    if type(r) == "number" or isdual(r) then return r end
    error(("%s: the function returned %s, expected a number"):format(who, type(r)), 3)
end

-- f(x, y), df/dx and df/dy, exact. f is a function of (x, y) as the student writes
-- it (math.* allowed). Any number of variables works: dual.grad(f, a, b, c).
function M.grad(f, ...)
    if type(f) ~= "function" then
        error(("dual.grad: expected a function, got %s"):format(type(f)), 2)
    end
    local g = M.wrap(f)
    local n = select("#", ...)
    for i = 1, n do checkpoint((select(i, ...)), i + 1, "dual.grad") end
    local args = {}
    for i = 1, n do
        local d = {(select(i, ...))}
        for j = 1, n do d[j + 1] = i == j and 1 or 0 end
        args[i] = make(d)
    end
    local r = result(g(table.unpack(args, 1, n)), "dual.grad")
    local out = {M.value(r)}
    for i = 1, n do out[i + 1] = part(r, i + 1) end
    return table.unpack(out, 1, n + 1)
end

-- f(x, y), its gradient and its Hessian, exact, by duals of duals: the outer dual
-- differentiates the inner one's value and derivatives once more.
-- Returns f, fx, fy, fxx, fxy, fyy.
function M.hessian(f, x, y)
    if type(f) ~= "function" then
        error(("dual.hessian: expected a function, got %s"):format(type(f)), 2)
    end
    checkpoint(x, 2, "dual.hessian")
    checkpoint(y, 3, "dual.hessian")
    local g = M.wrap(f)
    local X = make({make({x, 1, 0}), 1, 0})
    local Y = make({make({y, 0, 1}), 0, 1})
    local r = result(g(X, Y), "dual.hessian")
    local F, G1, G2 = part(r, 1), part(r, 2), part(r, 3)
    return M.value(F), M.value(G1), M.value(G2), part(G1, 2), part(G1, 3), part(G2, 3)
end

-- ---- the formula compiler ------------------------------------------------------

local functions = {
    sin = 1, cos = 1, tan = 1, asin = 1, acos = 1, atan = 2, exp = 1, log = 2, sqrt = 1,
    abs = 1, tanh = 1, sinh = 1, cosh = 1, max = math.huge, min = math.huge,
}
local constants = {pi = rawmath.pi, e = rawmath.exp(1)}

local function names()
    local t = {"x", "y", "pi", "e"}
    local f = {}
    for k in pairs(functions) do f[#f + 1] = k end
    table.sort(f)
    for _, k in ipairs(f) do t[#t + 1] = k .. "()" end
    return table.concat(t, ", ")
end

-- Tokens: {kind, text, col}; kind is "num", "name", "op", "eof", or "bad" with the
-- message as text (reported only when the parser gets there, so that the error is
-- about the first thing wrong from the left).
local function tokenize(src)
    local toks, i = {}, 1
    while i <= #src do
        local c = src:sub(i, i)
        if c:match("%s") then
            i = i + 1
        elseif c:match("[%d%.]") then
            local s, e = src:find("^%d*%.?%d*[eE][%+%-]?%d+", i)
            if not s then s, e = src:find("^%d*%.?%d*", i) end
            local text = src:sub(s, e)
            toks[#toks + 1] = tonumber(text) and {"num", text, i}
                or {"bad", ("bad number '%s'"):format(text), i}
            i = e + 1
        elseif c:match("[%a_]") then
            local s, e = src:find("^[%w_]+", i)
            toks[#toks + 1] = {"name", src:sub(s, e), i}
            i = e + 1
        elseif src:sub(i, i + 1) == "**" then
            toks[#toks + 1] = {"op", "^", i}
            i = i + 2
        elseif c:match("[%+%-%*/%^%(%),]") then
            toks[#toks + 1] = {"op", c, i}
            i = i + 1
        else
            toks[#toks + 1] = {"bad", ("unexpected character '%s'"):format(c), i}
            i = i + 1
        end
    end
    toks[#toks + 1] = {"eof", "end of formula", #src + 1}
    return toks
end

-- Precedence climbing over the tokens; emits Lua source. Grammar:
--   expr := term (('+'|'-') term)*      term := unary (('*'|'/'|implicit) unary)*
--   unary := '-' unary | power          power := atom ('^' unary)?
--   atom := number | x | y | constant | fn '(' expr (',' expr)* ')' | '(' expr ')'
-- Implicit multiplication after a number or ')' ("2x", "100(y - x^2)^2").
local function parse(toks, fail)
    local pos = 1
    local function peek() return toks[pos] end
    local function take()
        local t = toks[pos]
        if t[1] == "bad" then fail(t[2], t[3]) end
        pos = pos + 1
        return t
    end
    local function expect(text)
        local t = take()
        if t[2] ~= text or t[1] == "num" then
            fail(("expected '%s' but found '%s'"):format(text, t[2]), t[3])
        end
    end
    local expr, unary
    local function atom()
        local t = take()
        if t[1] == "num" then return "(" .. t[2] .. ")", true end
        if t[1] == "name" then
            local n = t[2]
            if n == "x" or n == "y" then return n end
            if constants[n] then return ("(%.17g)"):format(constants[n]) end
            if functions[n] then
                expect("(")
                local args = {expr()}
                while peek()[2] == "," and peek()[1] == "op" do
                    take()
                    args[#args + 1] = expr()
                end
                expect(")")
                if #args > functions[n] then
                    fail(("%s takes at most %d argument%s, got %d"):format(n, functions[n],
                        functions[n] == 1 and "" or "s", #args), t[3])
                end
                return ("M.%s(%s)"):format(n, table.concat(args, ", ")), true
            end
            fail(("unknown name '%s'"):format(n), t[3], "allowed: " .. names())
        end
        if t[2] == "(" and t[1] == "op" then
            local e = expr()
            expect(")")
            return "(" .. e .. ")", true
        end
        fail(("expected a number, x, y, a function or '(' but found '%s'"):format(t[2]), t[3])
    end
    local function power()
        local a, closed = atom()
        if peek()[1] == "op" and peek()[2] == "^" then
            take()
            return ("(%s)^(%s)"):format(a, unary()), true -- right-associative, -x^2 = -(x^2)
        end
        return a, closed
    end
    function unary()
        local t = peek()
        if t[1] == "op" and (t[2] == "-" or t[2] == "+") then
            take()
            local a = unary()
            return t[2] == "-" and "(-" .. a .. ")" or a
        end
        return power()
    end
    local function starts_atom(t) -- "2 3" stays an error; "2x" and "2(x)" do not
        return t[1] == "name" or (t[1] == "op" and t[2] == "(")
    end
    local function term()
        local a, closed = unary()
        while true do
            local t = peek()
            if t[1] == "op" and (t[2] == "*" or t[2] == "/") then
                take()
                a, closed = ("%s %s %s"):format(a, t[2], unary()), false
            elseif closed and starts_atom(t) then -- implicit multiplication
                local b
                b, closed = power()
                a = ("%s * %s"):format(a, b)
            else
                return a
            end
        end
    end
    function expr()
        local a = term()
        while peek()[1] == "op" and (peek()[2] == "+" or peek()[2] == "-") do
            local op = take()[2]
            a = ("%s %s %s"):format(a, op, term())
        end
        return a
    end
    local e = expr()
    local t = peek()
    if t[1] == "bad" then fail(t[2], t[3]) end
    if t[1] ~= "eof" then fail(("unexpected '%s'"):format(t[2]), t[3]) end
    return e
end

-- A function f(x, y) from a formula string; it works on numbers and duals. Only
-- x, y, numbers, + - * / ^ (or **), parentheses, pi, e and the math functions are
-- accepted, so the string cannot reach anything else; an error names the bad token
-- and its column.
function M.compile(src)
    if type(src) ~= "string" then
        error(("dual.compile: expected a formula string, got %s"):format(type(src)), 2)
    end
    local function fail(msg, col, more)
        error(('formula "%s": %s at column %d%s'):format(src, msg, col,
            more and "; " .. more or ""), 0)
    end
    local ok, code = pcall(function() return parse(tokenize(src), fail) end)
    if not ok then error(code, 2) end
    local chunk = assert(load("local M = ...; return function(x, y) return " .. code .. " end",
        "=formula", "t", {}))
    local f = chunk(D)
    wrapped[f] = f -- already dual-aware
    return f
end

return M
