-- wrk script: POST /v1/ads with the demo rules' kind of page, a random reader out of 100,000
-- (so frequency caps are checked on most pages), three slots. Used by run.sh.
math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
local sections = {"internasional", "nasional", "otomotif", "ekonomi", "olahraga"}
local keywords = {"rusia", "korea utara", "mobil listrik", "ihsg", "liga"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local i = math.random(#sections)
  local body = string.format(
    '{"page":{"url":"https://kabarnusantara.example/%s/2026/11/28/a%d","section":"%s",' ..
    '"keywords":["%s"]},"slots":[{"id":"top","sizes":[[728,90],[970,250]]},' ..
    '{"id":"mid","sizes":[[300,250]]},{"id":"read-next","formats":["native"]}],' ..
    '"user":{"id":"u%d"},"device":{"type":"mobile"}}',
    sections[i], math.random(1000), sections[i], keywords[i], math.random(100000))
  return wrk.format(nil, "/v1/ads", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
