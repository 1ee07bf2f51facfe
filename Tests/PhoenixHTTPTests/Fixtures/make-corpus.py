#!/usr/bin/env python3
"""Writes the raw-request corpus: requests/NAME.http (exact bytes) and corpus.json (expectations).

Each case says what the live test server answers (`responses`, in order), whether it then closes
(`closes`), and what the decoder alone yields (`requests` decoded, then `error` status or null).
Routes of the test server: GET /health -> 200, POST /echo -> 200 echoing the body, else 404.
Limits: the defaults (request line 8 KiB, header block 32 KiB, 100 fields, body 1 MiB).
Run it from this folder after changing a case; commit both outputs.
"""
import json, os

H = "Host: test\r\n"
cases = {}

def case(name, raw, responses, closes, requests=None, error=None, about=""):
    if isinstance(raw, str):
        raw = raw.encode("latin-1")
    if requests is None:
        requests = len([s for s in responses if s < 400 or s in (404, 405)]) if error is None else 0
    cases[name] = dict(responses=responses, closes=closes, requests=requests, error=error, about=about, raw=raw)

# --- valid ---------------------------------------------------------------------------------
case("get-health", f"GET /health HTTP/1.1\r\n{H}\r\n", [200], False, about="plain GET")
case("http10-close", "GET /health HTTP/1.0\r\n\r\n", [200], True, about="HTTP/1.0 without keep-alive closes")
case("http10-keepalive", "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", [200], False, about="HTTP/1.0 keep-alive stays open")
case("connection-close", f"GET /health HTTP/1.1\r\n{H}Connection: close\r\n\r\n", [200], True, about="Connection: close is honoured")
case("pipelined-three", f"GET /health HTTP/1.1\r\n{H}\r\nGET /nope HTTP/1.1\r\n{H}\r\nGET /health HTTP/1.1\r\n{H}\r\n", [200, 404, 200], False, about="pipelined requests answered in order")
case("leading-crlf", f"\r\nGET /health HTTP/1.1\r\n{H}\r\n", [200], False, about="RFC 9112 2.2: an empty line before the request line is ignored")
case("content-length-body", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\n\r\nhello", [200], False)
case("duplicate-equal-content-length", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", [200], False, about="identical repeats are one value")
case("content-length-list-equal", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5, 5\r\n\r\nhello", [200], False)
case("chunked-body", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", [200], False)
case("chunked-extension-and-trailer", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n", [200], False)
case("chunked-uppercase-hex", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", [200], False)
case("absolute-form", "GET http://test/health HTTP/1.1\r\nHost: test\r\n\r\n", [200], False, about="absolute-form must be accepted by servers")
case("minor-version-11x", f"GET /health HTTP/1.7\r\n{H}\r\n", [200], False, about="a later 1.x is served as 1.1")
case("options-asterisk", f"OPTIONS * HTTP/1.1\r\n{H}\r\n", [404], False)
case("head-no-body", f"HEAD /health HTTP/1.1\r\n{H}\r\n", [200], False)
case("obs-text-value", b"GET /health HTTP/1.1\r\nHost: test\r\nX-Note: caf\xe9\r\n\r\n", [200], False, about="obs-text is allowed in values")
# --- malformed and smuggling ---------------------------------------------------------------
case("cl-and-te", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [400], True, error=400, about="CL.TE smuggling")
case("te-and-cl", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", [400], True, error=400, about="TE.CL smuggling")
case("differing-content-length", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", [400], True, error=400)
case("content-length-list-differs", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5, 6\r\n\r\nhello!", [400], True, error=400)
case("content-length-signed", f"POST /echo HTTP/1.1\r\n{H}Content-Length: +5\r\n\r\nhello", [400], True, error=400)
case("content-length-hex", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 0x5\r\n\r\nhello", [400], True, error=400)
case("content-length-empty", f"POST /echo HTTP/1.1\r\n{H}Content-Length: \r\n\r\n", [400], True, error=400)
case("content-length-huge", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 99999999999999999999999\r\n\r\n", [413], True, error=413)
case("body-over-limit", f"POST /echo HTTP/1.1\r\n{H}Content-Length: 1048577\r\n\r\n", [413], True, error=413)
case("obs-fold", f"GET /health HTTP/1.1\r\n{H}X-Folded: a\r\n b\r\n\r\n", [400], True, error=400, about="RFC 9112 5.2")
case("space-before-colon", f"GET /health HTTP/1.1\r\n{H}X-Bad : a\r\n\r\n", [400], True, error=400, about="RFC 9112 5.1")
case("te-space-before-colon", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", [400], True, error=400)
case("nul-in-value", b"GET /health HTTP/1.1\r\nHost: test\r\nX-Bad: a\x00b\r\n\r\n", [400], True, error=400)
case("control-in-value", b"GET /health HTTP/1.1\r\nHost: test\r\nX-Bad: a\x01b\r\n\r\n", [400], True, error=400)
case("nul-in-name", b"GET /health HTTP/1.1\r\nHost: test\r\nX-B\x00ad: a\r\n\r\n", [400], True, error=400)
case("control-in-target", b"GET /hea\x01lth HTTP/1.1\r\nHost: test\r\n\r\n", [400], True, error=400)
case("nul-in-target", b"GET /hea\x00lth HTTP/1.1\r\nHost: test\r\n\r\n", [400], True, error=400)
case("non-ascii-target", b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: test\r\n\r\n", [400], True, error=400)
case("missing-host", "GET /health HTTP/1.1\r\n\r\n", [400], True, error=400, about="RFC 9112 3.2")
case("repeated-host", f"GET /health HTTP/1.1\r\n{H}{H}\r\n", [400], True, error=400)
case("bad-chunk-size", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", [400], True, error=400)
case("chunk-size-overflow", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nhello\r\n0\r\n\r\n", [400], True, error=400)
case("chunk-size-negative", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", [400], True, error=400)
case("chunk-data-too-long", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", [400], True, error=400)
case("chunked-over-limit", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n100001\r\n", [413], True, error=413)
case("unknown-transfer-coding", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", [501], True, error=501)
case("chunked-twice", f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", [400], True, error=400)
case("te-in-http10", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [400], True, error=400)
case("http2-version", f"GET /health HTTP/2.0\r\n{H}\r\n", [505], True, error=505)
case("http09-version", f"GET /health HTTP/0.9\r\n{H}\r\n", [505], True, error=505)
case("malformed-version", f"GET /health HTTX/1.1\r\n{H}\r\n", [400], True, error=400)
case("lowercase-version", f"GET /health http/1.1\r\n{H}\r\n", [400], True, error=400)
case("double-space-request-line", f"GET  /health HTTP/1.1\r\n{H}\r\n", [400], True, error=400)
case("missing-version", f"GET /health\r\n{H}\r\n", [400], True, error=400)
case("bare-lf", "GET /health HTTP/1.1\nHost: test\n\n", [400], True, error=400)
case("bare-cr", "GET /health HTTP/1.1\r\nHost: test\rX: y\r\n\r\n", [400], True, error=400)
case("not-http", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 32, [400], True, error=400, about="a TLS ClientHello")
case("asterisk-not-options", f"GET * HTTP/1.1\r\n{H}\r\n", [400], True, error=400)
case("unsupported-expectation", f"POST /echo HTTP/1.1\r\n{H}Expect: teapot\r\nContent-Length: 1\r\n\r\nx", [417], True, error=417)
case("request-line-too-long", f"GET /{'a' * 8200} HTTP/1.1\r\n{H}\r\n", [414], True, error=414)
case("header-block-too-large", f"GET /health HTTP/1.1\r\n{H}" + "".join(f"X-Filler-{i}: {'b' * 1000}\r\n" for i in range(34)) + "\r\n", [431], True, error=431)
case("too-many-headers", f"GET /health HTTP/1.1\r\n{H}" + "".join(f"X-H{i}: v\r\n" for i in range(100)) + "\r\n", [431], True, error=431)
case("valid-then-smuggled", f"GET /health HTTP/1.1\r\n{H}\r\nPOST /echo HTTP/1.1\r\n{H}Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [200, 400], True, requests=1, error=400, about="the first request is answered, the smuggled one rejected")

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "requests"), exist_ok=True)
index = []
for name, c in sorted(cases.items()):
    with open(os.path.join(here, "requests", name + ".http"), "wb") as f:
        f.write(c.pop("raw"))
    index.append(dict(name=name, **c))
with open(os.path.join(here, "corpus.json"), "w") as f:
    json.dump(index, f, indent=1)
print(f"{len(index)} cases")
