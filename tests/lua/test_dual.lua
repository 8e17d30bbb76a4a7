-- test_dual.lua: dual-number gradients and Hessians of typed functions against
-- hand-written derivatives, and the formula compiler's output and errors.
local dual = require "dual"

local REL = 1e-12 -- duals compute in double: agreement to rounding, far below float's 6e-8

local function near(a, b, what)
    local tol = REL * math.max(1, math.abs(a), math.abs(b))
    if not (math.abs(a - b) <= tol) then
        error(("%s: %.17g and %.17g differ by %.3g"):format(what, a, b, math.abs(a - b)), 2)
    end
end

-- points that avoid the kinks (abs at 0) and the domains' edges
local points = {}
for i = 0, 6 do
    for j = 0, 6 do
        points[#points + 1] = {-0.93 + 0.31 * i, -0.87 + 0.29 * j}
    end
end

-- each case: f, and its derivatives written by hand
local cases = {
    {"course example", function(x, y) return x^2 - y^2 + 0.1 * math.sin(5 * x) end,
        function(x, y) return 2 * x + 0.5 * math.cos(5 * x), -2 * y end},
    {"constants on either side", function(x, y) return 3 - x + 2 * y - x / 4 + 5 / (y + 3) + (1 + x) * 7 end,
        function(x, y) return -1 - 0.25 + 7, 2 - 5 / (y + 3)^2 end},
    {"product and quotient", function(x, y) return x * y / (1 + x * x) end,
        function(x, y)
            local d = 1 + x * x
            return y * (1 - x * x) / (d * d), x / d
        end},
    {"unary minus and powers", function(x, y) return -(x^3) + (-y)^2 + (x + 2)^1.5 end,
        function(x, y) return -3 * x^2 + 1.5 * (x + 2)^0.5, 2 * y end},
    {"number ^ dual and dual ^ dual", function(x, y) return 2^x + (y + 2)^(x + 1) end,
        function(x, y)
            local b = y + 2
            return math.log(2) * 2^x + b^(x + 1) * math.log(b), (x + 1) * b^x
        end},
    {"trigonometry", function(x, y) return math.sin(x) * math.cos(y) + math.tan(x * y) end,
        function(x, y)
            local s = 1 / math.cos(x * y)^2
            return math.cos(x) * math.cos(y) + y * s, -math.sin(x) * math.sin(y) + x * s
        end},
    {"exp log sqrt", function(x, y) return math.exp(x * y) + math.log(x + 2) + math.sqrt(y + 1) end,
        function(x, y) return y * math.exp(x * y) + 1 / (x + 2), x * math.exp(x * y) + 0.5 / math.sqrt(y + 1) end},
    {"log with a base", function(x, y) return math.log(x + 3, 2) + math.log(y + 3, 10) end,
        function(x, y) return 1 / ((x + 3) * math.log(2)), 1 / ((y + 3) * math.log(10)) end},
    {"abs", function(x, y) return math.abs(x - 0.05) * y end,
        function(x, y) return (x > 0.05 and 1 or -1) * y, math.abs(x - 0.05) end},
    {"atan, two-argument atan", function(x, y) return math.atan(x) + math.atan(y, x + 2) end,
        function(x, y)
            local u = x + 2
            return 1 / (1 + x * x) - y / (u * u + y * y), u / (u * u + y * y)
        end},
    {"tanh sinh cosh", function(x, y) return math.tanh(x) + math.sinh(y) * math.cosh(x) end,
        function(x, y)
            local ch = (math.exp(x) + math.exp(-x)) / 2
            local sh = (math.exp(x) - math.exp(-x)) / 2
            local t = sh / ch
            local shy = (math.exp(y) - math.exp(-y)) / 2
            local chy = (math.exp(y) + math.exp(-y)) / 2
            return 1 - t * t + shy * sh, chy * ch
        end},
    {"asin acos", function(x, y) return math.asin(x / 2) + math.acos(y / 2) end,
        function(x, y) return 0.5 / math.sqrt(1 - x * x / 4), -0.5 / math.sqrt(1 - y * y / 4) end},
    {"branches on comparisons", function(x, y)
        if x < y then return x * y end
        if x >= 0.5 then return x + y end
        return y * y
    end, function(x, y)
        if x < y then return y, x end
        if x >= 0.5 then return 1, 1 end
        return 0, 2 * y
    end},
    {"max min", function(x, y) return math.max(x, y, 0.1) - math.min(x * 2, y) end,
        function(x, y)
            local gx, gy = 0, 0
            if x > y and x > 0.1 then gx = 1 elseif y >= x and y > 0.1 then gy = 1 end
            if 2 * x < y then gx = gx - 2 else gy = gy - 1 end
            return gx, gy
        end},
}

for _, c in ipairs(cases) do
    local name, f, df = c[1], c[2], c[3]
    for _, p in ipairs(points) do
        local x, y = p[1], p[2]
        local v, gx, gy = dual.grad(f, x, y)
        local hx, hy = df(x, y)
        local where = ("%s at (%g, %g)"):format(name, x, y)
        near(v, f(x, y), where .. ": value")
        near(gx, hx, where .. ": df/dx")
        near(gy, hy, where .. ": df/dy")
    end
end

-- the user's function is left as it was: numbers still go to Lua's math
do
    local f = function(x) return math.sin(x) end
    dual.grad(f, 0.5, 0)
    local ok, err = pcall(f, dual.new(0.5, 1))
    assert(not ok and err:find("number expected"), "f itself must still use the real math")
    assert(f(0.5) == math.sin(0.5))
end

-- math functions captured in locals before f was made are swapped too
do
    local sin, exp = math.sin, math.exp
    local k = 3 -- an ordinary upvalue stays shared with the original
    local f = function(x, y) return k * sin(x) * exp(y) end
    local _, gx, gy = dual.grad(f, 0.2, 0.4)
    near(gx, 3 * math.cos(0.2) * math.exp(0.4), "captured sin")
    near(gy, 3 * math.sin(0.2) * math.exp(0.4), "captured exp")
    k = 5
    local _, gx5 = dual.grad(f, 0.2, 0.4)
    near(gx5, 5 * math.cos(0.2) * math.exp(0.4), "shared upvalue after change")
end

-- any number of variables
do
    local v, a, b, c = dual.grad(function(p, q, r) return p * q * r + p^2 end, 2, 3, 5)
    near(v, 34, "3 variables: value")
    near(a, 19, "3 variables: d/dp")
    near(b, 10, "3 variables: d/dq")
    near(c, 6, "3 variables: d/dr")
end

-- Hessians by duals of duals, against second derivatives written by hand
local hcases = {
    {"rosenbrock", function(x, y) return (1 - x)^2 + 100 * (y - x^2)^2 end,
        function(x, y)
            return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x),
                2 - 400 * (y - x * x) + 800 * x * x, -400 * x, 200
        end},
    {"course example", function(x, y) return x^2 - y^2 + 0.1 * math.sin(5 * x) end,
        function(x, y) return 2 * x + 0.5 * math.cos(5 * x), -2 * y, 2 - 2.5 * math.sin(5 * x), 0, -2 end},
    {"exp of product", function(x, y) return math.exp(x * y) end,
        function(x, y)
            local e = math.exp(x * y)
            return y * e, x * e, y * y * e, (1 + x * y) * e, x * x * e
        end},
    {"quotient, sqrt, tanh, pow", function(x, y) return math.sqrt(x + 2) / (y + 3) + math.tanh(x * y) + (y + 2)^(x + 1) end,
        function(x, y)
            local s, q = math.sqrt(x + 2), y + 3
            local t = math.tanh(x * y)
            local sech2 = 1 - t * t
            local b = y + 2
            local L = math.log(b)
            local p = b^(x + 1)
            return 0.5 / (s * q) + y * sech2 + p * L,
                -s / (q * q) + x * sech2 + (x + 1) * b^x,
                -0.25 / ((x + 2) * s * q) - 2 * y * y * t * sech2 + p * L * L,
                -0.5 / (s * q * q) + sech2 - 2 * x * y * t * sech2 + b^x + (x + 1) * b^x * L,
                2 * s / (q * q * q) - 2 * x * x * t * sech2 + (x + 1) * x * b^(x - 1)
        end},
    {"sin cos atan", function(x, y) return math.sin(x) * math.cos(y) + math.atan(y, x + 2) end,
        function(x, y)
            local u = x + 2
            local r2 = u * u + y * y
            return math.cos(x) * math.cos(y) - y / r2, -math.sin(x) * math.sin(y) + u / r2,
                -math.sin(x) * math.cos(y) + 2 * u * y / (r2 * r2),
                -math.cos(x) * math.sin(y) + (y * y - u * u) / (r2 * r2),
                -math.sin(x) * math.cos(y) - 2 * u * y / (r2 * r2)
        end},
}

