"""Debian's python3-msal against the KeyTrust Graph mock, configured as MSAL Python documents it for a custom
authority: the authority URL, instance_discovery=False, and the mock's CA through REQUESTS_CA_BUNDLE.
Input (environment): MOCK_BASE, TENANT, CLIENT_ID, CLIENT_SECRET, CLIENT_CERT_PEM. Output: one JSON line."""
import binascii
import hashlib
import json
import os
import re
import ssl

import msal

base, tenant, client_id = os.environ["MOCK_BASE"], os.environ["TENANT"], os.environ["CLIENT_ID"]
scopes = ["https://graph.microsoft.com/.default"]
authority = base + "/" + tenant
out = {"msalVersion": msal.__version__}

with_secret = msal.ConfidentialClientApplication(client_id, authority=authority, instance_discovery=False,
                                                 client_credential=os.environ["CLIENT_SECRET"])
result = with_secret.acquire_token_for_client(scopes=scopes)
out["secretToken"] = "access_token" in result
out["secretError"] = result.get("error_description")

pem = open(os.environ["CLIENT_CERT_PEM"]).read()
key = re.search(r"-----BEGIN PRIVATE KEY-----.+?-----END PRIVATE KEY-----", pem, re.S).group(0)
cert = re.search(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S).group(0)
thumbprint = hashlib.sha1(ssl.PEM_cert_to_DER_cert(cert)).hexdigest()
with_certificate = msal.ConfidentialClientApplication(client_id, authority=authority, instance_discovery=False,
                                                      client_credential={"private_key": key, "thumbprint": thumbprint})
result = with_certificate.acquire_token_for_client(scopes=scopes)
out["certificateToken"] = "access_token" in result
out["certificateError"] = result.get("error_description")
print(json.dumps(out))
