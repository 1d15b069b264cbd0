-- ARGV[6..]: field/value pairs of the new task. 1 = created, 0 = the id is taken by a live task.
if live() then
  return 0
end
redis.call('DEL', key)
redis.call('HSET', key, unpack(ARGV, 6))
redis.call('EXPIRE', key, ARGV[5])
return 1
