-- wrk script: POST /v1/example/process-task with a one-step, zero-delay example task.
wrk.method = "POST"
wrk.body = '{"data":{"steps":1,"step_ms":0}}'
wrk.headers["Content-Type"] = "application/json"
