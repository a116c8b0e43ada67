package dev.keytrust.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.dc.schema.AdSchema;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writes of {@link DcThroughputBenchmark} as an AD DC stores them, sent by the client to a bare ApacheDS: a new
 * user carries what our DC adds to it (objectGUID, objectSid, the account defaults, the USN and time stamps, a
 * replication-metadata value of the size our DC keeps — 1.9 KB for a new user, 3.4 KB once a key was added and
 * removed), and adding or removing a key also writes its back link, uSNChanged, whenChanged and the metadata. No AD
 * interceptor runs: this is what ApacheDS alone costs for AD-sized writes, the floor under any AD DC built on it.
 */
final class AdShapedWrites {
    private static final int METADATA_NEW = 1_908;
    private static final int METADATA_WITH_KEY = 3_376;
    private static final int METADATA_KEY_REMOVED = 3_402;

    private final String base;
    private final AtomicLong usn = new AtomicLong(1_000);

    AdShapedWrites(String base) {
        this.base = base;
    }

    void addUser(LDAPInterface c, String dn, String name, int i) throws LDAPException {
        String now = "20261205120000.0Z";
        String stamp = String.valueOf(usn.incrementAndGet());
        c.add(dn, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"), new Attribute("cn", name),
                new Attribute("sn", "Bench"), new Attribute(AdSchema.SAM_ACCOUNT_NAME, name),
                new Attribute("objectGUID", guid(i)), new Attribute("objectSid", sid(i)), new Attribute("instanceType", "4"),
                new Attribute("whenCreated", now), new Attribute("whenChanged", now),
                new Attribute("accountExpires", "9223372036854775807"), new Attribute("badPasswordTime", "0"),
                new Attribute("objectCategory", "CN=Person,CN=Schema,CN=Configuration," + base),
                new Attribute("logonCount", "0"), new Attribute("sAMAccountType", "805306368"), new Attribute("name", name),
                new Attribute("lastLogoff", "0"), new Attribute("pwdLastSet", "0"), new Attribute("lastLogon", "0"),
                new Attribute("primaryGroupID", "513"), new Attribute("badPwdCount", "0"), new Attribute("uSNCreated", stamp),
                new Attribute("uSNChanged", stamp), new Attribute(AdSchema.REPL_METADATA, metadata(METADATA_NEW, i)));
    }

    void addKey(LDAPInterface c, String dn, String key, int i) throws LDAPException {
        Modification[] stamps = stamps(METADATA_WITH_KEY, i);
        c.modify(dn, new Modification(ModificationType.ADD, AdSchema.KEY_CREDENTIAL_LINK, key),
                new Modification(ModificationType.ADD, AdSchema.KEY_CREDENTIAL_LINK_BL, dn), stamps[0], stamps[1], stamps[2]);
    }

    void removeKey(LDAPInterface c, String dn, String key, int i) throws LDAPException {
        Modification[] stamps = stamps(METADATA_KEY_REMOVED, i);
        c.modify(dn, new Modification(ModificationType.DELETE, AdSchema.KEY_CREDENTIAL_LINK, key),
                new Modification(ModificationType.DELETE, AdSchema.KEY_CREDENTIAL_LINK_BL, dn), stamps[0], stamps[1], stamps[2]);
    }

    private Modification[] stamps(int metadataSize, int i) {
        return new Modification[] {
            new Modification(ModificationType.REPLACE, "uSNChanged", String.valueOf(usn.incrementAndGet())),
            new Modification(ModificationType.REPLACE, "whenChanged", "20261205120001.0Z"),
            new Modification(ModificationType.REPLACE, AdSchema.REPL_METADATA, metadata(metadataSize, i))};
    }

    private static byte[] guid(int i) {
        return ByteBuffer.allocate(16).putLong(i).putLong(~i).array();
    }

    private static byte[] sid(int i) {
        return ByteBuffer.allocate(28).put(new byte[] {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0}).putInt(1).putInt(2).putInt(3)
                .putInt(Integer.reverseBytes(1_000 + i)).array();
    }

    private static byte[] metadata(int size, int i) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ('A' + i % 26));
        return out;
    }
}
