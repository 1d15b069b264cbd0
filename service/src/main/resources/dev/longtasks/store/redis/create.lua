-- KEYS[3] the creation index (sorted set, every score 0, member: listing position, read by lex range).
-- ARGV[9] this task's listing position, ARGV[10] the position before which no record can still be
-- live (now minus the longest life of a task), ARGV[11..]: field/value pairs of the new task.
-- 1 = created, 0 = the id is taken by a live task.
if live() then
  return 0
end
redis.call('DEL', key)
redis.call('HSET', key, unpack(ARGV, 11))
local expires_in = tonumber(redis.call('HGET', key, 'ttl')) - now_sec + 1
redis.call('EXPIRE', key, math.max(1, expires_in))
local due = redis.call('HGET', key, 'due_at')
if due then
  redis.call('ZADD', open_key, due, task_id)
end
redis.call('ZADD', KEYS[3], 0, ARGV[9])
-- Trim positions no record can outlive, a bounded few per create: creates add one each, so the
-- set keeps up; the list walk drops any position whose record went earlier.
local old = redis.call('ZRANGEBYLEX', KEYS[3], '-', '(' .. ARGV[10], 'LIMIT', 0, 32)
if #old > 0 then
  redis.call('ZREM', KEYS[3], unpack(old))
end
return 1
