-- wrk script: give every request its own URL (the path plus ?miss=<run>-<n>),
-- so a page cache keyed by URL never hits; the view itself ignores the query.
-- <run> is random per wrk run: a counter alone would repeat the previous run's
-- URLs, which are still in the cache.
local function run_id()
  local file = io.open("/proc/sys/kernel/random/uuid", "r")
  if file then
    local id = file:read("*l")
    file:close()
    return id
  end
  math.randomseed(os.time())
  return tostring(os.time()) .. tostring(math.random(1, 1e9))
end

local run = run_id()
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path .. "?miss=" .. run .. "-" .. n)
end
