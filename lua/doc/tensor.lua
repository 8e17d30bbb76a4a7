-- doc/tensor.lua: help entries of the tensor API ("nn.core": nn.* makers and
-- tensor:* methods). Axes and indices count from 1; -1 is the last axis.
return {
  ["nn.tensor"] = {
    sig = "nn.tensor{{1, 2}, {3, 4}}  or  nn.tensor(3.5)",
    summary = "a tensor from nested tables of numbers (1 to 4 levels), or a [1] tensor from a number",
    text = [[
Values are stored as float32. Every row at one level must have the same length: a
ragged table, an empty table, a value that is not a number or more than 4 levels is
refused with an error naming the level. A tensor made this way is a leaf; call
:requires_grad() on it to learn it.]],
    example = [[
x = nn.tensor{{1, 2}, {3, 4}}
print(x.shape[1], x.shape[2], x:sum():item())   --> 2 2 10]],
  },
  ["nn.zeros"] = {
    sig = "nn.zeros{2, 3}  or  nn.zeros(2, 3)",
    summary = "a tensor of zeros with the given shape (1 to 4 sizes)",
    example = [[
z = nn.zeros{2, 3}; print(z:sum():item())   --> 0]],
    text = [[
The shape is a table {2, 3} or the sizes as arguments; sizes must be positive
integers and at most 4 of them, else the error names the bad size.]],
  },
  ["nn.ones"] = {
    sig = "nn.ones{2, 3}  or  nn.ones(2, 3)",
    summary = "a tensor of ones with the given shape",
    example = [[
print(nn.ones(4):sum():item())   --> 4]],
    text = [[
Takes a shape as nn.zeros does. Handy for biases and for targets of all ones.]],
  },
  ["nn.full"] = {
    sig = "nn.full({2, 3}, value)",
    summary = "a tensor filled with value",
    example = [[
print(nn.full({2, 2}, 0.5):mean():item())   --> 0.5]],
    text = [[
The shape is a table; value is any number (stored as float32).]],
  },
  ["nn.arange"] = {
    sig = "nn.arange(n)  or  nn.arange(start, stop [, step])",
    summary = "evenly spaced values in [start, stop), as NumPy's arange (n: 0 .. n-1)",
    example = [[
print(nn.arange(0, 1, 0.25))   -- 0, 0.25, 0.5, 0.75]],
    text = [[
A 1-D tensor. With one argument n: 0, 1, ..., n-1. With start and stop, step defaults
to 1; stop is left out, and a negative step counts down.]],
  },
  ["nn.linspace"] = {
    sig = "nn.linspace(a, b, n)",
    summary = "n evenly spaced values from a to b, both included",
    example = [[
print(nn.linspace(-1, 1, 5))   -- -1, -0.5, 0, 0.5, 1]],
    text = [[
A 1-D tensor of n values, a first and b last, as NumPy's linspace (n = 1 gives just a).]],
  },
  ["nn.rand"] = {
    sig = "nn.rand{2, 3}  or  nn.rand(2, 3)  or  nn.rand({2, 3}, lo, hi)",
    summary = "uniform random values in [lo, hi) (default [0, 1))",
    text = [[Draws from the engine's one generator: nn.seed(n) makes them repeat.]],
    example = [[
nn.seed(1); print(nn.rand({3}, -1, 1))]],
  },
  ["nn.randn"] = {
    sig = "nn.randn{2, 3}  or  nn.randn(2, 3)  or  nn.randn({2, 3}, mean, std)",
    summary = "normal random values (default mean 0, standard deviation 1)",
    example = [[
nn.seed(1); w = nn.randn({2, 1}, 0, 0.1):requires_grad(); print(w)]],
    text = [[
Draws from the engine's one generator (nn.seed(n) makes them repeat); normal values
come from Box-Muller. mean and std default to 0 and 1: nn.randn({2, 1}, 0, 0.1) gives
small initial weights.]],
  },
  ["nn.seed"] = {
    sig = "nn.seed(n)",
    summary = "seed the engine's random generator: the same seed gives the same numbers",
    text = [[
The generator is xoshiro256** seeded through splitmix64; normal draws use
Box-Muller. One generator serves everything (weights, shuffles, dropout).]],
    example = [[
nn.seed(42); a = nn.rand(3); nn.seed(42); b = nn.rand(3)
print((a - b):abs():sum():item())   --> 0]],
  },
  ["nn.no_grad"] = {
    sig = "nn.no_grad(fn, ...)",
    summary = "call fn(...) with gradient recording off and return its results",
    text = [[Results computed inside do not enter the graph (no backward through them).]],
    example = [[
w = nn.ones(2):requires_grad()
y = nn.no_grad(function() return w * 2 end)
print(y.needs_grad)   --> false]],
  },
  ["nn.graph"] = {
    sig = "nn.graph(t)",
    summary = "the recorded graph behind t: a list of nodes in topological order",
    text = [[
Each node is {id, op, shape, inputs = {ids of its inputs}, requires_grad, name};
inputs come before their results and t is last. Only results computed from
tensors that require grad are recorded.]],
    example = [[
w = nn.randn{2, 1}:requires_grad()
for _, n in ipairs(nn.graph((nn.ones(1, 2):matmul(w)):sum())) do print(n.id, n.op) end]],
  },

  ["tensor:add"] = {sig = "a:add(b)  or  a + b", summary = "elementwise sum; b is a tensor (broadcast as NumPy) or a number",
    example = [[
print(nn.tensor{{1, 2}, {3, 4}} + nn.tensor{10, 20})   -- {{11, 22}, {13, 24}}]],
    text = [[
Shapes broadcast as in NumPy: sizes are matched from the last axis and a size 1 (or a
missing axis) is repeated. Shapes that cannot broadcast give an error naming both.
The gradient of a broadcast input is summed back to its shape.]],
  },
  ["tensor:sub"] = {sig = "a:sub(b)  or  a - b", summary = "elementwise difference; b a tensor (broadcast) or a number",
    example = [[
print(nn.ones(2, 2) - 1)   -- zeros]],
    text = [[
Broadcasts as a:add does; a number on either side works (1 - a too).]],
  },
  ["tensor:mul"] = {sig = "a:mul(b)  or  a * b", summary = "elementwise product; b a tensor (broadcast) or a number",
    example = [[
print(nn.arange(3) * nn.arange(3))   -- 0, 1, 4]],
    text = [[
The Hadamard (elementwise) product, not the matrix product: that is a:matmul(b).
Broadcasts as a:add does.]],
  },
  ["tensor:div"] = {sig = "a:div(b)  or  a / b", summary = "elementwise quotient; b a tensor (broadcast) or a number",
    example = [[
print(1 / nn.tensor{1, 2, 4})   -- 1, 0.5, 0.25]],
    text = [[
Broadcasts as a:add does; division by zero gives inf or NaN as IEEE floats do.]],
  },
  ["tensor:pow"] = {sig = "a:pow(p)  or  a ^ p", summary = "each element to the power p (a number)",
    example = [[
x = nn.tensor{{1, 2}}; w = nn.tensor{{0.5}, {0.25}}
print((x:matmul(w) - 1):pow(2):mean():item())   --> 0]],
    text = [[
p must be a number: a tensor exponent is refused. The derivative is p x^(p-1). A
number base with a tensor exponent (2 ^ a) needs a positive base.]],
  },
  ["tensor:neg"] = {sig = "a:neg()  or  -a", summary = "elementwise negation",
    text = [[
The same as a * -1; its gradient is -1.]],
    example = [[
print(-nn.tensor{1, -2})   -- -1, 2]],
  },
  ["tensor:scale"] = {sig = "a:scale(s)", summary = "s times a, for a number s (same as a * s)",
    text = [[
Recorded as one op in the graph; its gradient is s.]],
    example = [[
print(nn.ones(3):scale(2.5))]],
  },
  ["tensor:exp"] = {sig = "a:exp()", summary = "e to the power of each element",
    text = [[
The derivative of e^x is e^x. Large x overflow float32 to inf (above about 88).]],
    example = [[
print(nn.tensor{0, 1}:exp())   -- 1, 2.718]],
  },
  ["tensor:log"] = {sig = "a:log()", summary = "natural logarithm of each element (NaN below 0)",
    text = [[
The derivative is 1/x; log(0) is -inf. For losses prefer nn.cross_entropy, which is
computed stably.]],
    example = [[
print(nn.tensor{1, math.exp(1)}:log())   -- 0, 1]],
  },
  ["tensor:sqrt"] = {sig = "a:sqrt()", summary = "square root of each element",
    text = [[
The derivative is 1/(2 sqrt(x)): infinite at 0, NaN below it.]],
    example = [[
print(nn.tensor{4, 9}:sqrt())   -- 2, 3]],
  },
  ["tensor:abs"] = {sig = "a:abs()", summary = "absolute value of each element (gradient 0 at 0)",
    text = [[
The derivative is the sign of x (taken as 0 at 0): the subgradient L1 regularisation uses.]],
    example = [[
print(nn.tensor{-1.5, 2}:abs())   -- 1.5, 2]],
  },
  ["tensor:tanh"] = {sig = "a:tanh()", summary = "hyperbolic tangent of each element; derivative 1 - tanh^2",
    text = [[
Squashes to (-1, 1); zero-centred, unlike the sigmoid, but it saturates the same way
for large |x|.]],
    example = [[
print(nn.tensor{-1, 0, 1}:tanh())]],
  },
  ["tensor:sigmoid"] = {sig = "a:sigmoid()", summary = "1 / (1 + e^-x) of each element; derivative s (1 - s)",
    text = [[
Squashes to (0, 1); its derivative is at most 0.25 (at 0), which is why deep sigmoid
nets have vanishing gradients.]],
    example = [[
print(nn.tensor{-2, 0, 2}:sigmoid())]],
  },
  ["tensor:relu"] = {sig = "a:relu()", summary = "max(0, x) of each element; derivative 1 where x > 0",
    text = [[
The derivative is taken as 0 at x = 0.]],
    example = [[
print(nn.tensor{-1, 0, 2}:relu())   -- 0, 0, 2]],
  },
  ["tensor:sum"] = {sig = "a:sum([axis [, keepdim]])", summary = "sum of all elements, or along axis (1-based; -1 the last)",
    text = [[With keepdim the summed axis stays with size 1, ready to broadcast back.]],
    example = [[nn.tensor{{1, 2}, {3, 4}}:sum(1)   -- {4, 6}]]},
  ["tensor:mean"] = {sig = "a:mean([axis [, keepdim]])", summary = "mean of all elements, or along axis",
    text = [[
axis and keepdim as in a:sum; the gradient spreads 1/n to each element.]],
    example = [[
print(nn.tensor{{1, 2}, {3, 4}}:mean(2))   -- 1.5, 3.5]],
  },
  ["tensor:max"] = {sig = "a:max([axis [, keepdim]])", summary = "largest element, or largest along axis; the gradient goes to the first maximum",
    text = [[
axis and keepdim as in a:sum. For the position rather than the value, use a:argmax.]],
    example = [[
print(nn.tensor{{1, 5}, {7, 2}}:max(2))   -- 5, 7]],
  },
  ["tensor:argmax"] = {sig = "a:argmax([axis [, keepdim]])", summary = "1-based position of the largest element (along axis); no gradient",
    example = [[
logits = nn.tensor{{0.1, 2.0, -1}, {3, 0, 0}}
print(logits:argmax(2))   -- 2, 1: the predicted class of each row]],
    text = [[
Returns positions as float values in a tensor (1-based); ties go to the first. axis
and keepdim as in a:sum.]],
  },
  ["tensor:matmul"] = {sig = "a:matmul(b [, trans_a [, trans_b]])", summary = "matrix product of 2-D tensors, either side transposed on request",
    text = [[
[m,k] x [k,n] -> [m,n], with OpenBLAS sgemm on the CPU. trans_a / trans_b = true use
a's or b's transpose without copying. Inner sizes that differ give an error naming
both shapes: "matmul: [32,2] x [3,1]: inner sizes 2 and 3 differ".]],
    example = [[
nn.seed(1); print(nn.randn(32, 2):matmul(nn.randn(2, 8)).shape[2])   --> 8]],},
  ["tensor:softmax"] = {sig = "a:softmax([axis])", summary = "e^x / sum(e^x) along axis (default the last), computed stably",
    text = [[
The maximum is subtracted first so that e^x cannot overflow. Each slice along axis sums to 1.]],
    example = [[
print(nn.tensor{{1, 2, 3}}:softmax())]],
  },
  ["tensor:log_softmax"] = {sig = "a:log_softmax([axis])", summary = "x - log(sum(e^x)) along axis (default the last); pair with one-hot targets for cross-entropy",
    text = [[
Computed as x - max - log(sum(e^(x - max))), stable for large logits; its exp is the softmax.]],
    example = [[
print(nn.tensor{{1, 2, 3}}:log_softmax():exp())   -- the softmax]],
  },
  ["tensor:t"] = {sig = "a:t()", summary = "the transpose of a 2-D tensor (a copy)",
    text = [[
Only for 2-D tensors; the gradient flows back transposed.]],
    example = [[
print(nn.tensor{{1, 2, 3}}:t().shape[1])   --> 3]],
  },
  ["tensor:transpose"] = {sig = "a:transpose()", summary = "the transpose of a 2-D tensor (same as a:t())",
    text = [[
Kept for readers used to PyTorch's name; see a:t().]],
    example = [[
print(nn.tensor{{1, 2}}:transpose())]],
  },
  ["tensor:reshape"] = {sig = "a:reshape(2, 3)  or  a:reshape{2, 3}", summary = "the same elements in another shape (one size may be -1); shares memory",
    example = [[
print(nn.arange(6):reshape(2, -1).shape[2])   --> 3]],
    text = [[
The number of elements must stay the same; the error names both shapes. Writing into
one view changes the other.]],
  },
  ["tensor:rows"] = {sig = "a:rows(start [, count])", summary = "count rows (default 1) from the 1-based row start; shares memory",
    example = [[
x = nn.arange(8):reshape(4, 2)
print(x:rows(3, 2))   -- rows 3 and 4]],
    text = [[
A view of a mini-batch: rows start .. start+count-1 of the first axis; out-of-range
rows give an error naming them.]],
  },
  ["tensor:gather"] = {sig = "a:gather{i, j, ...}", summary = "the rows at 1-based indices i, j, ... (repeats allowed); a copy",
    example = [[
x = nn.arange(6):reshape(3, 2)
print(x:gather{3, 1, 3})]],
    text = [[
Indices count from 1 along the first axis; one out of range is refused with its
value. Gradients add back into the rows read.]],
  },
  ["tensor:copy"] = {sig = "a:copy()", summary = "a new tensor with the same values, outside any graph",
    text = [[
The copy is a leaf that does not require grad: changing it leaves a alone.]],
    example = [[
a = nn.ones(2); b = a:copy(); b:fill(5); print(a:sum():item())   --> 2]],
  },
  ["tensor:detach"] = {sig = "a:detach()", summary = "a new tensor with the same values, outside any graph (same as copy)",
    text = [[
Use it to stop gradients, e.g. for a target computed from the model itself.]],
    example = [[
w = nn.ones(2):requires_grad(); print((w * 2):detach().needs_grad)   --> false]],
  },
  ["tensor:fill"] = {sig = "a:fill(v)", summary = "set every element to v; returns a",
    text = [[
Changes a in place (and every view sharing its memory, as from reshape or rows).]],
    example = [[
print(nn.zeros(3):fill(7))]],
  },
  ["tensor:backward"] = {sig = "loss:backward()", summary = "back-propagate from a one-element tensor: adds d(loss)/d(w) into w.grad of every leaf w that requires grad",
    text = [[Gradients accumulate across calls; clear them with w:zero_grad().]],
    example = [[
w = nn.randn{2, 1}:requires_grad()
loss = (nn.ones(3, 2):matmul(w) - 1):pow(2):mean()
loss:backward(); print(w.grad)]]},
  ["tensor:requires_grad"] = {sig = "w:requires_grad([on])", summary = "mark a leaf as needing gradients (on defaults to true); returns w",
    text = [[The state reads as w.needs_grad. Results of ops cannot be marked: they require grad
when an input does.]],
    example = [[
w = nn.zeros{2, 1}:requires_grad(); print(w.needs_grad)   --> true]],
  },
  ["tensor:zero_grad"] = {sig = "w:zero_grad()", summary = "set w.grad to zeros (keeps the buffer); returns w",
    text = [[
Call it (or opt:zero_grad()) before each backward, since backward adds into grad.]],
    example = [[
w = nn.ones(2):requires_grad(); (w * 3):sum():backward(); w:zero_grad()
print(w.grad:sum():item())   --> 0]],
  },
  ["tensor:item"] = {sig = "a:item()", summary = "the value of a one-element tensor as a Lua number",
    text = [[
Any shape with exactly one element works ([1], [1,1], ...); more elements raise an
error naming the shape.]],
    example = [[
print(nn.tensor{{1, 2}}:sum():item())   --> 3]],
  },
  ["tensor:totable"] = {sig = "a:totable()", summary = "the values as nested Lua tables",
    text = [[
Nested as the shape is: a [2, 3] tensor gives 2 rows of 3 numbers. A 1-D tensor
gives a flat list.]],
    example = [[
t = nn.tensor{{1, 2}, {3, 4}}:totable(); print(t[2][1])   --> 3]],
  },
  ["tensor:numel"] = {sig = "a:numel()", summary = "the number of elements",
    text = [[
The product of the sizes.]],
    example = [[
print(nn.zeros(2, 3):numel())   --> 6]],
  },
  ["tensor:free"] = {sig = "a:free()", summary = "release the tensor's memory now instead of at garbage collection; later use raises 'tensor was freed'",
    text = [[Results that need it for backward keep it alive until they are freed too.]],
    example = [[
a = nn.ones(1000, 1000); a:free()
print(pcall(a.sum, a))   --> false ... tensor was freed]],
  },
  ["tensor:shape"] = {sig = "a.shape  or  a:shape()", summary = "the sizes as a table, e.g. {2, 3}",
    text = [[
A fresh table each time: changing it does not reshape the tensor (use reshape for that).]],
    example = [[
s = nn.zeros(2, 3).shape; print(s[1], s[2])   --> 2 3]],
  },
  ["tensor:grad"] = {sig = "w.grad", summary = "field: the accumulated gradient of a leaf (nil before any backward)",
    text = [[
A tensor of w's shape, accumulated by every backward until w:zero_grad().]],
    example = [[
w = nn.tensor{1, 2}:requires_grad(); (w * w):sum():backward()
print(w.grad)   -- 2, 4 (d/dw of w^2)]],
  },
  ["tensor:op"] = {sig = "a.op", summary = "field: name of the op that made a ('leaf' for tensors made directly)",
    text = [[
What nn.graph and plot.graph print for each node.]],
    example = [[
w = nn.ones(2):requires_grad(); print(w.op, (w * 2).op)]],
  },
  ["tensor:ndim"] = {sig = "a.ndim", summary = "field: the number of dimensions (1 to 4)",
    text = [[
The length of a.shape.]],
    example = [[
print(nn.zeros(2, 3).ndim)   --> 2]],
  },
  ["tensor:needs_grad"] = {sig = "a.needs_grad", summary = "field: true when a is a leaf that requires grad or a result recorded in a graph",
    text = [[
Read-only; set it on leaves with a:requires_grad().]],
    example = [[
print(nn.ones(2).needs_grad)   --> false]],
  },
}
