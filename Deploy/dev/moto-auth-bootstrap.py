#!/usr/bin/env python3
"""Make a fresh moto server check SigV4 signatures, with one IAM user allowed to use S3.

Usage: moto-auth-bootstrap.py PORT
Prints "ACCESS_KEY_ID SECRET_ACCESS_KEY" of that user on stdout. While moto still accepts
everything, it creates the user, its policy and an access key, then turns checking on with
POST /moto-api/reset-auth (TEST-COMPONENTS.md §4.3). From then on a wrong secret gets 403
SignatureDoesNotMatch, so our signer is exercised by every S3 test that uses this server.
"""
import json
import sys
import urllib.request

import boto3

port = int(sys.argv[1])
endpoint = f"http://127.0.0.1:{port}"
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="phoenix-tests")
iam.put_user_policy(UserName="phoenix-tests", PolicyName="s3", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}],
}))
key = iam.create_access_key(UserName="phoenix-tests")["AccessKey"]
request = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                 headers={"Content-Type": "text/plain"})
with urllib.request.urlopen(request, timeout=10) as response:
    if response.status != 200:
        sys.exit(f"moto-auth-bootstrap: reset-auth answered {response.status}")
print(key["AccessKeyId"], key["SecretAccessKey"])
