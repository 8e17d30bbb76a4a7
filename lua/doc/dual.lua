-- doc/dual.lua: help entries of lua/dual.lua (exact derivatives by dual numbers).
return {
  ["dual"] = {
    sig = "dual",
    summary = "exact derivatives of functions you type, by forward-mode dual numbers",
    text = [[
A dual number carries a value and its derivatives. Lua's operators (+ - * / ^, unary
minus, comparisons) and a shadow `math` table (sin cos tan asin acos atan exp log sqrt
abs tanh sinh cosh max min floor ceil) push both through your function, so the
derivatives are exact to rounding: no finite differences. Duals of duals give second
derivatives (Hessians) the same way. The optimizer races take their gradients from
here when you race on a surface of your own.
Limits: `d == 0` is false for a dual d (Lua compares a table and a number as unequal);
use <, <=, >, >= or dual.value(d). A helper function that f calls must get its `math`
from f's environment (define it inside f) to see duals.
Functions: dual.grad, dual.hessian, dual.compile, dual.wrap, dual.new, dual.value,
dual.part, dual.isdual; dual.math is the dual-aware math table.]],
    example = [[dual.grad(function(x, y) return x^2 - y^2 + 0.1*math.sin(5*x) end, 0.3, 0.7)]],
  },
  ["dual.grad"] = {
    sig = "dual.grad(f, x, y, ...) -> value, df/dx, df/dy, ...",
    summary = "f's value and exact gradient at a point (any number of variables)",
    text = [[
f is called with dual numbers in place of x, y, ...; it may use operators, math.* and
math functions captured in locals (local sin = math.sin). f itself is not changed: a
copy of it sees the shadow math table. A NaN in f gives NaN derivatives; a result that
is not a number is an error.]],
    example = [[
v, gx, gy = dual.grad(function(x, y) return (1-x)^2 + 100*(y-x^2)^2 end, -1.2, 1)
print(v, gx, gy)   --> 24.2 -215.6 -88]],
  },
  ["dual.hessian"] = {
    sig = "dual.hessian(f, x, y) -> f, fx, fy, fxx, fxy, fyy",
    summary = "value, gradient and Hessian of f(x, y), exact (duals of duals)",
    text = [[
The outer dual differentiates the inner one's value and derivatives once more, so the
second derivatives are as exact as the first. The race's curvature view draws the
Hessian's eigenvectors from these numbers.]],
    example = [[
print(dual.hessian(function(x, y) return x^2 - y^2 end, 0, 0))  --> 0 0 0 2 0 -2]],
  },
  ["dual.compile"] = {
    sig = 'dual.compile(formula) -> f(x, y)',
    summary = 'a function from a formula string such as "x^2 - y^2 + 0.1*sin(5*x)"',
    text = [[
Only x, y, numbers, + - * / ^ (or **), parentheses, pi, e and the functions sin cos
tan asin acos atan exp log sqrt abs tanh sinh cosh max min are accepted; 2x and
100(y - x^2) multiply. Anything else is refused with a message naming the token and
its column, so a formula can reach nothing but arithmetic. -x^2 is -(x^2) and ^ is
right-associative, as in mathematics. The result works on numbers and duals.]],
    example = [[
f = dual.compile("(1-x)^2 + 100(y-x^2)^2"); print(f(1, 1), dual.grad(f, 0, 0))]],
  },
  ["dual.wrap"] = {
    sig = "dual.wrap(f) -> g",
    summary = "a copy of f that sees the dual-aware math table (what dual.grad calls)",
    text = [[
g shares f's upvalues except _ENV (a proxy whose `math` is dual.math) and captured math
functions, which are swapped for their dual-aware versions. C functions are returned
as they are.]],
    example = [[
g = dual.wrap(function(x) return math.sin(x) end); print(g(dual.new(0, 1)))]],
  },
  ["dual.new"] = {
    sig = "dual.new(value, d1, d2, ...) -> dual",
    summary = "a dual number with a value and derivatives along directions 1, 2, ...",
    example = [[
x = dual.new(3, 1); print(x^2)  --> dual(9; 6)]],
    text = [[
Each d_i is the derivative along direction i: dual.new(3, 1) is x = 3 with
dx/dx = 1, the seed of a one-variable derivative. Arithmetic with numbers and other duals
carries the derivatives along (the chain rule, done by the operators).]],
  },
  ["dual.value"] = {
    sig = "dual.value(d) -> number",
    summary = "the plain number inside a (nested) dual, or the number itself",
    example = [[
print(dual.value(dual.new(2, 1) * 3))  --> 6]],
    text = [[
Goes down through duals of duals to the number; numbers come back as they are. Use
it to compare (d == 0 is false for a dual).]],
  },
  ["dual.part"] = {
    sig = "dual.part(d, i) -> number or dual",
    summary = "part i of a dual: 1 the value, 2.. the derivatives (0 for plain numbers)",
    example = [[
print(dual.part(dual.new(2, 5, 7), 3))  --> 7]],
    text = [[
Part 1 is the value, part i + 1 the derivative along direction i; a part past the
last is 0. For a dual of duals a part is itself a dual.]],
  },
  ["dual.isdual"] = {
    sig = "dual.isdual(v) -> boolean",
    summary = "whether v is a dual number",
    example = [[
print(dual.isdual(dual.new(1, 0)), dual.isdual(1))  --> true false]],
    text = [[
True only for values made by dual.new or computed from one.]],
  },
  ["dual.math"] = {
    sig = "dual.math",
    summary = "Lua's math table with dual-aware functions in place of its own",
    example = [[
print(dual.math.sin(dual.new(0, 1)))  --> dual(0.0; 1.0)]],
    text = [[
sin cos tan asin acos atan exp log sqrt abs tanh sinh cosh max min floor ceil take
duals (and numbers); the rest is Lua's math (pi, huge, random...). dual.grad gives
your function this table as its `math`.]],
  },
}
