-- KEYS[1] the lease key, ARGV[9] the holder, ARGV[10] the lease in ms. The value is
-- "<holder>|<until, epoch ms by the caller's clock>", so the lease agrees with every other time of
-- the store; the native expiry is only a backstop. 1 when the holder has the lease now.
local v = redis.call('GET', key)
if v then
  local sep = string.find(v, '|', 1, true)
  if sep and string.sub(v, 1, sep - 1) ~= ARGV[9] and tonumber(string.sub(v, sep + 1)) >= now_ms then
    return 0
  end
end
redis.call('SET', key, ARGV[9] .. '|' .. tostring(now_ms + tonumber(ARGV[10])), 'PX', tonumber(ARGV[10]) + 60000)
return 1
