-- Lesson 00: welcome. The prompt (Lua, expressions print), help and completion,
-- tensors and their operations, autograd in one line, and how lessons work.
lesson{"welcome", "Welcome to nnlab"}

-- A tensor is a userdata whose printed form starts with "tensor"; checks read
-- its shape and values through the public fields and :totable().
local function tensor_info(v)
  if type(v) ~= "userdata" then return nil end
  local ok, shape = pcall(function() return v.shape end)
  if not ok or shape == nil then return nil end
  local dims = {}
  for i = 1, #shape do dims[i] = shape[i] end
  return dims, v:totable()
end

local function flat(t, out)
  out = out or {}
  if type(t) == "table" then for _, v in ipairs(t) do flat(v, out) end else out[#out + 1] = t end
  return out
end

say[[
# Welcome to nnlab

nnlab is a calculator for neural networks. At the prompt you type **Lua**; the
engine underneath trains real networks, and plot windows show what happens while
it happens.

Lessons like this one run *inside* the prompt: they explain, run code for you,
and give you small tasks. Everything you type runs in the same place as the
lesson's code, so the variables the lesson makes are yours to inspect.

An expression typed at the prompt prints its value. Here are a few, run for you:
]]

show[[1 + 2]]
show[[x = nn.tensor{{1, 2}, {3, 4}}]]
show[[x]]

say[[
`x` is a *tensor*: a block of numbers with a *shape*, here 2 rows and 2 columns
(`x.shape`). Tensors are made by `nn.tensor{...}` from nested tables, or by
`nn.zeros{2, 3}`, `nn.ones{2, 3}`, `nn.randn{2, 3}`, `nn.linspace(a, b, n)`.

Help is always one `?` away: type `?nn.ones` for the help of a function, and
`help()` for the list of topics. The Tab key completes names: type `nn.li` and
press Tab.
]]

pause()

task{
  [[Make `a`, a tensor of shape 2×3 filled with ones.]],
  check = function(env)
    local shape, values = tensor_info(env.a)
    if type(env.a) == "table" then
      return false, "`a` is a Lua table, not a tensor: nn.ones{rows, columns} makes a tensor"
    end
    if not shape then return false, "`a` is not a tensor yet" end
    if #shape ~= 2 or shape[1] ~= 2 or shape[2] ~= 3 then
      return false, ("`a` has shape [%s]; it should be [2, 3]: 2 rows, 3 columns"):format(table.concat(shape, ", "))
    end
    for _, v in ipairs(flat(values)) do
      if v ~= 1 then return false, ("`a` holds %g; every number should be 1"):format(v) end
    end
    return true
  end,
  hint = "nn.ones takes the shape as a table: nn.ones{rows, columns}",
  solution = [[a = nn.ones{2, 3}]],
  wrong = {
    { "rows and columns swapped", [[a = nn.ones{3, 2}]] },
    { "zeros instead of ones", [[a = nn.zeros{2, 3}]] },
    { "a Lua table of ones, not a tensor", [[a = {{1, 1, 1}, {1, 1, 1}}]] },
    { "six ones in one row", [[a = nn.ones{6}]] },
  },
}

say[[
# Operations

Tensors combine with `+ - * /` element by element, and `^` raises each element to
a power. Methods do the rest: `x:sum()`, `x:mean()`, `x:matmul(y)` (the matrix
product), `x:t()` (transpose), `x:sigmoid()`, `x:relu()`, ... A number combines
with every element.
]]

show[[x * 2 + 1]]
show[[x:matmul(x)]]
show[[x:sum()]]

task{
  [[Make `sq`: the squares of the five numbers −2, −1, 0, 1, 2. Use
  `nn.linspace(-2, 2, 5)` for the numbers and `^ 2` (or `:pow(2)`).]],
  check = function(env)
    local shape, values = tensor_info(env.sq)
    if type(env.sq) == "table" then
      return false, "`sq` is a Lua table, not a tensor: start from nn.linspace(-2, 2, 5)"
    end
    if not shape then return false, "`sq` is not a tensor yet" end
    local want = {4, 1, 0, 1, 4}
    local got = flat(values)
    if #got ~= 5 then return false, ("`sq` has %d numbers; it should have 5"):format(#got) end
    if #shape ~= 1 then
      return false, ("`sq` has shape [%s]; nn.linspace makes a row of 5 numbers, shape [5], and ^ 2 keeps it")
        :format(table.concat(shape, ", "))
    end
    for i = 1, 5 do
      if math.abs(got[i] - want[i]) > 1e-6 then
        local shown = {}
        for k, v in ipairs(got) do shown[k] = ("%g"):format(v) end
        local hint = ""
        if got[1] == -4 and got[5] == 4 then hint = ": × 2 doubles, ^ 2 squares"
        elseif got[1] == -2 and got[5] == 2 then hint = ": those are the numbers; square them with ^ 2" end
        return false, ("`sq` holds %s; it should hold 4, 1, 0, 1, 4%s"):format(table.concat(shown, ", "), hint)
      end
    end
    return true
  end,
  hint = "sq = nn.linspace(-2, 2, 5) ^ 2",
  solution = [[sq = nn.linspace(-2, 2, 5) ^ 2]],
  wrong = {
    { "times 2 instead of squared", [[sq = nn.linspace(-2, 2, 5) * 2]] },
    { "the numbers, not squared", [[sq = nn.linspace(-2, 2, 5)]] },
    { "the right values as a column, 5×1", [[sq = nn.tensor{{4}, {1}, {0}, {1}, {4}}]] },
    { "the values in a Lua table", [[sq = {4, 1, 0, 1, 4}]] },
  },
}

say[[
# Gradients in one line

The engine records what it computes, so it can give you derivatives. Mark a
tensor with `:requires_grad()`, compute something from it, and call
`:backward()` on the (one-number) result: every marked tensor then has a
`.grad` holding the derivative of the result with respect to it.

Here L = mean((x·w − 1)²); its gradient with respect to w is (2/N)·xᵀ(x·w − 1).
]]

show[[
w = nn.tensor{{0.5}, {-1}}:requires_grad()
L = (x:matmul(w) - 1):pow(2):mean()
L:backward()
print(L:item(), w.grad)
]]

say[[
# A first plot

Plots open in their own window and update while you work. `plot.lines` draws
series of points; a tensor can be given directly. In the window, `s` saves a PNG,
`p` switches to projector mode (large type), `f` to full screen. The plot below is
kept in `first_plot`; without a display it is still made, and
`first_plot:save("first_plot.png")` writes it to a file.
]]

show[[
xs = nn.linspace(-4, 4, 81)
first_plot = plot.lines{ title = "three activation functions", xlabel = "x",
  series = { tanh = {x = xs, y = xs:tanh()}, sigmoid = {x = xs, y = xs:sigmoid()},
             relu = {x = xs, y = xs:relu()} } }
]]

quiz{
  "You are stuck on a task in a lesson. What do :hint and :solution do?",
  choices = {
    ":hint checks your answer; :solution skips the task",
    ":hint gives a hint; :solution shows one solution's code, which you may type or paste, then :check",
    "both run the solution for you and go to the next page",
  },
  answer = 2,
  why = [[:hint gives a nudge; :solution *shows* code without running it, so you
  still type (or paste) it and :check. Enter on an empty line (or :next) skips a
  task if you really want to: say it twice.]],
}

say[[
# How lessons work

- **Enter** on an empty line (or `:next`) goes on; `:back` goes back a page;
  `:goto N` jumps to page N; `:restart` begins again.
- A **task** is checked when you say `:check`; the message says what is still
  wrong. `:hint` helps, `:solution` shows one answer.
- A **quiz** is answered by typing the number of your choice (or `:answer N`).
- `:lessons` lists the lessons with your progress, which is saved: leave with
  `:quit` and `:lesson NAME` resumes where you were.

Next: `:lesson 01`, the neuron and the perceptron.
]]
