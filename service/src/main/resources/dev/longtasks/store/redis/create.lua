-- ARGV[9..]: field/value pairs of the new task. 1 = created, 0 = the id is taken by a live task.
if live() then
  return 0
end
redis.call('DEL', key)
redis.call('HSET', key, unpack(ARGV, 9))
local expires_in = tonumber(redis.call('HGET', key, 'ttl')) - now_sec + 1
redis.call('EXPIRE', key, math.max(1, expires_in))
local due = redis.call('HGET', key, 'due_at')
if due then
  redis.call('ZADD', open_key, due, task_id)
end
return 1
