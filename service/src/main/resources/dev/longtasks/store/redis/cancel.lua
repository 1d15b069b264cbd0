-- Returns {outcome, record}: 'cancelled' (was PENDING), 'requested' (RUNNING, the handler is asked
-- to stop), 'finished' (already terminal, unchanged); nil when unknown or expired.
if not live() then
  return false
end
local status = redis.call('HGET', key, 'status')
if status == 'PENDING' then
  -- The client asked for it: no completion event is owed, so it leaves the index.
  redis.call('HSET', key, 'status', 'CANCELLED', 'lease_until', '0', 'finished_at', now_iso)
  redis.call('HDEL', key, 'result', 'error_type', 'error_message', 'completion_sent')
  unindex()
  touch_ended()
  return {'cancelled', redis.call('HGETALL', key)}
elseif status == 'RUNNING' then
  redis.call('HSET', key, 'cancel_requested', '1')
  touch_open()
  return {'requested', redis.call('HGETALL', key)}
end
return {'finished', redis.call('HGETALL', key)}