for _, c in ipairs(hcases) do
    local name, f, d = c[1], c[2], c[3]
    for _, p in ipairs(points) do
        local x, y = p[1], p[2]
        local v, gx, gy, hxx, hxy, hyy = dual.hessian(f, x, y)
        local ex = {d(x, y)}
        local where = ("%s at (%g, %g)"):format(name, x, y)
        near(v, f(x, y), where .. ": value")
        near(gx, ex[1], where .. ": fx")
        near(gy, ex[2], where .. ": fy")
        near(hxx, ex[3], where .. ": fxx")
        near(hxy, ex[4], where .. ": fxy")
        near(hyy, ex[5], where .. ": fyy")
    end
end

-- a constant function has zero derivatives, not an error
do
    local v, gx, gy = dual.grad(function() return 4 end, 1, 2)
    assert(v == 4 and gx == 0 and gy == 0)
    local _, _, _, hxx, hxy, hyy = dual.hessian(function(x) return 3 * x end, 1, 2)
    assert(hxx == 0 and hxy == 0 and hyy == 0)
end

-- NaN comes through (the race stops such a racer); a non-number result is an error
do
    local v, gx = dual.grad(function(x) return math.sqrt(x) end, -1, 0)
    assert(v ~= v and gx ~= gx, "sqrt(-1) must give NaN value and derivative")
    local ok, err = pcall(dual.grad, function() return "a" end, 1, 2)
    assert(not ok and err:find("returned string"), err)
    local shown
    ok, err = pcall(dual.grad, function(x) shown = "x = " .. x; return x end, 1.5, 2)
    assert(ok and shown == "x = dual(1.5; 1, 0)", "printing a dual inside f: " .. tostring(err or shown))
    ok, err = pcall(dual.grad, function(x) return x + {} end, 1, 2)
    assert(not ok and err:find("cannot add a dual and a table"), err)
