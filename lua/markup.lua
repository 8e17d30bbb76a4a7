-- markup.lua: lesson text for the terminal. Renders the small markup that lessons
-- use (*emphasis*, **strong**, `code spans`, "# heading", "- item" lists, indented
-- verbatim blocks), reflows paragraphs to a width, and highlights Lua code. ANSI
-- escapes are written only when the caller asks for colour; plain output keeps the
-- backticks of code spans (they still mark code in plain text) and drops the stars.
local markup = {}

local SGR = {
  strong = "1", em = "3", code = "36", heading = "1;4", verbatim = "36",
  keyword = "35", string = "32", number = "33", comment = "2", builtin = "34",
  ok = "32", bad = "31", dim = "2",
}

-- Wraps s in the escape sequence of a style when colour is on.
function markup.style(s, name, colour)
  if not colour or s == "" then return s end
  local code = SGR[name]
  if not code then error(("markup.style: unknown style %q"):format(tostring(name)), 2) end
  return "\27[" .. code .. "m" .. s .. "\27[0m"
end

-- Width of s on screen: UTF-8 characters, not counting escape sequences. Invalid
-- UTF-8 counts bytes, so wrapping degrades instead of failing.
function markup.width(s)
  local visible = s:gsub("\27%[[%d;]*m", "")
  return utf8.len(visible) or #visible
end

