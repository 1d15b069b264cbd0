-- ARGV[9] attempt, ARGV[10] error type, ARGV[11] optional error message. RUNNING under this attempt
-- with a passed lease -> FAILED, else nil.
if not live() or not held_by(ARGV[9]) or tonumber(redis.call('HGET', key, 'lease_until')) >= now_ms then
  return false
end
return failed(10)
