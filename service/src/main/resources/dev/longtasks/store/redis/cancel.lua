-- Returns {outcome, record}: 'cancelled' (was PENDING), 'requested' (RUNNING, the handler is asked
-- to stop), 'finished' (already terminal, unchanged); nil when unknown or expired.
if not live() then
  return false
end
local status = redis.call('HGET', key, 'status')
if status == 'PENDING' then
  redis.call('HSET', key, 'status', 'CANCELLED', 'lease_until', '0', 'finished_at', now_iso)
  redis.call('HDEL', key, 'result', 'error_type', 'error_message')
  touch()
  return {'cancelled', redis.call('HGETALL', key)}
elseif status == 'RUNNING' then
  redis.call('HSET', key, 'cancel_requested', '1')
  touch()
  return {'requested', redis.call('HGETALL', key)}
end
return {'finished', redis.call('HGETALL', key)}
