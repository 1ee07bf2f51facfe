#!/usr/bin/env python3
"""Known-answer SigV4 vectors from botocore, the AWS SDK's own signer, for PhoenixAWS's SigV4Signer.

moto does not check signatures reliably (TEST-COMPONENTS.md §4.3), so botocore is the oracle: fixed
credentials, a fixed clock, and for each request the canonical request, string to sign, signature and
final headers (or presigned URL) that botocore produces. Inputs are written both as a URL (what
botocore signed) and structured (host, wire path, decoded query items, header list) for the Swift test.

usage: python3 make-sigv4-vectors.py > sigv4-vectors.json     (needs botocore: pip install botocore)
"""
import base64, datetime, hashlib, json, sys
from urllib.parse import quote, urlsplit
import botocore, botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

WHEN = datetime.datetime(2026, 1, 2, 3, 4, 5)
STAMP = "20260102T030405Z"
# botocore 1.43 reads the clock through botocore.auth.get_current_datetime; patching utcnow alone
# silently signs with the real clock (TEST-COMPONENTS.md §4.4). Every vector asserts STAMP below.
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: WHEN

KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with=padding=="
MOTO = "http://127.0.0.1:5055"
EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def enc(text):  # RFC 3986: everything but unreserved is %XX (botocore.utils.percent_encode)
    return quote(text, safe="-_.~")


def s3_path(raw):  # botocore's serializer for S3 {Key+}: like enc() but '/' stays
    return quote(raw, safe="/~")


def recording(base):
    """A botocore signer class that also keeps the strings it computed, instead of recomputing them."""
    class Recording(base):
        def canonical_request(self, request):
            self.seen_creq = super().canonical_request(request)
            return self.seen_creq

        def string_to_sign(self, request, canonical_request):
            self.seen_sts = super().string_to_sign(request, canonical_request)
            return self.seen_sts

        def signature(self, string_to_sign, request):
            self.seen_sig = super().signature(string_to_sign, request)
            return self.seen_sig
    return Recording


VECTORS = []


def case(name, service, method, base, raw_path, query=(), headers=(), body=b"", region="us-east-1",
         token=None, unsigned=False, presign=None, note=""):
    path = s3_path(raw_path)
    query = [list(item) for item in query]
    qs = "&".join(enc(k) if v is None else f"{enc(k)}={enc(v)}" for k, v in query)
    url = base + path + ("?" + qs if qs else "")
    creds = Credentials(KEY_ID, SECRET, token)
    if presign is not None:
        auth = recording(S3SigV4QueryAuth)(creds, service, region, expires=presign)
    elif service == "s3":
        auth = recording(S3SigV4Auth)(creds, service, region)
    else:
        auth = recording(SigV4Auth)(creds, service, region)
    req = AWSRequest(method=method, url=url, data=body)
    for k, v in headers:  # HTTPHeaders appends on assignment, so a repeated name gives two values
        req.headers[k] = v
    if unsigned:  # the only switch S3SigV4Auth honours over plain http (explicit client config)
        req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    auth.add_auth(req)
    assert req.context["timestamp"] == STAMP, "botocore used the real clock"
    payload = "UNSIGNED-PAYLOAD" if unsigned or presign is not None else hashlib.sha256(body).hexdigest()
    assert auth.seen_creq.endswith("\n" + payload), name
    parts = urlsplit(url)
    host = botocore.auth._host_from_url(url)
    expected = {"canonical_request": auth.seen_creq, "string_to_sign": auth.seen_sts,
                "signature": auth.seen_sig}
    if presign is not None:
        expected["url"] = req.url
        assert req.url.endswith("X-Amz-Signature=" + auth.seen_sig), name
    else:
        expected["headers"] = [[k, v] for k, v in req.headers.items()]
        expected["authorization"] = req.headers["Authorization"]
        assert expected["authorization"].endswith("Signature=" + auth.seen_sig), name
    VECTORS.append({
        "name": name, "note": note, "service": service, "region": region, "method": method,
        "url": url, "scheme": parts.scheme, "host": host, "raw_path": raw_path, "path": path,
        "query": query, "headers": [list(h) for h in headers],
        "body_utf8": body.decode("utf-8"), "payload": payload,
        "credentials": {"access_key_id": KEY_ID, "secret_access_key": SECRET, "session_token": token},
        "timestamp": STAMP, "presign_expires": presign, "expected": expected,
    })


