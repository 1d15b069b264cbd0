-- ARGV[9] error type, ARGV[10] optional error message. PENDING -> FAILED, else nil.
if not live() or redis.call('HGET', key, 'status') ~= 'PENDING' then
  return false
end
redis.call('HSET', key, 'error_type', ARGV[9])
set_or_del('error_message', ARGV[10])
redis.call('HDEL', key, 'result')
ended('FAILED')
return redis.call('HGETALL', key)
