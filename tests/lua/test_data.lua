-- test_data.lua: the data table from Lua: data.csv with the label by name or
-- column (header names and the class names of text labels returned, errors naming
-- the column and the file), and the argument checks of every data.* function.
local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
  return err
end

-- a temporary CSV: the label in the middle, text classes
local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write("sepal_length,species,petal_length\n", "5.1,setosa,1.4\n", "7.0,versicolor,4.7\n",
  "6.3,virginica,6.0\n", "4.9,setosa,1.3\n")
f:close()

local d, info = data.csv(path, {label = "species"})
assert(#d == 4, #d)
assert(d:info().nx == 2 and d:info().classes == 3, tostring(d))
assert(info.label == "species")
assert(table.concat(info.columns, ",") == "sepal_length,species,petal_length")
assert(table.concat(info.features, ",") == "sepal_length,petal_length")
assert(table.concat(info.classes, ",") == "setosa,versicolor,virginica")
-- without a test split the rows keep the file's order
d = data.csv(path, {label = "species", shuffle = false})
local y = d:y():totable()
assert(y[1][1] == 0 and y[2][1] == 1 and y[3][1] == 2 and y[4][1] == 0)
local x = d:x():totable()
assert(math.abs(x[2][1] - 7.0) < 1e-6 and math.abs(x[2][2] - 4.7) < 1e-6)
-- the same by column number, and a split
local train, test, info2 = data.csv(path, {label = 2, test = 0.25, seed = 1})
assert(#train == 3 and #test == 1 and info2.label == "species")

-- errors name the column and the file
local err = fails("no column 'kind'", data.csv, path, {label = "kind"})
-- the file's own text stays out of messages (any file may be named): the count only
assert(err:find(path, 1, true) and err:find("has 3 columns", 1, true)
  and not err:find("sepal_length", 1, true), err)
fails("no column 9", data.csv, path, {label = 9})
fails("label must be a column name or a column number from 1", data.csv, path, {label = 0})
fails("data.csv: path must be a file name", data.csv, 42)
fails("cannot open", data.csv, path .. ".missing")
f = assert(io.open(path, "w"))
f:write("a,b,c\n", "1,2,3\n", "4,five,6\n")
f:close()
err = fails("line 3 column 2: not a number", data.csv, path, {label = "c"})
assert(err:find(path, 1, true), err)
os.remove(path)

-- every maker checks its argument and says what it expects
for _, name in ipairs{"circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "gauss_sum", "sine"} do
  fails("data." .. name .. ": expected a table of options like {n = 200", data[name], 100)
end
fails("data.moons: unknown option 'size'", data.moons, {size = 100})
fails("data.moons: n must be a whole number > 0, got 1.5", data.moons, {n = 1.5})
fails("data.spiral: test must be a fraction in [0, 1)", data.spiral, {test = 2})
fails("data.blobs: noise must be a number >= 0", data.blobs, {noise = "lots"})
fails("data.spiral: classes must be a whole number >= 2", data.spiral, {classes = 1})
fails("data.csv: expected a table of options", data.csv, "x.csv", 5)
fails("data.csv: unknown option 'lable'", data.csv, "x.csv", {lable = "species"})
fails("data.idx: images must be a file name", data.idx, nil, "labels")
fails("data.idx: limit must be a whole number > 0", data.idx, "a", "b", {limit = -1})
fails("data.fashion_mnist: expected a table of options", data.fashion_mnist, "train")
fails('data.fashion_mnist: split must be "train", "test" or "both"', data.fashion_mnist, {split = "val"})
fails("data.from: x must be a tensor", data.from, {1, 2}, nn.tensor{{1}})
fails("data.from: y must be a tensor", data.from, nn.tensor{{1, 2}}, 3)
fails("data.from: expected a table of options", data.from, nn.tensor{{1, 2}}, nn.tensor{{1}}, 2)
fails("data.standardize: expected data sets", data.standardize, 3)
fails("data.minmax: argument 2 must be a data set", data.minmax, data.moons{n = 10}, "test")
fails("playground: expected a list of features", data.moons{n = 10}.playground, data.moons{n = 10}, "x1")
-- and the good calls still work
assert(#data.moons{n = 100, noise = 0.1, seed = 1} == 100)
assert(#data.moons() == 500)
print("test_data.lua: ok")