B = "/dr-backups"
XML = [("Content-Type", "application/xml")]
# MARK: S3 object verbs, path-style on moto's port
case("s3 get object", "s3", "GET", MOTO, B + "/redis/dump.rdb")
case("s3 put object", "s3", "PUT", MOTO, B + "/redis/dump.rdb", body=b"hello",
     headers=[("Content-Type", "application/octet-stream")])
case("s3 head object", "s3", "HEAD", MOTO, B + "/redis/dump.rdb")
case("s3 delete object", "s3", "DELETE", MOTO, B + "/redis/dump.rdb")
case("s3 put eu-west-1", "s3", "PUT", MOTO, B + "/k", body=b"hello", region="eu-west-1")
# MARK: S3 keys that need encoding; S3 signs the wire path as is (no second encoding, no normalising)
case("s3 key with spaces", "s3", "PUT", MOTO, B + "/a dir/file name.txt", body=b"x")
case("s3 key with unicode", "s3", "GET", MOTO, B + "/données/été ☃/\U0001F600.txt")
case("s3 key with plus", "s3", "GET", MOTO, B + "/a+b/c++.txt")
case("s3 key with percent", "s3", "GET", MOTO, B + "/100%/x%2Fy%20z.txt")
case("s3 key with tilde", "s3", "GET", MOTO, B + "/~user/a~b.txt")
case("s3 key with specials", "s3", "PUT", MOTO, B + "/q?h#a&b=c;d:e@f!g$h'i(j)k*l,m", body=b"x")
case("s3 key with double slashes", "s3", "PUT", MOTO, B + "//a//b///c.txt", body=b"x")
case("s3 key with dot segments", "s3", "GET", MOTO, B + "/a/../b/./c/..")
# MARK: ListObjectsV2
case("s3 list v2 prefix with slashes and spaces", "s3", "GET", MOTO, B,
     query=[("list-type", "2"), ("prefix", "logs/2026 01/day 2/"), ("delimiter", "/"), ("max-keys", "2")])
case("s3 list v2 continuation token", "s3", "GET", MOTO, B,
     query=[("list-type", "2"), ("continuation-token", "1/abc+def/ghi=="), ("start-after", "a b")])
case("s3 list v2 empty prefix value", "s3", "GET", MOTO, B + "/", query=[("list-type", "2"), ("prefix", "")])
case("s3 query repeated keys sort by value", "s3", "GET", MOTO, B,
     query=[("b", "2"), ("a", "z"), ("a", "a"), ("A", "1"), ("a-b", "0"), ("a_b", "0")],
     note="synthetic: keys sort by encoded name, then encoded value, byte order")
# MARK: multipart
case("s3 create multipart", "s3", "POST", MOTO, B + "/pg/app.dump", query=[("uploads", None)])
case("s3 upload part", "s3", "PUT", MOTO, B + "/pg/app.dump",
     query=[("partNumber", "1"), ("uploadId", "VXBsb2FkIElE+/=.x~y")], body=b"part-1-bytes")
complete = (b'<CompleteMultipartUpload><Part><ETag>"etag1"</ETag><PartNumber>1</PartNumber></Part>'
            b'</CompleteMultipartUpload>')
case("s3 complete multipart", "s3", "POST", MOTO, B + "/pg/app.dump", query=[("uploadId", "abc123")],
     body=complete, headers=XML)
