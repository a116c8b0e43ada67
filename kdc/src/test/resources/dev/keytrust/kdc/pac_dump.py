"""Parses a PAC with impacket's MS-PAC structures and prints what it says, one 'key: value' per line.

Usage: pac_dump.py PAC_FILE
"""
import sys

from impacket.krb5.pac import (PACTYPE, PAC_INFO_BUFFER, VALIDATION_INFO, PAC_CLIENT_INFO, UPN_DNS_INFO,
                               PAC_SIGNATURE_DATA)

data = open(sys.argv[1], 'rb').read()
pac = PACTYPE(data)
buffers = pac['Buffers']
for i in range(pac['cBuffers']):
    info = PAC_INFO_BUFFER(buffers[i * 16:(i + 1) * 16])
    body = data[info['Offset']:info['Offset'] + info['cbBufferSize']]
    kind = info['ulType']
    if kind == 1:
        v = VALIDATION_INFO()
        v.fromString(body)
        v.fromStringReferents(body, len(v.getData()))
        d = v['Data']
        print('EffectiveName: %s' % d['EffectiveName'])
        print('UserId: %d' % d['UserId'])
        print('PrimaryGroupId: %d' % d['PrimaryGroupId'])
        print('GroupIds: %s' % ','.join(str(g['RelativeId']) for g in d['GroupIds']))
        print('LogonDomainName: %s' % d['LogonDomainName'])
        print('LogonDomainId: %s' % d['LogonDomainId'].formatCanonical())
        print('UserAccountControl: %d' % d['UserAccountControl'])
    elif kind == 10:
        c = PAC_CLIENT_INFO(body)
        print('ClientName: %s' % c['Name'].decode('utf-16-le'))
    elif kind == 12:
        u = UPN_DNS_INFO(body)
        print('Upn: %s' % body[u['UpnOffset']:u['UpnOffset'] + u['UpnLength']].decode('utf-16-le'))
        print('DnsDomainName: %s' % body[u['DnsDomainNameOffset']:u['DnsDomainNameOffset']
                                        + u['DnsDomainNameLength']].decode('utf-16-le'))
    elif kind in (6, 7):
        s = PAC_SIGNATURE_DATA(body)
        print('Signature%d: %d' % (kind, s['SignatureType']))