-- Inline markup of one paragraph. A star opens emphasis only before a non-space and
-- after a space, start or opening punctuation, so `2*x*y` in prose stays as typed.
local function inline(text, colour)
  local out, i, n = {}, 1, #text
  local function opens(j, len)
    local before = j > 1 and text:sub(j - 1, j - 1) or " "
    local after = text:sub(j + len, j + len)
    return before:match("[%s%(%[{\"'/-]") and after ~= "" and not after:match("%s")
  end
  while i <= n do
    local c = text:sub(i, i)
    if c == "`" then
      local close = text:find("`", i + 1, true)
      if close then
        local code = text:sub(i + 1, close - 1)
        out[#out + 1] = colour and markup.style(code, "code", true) or ("`" .. code .. "`")
        i = close + 1
      else
        out[#out + 1] = c
        i = i + 1
      end
    elseif text:sub(i, i + 1) == "**" and opens(i, 2) then
      local close = text:find("**", i + 2, true)
      if close and not text:sub(close - 1, close - 1):match("%s") then
        out[#out + 1] = markup.style(inline(text:sub(i + 2, close - 1), colour), "strong", colour)
        i = close + 2
      else
        out[#out + 1] = "**"
        i = i + 2
      end
    elseif c == "*" and opens(i, 1) then
      local close = text:find("%*", i + 1)
      while close and (text:sub(close - 1, close - 1):match("%s") or text:sub(close + 1, close + 1) == "*") do
        close = text:find("%*", close + 2)
      end
      if close then
        out[#out + 1] = markup.style(inline(text:sub(i + 1, close - 1), colour), "em", colour)
        i = close + 1
      else
        out[#out + 1] = c
        i = i + 1
      end
    else
      local j = text:find("[`*]", i + 1) or n + 1
      out[#out + 1] = text:sub(i, j - 1)
      i = j
    end
  end
  return table.concat(out)
end

-- Greedy word wrap of styled text; lines after the first get `hang` spaces.
local function wrap(styled, width, first_prefix, hang)
  local lines, line, len = {}, first_prefix, markup.width(first_prefix)
  local empty = true
  for word in styled:gmatch("%S+") do
    local w = markup.width(word)
    if not empty and len + 1 + w > width then
      lines[#lines + 1] = line
      line, len, empty = string.rep(" ", hang), hang, true
    end
    if empty then
      line, len, empty = line .. word, len + w, false
    else
      line, len = line .. " " .. word, len + 1 + w
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

-- Removes the indentation common to all non-blank lines and the blank lines at
-- both ends, so lessons can indent their [[...]] text like code. When the text
-- starts on the line of its opening bracket (task{[[Write ...), that first line
-- has no indentation of its own and does not count, as in Python's cleandoc.
function markup.dedent(text)
  local lines = {}
  for l in (text .. "\n"):gmatch("(.-)\r?\n") do lines[#lines + 1] = l end
  local first_inline = text:match("^[^%s]") ~= nil
  while #lines > 0 and lines[1]:match("^%s*$") do table.remove(lines, 1) end
  while #lines > 0 and lines[#lines]:match("^%s*$") do table.remove(lines) end
  local common
  for k, l in ipairs(lines) do
    if not l:match("^%s*$") and not (k == 1 and first_inline) then
      local ind = #l:match("^ *")
      common = common and math.min(common, ind) or ind
    end
  end
  for k, l in ipairs(lines) do
    if not (k == 1 and first_inline) then lines[k] = l:sub((common or 0) + 1) end
  end
  return lines
end

-- Renders lesson text: paragraphs (separated by blank lines) are reflowed to width;
-- "# " lines are headings; "- " and "1. " lines are list items with a hanging
-- indent; lines indented by two or more spaces are kept as they are (formulas,
-- tables, code). Returns the rendered string without a final newline.
function markup.render(text, opts)
  if type(text) ~= "string" then
    error(("markup.render: text must be a string, got %s"):format(type(text)), 2)
  end
  opts = opts or {}
  local colour, width = opts.colour, opts.width or 78
  local out, para = {}, {}
  local function flush()
    if #para > 0 then
      out[#out + 1] = wrap(inline(table.concat(para, " "), colour), width, "", 0)
      para = {}
    end
  end
  local items -- the list item being collected: {prefix, words}
  local function flush_item()
    if items then
      local styled = inline(table.concat(items.words, " "), colour)
      out[#out + 1] = wrap(styled, width, items.prefix, markup.width(items.prefix))
      items = nil
    end
  end
  for _, l in ipairs(markup.dedent(text)) do
    local bullet = l:match("^([-*] )%S") or l:match("^(%d+[.)] )%S")
    if l:match("^%s*$") then
      flush(); flush_item()
      out[#out + 1] = ""
    elseif l:match("^#+ ") then
      flush(); flush_item()
      out[#out + 1] = markup.style(inline(l:gsub("^#+ ", ""), colour), "heading", colour)
    elseif bullet then
      flush(); flush_item()
      items = { prefix = bullet, words = { l:sub(#bullet + 1) } }
    elseif l:match("^  ") then
      if items and l:match("^%s+%S") and not l:match("^    ") then
        items.words[#items.words + 1] = l:match("^%s*(.-)%s*$") -- continuation of the item
      else
        flush(); flush_item()
        out[#out + 1] = markup.style(l, "verbatim", colour)
      end
    else
      flush_item()
      para[#para + 1] = l
    end
  end
  flush(); flush_item()
  return table.concat(out, "\n")
end

local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local nil not
  or repeat return then true until while]]):gmatch("%a+") do KEYWORDS[w] = true end
local BUILTINS = {}
for w in ([[nn optim data plot print require self race spawn wait lesson playground
  help math string table]]):gmatch("%a+") do BUILTINS[w] = true end

-- Highlights Lua source for the terminal. Tokens are recognised with the same rules
-- as Lua's lexer for comments, long brackets, strings and numbers; anything else
-- passes through, so invalid code is shown as typed.
function markup.highlight(code, colour)
  if not colour then return code end
  local out, i, n = {}, 1, #code
  local function take(j, style)
    out[#out + 1] = markup.style(code:sub(i, j), style, true)
    i = j + 1
  end
  while i <= n do
    local long = code:match("^%-%-%[(=*)%[", i)
    local longstr = code:match("^%[(=*)%[", i)
    if long then
      local _, e = code:find("]" .. long .. "]", i, true)
      take(e or n, "comment")
    elseif code:match("^%-%-", i) then
      take((code:find("\n", i, true) or n + 1) - 1, "comment")
    elseif longstr then
      local _, e = code:find("]" .. longstr .. "]", i, true)
      take(e or n, "string")
    elseif code:match("^[\"']", i) then
      local q, j = code:sub(i, i), i + 1
      while j <= n and code:sub(j, j) ~= q and code:sub(j, j) ~= "\n" do
        j = j + (code:sub(j, j) == "\\" and 2 or 1)
      end
      take(math.min(j, n), "string")
    elseif code:match("^%d", i) or code:match("^%.%d", i) then
      local s, e = code:find("^0[xX][%x%.]+[pP]?[-+]?%x*", i)
      if not s then s, e = code:find("^%d*%.?%d*[eE][-+]?%d+", i) end
      if not s then s, e = code:find("^%d*%.?%d*", i) end
      take(e, "number")
    elseif code:match("^[%a_]", i) then
      local _, e = code:find("^[%w_]+", i)
      local word = code:sub(i, e)
      local prev = i > 1 and code:sub(i - 1, i - 1) or ""
      if KEYWORDS[word] then
        take(e, "keyword")
      elseif BUILTINS[word] and prev ~= "." and prev ~= ":" then
        take(e, "builtin")
      else
        out[#out + 1] = word
        i = e + 1
      end
    else
      local _, e = code:find("^[^%w_\"'%-%[%d%.]+", i)
      out[#out + 1] = code:sub(i, e or i)
      i = (e or i) + 1
    end
  end
  return table.concat(out)
end

return markup
