package dev.keytrust.kdc.pac;

import dev.keytrust.encoding.Sid;
import dev.keytrust.encoding.WindowsTime;
import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.crypto.AesCts;
import dev.keytrust.kdc.protocol.KdcRefusal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;

/**
 * Builds a signed PAC ([MS-PAC]) for a client account: KERB_VALIDATION_INFO (user SID as domain SID + RID,
 * primary and other group RIDs, names), PAC_CLIENT_INFO, UPN_DNS_INFO, and the server and KDC signatures
 * (keyed checksums, key usage 17, in the service's and krbtgt's keys).
 */
public final class PacBuilder {
    static final int LOGON_INFO = 1;
    static final int SERVER_CHECKSUM = 6;
    static final int PRIVSVR_CHECKSUM = 7;
    static final int CLIENT_INFO = 10;
    static final int UPN_DNS_INFO = 12;
    /** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED. */
    private static final int GROUP_ATTRIBUTES = 7;
    private static final long NEVER = 0x7fffffffffffffffL;
    /** Key usage KERB_NON_KERB_CKSUM_SALT (17). */
    private static final KeyUsage SIGNATURE_USAGE = KeyUsage.APP_DATA_CKSUM;

    private PacBuilder() {
    }

    /**
     * The PAC for {@code client} authenticated at {@code authTime}, signed with {@code serverKey} (the key the
     * ticket is sealed in) and {@code kdcKey} (krbtgt's).
     *
     * @param clientName the client name exactly as in the ticket's cname (PAC_CLIENT_INFO must match it)
     * @param dnsDomain the DNS domain name, e.g. {@code corp.example.com}
     */
    public static byte[] build(KdcAccount client, String clientName, Instant authTime, String dnsDomain,
                               KerberosKey serverKey, KerberosKey kdcKey) {
        int serverType = checksumType(serverKey);
        int kdcType = checksumType(kdcKey);
        byte[] pac = layout(List.of(
                new Buffer(LOGON_INFO, logonInfo(client, authTime, dnsDomain)),
                new Buffer(CLIENT_INFO, clientInfo(clientName, authTime)),
                new Buffer(UPN_DNS_INFO, upnDnsInfo(client, dnsDomain)),
                new Buffer(SERVER_CHECKSUM, emptySignature(serverType)),
                new Buffer(PRIVSVR_CHECKSUM, emptySignature(kdcType))));
        int serverOffset = offsetOf(pac, SERVER_CHECKSUM) + 4;
        int kdcOffset = offsetOf(pac, PRIVSVR_CHECKSUM) + 4;
        byte[] serverSignature = checksum(serverType, pac, serverKey);
        System.arraycopy(serverSignature, 0, pac, serverOffset, serverSignature.length);
        byte[] kdcSignature = checksum(kdcType, serverSignature, kdcKey);
        System.arraycopy(kdcSignature, 0, pac, kdcOffset, kdcSignature.length);
        return pac;
    }

    private record Buffer(int type, byte[] data) {
    }

