package dev.keytrust.dc.access;

import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sid;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nTSecurityDescriptor as AD returns it: a self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6) built from the
 * object's class's defaultSecurityDescriptor (SDDL, as the Windows Server 2016 schema gives it), with owner and group
 * Domain Admins, and the domain head's inheritable ACEs (among them Key Admins' and Enterprise Key Admins' read and
 * write of msDS-KeyCredentialLink) inherited by every object below it. {@code flags} is the SD flags control's value
 * (OWNER 1, GROUP 2, DACL 4, SACL 8): only those parts are present. No SACL is kept (AD returns it only to
 * holders of SeSecurityPrivilege).
 *
 * <pre>{@code
 * byte[] sd = descriptors.forClass(List.of("top", "person", "user"), false, 0x7);
 * }</pre>
 */
public final class SecurityDescriptors {
    public static final int OWNER = 1;
    public static final int GROUP = 2;
    public static final int DACL = 4;

    /** The schemaIDGUID of msDS-KeyCredentialLink. */
    static final String KEY_CREDENTIAL_LINK_GUID = "5b47d60f-6090-40b2-9f37-2a4de88f3063";

    private static final String FULL = "RPWPCRCCDCLCLORCWOWDSDDTSW";
    /** defaultSecurityDescriptor of the classes a DC holds (DACL part), from the Windows Server 2016 schema. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "user", "(A;;" + FULL + ";;;DA)(A;;" + FULL + ";;;SY)(A;;" + FULL + ";;;AO)(A;;RPLCLORC;;;PS)"
                    + "(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;PS)(OA;;CR;ab721a54-1e2f-11d0-9819-00aa0040529b;;PS)"
                    + "(OA;;CR;ab721a56-1e2f-11d0-9819-00aa0040529b;;PS)(OA;;RPWP;77B5B886-944A-11d1-AEBD-0000F80367C1;;PS)"
                    + "(OA;;RPWP;E45795B2-9455-11d1-AEBD-0000F80367C1;;PS)(OA;;RPWP;E45795B3-9455-11d1-AEBD-0000F80367C1;;PS)"
                    + "(A;;RC;;;AU)(OA;;RP;59ba2f42-79a2-11d0-9020-00c04fc2d3cf;;AU)(OA;;RP;77B5B886-944A-11d1-AEBD-0000F80367C1;;AU)"
                    + "(OA;;RP;E45795B3-9455-11d1-AEBD-0000F80367C1;;AU)(OA;;RP;e48d0154-bcf8-11d1-8702-00c04fb96050;;AU)"
                    + "(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)",
            "computer", "(A;;" + FULL + ";;;DA)(A;;" + FULL + ";;;AO)(A;;" + FULL + ";;;SY)(A;;RPCRLCLORCSDDT;;;CO)"
                    + "(OA;;WP;4c164200-20c0-11d0-a768-00aa006e0529;;CO)(A;;RPLCLORC;;;AU)"
                    + "(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)(A;;CCDC;;;PS)"
                    + "(OA;;SW;f3a64788-5306-11d1-a9c5-0000f80367c1;;PS)(OA;;RPWP;77B5B886-944A-11d1-AEBD-0000F80367C1;;PS)"
                    + "(OA;;SW;72e39547-7b18-11d1-adef-00c04fd8d5cd;;PS)(OA;;SW;72e39547-7b18-11d1-adef-00c04fd8d5cd;;CO)"
                    + "(OA;;SW;f3a64788-5306-11d1-a9c5-0000f80367c1;;CO)",
            "group", "(A;;" + FULL + ";;;DA)(A;;" + FULL + ";;;SY)(A;;RPLCLORC;;;AU)(A;;" + FULL + ";;;AO)(A;;RPLCLORC;;;PS)"
                    + "(OA;;CR;ab721a55-1e2f-11d0-9819-00aa0040529b;;AU)",
            "domaindns", "(A;;RP;;;WD)(A;;RPLCLORC;;;AU)(A;;RPWPCRLCLOCCRCWDWOSW;;;DA)(A;CI;RPWPCRLCLOCCRCWDWOSDSW;;;BA)"
                    + "(A;;RPWPCRLCLOCCDCRCWDWOSDDTSW;;;SY)(A;CI;RPWPCRLCLOCCDCRCWDWOSDDTSW;;;EA)(A;CI;LC;;;RU)(A;;LCRPLORC;;;ED)"
                    + "(OA;CIIO;SW;9b026da6-0d3c-465c-8bee-5199d7165cba;bf967a86-0de6-11d0-a285-00aa003049e2;PS)"
                    + "(OA;CIIO;SW;9b026da6-0d3c-465c-8bee-5199d7165cba;bf967a86-0de6-11d0-a285-00aa003049e2;CO)"
                    // Added to the domain head by Windows Server 2016 (not in the class default): the Key Admins' rights.
                    + "(OA;CI;RPWP;" + KEY_CREDENTIAL_LINK_GUID + ";;KA)(OA;CI;RPWP;" + KEY_CREDENTIAL_LINK_GUID + ";;EK)",
            "organizationalunit", "(A;;" + FULL + ";;;SY)(A;;" + FULL + ";;;DA)"
                    + "(OA;;CCDC;bf967a86-0de6-11d0-a285-00aa003049e2;;AO)(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)"
                    + "(OA;;CCDC;bf967a9c-0de6-11d0-a285-00aa003049e2;;AO)(A;;RPLCLORC;;;AU)(A;;LCRPLORC;;;ED)",
            "trusteddomain", "(A;;" + FULL + ";;;DA)(A;;" + FULL + ";;;SY)(A;;RPLCLORC;;;AU)(A;;SD;;;CO)",
            "container", "(A;;" + FULL + ";;;DA)(A;;" + FULL + ";;;SY)(A;;RPLCLORC;;;AU)");
    private static final Map<String, Integer> RIGHTS = Map.ofEntries(Map.entry("GA", 0x10000000),
            Map.entry("GR", 0x80000000), Map.entry("GW", 0x40000000), Map.entry("GX", 0x20000000),
            Map.entry("RC", 0x20000), Map.entry("SD", 0x10000), Map.entry("WD", 0x40000), Map.entry("WO", 0x80000),
            Map.entry("RP", 0x10), Map.entry("WP", 0x20), Map.entry("CC", 0x1), Map.entry("DC", 0x2),
            Map.entry("LC", 0x4), Map.entry("SW", 0x8), Map.entry("LO", 0x80), Map.entry("DT", 0x40), Map.entry("CR", 0x100));
    private static final Map<String, Integer> ACE_FLAGS = Map.of("OI", 0x1, "CI", 0x2, "NP", 0x4, "IO", 0x8, "ID", 0x10);
    private static final Map<String, String> WELL_KNOWN = Map.of("SY", "S-1-5-18", "AU", "S-1-5-11", "PS", "S-1-5-10",
            "WD", "S-1-1-0", "CO", "S-1-3-0", "ED", "S-1-5-9", "BA", "S-1-5-32-544", "AO", "S-1-5-32-548",
            "PO", "S-1-5-32-550", "RU", "S-1-5-32-554");
    private static final Map<String, Integer> DOMAIN_RIDS = Map.of("DA", 512, "DU", 513, "DC", 515, "DD", 516, "CA", 517,
            "SA", 518, "EA", 519, "KA", 526, "EK", 527);
    private static final Pattern ACE = Pattern.compile("\\(([^;()]*);([^;()]*);([^;()]*);([^;()]*);([^;()]*);([^;()]*)\\)");

    /** One access control entry. */
    private record Ace(int type, int flags, int mask, UUID objectType, UUID inheritedType, Sid trustee) {
    }

