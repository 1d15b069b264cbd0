-- Shared head of every task script (prepended by RedisScript). All times come from the caller's
-- clock so that the lease, the TTL filter and the timestamps agree with the rest of the service.
-- ARGV[1] now (epoch ms), ARGV[2] now (epoch s), ARGV[3] now (ISO-8601), ARGV[4] new ttl field
-- (epoch s), ARGV[5] native expiry (seconds from now, a relative backstop that needs no clock).
local key = KEYS[1]
local now_ms = tonumber(ARGV[1])
local now_sec = tonumber(ARGV[2])
local now_iso = ARGV[3]

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

-- Every write refreshes the ttl field and the native expiry.
local function touch()
  redis.call('HSET', key, 'updated_at', now_iso, 'ttl', ARGV[4])
  redis.call('EXPIRE', key, ARGV[5])
end
