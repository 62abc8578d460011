#!/usr/bin/env python3
"""hostile.py -- malformed and hostile requests through the real nginx and pool.

    t/robust/hostile.py --base http://127.0.0.1:PORT --dir STACK_DIR [--rounds N]

STACK_DIR holds token.1 .. token.4 (demo users: 1 admin, 2 member of store
1, 3 creator, 4 member of store 2) and pool.pid.

Three parts, about 10,000 requests a round:

1. Malformed requests: truncated and invalid-UTF-8 JSON, JSON nested
   100,000 deep, bodies over the limit, huge and repeated query parameters,
   %00 and overlong escapes, path traversal, odd methods, header floods.
2. Every BUILT route (handler not NULL in src/routes.c, read from the table,
   never listed here), called by each caller who may call it (by its access
   level, on a path naming an object that caller may see), with hostile
   values in every parameter of the route's validation table (read from
   src/resources/*.c) and in a few unknown ones, in the query string and in
   JSON bodies: SQL injection, LIKE wildcards, huge numbers, arrays where
   scalars go, nested objects, NUL, invalid UTF-8. These reach the handler,
   so they must be answered by it: a 401, 403, 405 or 501 is a failure, and
   every built route must answer at least one of them with a 2xx or a 422.
3. Every route NOT built yet, with injections and each token (none, admin,
   member, creator): they must stop at 401/403/404/501 with SPEC.md bodies.

Every answer: no 5xx but a documented 501 (or 503 with its body), the body
one of SPEC.md's or a JSON document, and the connection answered (a request
nginx is expected to drop is marked so; any other drop is a failure).
A 2xx answer of a list (GET) is checked against what was asked:
- a string filter (type string, e.g. `query`, `name`) given a value: every
  row must contain that value (case-insensitively) in one of its string
  values, or have it as its id; `' OR 1=1 --` or `%` matching rows that do
  not contain them is an injection or an unescaped wildcard;
- an integer field given a value that is not a decimal integer within
  int64 (after trimming), or `sort_by` given a value that is not
  `column[:asc|desc]`, must not be answered 2xx; an integer filter that is
  a column of the rows must match every row.
The pool's worker PIDs must be the same before and after.
Prints per-part counts, "hostile: N requests, ..." and "N passed, M failed".
"""
import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
from urllib.parse import quote

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

# What a string filter may be given. None of these occurs in the demo data,
# so a list answer with rows for them must show them in the rows.
INJECTIONS = [
    "' OR 1=1 --", "' OR '1'='1", "\" OR \"\"=\"", "1 OR 1=1", "1) OR (1=1", "%' OR 1=1 #",
    "'; DROP TABLE users; --", "' UNION SELECT password FROM users --", "admin'--",
    "x' OR username LIKE '%", "\\", "\\'", "%", "_", "%%", "%_%", "\\%", "__", "*", ".*",
    "name:asc; DROP", "{\"$gt\": \"\"}", "\u0000", "a\u0000b", "${jndi:ldap://x}",
    "<script>alert(1)</script>", "{{7*7}}", "A" * 5000, "\U0001F642" * 70, "\u202e\u0000",
    "true", "[]", "{}", "null",
]
# What an integer field may be given: none is a decimal integer in int64.
BAD_INTS = [
    "99999999999999999999", "-99999999999999999999", "9223372036854775808",
    "-9223372036854775809", "1e3", "1e309", "0x10", "1.5", "1.0", "NaN", "+1", "\uff11",
    "1 OR 1=1", "1; DROP TABLE users", "1'", "--1", "",
]
BAD_INTS = [v for v in BAD_INTS if v]
# Plain values that are valid for many fields: the handler runs with them.
PLAIN = ["1", "2", "0", "-1", "id:asc", "id:desc", "x"]

# Requests nginx is expected to close without an answer (none today).
MAY_DROP = set()


def raw(host, port, data, timeout=15):
    """Sends bytes, returns (status, headers, body); status None on a dropped connection."""
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


# ------------------------------------------------------------------ the C tables

