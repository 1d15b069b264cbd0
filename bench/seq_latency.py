"""Sequential submit -> poll every 5 ms -> terminal latency, the same client for every service.

Mirrors the peers' seed_client.py (--mode e2e): one keep-alive http.client connection, POST a
task, GET /v1/tasks/{id} at once and then every --poll-ms until SUCCEEDED; the time is from
sending the POST to seeing SUCCEEDED. Used by bench/peers.sh against our local server and the
seed-like service, so both are measured by the same Python client with the same overhead.

  python3 bench/seq_latency.py --url http://127.0.0.1:4000 --path /v1/tasks --body '{"type":"noop","data":{}}'

Prints one JSON line: {"n":..,"p50_ms":..,"p90_ms":..,"p99_ms":..,"polls_per_task":..,"first_poll_done":..}.
first_poll_done is the share of tasks already SUCCEEDED at the first GET (no 5 ms sleep needed).
"""
import argparse
import http.client
import json
import sys
import time
from urllib.parse import urlparse


def pct(sorted_vals, p):
    k = (len(sorted_vals) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--path", default="/v1/tasks")
    ap.add_argument("--body", default='{"type":"noop","data":{}}')
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    a = ap.parse_args()
    u = urlparse(a.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    body = a.body.encode()
    deadline = time.monotonic() + a.timeout

    def call(method, path, data=None):
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        return resp.status, (json.loads(payload) if payload else None)

    lat, polls, first = [], 0, 0
    for i in range(a.warmup + a.n):
        t0 = time.perf_counter()
        st, created = call("POST", a.path, body)
        if st not in (200, 201, 202):
            print(f"POST {a.path} -> {st} {created}", file=sys.stderr)
            return 1
        tid = created["task_id"]
        n = 0
        while True:
            n += 1
            st, view = call("GET", f"/v1/tasks/{tid}")
            if st == 200 and view["status"] == "SUCCEEDED":
                break
            if st != 200 or view["status"] not in ("PENDING", "RUNNING"):
                print(f"GET -> {st} {view}", file=sys.stderr)
                return 1
            if time.monotonic() > deadline:
                print("the deadline passed", file=sys.stderr)
                return 1
            time.sleep(a.poll_ms / 1000.0)
        if i >= a.warmup:
            lat.append((time.perf_counter() - t0) * 1000.0)
            polls += n
            first += n == 1
    conn.close()
    s = sorted(lat)
    print(json.dumps({"n": a.n, "p50_ms": round(pct(s, 50), 3), "p90_ms": round(pct(s, 90), 3),
                      "p99_ms": round(pct(s, 99), 3), "polls_per_task": round(polls / a.n, 2),
                      "first_poll_done": round(first / a.n, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
