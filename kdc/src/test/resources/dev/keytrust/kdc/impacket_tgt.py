"""Asks a KDC for a TGT with impacket's getKerberosTGT (password preauth), as impacket's getTGT.py does.

Usage: impacket_tgt.py PORT REALM USER PASSWORD [SPN]
With SPN, then asks for a service ticket with getKerberosTGS, as impacket's getST.py and its Kerberos LDAP login do.
impacket always dials port 88; this script maps 127.0.0.1:88 to PORT and changes nothing else.
Prints 'TGT <etype>' (and 'TGS <etype>' for the SPN) on success, 'KRB-ERROR <code>' on a Kerberos error.
"""
import socket
import sys

from impacket.krb5 import constants
from impacket.krb5.kerberosv5 import KerberosError, getKerberosTGS, getKerberosTGT
from impacket.krb5.types import Principal

port, realm, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
_getaddrinfo = socket.getaddrinfo


def _to_test_kdc(host, p, *args, **kwargs):
    return _getaddrinfo(host, port if p == 88 else p, *args, **kwargs)


socket.getaddrinfo = _to_test_kdc
name = Principal(user, type=constants.PrincipalNameType.NT_PRINCIPAL.value)
try:
    tgt, cipher, old_session_key, session_key = getKerberosTGT(name, password, realm, '', '', '', '127.0.0.1')
except KerberosError as e:
    print('KRB-ERROR %d' % e.getErrorCode())
    sys.exit(2)
print('TGT %d' % cipher.enctype)
if len(sys.argv) > 5 and sys.argv[5]:
    service = Principal(sys.argv[5], type=constants.PrincipalNameType.NT_SRV_INST.value)
    try:
        tgs, tgs_cipher, _, _ = getKerberosTGS(service, realm, '127.0.0.1', tgt, cipher, session_key)
    except KerberosError as e:
        print('KRB-ERROR %d' % e.getErrorCode())
        sys.exit(2)
    print('TGS %d' % tgs_cipher.enctype)