    /** PACTYPE: count, version 0, the PAC_INFO_BUFFERs, then each buffer at an 8-byte-aligned offset. */
    private static byte[] layout(List<Buffer> buffers) {
        int headerSize = 8 + 16 * buffers.size();
        int offset = align8(headerSize);
        ByteBuffer header = ByteBuffer.allocate(headerSize).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(buffers.size()).putInt(0);
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            header.putInt(buffers.get(i).type()).putInt(buffers.get(i).data().length).putLong(offset);
            offsets.add(offset);
            offset = align8(offset + buffers.get(i).data().length);
        }
        byte[] pac = new byte[offset];
        System.arraycopy(header.array(), 0, pac, 0, headerSize);
        for (int i = 0; i < buffers.size(); i++) {
            byte[] data = buffers.get(i).data();
            System.arraycopy(data, 0, pac, offsets.get(i), data.length);
        }
        return pac;
    }

    /** The offset of the first buffer of {@code type} in a PAC. */
    static int offsetOf(byte[] pac, int type) {
        ByteBuffer b = ByteBuffer.wrap(pac).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(0);
        for (int i = 0; i < count; i++) {
            if (b.getInt(8 + 16 * i) == type) {
                return (int) b.getLong(8 + 16 * i + 8);
            }
        }
        throw new IllegalArgumentException("the PAC has no buffer of type " + type);
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static byte[] logonInfo(KdcAccount client, Instant authTime, String dnsDomain) {
        Sid userSid = Sid.parse(client.sid());
        long[] sub = userSid.subAuthorities();
        long[] domainSub = java.util.Arrays.copyOf(sub, sub.length - 1);
        String netbios = dnsDomain.split("\\.")[0].toUpperCase(Locale.ROOT);
        List<Integer> groups = client.groupRids().isEmpty() ? List.of(513) : client.groupRids();

        NdrWriter w = new NdrWriter();
        w.u32(w.nextReferent()); // top-level pointer to the KERB_VALIDATION_INFO
        long logon = WindowsTime.toFileTime(authTime);
        w.fileTime(logon);
        w.fileTime(NEVER); // LogoffTime
        w.fileTime(NEVER); // KickOffTime
        w.fileTime(0); // PasswordLastSet: not known to the KDC
        w.fileTime(0); // PasswordCanChange
        w.fileTime(NEVER); // PasswordMustChange
        String effectiveName = client.samAccountName();
        w.stringHeader(effectiveName);
        for (int i = 0; i < 5; i++) {
            w.stringHeader(""); // FullName, LogonScript, ProfilePath, HomeDirectory, HomeDirectoryDrive
        }
        w.u16(0); // LogonCount
        w.u16(0); // BadPasswordCount
        w.u32(client.rid());
        w.u32(groups.get(0)); // PrimaryGroupId
        w.u32(groups.size());
        w.pointer(true); // GroupIds
        w.u32(0); // UserFlags
        w.bytes(new byte[16]); // UserSessionKey
        w.stringHeader(""); // LogonServer
        w.stringHeader(netbios); // LogonDomainName
        w.pointer(true); // LogonDomainId
        w.u32(0); // Reserved1[2]
        w.u32(0);
        w.u32(client.isComputer() ? 0x80 : 0x10); // USER_WORKSTATION_TRUST_ACCOUNT or USER_NORMAL_ACCOUNT
        w.u32(0); // SubAuthStatus
        w.fileTime(0); // LastSuccessfulILogon
        w.fileTime(0); // LastFailedILogon
        w.u32(0); // FailedILogonCount
        w.u32(0); // Reserved3
        w.u32(0); // SidCount
        w.pointer(false); // ExtraSids
        w.pointer(false); // ResourceGroupDomainSid
        w.u32(0); // ResourceGroupCount
        w.pointer(false); // ResourceGroupIds
        // deferred referents, in the order of their pointers
        w.stringChars(effectiveName);
        w.u32(groups.size());
        for (int rid : groups) {
            w.u32(rid & 0xffffffffL);
            w.u32(GROUP_ATTRIBUTES);
        }
        w.stringChars(netbios);
        w.u32(domainSub.length); // RPC_SID conformance
        w.u8(1);
        w.u8(domainSub.length);
        for (int i = 5; i >= 0; i--) {
            w.u8((int) (userSid.authority() >>> (8 * i)));
        }
        for (long s : domainSub) {
            w.u32(s);
        }
        w.align(8);
        byte[] body = w.toByteArray();

        ByteBuffer out = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 1).put((byte) 0x10).putShort((short) 8).putInt(0xcccccccc); // common header
        out.putInt(body.length).putInt(0); // private header
        out.put(body);
        return out.array();
    }

    private static byte[] clientInfo(String clientName, Instant authTime) {
        byte[] name = clientName.getBytes(StandardCharsets.UTF_16LE);
        return ByteBuffer.allocate(10 + name.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(WindowsTime.toFileTime(authTime)).putShort((short) name.length).put(name).array();
    }

    private static byte[] upnDnsInfo(KdcAccount client, String dnsDomain) {
        boolean constructed = client.userPrincipalName().isEmpty();
        String upn = client.userPrincipalName()
                .orElse(client.samAccountName() + "@" + dnsDomain.toLowerCase(Locale.ROOT));
        byte[] upnBytes = upn.getBytes(StandardCharsets.UTF_16LE);
        byte[] dnsBytes = dnsDomain.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE);
        int upnOffset = 16;
        int dnsOffset = align8(upnOffset + upnBytes.length);
        ByteBuffer b = ByteBuffer.allocate(dnsOffset + dnsBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) upnBytes.length).putShort((short) upnOffset)
                .putShort((short) dnsBytes.length).putShort((short) dnsOffset)
                .putInt(constructed ? 1 : 0);
        b.put(upnOffset, upnBytes);
        b.put(dnsOffset, dnsBytes);
        return b.array();
    }

    private static int checksumType(KerberosKey key) {
        return switch (key.etype()) {
            case KerberosKey.AES256_CTS_HMAC_SHA1_96 -> CheckSumType.HMAC_SHA1_96_AES256.getValue();
            case KerberosKey.AES128_CTS_HMAC_SHA1_96 -> CheckSumType.HMAC_SHA1_96_AES128.getValue();
            default -> CheckSumType.HMAC_MD5_ARCFOUR.getValue();
        };
    }

    private static byte[] emptySignature(int type) {
        int length = type == CheckSumType.HMAC_MD5_ARCFOUR.getValue() ? 16 : 12;
        return ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN).putInt(type).array();
    }

    private static byte[] checksum(int type, byte[] data, KerberosKey key) {
        try {
            if (AesCts.serves(key.etype()) && type == checksumType(key)) { // hmac-sha1-96-aes256/aes128
                return AesCts.checksum(key.keyBytes(), SIGNATURE_USAGE.getValue(), data);
            }
            return CheckSumHandler.checksumWithKey(CheckSumType.fromValue(type), data, key.keyBytes(),
                    SIGNATURE_USAGE).getChecksum();
        } catch (KrbException | java.security.GeneralSecurityException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "could not sign the PAC");
        }
    }
}
