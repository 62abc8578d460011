#!/usr/bin/env python3
"""hostile.py -- malformed and hostile requests through the real nginx and pool.

    t/robust/hostile.py --base http://127.0.0.1:PORT --dir STACK_DIR [--rounds N]

Sends at least 10,000 requests (more with --rounds): truncated and
invalid-UTF-8 JSON, JSON nested 100,000 deep, bodies over the limit, huge
and repeated query parameters, %00 and overlong escapes, path traversal,
odd methods, header floods, and SQL/JSON injection in every string
parameter of every route of t/data/endpoints.tsv. Passes when no answer is
a 5xx other than a route's documented 501, every answer's body is one of
the documented ones (or a 2xx JSON document), and no worker of the pool was
replaced (same PIDs before and after). Prints a summary line
"hostile: N requests, ..." and "N passed, M failed".
"""
import argparse
import json
import os
import random
import socket
import subprocess
import sys

DOCUMENTED = {
    400: [{"message": "Malformed JSON body."}],
    401: [{"message": "Unauthenticated."}],
    403: [{"message": "This action is unauthorized."}],
    404: [{"message": "Not found."}],
    405: [{"message": "Method not allowed."}],
    413: [{"message": "Payload too large."}],
    429: [{"message": "Too Many Attempts."}],
    501: [{"message": "Not implemented."}],
    503: [{"message": "Service Unavailable"}],
}

INJECTIONS = [
    "' OR '1'='1", "1; DROP TABLE users; --", "\" OR 1=1 --", "1) OR (1=1",
    "%' OR 1=1 #", "\\", "' UNION SELECT password FROM users --", "name:asc; DROP",
    "{\"$gt\": \"\"}", "\u0000", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "A" * 5000, "🙂" * 300, "${jndi:ldap://x}", "<script>alert(1)</script>", "-1", "0",
    "99999999999999999999999", "1e309", "NaN", "true", "[]", "{}", "null",
]


