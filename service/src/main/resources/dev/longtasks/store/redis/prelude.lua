-- Shared head of every script (prepended by RedisScript). All times come from the caller's clock so
-- that the lease, the TTL filter and the timestamps agree with the rest of the service.
-- ARGV[1] now (epoch ms), ARGV[2] now (epoch s), ARGV[3] now (ISO-8601),
-- ARGV[4] ttl field of an ended task (epoch s), ARGV[5] its native expiry (seconds from now),
-- ARGV[6] ttl field of an open task (epoch s), ARGV[7] its native expiry, ARGV[8] the task id.
-- Native expiry is relative: a backstop that needs no clock. Script arguments start at ARGV[9].
-- KEYS[1] the task hash, KEYS[2] the open-task index (sorted set: member task id, score due_at).
local key = KEYS[1]
local open_key = KEYS[2]
local now_ms = tonumber(ARGV[1])
local now_sec = tonumber(ARGV[2])
local now_iso = ARGV[3]
local task_id = ARGV[8]

-- A record whose ttl has passed reads as gone even before Redis deletes it (DESIGN §3).
local function live()
  local ttl = redis.call('HGET', key, 'ttl')
  return ttl and tonumber(ttl) >= now_sec
end

-- The fence of DESIGN §3: status = RUNNING AND attempt = mine.
local function held_by(attempt)
  local h = redis.call('HMGET', key, 'status', 'attempt')
  return h[1] == 'RUNNING' and tonumber(h[2]) == tonumber(attempt)
end

-- Optional values arrive as '' (null) or '=' followed by the value, so '' itself stays sayable.
local function set_or_del(field, encoded)
  if encoded == '' then
    redis.call('HDEL', key, field)
  else
    redis.call('HSET', key, field, string.sub(encoded, 2))
  end
end

-- Every write of an open task keeps it from expiring before the reconciler could end it.
local function touch_open()
  redis.call('HSET', key, 'updated_at', now_iso, 'ttl', ARGV[6])
  redis.call('EXPIRE', key, ARGV[7])
end

-- Once ended, the TTL runs from the last write.
local function touch_ended()
  redis.call('HSET', key, 'updated_at', now_iso, 'ttl', ARGV[4])
  redis.call('EXPIRE', key, ARGV[5])
end

-- The open-task index moves with the record, in the same atomic script.
local function index(due)
  redis.call('HSET', key, 'due_at', due)
  redis.call('ZADD', open_key, due, task_id)
end

local function unindex()
  redis.call('HDEL', key, 'due_at')
  redis.call('ZREM', open_key, task_id)
end

-- The end of a task: its completion event is owed, so it stays in the index, due at once.
local function ended(status)
  redis.call('HSET', key, 'status', status, 'lease_until', '0', 'finished_at', now_iso, 'completion_sent', '0')
  index(now_ms)
  touch_ended()
end

-- FAILED with an error: ARGV[first] its type, ARGV[first + 1] its optional message.
local function failed(first)
  redis.call('HSET', key, 'error_type', ARGV[first])
  set_or_del('error_message', ARGV[first + 1])
  redis.call('HDEL', key, 'result')
  ended('FAILED')
  return redis.call('HGETALL', key)
end
