-- ARGV[9] attempt, ARGV[10] terminal status, ARGV[11] optional result, ARGV[12] optional error type,
-- ARGV[13] optional error message. Returns the record, or nil when fenced off.
if not live() or not held_by(ARGV[9]) then
  return false
end
set_or_del('result', ARGV[11])
set_or_del('error_type', ARGV[12])
set_or_del('error_message', ARGV[13])
if ARGV[10] == 'SUCCEEDED' then
  -- Success shows 100 %, keeping the last message (or 'done' when there never was progress).
  if redis.call('HEXISTS', key, 'progress_percent') == 0 then
    redis.call('HSET', key, 'progress_message', 'done')
  end
  redis.call('HSET', key, 'progress_percent', '100')
end
ended(ARGV[10])
return redis.call('HGETALL', key)
