-- ARGV[6] attempt, ARGV[7] terminal status, ARGV[8] optional result, ARGV[9] optional error type,
-- ARGV[10] optional error message. Returns the record, or nil when fenced off.
if not live() or not held_by(ARGV[6]) then
  return false
end
redis.call('HSET', key, 'status', ARGV[7], 'lease_until', '0', 'finished_at', now_iso)
set_or_del('result', ARGV[8])
set_or_del('error_type', ARGV[9])
set_or_del('error_message', ARGV[10])
if ARGV[7] == 'SUCCEEDED' then
  -- Success shows 100 %, keeping the last message (or 'done' when there never was progress).
  if redis.call('HEXISTS', key, 'progress_percent') == 0 then
    redis.call('HSET', key, 'progress_message', 'done')
  end
  redis.call('HSET', key, 'progress_percent', '100')
end
touch()
return redis.call('HGETALL', key)