    private final Sid domainSid;
    private final List<Ace> inheritable;

    public SecurityDescriptors(Sid domainSid) {
        this.domainSid = domainSid;
        List<Ace> fromHead = new ArrayList<>();
        for (Ace a : parse(DEFAULTS.get("domaindns"))) {
            if ((a.flags() & ACE_FLAGS.get("CI")) != 0) {
                // what a child inherits: marked inherited, no longer inherit-only
                fromHead.add(new Ace(a.type(), (a.flags() & 0x3) | ACE_FLAGS.get("ID"), a.mask(),
                        a.objectType(), a.inheritedType(), a.trustee()));
            }
        }
        this.inheritable = List.copyOf(fromHead);
    }

    /**
     * The descriptor of an object of these classes (lower case, as objectClass lists them).
     *
     * @param domainHead whether the object is the domain head (it inherits nothing)
     * @param flags which parts to include (the SD flags control; 0x7 when the control is absent, as AD)
     */
    public byte[] forClass(List<String> classes, boolean domainHead, int flags) {
        String cls = "container";
        for (String c : List.of("computer", "user", "group", "domaindns", "organizationalunit", "trusteddomain")) {
            if (classes.contains(c)) {
                cls = c;
                break;
            }
        }
        List<Ace> dacl = new ArrayList<>(parse(DEFAULTS.get(cls)));
        if (!domainHead) {
            for (Ace a : inheritable) {
                String computerClass = "bf967a86-0de6-11d0-a285-00aa003049e2";
                if (a.inheritedType() == null || (a.inheritedType().toString().equals(computerClass) && classes.contains("computer"))) {
                    dacl.add(a);
                }
            }
        }
        Sid admins = domainSid.withRid(512);
        return encode((flags & OWNER) != 0 ? admins : null, (flags & GROUP) != 0 ? admins : null,
                (flags & DACL) != 0 ? dacl : null);
    }

