-- ARGV[9] expected status, ARGV[10] expected attempt, ARGV[11] new due_at, ARGV[12] '1' when the
-- event was published again. Only while the task is unchanged and in the index. 1, or 0 when refused.
if not live() then
  return 0
end
local h = redis.call('HMGET', key, 'status', 'attempt', 'due_at')
if h[1] ~= ARGV[9] or tonumber(h[2]) ~= tonumber(ARGV[10]) or not h[3] then
  return 0
end
index(ARGV[11])
if ARGV[12] == '1' then
  redis.call('HINCRBY', key, 'dispatches', 1)
end
return 1