def raw(host, port, data, timeout=15):
    """Sends bytes, returns (status, headers, body) or (None, ..) on a dropped connection."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        # No half-close: nginx would take it for a client that went away.
        s.sendall(data)
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
    finally:
        s.close()
    resp = b"".join(chunks)
    if not resp.startswith(b"HTTP/"):
        return None, b"", resp
    head, _, body = resp.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, head, body


def dechunk(b):
    out = b""
    while b:
        line, _, rest = b.partition(b"\r\n")
        try:
            n = int(line.split(b";")[0], 16)
        except ValueError:
            return out
        if n == 0:
            break
        out += rest[:n]
        b = rest[n + 2:]
    return out


def request(method, target, headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1".encode("latin-1", "replace"), b"Host: 127.0.0.1",
             b"Connection: close"]
    for h in headers:
        lines.append(h if isinstance(h, bytes) else h.encode("latin-1", "replace"))
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def worker_pids(d):
    with open(os.path.join(d, "pool.pid")) as f:
        master = f.read().strip()
    out = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout
    return sorted(out.split())


def routes(top):
    rows = []
    with open(os.path.join(top, "t/data/endpoints.tsv")) as f:
        next(f)
        for line in f:
            methods, pattern = line.split("\t")[:2]
            rows.append((methods.split(","), pattern))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--top", default=os.path.join(os.path.dirname(__file__), "../.."))
    a = ap.parse_args()
    host, port = a.base.split("//")[1].split(":")
    port = int(port)
    tokens = {}
    for u in (1, 2, 3):
        with open(os.path.join(a.dir, f"token.{u}")) as f:
            tokens[u] = "Authorization: Bearer " + f.read().strip()
    rnd = random.Random(1)
    cases = []  # (name, bytes)

    def add(name, method, target, headers=(), body=b""):
        cases.append((name, request(method, target, headers, body)))

    json_h = "Content-Type: application/json"
    # Bodies: truncated, invalid UTF-8, deep, huge, wrong types.
    bodies = [b'{"user_ids":[7', b'{"user_ids":[7]', b'{"user_ids":"\xff\xfe"}', b'\xc0\xaf',
              b'{"a":' + b'[' * 100000 + b']' * 100000 + b'}', b'[' * 100000,
              b'{"user_ids":[' + b','.join(b'7' for _ in range(2000)) + b']}',
              b'{"user_ids":[1e999]}', b'{"user_ids":[-1]}', b'{"user_ids":[1.5]}',
              b'{"user_ids":{"a":{"b":1}}}', b'{"__proto__":{"x":1}}', b'"just a string"',
              b'{"user_ids":[7],"user_ids":"x"}', b'\x00' * 100, b'{' * 40]
    for i, b in enumerate(bodies):
        for tok in (1, 2):
            add(f"body{i}", "POST", "/v2/advertisers/1/blocklist", (tokens[tok], json_h), b)
    add("over-limit", "POST", "/v2/advertisers/1/blocklist", (tokens[2], json_h),
        b'{"user_ids":[' + b' ' * (1100 * 1024) + b']}')
    # Query strings: huge, repeated, escapes.
    add("many-params", "GET", "/v2/users?" + "&".join(f"a{i}=1" for i in range(400)), (tokens[1],))
    add("repeated", "GET", "/v2/users?" + "&".join("query=x" for _ in range(300)), (tokens[1],))
    add("long-value", "GET", "/v2/users?query=" + "x" * 7000, (tokens[1],))
    for esc in ("%00", "%C0%AF", "%E0%80%AF", "%FF%FE", "%", "%2", "%zz", "%u0041", "%25%30%30",
                "+%00+", "%F4%90%80%80", "%ED%A0%80"):
        add(f"esc{esc}", "GET", f"/v2/users?query={esc}&size=1", (tokens[1],))
        add(f"path-esc{esc}", "GET", f"/v2/advertisers/{esc}/blocklist", (tokens[2],))
    for p in ("/v2/../etc/passwd", "/v2/%2e%2e/%2e%2e/etc/passwd", "/v2/users/..%2f..%2f",
              "/v2/./users", "/v2//users", "/v2/users%00.json", "/v2/users\\..\\x",
              "/../../../../etc/passwd", "/v2/advertisers/1/blocklist/../../../users",
              "/v2/advertisers/1%2f2/blocklist", "/v2/advertisers/0x10/blocklist",
              "/v2/advertisers/-1/blocklist", "/v2/advertisers/99999999999999999999/blocklist"):
        add(f"path{p}", "GET", p, (tokens[1],))
    # Methods.
    for m in ("TRACE", "PROPFIND", "MKCOL", "CONNECT", "FOO", "get", "DELETE", "PATCH", "HEAD",
              "OPTIONS"):
        add(f"method{m}", m, "/v2/users", (tokens[1],))
    # Header floods and odd headers.
    add("header-flood", "GET", "/v2/users", [tokens[1]] + [f"X-F{i}: {'v' * 100}" for i in range(200)])
    add("huge-header", "GET", "/v2/users", (tokens[1], "X-Big: " + "a" * 20000))
    add("two-auth", "GET", "/v2/users", (tokens[3], tokens[1]))
    add("auth-junk", "GET", "/v2/users", ("Authorization: Bearer " + "A" * 9000,))
    add("auth-crlf", "GET", "/v2/users", (b"Authorization: Bearer x\x00y",))
    add("req-id", "GET", "/v2/users", (tokens[1], "X-Request-Id: a\x7fb" + "c" * 100))
    add("host-inj", "GET", "/v2/users?size=1", (tokens[1], "X-Forwarded-Host: evil"))
    # Injection in every string parameter of every route, for each token.
    params = ["query", "name", "sort_by", "size", "page", "store_id", "client_id",
              "store_group_id", "access_levels[]", "advertiser_group_ids[]", "statuses[]",
              "created_by", "return_ad_enabled", "format", "include[]", "custom_sort_by",
              "status", "type", "favorite", "group", "start_date", "end_date", "app",
              "payment_period", "user_emails_or_ids[]"]
    from urllib.parse import quote
    for methods, pattern in routes(a.top):
        path = pattern
        while "{" in path:
            s, e = path.index("{"), path.index("}")
            path = path[:s] + str(rnd.choice([1, 2, 3, 999999])) + path[e + 1:]
        for inj in INJECTIONS * 2:  # two random samples of parameters each
            for tok in (0, 1, 2, 3):
                q = "&".join(f"{p}={quote(inj, safe='')}" for p in rnd.sample(params, 4))
                for m in methods:
                    body = json.dumps({p.rstrip("[]"): inj for p in rnd.sample(params, 3)})
                    auth = (tokens[tok],) if tok else ()
                    add(f"inj {m} {pattern}", m, f"{path}?{q}", auth + (json_h,),
                        body.encode() if m != "GET" else b"")
    cases = cases * a.rounds
    before = worker_pids(a.dir)
    statuses, failures = {}, []
    for name, data in cases:
        try:
            st, head, body = raw(host, port, data)
        except OSError as e:
            failures.append(f"{name}: {e}")
            continue
        statuses[st] = statuses.get(st, 0) + 1
        if st is None:
            continue  # nginx closed a request it could not even parse
        if st >= 500 and st != 501:
            failures.append(f"{name}: status {st}: {body[:200]!r}")
            continue
        if st == 204 or st == 304 or (200 <= st < 300 and not body):
            continue
        try:
            doc = json.loads(body)
        except ValueError:
            failures.append(f"{name}: status {st}: not JSON: {body[:200]!r}")
            continue
        if st >= 300 and doc not in DOCUMENTED.get(st, []) and not (
                st == 422 and isinstance(doc, dict) and set(doc) == {"message", "errors"}):
            failures.append(f"{name}: status {st}: undocumented body {body[:200]!r}")
    after = worker_pids(a.dir)
    if before != after:
        failures.append(f"workers changed: {before} -> {after}")
    for f in failures[:30]:
        print("FAIL", f)
    print(f"hostile: {len(cases)} requests, statuses {dict(sorted((str(k), v) for k, v in statuses.items()))}, "
          f"workers {'unchanged' if before == after else 'CHANGED'}")
    print(f"{len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
