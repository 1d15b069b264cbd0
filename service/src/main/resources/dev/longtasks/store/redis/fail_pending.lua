-- ARGV[9] error type, ARGV[10] optional error message. PENDING -> FAILED, else nil.
if not live() or redis.call('HGET', key, 'status') ~= 'PENDING' then
  return false
end
return failed(9)
