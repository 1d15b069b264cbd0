-- ARGV[9] attempt, ARGV[10] error type, ARGV[11] optional error message. RUNNING under this attempt
-- with a passed lease -> FAILED, else nil.
if not live() or not held_by(ARGV[9]) or tonumber(redis.call('HGET', key, 'lease_until')) >= now_ms then
  return false
end
redis.call('HSET', key, 'error_type', ARGV[10])
set_or_del('error_message', ARGV[11])
redis.call('HDEL', key, 'result')
ended('FAILED')
return redis.call('HGETALL', key)
