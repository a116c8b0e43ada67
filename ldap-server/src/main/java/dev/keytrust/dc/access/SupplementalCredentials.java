package dev.keytrust.dc.access;

import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.KerberosKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;

/**
 * The stored form of {@code supplementalCredentials} on this DC and its partners: version 1, the key version
 * number, the salt (UTF-8), then each key as enctype and bytes. Big-endian, length-prefixed. AD's own value is a
 * USER_PROPERTIES blob ([MS-SAMR] 2.2.10.1); no client reads either, so the testbed keeps its own simpler one.
 */
final class SupplementalCredentials {
    private static final int VERSION = 1;

    private SupplementalCredentials() {
    }

    /** A decoded value. */
    record Decoded(int kvno, String salt, List<KerberosKey> keys) {
    }

    static byte[] encode(int kvno, String salt, List<KerberosKey> keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(kvno);
            byte[] s = salt.getBytes(StandardCharsets.UTF_8);
            out.writeShort(s.length);
            out.write(s);
            out.writeByte(keys.size());
            for (KerberosKey k : keys) {
                out.writeInt(k.etype());
                byte[] b = k.keyBytes();
                out.writeShort(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static Decoded decode(byte[] value) throws LdapException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("version " + version + ", expected " + VERSION);
            }
            int kvno = in.readInt();
            byte[] salt = in.readNBytes(in.readUnsignedShort());
            int count = in.readUnsignedByte();
            List<KerberosKey> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int etype = in.readInt();
                int length = in.readUnsignedShort();
                byte[] key = in.readNBytes(length);
                if (key.length != length) {
                    throw new IOException("truncated key");
                }
                keys.add(new KerberosKey(etype, kvno, key));
            }
            return new Decoded(kvno, new String(salt, StandardCharsets.UTF_8), keys);
        } catch (IOException | KeyTrustException e) {
            throw new LdapOperationException(ResultCodeEnum.OTHER, "stored supplementalCredentials cannot be read ("
                    + e.getMessage() + "); set the account's password again");
        }
    }
}
