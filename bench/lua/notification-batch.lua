-- wrk script of bench/webhook-throughput.sh and bench/soak.sh: POST /graph/notifications with a batch of BATCH
-- basic presence change notifications (Graph's shape) for the seeded subscription, with its clientState.
-- Every item names a user no earlier item of the run named (wrk thread number, request counter), so that
-- nothing is collapsed as a repeat of a waiting item: each batch is BATCH rows to store.
-- Environment: SUB (subscription id), CLIENT_STATE, TENANT, BATCH (default 10), RATE (requests/s per thread,
-- 0 = as fast as possible), RUN (a number that makes the user ids of one run differ from every other run's).
local counter = 0
local setup_count = 0
local threads = {}
thread_no = 0        -- a global: each thread's own, set by setup()
local sub = os.getenv("SUB") or "bench-sub"
local client_state = os.getenv("CLIENT_STATE") or "bench-client-state"
local tenant = os.getenv("TENANT") or "7f2b8c1e-0000-4000-8000-000000000001"
local batch = tonumber(os.getenv("BATCH") or "10")
local rate = tonumber(os.getenv("RATE") or "0")
local run = tonumber(os.getenv("RUN") or "0")

function setup(thread)
    setup_count = setup_count + 1
    thread:set("thread_no", setup_count)
    table.insert(threads, thread)
end

function init(args)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    started = nil
    sent = 0
end

local function item(user)
    return '{"subscriptionId":"' .. sub .. '","clientState":"' .. client_state .. '","changeType":"updated",'
        .. '"tenantId":"' .. tenant .. '","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z",'
        .. '"resource":"communications/presences/' .. user .. '",'
        .. '"resourceData":{"@odata.type":"#Microsoft.Graph.presence","@odata.id":"communications/presences/'
        .. user .. '","id":"' .. user .. '"}}'
end

function request()
    local parts = {}
    for i = 1, batch do
        counter = counter + 1
        parts[i] = item(string.format("%08x-%04x-4000-8000-%012x", run, thread_no, counter))
    end
    sent = sent + 1
    return wrk.format(nil, "/graph/notifications", nil, '{"value":[' .. table.concat(parts, ",") .. ']}')
end

-- RATE > 0: each thread keeps to RATE requests/s (a connection's next request waits for the thread's next slot;
-- a thread that fell more than a second behind starts afresh instead of bursting)
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } timeval_t;
int gettimeofday(timeval_t *tv, void *tz);
]]
local tv = ffi.new("timeval_t")
local function now_ms()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end
local next_slot = nil

function delay()
    if rate <= 0 then return 0 end
    local now = now_ms()
    if next_slot == nil or next_slot < now - 1000 then
        next_slot = now
    end
    next_slot = next_slot + 1000 / rate
    local wait = next_slot - now
    if wait < 0 then return 0 end
    return math.floor(wait)
end

function response(status, headers, body)
    if status ~= 202 then
        bad = (bad or 0) + 1
    end
end

function done(summary, latency, requests)
    local total_bad = 0
    local total_sent = 0
    for _, t in ipairs(threads) do
        total_bad = total_bad + (t:get("bad") or 0)
        total_sent = total_sent + (t:get("sent") or 0)
    end
    io.write(string.format("LUA not202=%d\nLUA sent=%d\nLUA items_per_request=%d\n", total_bad, total_sent, batch))
    for _, p in ipairs({50, 90, 99, 99.9}) do
        io.write(string.format("LUA p%s_us=%d\n", tostring(p), latency:percentile(p)))
    end
    io.write(string.format("LUA requests=%d\nLUA duration_us=%d\n", summary.requests, summary.duration))
end