case("s3 abort multipart", "s3", "DELETE", MOTO, B + "/pg/app.dump", query=[("uploadId", "abc123")])
# MARK: bulk delete, encryption, tokens, payload modes, headers
delete = b'<Delete><Object><Key>a</Key></Object><Object><Key>b c</Key></Object><Quiet>true</Quiet></Delete>'
case("s3 delete objects", "s3", "POST", MOTO, B, query=[("delete", None)], body=delete,
     headers=XML + [("Content-MD5", base64.b64encode(hashlib.md5(delete).digest()).decode())])
case("s3 put with server-side encryption", "s3", "PUT", MOTO, B + "/secret.bin", body=b"s3cr3t",
     headers=[("x-amz-server-side-encryption", "aws:kms"),
              ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/k-1")])
case("s3 put with session token", "s3", "PUT", MOTO, B + "/t.txt", body=b"token", token=TOKEN)
case("s3 put unsigned payload", "s3", "PUT", MOTO, B + "/u.bin", body=b"hello", unsigned=True)
case("s3 header canonicalisation", "s3", "PUT", MOTO, B + "/h.txt", body=b"h", headers=[
    ("X-Amz-Meta-Note", "  two   inner\t\truns  "), ("x-amz-meta-tag", "first"), ("X-AMZ-META-TAG", " second "),
    ("x-amz-meta-empty", ""), ("User-Agent", "phoenix-dr/1.0"), ("Expect", "100-continue"),
    ("Content-Type", "text/plain; charset=utf-8")],
    note="whitespace runs collapsed, one name twice joined with ',', user-agent/expect not signed")
# MARK: hosts
case("s3 virtual-hosted https", "s3", "GET", "https://dr-backups.s3.eu-central-1.amazonaws.com",
     "/redis/dump.rdb", region="eu-central-1")
case("s3 https default port dropped", "s3", "GET", "https://s3.amazonaws.com:443", B + "/k")
case("s3 custom port on https", "s3", "GET", "https://s3.example.test:9000", B + "/k")
case("s3 ipv6 host with port", "s3", "GET", "http://[::1]:5055", B + "/k")
# MARK: Route 53 (plain SigV4: no x-amz-content-sha256, the path is normalised and encoded again)
rr = (b'<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
      b'<ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>api.example.test.</Name><Type>A</Type>'
      b'<SetIdentifier>primary</SetIdentifier><Failover>PRIMARY</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord>'
      b'<Value>10.1.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>'
      b'</ChangeResourceRecordSetsRequest>')
R53 = "https://route53.amazonaws.com"
case("route53 change rrsets", "route53", "POST", R53, "/2013-04-01/hostedzone/Z123/rrset/", body=rr, headers=XML)
case("route53 list rrsets with query", "route53", "GET", R53, "/2013-04-01/hostedzone/Z123/rrset",
     query=[("name", "api.example.test."), ("type", "A"), ("maxitems", "100"), ("identifier", "primary set")])
case("route53 on moto with session token", "route53", "GET", MOTO, "/2013-04-01/hostedzone", token=TOKEN)
case("route53 path normalised and encoded", "route53", "GET", R53, "/2013-04-01//hostedzone/./Z1/../Z2/a b:c~d/",
     note="synthetic: dot segments and '//' removed, then the wire path is percent-encoded once more")
# MARK: presigned GET (S3SigV4QueryAuth)
case("s3 presigned get", "s3", "GET", MOTO, B + "/redis/dump.rdb", presign=3600)
case("s3 presigned get with token and query", "s3", "GET", "https://dr-backups.s3.amazonaws.com",
     "/reports/q1 été+.pdf", query=[("response-content-disposition", 'attachment; filename="q1.pdf"'),
                                    ("versionId", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")],
     token=TOKEN, presign=604800)

json.dump({"generator": f"botocore {botocore.__version__}", "timestamp": STAMP, "vectors": VECTORS},
          sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
