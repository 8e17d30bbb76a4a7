-- doc/tensor.lua: help entries of the tensor API ("nn.core": nn.* makers and
-- tensor:* methods). Axes and indices count from 1; -1 is the last axis.
return {
  ["nn.tensor"] = {
    sig = "nn.tensor{{1, 2}, {3, 4}}  or  nn.tensor(3.5)",
    summary = "a tensor from nested tables of numbers (1 to 4 levels), or a [1] tensor from a number",
    text = [[
Values are stored as float32. Every row at one level must have the same length.]],
    example = [[x = nn.tensor{{1, 2}, {3, 4}}]],
  },
  ["nn.zeros"] = {
    sig = "nn.zeros{2, 3}  or  nn.zeros(2, 3)",
    summary = "a tensor of zeros with the given shape (1 to 4 sizes)",
    example = [[nn.zeros{2, 3}]],
  },
  ["nn.ones"] = {
    sig = "nn.ones{2, 3}  or  nn.ones(2, 3)",
    summary = "a tensor of ones with the given shape",
    example = [[nn.ones(4)]],
  },
  ["nn.full"] = {
    sig = "nn.full({2, 3}, value)",
    summary = "a tensor filled with value",
    example = [[nn.full({2, 2}, 0.5)]],
  },
  ["nn.arange"] = {
    sig = "nn.arange(n)  or  nn.arange(start, stop [, step])",
    summary = "evenly spaced values in [start, stop), as NumPy's arange (n: 0 .. n-1)",
    example = [[nn.arange(0, 1, 0.25)   -- 0, 0.25, 0.5, 0.75]],
  },
  ["nn.linspace"] = {
    sig = "nn.linspace(a, b, n)",
    summary = "n evenly spaced values from a to b, both included",
    example = [[nn.linspace(-1, 1, 5)]],
  },
  ["nn.rand"] = {
    sig = "nn.rand{2, 3}  or  nn.rand(2, 3)  or  nn.rand({2, 3}, lo, hi)",
    summary = "uniform random values in [lo, hi) (default [0, 1))",
    text = [[Draws from the engine's one generator: nn.seed(n) makes them repeat.]],
    example = [[nn.seed(1); nn.rand({3}, -1, 1)]],
  },
  ["nn.randn"] = {
    sig = "nn.randn{2, 3}  or  nn.randn(2, 3)  or  nn.randn({2, 3}, mean, std)",
    summary = "normal random values (default mean 0, standard deviation 1)",
    example = [[w = nn.randn({2, 1}, 0, 0.1):requires_grad()]],
  },
  ["nn.seed"] = {
    sig = "nn.seed(n)",
    summary = "seed the engine's random generator: the same seed gives the same numbers",
    text = [[
The generator is xoshiro256** seeded through splitmix64; normal draws use
Box-Muller. One generator serves everything (weights, shuffles, dropout).]],
    example = [[nn.seed(42)]],
  },
  ["nn.no_grad"] = {
    sig = "nn.no_grad(fn, ...)",
    summary = "call fn(...) with gradient recording off and return its results",
    text = [[Results computed inside do not enter the graph (no backward through them).]],
    example = [[y = nn.no_grad(function() return w * 2 end)]],
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
    example = [[nn.tensor{{1, 2}, {3, 4}} + nn.tensor{10, 20}]]},
  ["tensor:sub"] = {sig = "a:sub(b)  or  a - b", summary = "elementwise difference; b a tensor (broadcast) or a number",
    example = [[nn.ones(2, 2) - 1]]},
  ["tensor:mul"] = {sig = "a:mul(b)  or  a * b", summary = "elementwise product; b a tensor (broadcast) or a number",
    example = [[nn.arange(3) * nn.arange(3)]]},
  ["tensor:div"] = {sig = "a:div(b)  or  a / b", summary = "elementwise quotient; b a tensor (broadcast) or a number",
    example = [[1 / nn.tensor{1, 2, 4}]]},
  ["tensor:pow"] = {sig = "a:pow(p)  or  a ^ p", summary = "each element to the power p (a number)",
    example = [[(x:matmul(w) - 1):pow(2):mean()]]},
  ["tensor:neg"] = {sig = "a:neg()  or  -a", summary = "elementwise negation"},
  ["tensor:scale"] = {sig = "a:scale(s)", summary = "s times a, for a number s (same as a * s)"},
  ["tensor:exp"] = {sig = "a:exp()", summary = "e to the power of each element"},
  ["tensor:log"] = {sig = "a:log()", summary = "natural logarithm of each element (NaN below 0)"},
  ["tensor:sqrt"] = {sig = "a:sqrt()", summary = "square root of each element"},
  ["tensor:abs"] = {sig = "a:abs()", summary = "absolute value of each element (gradient 0 at 0)"},
  ["tensor:tanh"] = {sig = "a:tanh()", summary = "hyperbolic tangent of each element; derivative 1 - tanh^2"},
  ["tensor:sigmoid"] = {sig = "a:sigmoid()", summary = "1 / (1 + e^-x) of each element; derivative s (1 - s)"},
  ["tensor:relu"] = {sig = "a:relu()", summary = "max(0, x) of each element; derivative 1 where x > 0"},
  ["tensor:sum"] = {sig = "a:sum([axis [, keepdim]])", summary = "sum of all elements, or along axis (1-based; -1 the last)",
    text = [[With keepdim the summed axis stays with size 1, ready to broadcast back.]],
    example = [[nn.tensor{{1, 2}, {3, 4}}:sum(1)   -- {4, 6}]]},
  ["tensor:mean"] = {sig = "a:mean([axis [, keepdim]])", summary = "mean of all elements, or along axis"},
  ["tensor:max"] = {sig = "a:max([axis [, keepdim]])", summary = "largest element, or largest along axis; the gradient goes to the first maximum"},
  ["tensor:argmax"] = {sig = "a:argmax([axis [, keepdim]])", summary = "1-based position of the largest element (along axis); no gradient",
    example = [[logits:argmax(2)   -- predicted class of each row]]},
  ["tensor:matmul"] = {sig = "a:matmul(b [, trans_a [, trans_b]])", summary = "matrix product of 2-D tensors, either side transposed on request",
    text = [[[m,k] x [k,n] -> [m,n]; uses OpenBLAS sgemm on the CPU.]],
    example = [[nn.randn(32, 2):matmul(nn.randn(2, 8))]]},
  ["tensor:softmax"] = {sig = "a:softmax([axis])", summary = "e^x / sum(e^x) along axis (default the last), computed stably"},
  ["tensor:log_softmax"] = {sig = "a:log_softmax([axis])", summary = "x - log(sum(e^x)) along axis (default the last); pair with one-hot targets for cross-entropy"},
  ["tensor:t"] = {sig = "a:t()", summary = "the transpose of a 2-D tensor (a copy)"},
  ["tensor:transpose"] = {sig = "a:transpose()", summary = "the transpose of a 2-D tensor (same as a:t())"},
  ["tensor:reshape"] = {sig = "a:reshape(2, 3)  or  a:reshape{2, 3}", summary = "the same elements in another shape (one size may be -1); shares memory",
    example = [[nn.arange(6):reshape(2, -1)]]},
  ["tensor:rows"] = {sig = "a:rows(start [, count])", summary = "count rows (default 1) from the 1-based row start; shares memory",
    example = [[batch = x:rows(33, 32)]]},
  ["tensor:gather"] = {sig = "a:gather{i, j, ...}", summary = "the rows at 1-based indices i, j, ... (repeats allowed); a copy",
    example = [[x:gather{3, 1, 3}]]},
  ["tensor:copy"] = {sig = "a:copy()", summary = "a new tensor with the same values, outside any graph"},
  ["tensor:detach"] = {sig = "a:detach()", summary = "a new tensor with the same values, outside any graph (same as copy)"},
  ["tensor:fill"] = {sig = "a:fill(v)", summary = "set every element to v; returns a"},
  ["tensor:backward"] = {sig = "loss:backward()", summary = "back-propagate from a one-element tensor: adds d(loss)/d(w) into w.grad of every leaf w that requires grad",
    text = [[Gradients accumulate across calls; clear them with w:zero_grad().]],
    example = [[
w = nn.randn{2, 1}:requires_grad()
loss = (nn.ones(3, 2):matmul(w) - 1):pow(2):mean()
loss:backward(); print(w.grad)]]},
  ["tensor:requires_grad"] = {sig = "w:requires_grad([on])", summary = "mark a leaf as needing gradients (on defaults to true); returns w",
    text = [[The state reads as w.needs_grad. Results of ops cannot be marked: they require grad when an input does.]]},
  ["tensor:zero_grad"] = {sig = "w:zero_grad()", summary = "set w.grad to zeros (keeps the buffer); returns w"},
  ["tensor:item"] = {sig = "a:item()", summary = "the value of a one-element tensor as a Lua number"},
  ["tensor:totable"] = {sig = "a:totable()", summary = "the values as nested Lua tables"},
  ["tensor:numel"] = {sig = "a:numel()", summary = "the number of elements"},
  ["tensor:free"] = {sig = "a:free()", summary = "release the tensor's memory now instead of at garbage collection; later use raises 'tensor was freed'",
    text = [[Results that need it for backward keep it alive until they are freed too.]]},
  ["tensor:shape"] = {sig = "a.shape  or  a:shape()", summary = "the sizes as a table, e.g. {2, 3}"},
  ["tensor:grad"] = {sig = "w.grad", summary = "field: the accumulated gradient of a leaf (nil before any backward)"},
  ["tensor:op"] = {sig = "a.op", summary = "field: name of the op that made a ('leaf' for tensors made directly)"},
  ["tensor:ndim"] = {sig = "a.ndim", summary = "field: the number of dimensions (1 to 4)"},
  ["tensor:needs_grad"] = {sig = "a.needs_grad", summary = "field: true when a is a leaf that requires grad or a result recorded in a graph"},
}
