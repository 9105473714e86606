-- wrk script: each request takes the next path of the list, round robin,
-- so one load run exercises every TechEmpower endpoint.
local paths = { "/plaintext", "/json", "/db", "/queries?queries=5", "/fortunes", "/updates?queries=5" }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