    private List<Ace> parse(String sddl) {
        List<Ace> out = new ArrayList<>();
        Matcher m = ACE.matcher(sddl);
        while (m.find()) {
            int type = switch (m.group(1)) {
                case "A" -> 0x00;
                case "D" -> 0x01;
                case "OA" -> 0x05;
                case "OD" -> 0x06;
                default -> throw new IllegalArgumentException("ACE type " + m.group(1) + " in " + m.group());
            };
            out.add(new Ace(type, codes(m.group(2), ACE_FLAGS), codes(m.group(3), RIGHTS), guid(m.group(4)),
                    guid(m.group(5)), trustee(m.group(6))));
        }
        return out;
    }

    private static int codes(String text, Map<String, Integer> table) {
        int bits = 0;
        for (int i = 0; i + 1 < text.length(); i += 2) {
            Integer bit = table.get(text.substring(i, i + 2));
            if (bit == null) {
                throw new IllegalArgumentException("SDDL code " + text.substring(i, i + 2) + " in " + text);
            }
            bits |= bit;
        }
        return bits;
    }

    private static UUID guid(String text) {
        return text.isEmpty() ? null : UUID.fromString(text.toLowerCase(Locale.ROOT));
    }

    private Sid trustee(String text) {
        if (text.startsWith("S-")) {
            return Sid.parse(text);
        }
        if (WELL_KNOWN.containsKey(text)) {
            return Sid.parse(WELL_KNOWN.get(text));
        }
        Integer rid = DOMAIN_RIDS.get(text);
        if (rid == null) {
            throw new IllegalArgumentException("SDDL trustee " + text);
        }
        return domainSid.withRid(rid);
    }

    private static byte[] encode(Sid owner, Sid group, List<Ace> dacl) {
        byte[] ownerBytes = owner == null ? new byte[0] : owner.toBytes();
        byte[] groupBytes = group == null ? new byte[0] : group.toBytes();
        byte[] aclBytes = dacl == null ? new byte[0] : acl(dacl);
        int control = 0x8000 | 0x0400 | (dacl != null ? 0x0004 : 0); // SELF_RELATIVE, DACL_AUTO_INHERITED, DACL_PRESENT
        int offset = 20;
        int daclAt = dacl == null ? 0 : offset;
        offset += aclBytes.length;
        int ownerAt = owner == null ? 0 : offset;
        offset += ownerBytes.length;
        int groupAt = group == null ? 0 : offset;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(0);
        le16(out, control);
        le32(out, ownerAt);
        le32(out, groupAt);
        le32(out, 0);
        le32(out, daclAt);
        out.writeBytes(aclBytes);
        out.writeBytes(ownerBytes);
        out.writeBytes(groupBytes);
        return out.toByteArray();
    }

    private static byte[] acl(List<Ace> aces) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean objectAces = false;
        for (Ace a : aces) {
            ByteArrayOutputStream ace = new ByteArrayOutputStream();
            le32(ace, a.mask());
            if (a.type() == 0x05 || a.type() == 0x06) {
                objectAces = true;
                le32(ace, (a.objectType() != null ? 1 : 0) | (a.inheritedType() != null ? 2 : 0));
                if (a.objectType() != null) {
                    ace.writeBytes(MsGuid.toBytes(a.objectType()));
                }
                if (a.inheritedType() != null) {
                    ace.writeBytes(MsGuid.toBytes(a.inheritedType()));
                }
            }
            ace.writeBytes(a.trustee().toBytes());
            body.write(a.type());
            body.write(a.flags());
            le16(body, ace.size() + 4);
            body.writeBytes(ace.toByteArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(objectAces ? 4 : 2); // ACL_REVISION_DS when object ACEs are present
        out.write(0);
        le16(out, body.size() + 8);
        le16(out, aces.size());
        le16(out, 0);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        le16(out, v & 0xFFFF);
        le16(out, (v >>> 16) & 0xFFFF);
    }
}
