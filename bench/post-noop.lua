-- wrk script: POST /v1/tasks with a noop task (the service's cheapest task).
wrk.method = "POST"
wrk.body = '{"type":"noop","data":{}}'
wrk.headers["Content-Type"] = "application/json"
