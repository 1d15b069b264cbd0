-- ARGV[6] error type, ARGV[7] optional error message. PENDING -> FAILED, else nil.
if not live() or redis.call('HGET', key, 'status') ~= 'PENDING' then
  return false
end
redis.call('HSET', key, 'status', 'FAILED', 'lease_until', '0', 'finished_at', now_iso, 'error_type', ARGV[6])
set_or_del('error_message', ARGV[7])
redis.call('HDEL', key, 'result')
touch()
return redis.call('HGETALL', key)
