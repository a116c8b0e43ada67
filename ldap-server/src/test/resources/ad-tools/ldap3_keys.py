# Python ldap3's NTLM bind (Sicily: package discovery, negotiate, response) with get_info=ALL, then a search of the
# users that have msDS-KeyCredentialLink and an add of one KeyCredential value. Prints one JSON object.
# Usage: ldap3_keys.py HOST PORT DOMAIN\\USER PASSWORD BASE TARGET_DN VALUE
# ldap3 computes MD4 with hashlib: on OpenSSL 3 that needs the legacy provider (OPENSSL_CONF, see the README).
import json, sys
from ldap3 import Server, Connection, ALL, NTLM, MODIFY_ADD

host, port, user, password, base, target, value = sys.argv[1:8]
out = {}
server = Server(host, port=int(port), get_info=ALL)
c = Connection(server, user=user, password=password, authentication=NTLM)
out['bind'] = c.bind()
out['result'] = c.result['result']
out['message'] = c.result['message']
if out['bind']:
    out['schemaKnowsKeyCredentialLink'] = server.schema is not None and 'msDS-KeyCredentialLink' in server.schema.attribute_types
    out['mechanisms'] = [str(m) for m in server.info.supported_sasl_mechanisms]
    c.search(base, '(&(objectClass=user)(msDS-KeyCredentialLink=*))', attributes=['msDS-KeyCredentialLink'])
    text = lambda v: v.decode() if isinstance(v, bytes) else str(v)
    out['found'] = {e.entry_dn: [text(v) for v in e['msDS-KeyCredentialLink'].values] for e in c.entries}
    if value != '-':
        c.modify(target, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [value])]})
        out['modify'] = c.result['result']
print(json.dumps(out))
