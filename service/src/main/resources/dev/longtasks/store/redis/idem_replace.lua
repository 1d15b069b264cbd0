-- KEYS[1] the binding, ARGV[9] the task id it must still name, ARGV[10] the new value, ARGV[11]
-- its expiry in seconds. A compare-and-set: 1 when moved, 0 when it names another task or is gone.
local v = redis.call('GET', key)
if not v then
  return 0
end
local first = string.find(v, '\n', 1, true)
local second = first and string.find(v, '\n', first + 1, true)
if not first or string.sub(v, first + 1, second and second - 1 or -1) ~= ARGV[9] then
  return 0
end
if ARGV[10] == '' then
  redis.call('DEL', key)
else
  redis.call('SET', key, ARGV[10], 'EX', ARGV[11])
end
return 1