def entries(text):
    """The top-level {...} groups and bare macro calls of an initialiser body."""
    out, depth, start, i = [], 0, None, 0
    while i < len(text):
        c = text[i]
        if c == '"':  # skip string literals (they may hold braces)
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append(text[start:i + 1])
        elif depth == 0:
            m = re.match(r"VALID_\w+(\([^)]*\))?", text[i:])
            if m:
                out.append(m.group(0))
                i += len(m.group(0)) - 1
        i += 1
    return out


def strip_comments(s):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", s, flags=re.S)


def field_kind(entry):
    """('name', kind) of one valid_field initialiser; kind: int, ints, str, strs, bool, sort, other."""
    if entry.startswith("VALID_SIZE"):
        return "size", "int"
    if entry.startswith("VALID_PAGE"):
        return "page", "int"
    if entry.startswith("VALID_SORT"):
        return "sort_by", "sort"
    m = re.search(r'"([^"]+)"', entry)
    if not m:
        return None
    rest = entry[m.end():]
    t = re.search(r"&?\bvalid_(\w+)|\bV_(INT_LIST|STR_LIST|INT|STR|BOOL|SORT)\b", rest)
    t = (t.group(1) or t.group(2)).lower() if t else ""
    kind = {"int": "int", "int_list": "ints", "str": "str", "string": "str",
            "str_list": "strs", "bool": "bool", "sort": "sort"}.get(t, "other")
    return m.group(1), kind


def handler_fields(top):
    """{handler name: [(field, kind)]} from src/resources/*.c and src/*.c."""
    out = {}
    files = []
    for d in ("src/resources", "src"):
        p = os.path.join(top, d)
        files += [os.path.join(p, f) for f in sorted(os.listdir(p)) if f.endswith(".c")]
    for path in files:
        with open(path) as f:
            text = strip_comments(f.read())
        tables = {}
        for m in re.finditer(r"struct\s+valid_field\s+(\w+)\s*\[\s*\]\s*=\s*\{", text):
            end = text.index("};", m.end())
            tables[m.group(1)] = [k for k in map(field_kind, entries(text[m.end():end])) if k]
        # `= { fn, fields, n }`, `= HANDLER(fn, fields)`, designated: any
        # name in it that is a field table of this file.
        for m in re.finditer(r"struct\s+handler\s+(h_\w+)\s*=([^;]*);", text):
            names = re.findall(r"\b\w+\b", m.group(2))
            out[m.group(1)] = next((tables[n] for n in names if n in tables), [])
    return out


def routes(top):
    """[(methods, pattern, access, handler or None)] from src/routes.c."""
    with open(os.path.join(top, "src/routes.c")) as f:
        text = strip_comments(f.read())
    m = re.search(r"struct\s+route\s+routes\s*\[\s*\]\s*=\s*\{", text)
    body = text[m.end():text.index("};", m.end())]
    rows = []
    for e in entries(body):
        pat = re.search(r'"([^"]+)"', e)
        acc = re.search(r"\bACC_(\w+)", e)
        if not pat or not acc:
            continue
        methods = re.findall(r"\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b", e[:pat.start()])
        h = re.search(r"&\s*(h_\w+)", e[pat.end():])
        rows.append((methods, pat.group(1), acc.group(1), h.group(1) if h else None))
    if not rows:
        sys.exit("hostile: no routes read from src/routes.c")
    return rows


# Who may call a route, by its access level: the demo users.
CALLERS = {"PUBLIC": [None], "USER": [1, 2, 3], "STORE": [1, 2], "ADMIN": [1]}


