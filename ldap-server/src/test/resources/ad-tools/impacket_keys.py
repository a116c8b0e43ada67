# impacket's NTLM login (its LDAPConnection.login: Sicily NTLM in impacket 0.10), then a search of the users that
# have msDS-KeyCredentialLink and an add of one KeyCredential value. Prints one JSON object.
# Usage: impacket_keys.py HOST BASE DOMAIN USER PASSWORD TARGET_DN VALUE   (impacket 0.10 always uses port 389)
import json, sys
from impacket.ldap import ldap, ldapasn1

host, base, domain, user, password, target, value = sys.argv[1:8]
out = {}
c = ldap.LDAPConnection('ldap://' + host, base)
try:
    c.login(user, password, domain)
    out['login'] = 'ok'
except ldap.LDAPSessionError as e:
    out['login'] = str(e)
    print(json.dumps(out))
    sys.exit(0)
found = {}
for e in c.search(searchFilter='(&(objectClass=user)(msDS-KeyCredentialLink=*))',
                  attributes=['msDS-KeyCredentialLink']):
    if isinstance(e, ldapasn1.SearchResultEntry):
        values = []
        for a in e['attributes']:
            if str(a['type']).lower() == 'msds-keycredentiallink':
                values = [bytes(v).decode() for v in a['vals']]
        found[str(e['objectName'])] = values
out['found'] = found
if value != '-':
    m = ldapasn1.ModifyRequest()
    m['object'] = target
    m['changes'][0]['operation'] = ldapasn1.Operation('add')
    m['changes'][0]['modification']['type'] = 'msDS-KeyCredentialLink'
    m['changes'][0]['modification']['vals'][0] = value
    op = c.sendReceive(m)[0]['protocolOp']
    if op.getName() != 'modifyResponse':
        out['modify'] = op.getName() + ': ' + op.prettyPrint()
    else:
        r = op['modifyResponse']
        out['modify'] = int(r['resultCode'])
        out['modifyMessage'] = str(r['diagnosticMessage'])
print(json.dumps(out))