end

-- the formula compiler: same values and derivatives as the Lua function
do
    local forms = {
        {"x^2 - y^2 + 0.1*sin(5*x)", function(x, y) return x^2 - y^2 + 0.1 * math.sin(5 * x) end},
        {"(1-x)^2 + 100(y-x^2)^2", function(x, y) return (1 - x)^2 + 100 * (y - x^2)^2 end},
        {"2x**2 + 3 y", function(x, y) return 2 * x^2 + 3 * y end},
        {"-x^2 + e^(x*y) / pi", function(x, y) return -(x^2) + math.exp(x * y) / math.pi end},
        {"2^-x + abs(y)*sqrt(x+2)", function(x, y) return 2^(-x) + math.abs(y) * math.sqrt(x + 2) end},
        {"atan(y, x+2) + log(x+2, 10) + max(x, y) - min(x, 0.1)", function(x, y)
            return math.atan(y, x + 2) + math.log(x + 2, 10) + math.max(x, y) - math.min(x, 0.1)
        end},
        {"1.5e-1 * tanh(x) + .5*cosh(y) - sinh(x)(y)", function(x, y)
            return 0.15 * math.tanh(x) + 0.5 * math.cosh(y) - math.sinh(x) * y
        end},
    }
    for _, fc in ipairs(forms) do
        local f = dual.compile(fc[1])
        for _, p in ipairs(points) do
            local x, y = p[1], p[2]
            local where = ("formula %q at (%g, %g)"):format(fc[1], x, y)
            local v1, a1, b1 = dual.grad(f, x, y)
            local v2, a2, b2 = dual.grad(fc[2], x, y)
            near(v1, v2, where .. ": value")
            near(v1, f(x, y), where .. ": plain call")
            near(a1, a2, where .. ": df/dx")
            near(b1, b2, where .. ": df/dy")
        end
    end
    -- -x^2 is -(x^2), and ^ is right-associative, as in mathematics and Lua
    assert(dual.compile("-x^2")(3, 0) == -9)
    assert(dual.compile("2^3^2")(0, 0) == 512)
end

-- errors name the bad token and its column
do
    local bad = {
        {"x^2 + foo(x)", "unknown name 'foo' at column 7"},
        {"os.exit(1)", "unknown name 'os' at column 1"},
        {"x $ y", "unexpected character '$' at column 3"},
        {"x^^2", "found '^' at column 3"},
        {"(x + 1", "expected ')' but found 'end of formula' at column 7"},
        {"2 3", "unexpected '3' at column 3"},
        {"sin(x, y)", "sin takes at most 1 argument, got 2"},
        {"x y", "unexpected 'y' at column 3"},
        {"", "found 'end of formula' at column 1"},
        {"x[1]", "unexpected character '[' at column 2"},
        {"z + 1", "unknown name 'z'"},
    }
    for _, b in ipairs(bad) do
        local ok, err = pcall(dual.compile, b[1])
        assert(not ok, ("formula %q must be refused"):format(b[1]))
        assert(err:find(b[2], 1, true), ("formula %q: message %q lacks %q"):format(b[1], err, b[2]))
        assert(err:find(b[1], 1, true), "the message quotes the formula")
    end
    local ok, err = pcall(dual.compile, 42)
    assert(not ok and err:find("expected a formula string, got number"), err)
end

print("test_dual: ok")