def fill_path(pattern, caller, k, method="GET"):
    """The pattern with each {param} replaced by an id caller may see.

    The first parameter names the route's object: store 1 (user 2's), or
    the caller's own user id for {user_id}, or an offer token the caller
    may see; later ones alternate 1 and 2 (blocklist entries 1 and 2 are
    store 1's). DELETE /v2/offers/{id} deletes offer 5, not 1.
    """
    names = re.findall(r"\{(\w+)\}", pattern)
    path = pattern
    for i, n in enumerate(names):
        if (n in ("id", "user_id") and caller in (1, 2) and
                pattern in ("/v2/offers/{offer_id}/users/{id}",
                            "/v2/offer-by-token/{offer_token}/users/{user_id}")):
            # Whether a user takes part: user 3 does in offer 1 (participant
            # 1), so that the admin and store 1's member get a 200.
            v = 3
        elif n == "user_id" and caller:
            v = caller
        elif n == "offer_token":
            # Offer 1's for its store's member (and the admin); for creator
            # 3, offer 11's (store 4 targets 3's market): the run changes
            # store 1's blocklist, which may come to name 3.
            v = "kvi2xkihl2gvrtw6" if caller == 3 else "67twgittqxf0vmxa"
        elif n == "id" and pattern == "/v2/offer-users/{offer_user_id}/comments/{id}":
            # Only its author (or an admin) changes a comment, others get
            # 403: card 1's comment 1 is user 2's, comment 2 user 3's.
            v = {2: 1, 3: 2}.get(caller, 1 + k % 2)
        elif pattern == "/v2/offers/{id}" and method == "DELETE":
            v = 5  # store 1's too, so that deleting it leaves offer 1 for the rest
        elif pattern == "/v2/return-ads/{id}" and method == "DELETE":
            v = 5  # the ended ad of store 1, so that ad 1 stays for the rest
        elif i == 0:
            v = 1
        else:
            v = 1 + k % 2
        path = path.replace("{" + n + "}", str(v), 1)
    return path


# ------------------------------------------------------------------ checks

TRIM = " \t\n\r\v"
INT_RE = re.compile(r"-?[0-9]+")


def is_int64(v):
    if not isinstance(v, str):
        return True  # JSON numbers, booleans, containers: not judged here
    t = v.strip(TRIM)
    return bool(INT_RE.fullmatch(t)) and -2**63 < int(t) < 2**63


