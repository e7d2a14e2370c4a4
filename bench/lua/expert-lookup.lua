-- wrk script of bench/expert-lookup.sh: POST /expert-lookup with the mixed queries of ExpertLookupBench (given-name,
-- surname, department and job-title prefixes of 1 to 4 letters, full phone numbers, a prefix with a department
-- filter), drawn reproducibly per thread, for the seeded org. An answer other than 200, or one with an
-- unavailableReason, is counted as bad.
-- Environment: ORG (org id), API_KEY, USERS (how many generated experts: phone numbers are drawn among them).
local threads = {}
local setup_count = 0
thread_no = 0
local org = os.getenv("ORG") or "bench-org"
local api_key = os.getenv("API_KEY") or "bench-key"
local users = tonumber(os.getenv("USERS") or "100000")

local GIVEN = {"Ada", "Adam", "Alan", "Alice", "Amir", "Anna", "Ben", "Bea", "Carl", "Chloe", "Dan", "Dora", "Eli",
    "Emma", "Finn", "Gita", "Hugo", "Ines", "Ivan", "Jana", "Jon", "Kai", "Lena", "Leo", "Mara", "Max", "Nina", "Noah",
    "Olga", "Omar", "Pia", "Raj", "Rosa", "Sam", "Sara", "Tom", "Una", "Vera", "Will", "Yara", "Zoe", "Zeno"}
local SURNAME = {"Adams", "Baker", "Becker", "Brown", "Castro", "Chen", "Costa", "Dubois", "Evans", "Fischer",
    "Garcia", "Gupta", "Hansen", "Ito", "Jansen", "Kim", "Kowalski", "Lopez", "Martin", "Meyer", "Moreau", "Murphy",
    "Nakamura", "Novak", "Olsen", "Patel", "Perez", "Rossi", "Schmidt", "Silva", "Smith", "Suzuki", "Tanaka",
    "Taylor", "Ueda", "Varga", "Wagner", "Walsh", "Weber", "Wilson", "Yilmaz", "Young", "Zhang", "Ziegler"}
local DEPARTMENT = {"Sales", "Support", "Billing", "Engineering", "Legal", "Finance", "Marketing", "Operations",
    "Research", "Logistics", "Procurement", "Security", "Training", "Claims", "Underwriting", "Human Resources",
    "Facilities", "Quality", "Compliance", "Product"}
local TITLE = {"Analyst", "Architect", "Account Executive", "Advisor", "Consultant", "Coordinator", "Director",
    "Engineer", "Specialist", "Manager", "Lead", "Officer", "Representative", "Technician", "Underwriter", "Agent",
    "Planner", "Auditor", "Designer", "Scientist"}

function setup(thread)
    setup_count = setup_count + 1
    thread:set("thread_no", setup_count)
    table.insert(threads, thread)
end

local bodies = {}
local next_body = 0

local function pick(list) return list[math.random(#list)] end
local function prefix(word) return string.sub(word, 1, math.random(4)) end

function init(args)
    math.randomseed(42 + thread_no)
    for i = 1, 1000 do
        local kind = math.random(10)
        local field
        if kind <= 4 then
            field = '"query":"' .. prefix(pick(GIVEN)) .. '"'
        elseif kind <= 6 then
            field = '"query":"' .. string.lower(prefix(pick(SURNAME))) .. '"'
        elseif kind == 7 then
            field = '"query":"' .. prefix(pick(DEPARTMENT)) .. '"'
        elseif kind == 8 then
            field = '"query":"' .. prefix(pick(TITLE)) .. '"'
        elseif kind == 9 then
            local n = string.format("%07d", math.random(users))
            field = '"query":"+1 415 ' .. string.sub(n, 1, 3) .. ' ' .. string.sub(n, 4) .. '"'
        else
            field = '"query":"' .. prefix(pick(GIVEN)) .. '","department":"' .. pick(DEPARTMENT) .. '"'
        end
        bodies[i] = '{"orgId":"' .. org .. '",' .. field .. '}'
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. api_key
end

function request()
    next_body = next_body % #bodies + 1
    return wrk.format(nil, "/expert-lookup", nil, bodies[next_body])
end

function response(status, headers, body)
    if status ~= 200 or string.find(body, '"unavailableReason":"', 1, true) then
        bad = (bad or 0) + 1
    elseif string.find(body, '"id"', 1, true) then
        found = (found or 0) + 1
    end
end

function done(summary, latency, requests)
    local total_bad, total_found = 0, 0
    for _, t in ipairs(threads) do
        total_bad = total_bad + (t:get("bad") or 0)
        total_found = total_found + (t:get("found") or 0)
    end
    io.write(string.format("LUA bad=%d\nLUA found=%d\n", total_bad, total_found))
    for _, p in ipairs({50, 90, 99, 99.9}) do
        io.write(string.format("LUA p%s_us=%d\n", tostring(p), latency:percentile(p)))
    end
    io.write(string.format("LUA requests=%d\nLUA duration_us=%d\n", summary.requests, summary.duration))
end
