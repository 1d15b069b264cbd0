-- ARGV[9]: the new lease_until (epoch ms). PENDING, or RUNNING with a passed lease, becomes
-- RUNNING with attempt + 1 (the fencing token), due when the lease ends. Returns the record, or
-- nil when refused.
if not live() then
  return false
end
local h = redis.call('HMGET', key, 'status', 'lease_until', 'attempt', 'started_at')
local status = h[1]
if not (status == 'PENDING' or (status == 'RUNNING' and tonumber(h[2]) < now_ms)) then
  return false
end
redis.call('HSET', key, 'status', 'RUNNING', 'attempt', tostring(tonumber(h[3]) + 1), 'lease_until', ARGV[9])
if not h[4] then
  redis.call('HSET', key, 'started_at', now_iso)
end
redis.call('HDEL', key, 'result', 'error_type', 'error_message', 'finished_at', 'completion_sent')
index(ARGV[9])
touch_open()
return redis.call('HGETALL', key)
