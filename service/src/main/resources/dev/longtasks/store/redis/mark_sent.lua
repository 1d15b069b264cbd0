-- The completion event of an ended task is published: it leaves the index. 1, or 0 when nothing was owed.
if not live() or redis.call('HGET', key, 'completion_sent') ~= '0' then
  return 0
end
redis.call('HDEL', key, 'completion_sent')
unindex()
return 1