def strings_of(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from strings_of(v)
    elif isinstance(x, list):
        for v in x:
            yield from strings_of(v)
    elif x is not None and not isinstance(x, bool):
        yield str(x)


def rows_of(doc):
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        return doc["data"]
    return None


def check_answer(case, doc):
    """Failures (text) of a 2xx answer given what the case sent; rows of GET only."""
    rows = rows_of(doc) if case["method"] == "GET" else None
    fails = []
    for field, kind, value in case["sent"]:
        if kind == "str" and isinstance(value, str) and rows:
            # As the server sees it: trimmed, NUL and invalid UTF-8 as U+FFFD.
            t = value.strip(TRIM).replace("\x00", "\ufffd").casefold()
            if not t:
                continue
            for row in rows:
                if isinstance(row, dict) and (
                        any(t in s.casefold() for s in strings_of(row)) or str(row.get("id")) == t):
                    continue
                fails.append(f"{field}={value[:40]!r} matched a row that does not contain it: "
                             f"{json.dumps(row)[:160]}")
                break
        elif kind in ("int", "ints") and not all(
                is_int64(v) for v in (value if isinstance(value, list) else [value])):
            fails.append(f"{field}={str(value)[:40]!r} (not an integer) was accepted")
        elif kind == "sort" and isinstance(value, str) and not re.fullmatch(
                r"\w+(:(asc|desc))?", value.strip(TRIM)):
            fails.append(f"sort_by={value[:40]!r} was accepted")
        elif kind == "int" and isinstance(value, str) and is_int64(value) and rows:
            want = int(value.strip(TRIM))
            for row in rows:
                if isinstance(row, dict) and field in row and row[field] != want:
                    fails.append(f"{field}={want} answered a row with {field}={row[field]}")
                    break
    return fails


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--top", default=os.path.join(os.path.dirname(__file__), "../.."))
    ap.add_argument("--count", action="store_true", help="print the requests per part, send none")
    a = ap.parse_args()
    host, port = a.base.split("//")[1].split(":")
    port = int(port)
    tokens = {None: ()}
    for u in (1, 2, 3, 4):
        with open(os.path.join(a.dir, f"token.{u}")) as f:
            tokens[u] = ("Authorization: Bearer " + f.read().strip(),)
    rnd = random.Random(1)
    cases, early = [], []
    json_h = "Content-Type: application/json"

    def add(part, name, method, target, headers=(), body=b"", first=False, **kw):
        """first: sent before every other case, while the demo objects
        the paths name all exist (a DELETE case may remove one, and the
        scope's 404 comes before the body is read)."""
        c = {"part": part, "name": name, "data": request(method, target, headers, body),
             "method": method, "sent": [], "route": None}
        c.update(kw)
        (early if first else cases).append(c)

    # ---- 1. malformed requests
    bodies = [b'{"user_ids":[7', b'{"user_ids":[7]', b'{"user_ids":"\xff\xfe"}', b'\xc0\xaf',
              b'{"a":' + b'[' * 100000 + b']' * 100000 + b'}', b'[' * 100000,
              b'{"user_ids":[' + b','.join(b'7' for _ in range(2000)) + b']}',
              b'{"user_ids":[1e999]}', b'{"user_ids":[-1]}', b'{"user_ids":[1.5]}',
              b'{"user_ids":{"a":{"b":1}}}', b'{"__proto__":{"x":1}}', b'"just a string"',
              b'{"user_ids":[7],"user_ids":"x"}', b'\x00' * 100, b'{' * 40]
    for i, b in enumerate(bodies):
        for tok in (1, 2):
            add("malformed", f"body{i}", "POST", "/v2/advertisers/1/blocklist",
                tokens[tok] + (json_h,), b)
    add("malformed", "over-limit", "POST", "/v2/advertisers/1/blocklist", tokens[2] + (json_h,),
        b'{"user_ids":[' + b' ' * (1100 * 1024) + b']}')
    add("malformed", "many-params", "GET",
        "/v2/users?" + "&".join(f"a{i}=1" for i in range(400)), tokens[1])
    add("malformed", "repeated", "GET", "/v2/users?" + "&".join("query=x" for _ in range(300)),
        tokens[1])
    add("malformed", "long-value", "GET", "/v2/users?query=" + "x" * 7000, tokens[1])
    for esc in ("%00", "%C0%AF", "%E0%80%AF", "%FF%FE", "%", "%2", "%zz", "%u0041", "%25%30%30",
                "+%00+", "%F4%90%80%80", "%ED%A0%80"):
        add("malformed", f"esc{esc}", "GET", f"/v2/users?query={esc}&size=1", tokens[1])
        add("malformed", f"path-esc{esc}", "GET", f"/v2/advertisers/{esc}/blocklist", tokens[2])
    for p in ("/v2/../etc/passwd", "/v2/%2e%2e/%2e%2e/etc/passwd", "/v2/users/..%2f..%2f",
              "/v2/./users", "/v2//users", "/v2/users%00.json", "/v2/users\\..\\x",
              "/../../../../etc/passwd", "/v2/advertisers/1/blocklist/../../../users",
              "/v2/advertisers/1%2f2/blocklist", "/v2/advertisers/0x10/blocklist",
              "/v2/advertisers/-1/blocklist", "/v2/advertisers/99999999999999999999/blocklist"):
        add("malformed", f"path{p}", "GET", p, tokens[1])
    for m in ("TRACE", "PROPFIND", "MKCOL", "CONNECT", "FOO", "get", "DELETE", "PATCH", "HEAD",
              "OPTIONS"):
        add("malformed", f"method{m}", m, "/v2/users", tokens[1])
    add("malformed", "header-flood", "GET", "/v2/users",
        tokens[1] + tuple(f"X-F{i}: {'v' * 100}" for i in range(200)))
    add("malformed", "huge-header", "GET", "/v2/users", tokens[1] + ("X-Big: " + "a" * 20000,))
    add("malformed", "two-auth", "GET", "/v2/users", tokens[3] + tokens[1])
    add("malformed", "auth-junk", "GET", "/v2/users", ("Authorization: Bearer " + "A" * 9000,))
    add("malformed", "auth-crlf", "GET", "/v2/users", (b"Authorization: Bearer x\x00y",))
    add("malformed", "req-id", "GET", "/v2/users", tokens[1] + ("X-Request-Id: a\x7fb" + "c" * 100,))
    add("malformed", "host-inj", "GET", "/v2/users?size=1", tokens[1] + ("X-Forwarded-Host: evil",))

    # ---- 2. built routes, by callers who may call them
    table = routes(a.top)
    fields = handler_fields(a.top)
    built = [r for r in table if r[3]]
    unread = sorted({r[3] for r in built if r[3] not in fields})
    if unread:
        sys.exit(f"hostile: no definition found for {', '.join(unread)} in src/: "
                 "update handler_fields() for the new syntax")
    # Raw bytes in the query, and what the server makes of them: invalid
    # UTF-8 and NUL become U+FFFD, which no row holds.
    raw_q = [("%FF%FE", "\ufffd"), ("%C0%AF", "\ufffd"), ("%ED%A0%80", "\ufffd"),
             ("%00", "\ufffd"), ("a%00b", "a\ufffdb"), ("%25", "%"), ("%5F", "_"),
             ("%27%20OR%201%3D1%20--", "' OR 1=1 --")]
    k = 0
    for methods, pattern, acc, h in built:
        flds = fields.get(h, []) + [("no_such_param", "other"), ("id", "other")]
        # Joining: only a creator the campaign targets (scope TOKEN_SELF and
        # target.h); admins and store members are refused with 403 by design.
        join = pattern == "/v2/offer-by-token/{offer_token}/users/{user_id}/join"
        # A link: only its creator and admins know it (scope AFFILIATE_LINK);
        # store member 2 has none, and its 404 comes before the body is read.
        # fill_path names link 1, creator 3's.
        link = pattern == "/v2/affiliate-links/{id}"
        # An export: only who asked for it and admins (scope EXPORT);
        # fill_path names export 1, store member 2's (the demo's).
        export = pattern.startswith("/v2/exports/{id}")
        for caller in ([3] if join else [1, 3] if link else [1, 2] if export
                       else CALLERS.get(acc, [1])):
            for m in methods:
                for fname, kind in flds:
                    values = list(INJECTIONS) + PLAIN
                    if kind in ("int", "ints"):
                        values += BAD_INTS
                    for v in values:
                        k += 1
                        path = fill_path(pattern, caller, k, m)
                        # Alternate: the query string, or a JSON body (GET too:
                        # bodies merge with the query as Laravel's input()).
                        if k % 2 == 0:
                            q = f"{fname}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                            add("built", f"{m} {pattern} as {caller}: ?{fname}={v[:30]!r}", m,
                                f"{path}?{q}", tokens[caller],
                                sent=[(fname, kind, v)], route=pattern)
                        else:
                            b = json.dumps({fname: v}).encode()
                            add("built", f"{m} {pattern} as {caller}: {{{fname}: {v[:30]!r}}}", m,
                                path, tokens[caller] + (json_h,), b,
                                sent=[(fname, kind, v)], route=pattern)
                    # Arrays where scalars go, nested objects, huge numbers.
                    path = fill_path(pattern, caller, k, m)
                    for shape in ([v] for v in ("' OR 1=1 --", "%", "1")):
                        add("built", f"{m} {pattern}: {fname}=[..]", m, path,
                            tokens[caller] + (json_h,), json.dumps({fname: shape}).encode(),
                            sent=[(fname, kind if kind in ("ints", "strs") else "other", shape)],
                            route=pattern)
                    for doc in ({fname: {"a": {"b": "' OR 1=1 --"}}}, {fname: 1e300},
                                {fname: 99999999999999999999999}, {fname: -1.5},
                                {fname: True}, {fname: None}, {fname: [[[["x"]]]]}):
                        add("built", f"{m} {pattern}: {json.dumps(doc)[:60]}", m, path,
                            tokens[caller] + (json_h,), json.dumps(doc).encode(),
                            sent=[], route=pattern)
                    for shape in (f"{fname}[]=%25", f"{fname}[]=1&{fname}[]=%27",
                                  f"{fname}[a][b]=%27%20OR%201%3D1", f"{fname}[][][]=1"):
                        add("built", f"{m} {pattern}: ?{shape}", m, f"{path}?{shape}",
                            tokens[caller], sent=[], route=pattern)
                    for rq, seen in raw_q:
                        add("built", f"{m} {pattern}: ?{fname}={rq}", m,
                            f"{path}?{fname}={rq}", tokens[caller], route=pattern,
                            sent=[(fname, kind, seen)])
                    # Invalid UTF-8 and NUL inside a JSON body: 400 before the handler.
                    for bad in (b'{"' + fname.encode() + b'":"\xff\xfe"}',
                                b'{"' + fname.encode() + b'":"a\x00b"}'):
                        add("built", f"{m} {pattern}: raw bytes in {fname}", m, path,
                            tokens[caller] + (json_h,), bad, sent=[], route=pattern,
                            want={400}, first=True)

    # ---- 3. routes not built yet: auth and access, then 501
    params = ["query", "name", "sort_by", "size", "page", "store_id", "client_id",
              "store_group_id", "access_levels[]", "advertiser_group_ids[]", "statuses[]",
              "created_by", "format", "include[]", "status", "type", "start_date",
              "payment_period", "user_emails_or_ids[]"]
    for methods, pattern, acc, h in table:
        if h:
            continue
        for inj in INJECTIONS:
            for tok in (None, 1, 2, 3):
                path = fill_path(pattern, tok, rnd.randrange(4))
                q = "&".join(f"{p}={quote(inj, safe='')}" for p in rnd.sample(params, 4))
                for m in methods:
                    body = json.dumps({p.rstrip("[]"): inj for p in rnd.sample(params, 3)})
                    add("not built", f"{m} {pattern} as {tok}", m, f"{path}?{q}",
                        tokens[tok] + (json_h,), body.encode() if m != "GET" else b"")

    cases = early * a.rounds + cases * a.rounds
    if a.count:
        for part in dict.fromkeys(c["part"] for c in cases):
            print(part, sum(1 for c in cases if c["part"] == part))
        return 0
    before = worker_pids(a.dir)
    statuses, failures = {}, []
    parts = {}
    reached = {f"{','.join(r[0])} {r[1]}": 0 for r in built}
    for c in cases:
        name, part = c["name"], c["part"]
        parts[part] = parts.get(part, 0) + 1
        try:
            st, head, body = raw(host, port, c["data"])
        except OSError as e:
            failures.append(f"{name}: {e}")
            continue
        statuses[st] = statuses.get(st, 0) + 1
        if st is None:
            if name not in MAY_DROP:
                failures.append(f"{name}: the connection was closed without an answer")
            continue
        if st >= 500 and st not in (501, 503):
            failures.append(f"{name}: status {st}: {body[:200]!r}")
            continue
        if part == "not built" and 200 <= st < 300:
            failures.append(f"{name}: status {st} from a route that is not built")
            continue
        if part == "built":
            if st in (401, 403, 405, 501):
                failures.append(f"{name}: status {st}: did not reach the handler")
                continue
            if 200 <= st < 300 or st == 422:
                key = next(k for k in reached if k.endswith(" " + c["route"]) and
                           c["method"] in k.split(" ")[0].split(","))
                reached[key] += 1
        if "want" in c and st not in c["want"]:
            failures.append(f"{name}: status {st}, want one of {sorted(c['want'])}: {body[:120]!r}")
            continue
        if st == 204 or st == 304 or (200 <= st < 300 and not body):
            continue
        if 200 <= st < 300 and b"content-type: application/json" not in head.lower():
            continue  # a file (a zip of invoices): not JSON, not rows
        try:
            doc = json.loads(body)
        except ValueError:
            failures.append(f"{name}: status {st}: not JSON: {body[:200]!r}")
            continue
        if st >= 300 and doc not in DOCUMENTED.get(st, []) and not (
                st == 422 and isinstance(doc, dict) and set(doc) == {"message", "errors"}):
            failures.append(f"{name}: status {st}: undocumented body {body[:200]!r}")
            continue
        if 200 <= st < 300:
            for f in check_answer(c, doc):
                failures.append(f"{name}: {f}")
    failed_requests = len(failures)
    after = worker_pids(a.dir)
    if before != after:
        failures.append(f"workers changed: {before} -> {after}")
    for route, n in sorted(reached.items()):
        if n == 0:
            failures.append(f"{route}: no hostile request reached its handler (no 2xx or 422)")
    for f in failures[:40]:
        print("FAIL", f)
    print("hostile: parts " + ", ".join(f"{p} {n}" for p, n in parts.items()) +
          f"; built routes reached: {sum(1 for n in reached.values() if n)} of {len(reached)} "
          f"({sum(reached.values())} answers by a handler)")
    print(f"hostile: {len(cases)} requests, statuses "
          f"{dict(sorted((str(k), v) for k, v in statuses.items()))}, "
          f"workers {'unchanged' if before == after else 'CHANGED'}")
    # One case per request; the checks of the whole run (workers, routes
    # reached) count as failed cases of their own.
    print(f"{len(cases) - failed_requests} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
