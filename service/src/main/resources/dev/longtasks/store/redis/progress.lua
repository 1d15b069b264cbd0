-- ARGV[6] attempt, ARGV[7] new lease_until ('' keeps it), ARGV[8] percent ('' = heartbeat only),
-- ARGV[9] optional message. Returns the record, or nil when fenced off.
if not live() or not held_by(ARGV[6]) then
  return false
end
if ARGV[7] ~= '' then
  redis.call('HSET', key, 'lease_until', ARGV[7])
end
if ARGV[8] ~= '' then
  redis.call('HSET', key, 'progress_percent', ARGV[8])
  set_or_del('progress_message', ARGV[9])
end
touch()
return redis.call('HGETALL', key)
