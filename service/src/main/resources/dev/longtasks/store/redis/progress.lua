-- ARGV[9] attempt, ARGV[10] new lease_until ('' keeps it), ARGV[11] percent ('' = heartbeat only),
-- ARGV[12] optional message. The due time stays at the claim's lease end. Returns the record, or
-- nil when fenced off.
if not live() or not held_by(ARGV[9]) then
  return false
end
if ARGV[10] ~= '' then
  redis.call('HSET', key, 'lease_until', ARGV[10])
end
if ARGV[11] ~= '' then
  redis.call('HSET', key, 'progress_percent', ARGV[11])
  set_or_del('progress_message', ARGV[12])
end
touch_open()
return redis.call('HGETALL', key)
