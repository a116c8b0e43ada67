package dev.keytrust.dc.access;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.WindowsTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;

/**
 * What an AD DC sets on a new security principal when the client leaves it out ([MS-SAMR] 3.1.1.8, as AD and Samba
 * show it): sAMAccountType from the class, primaryGroupID (513 Domain Users, 515 Domain Computers, 516 Domain
 * Controllers), a computer's {@code HOST/} SPNs (as a domain join registers them), pwdLastSet (now when a password comes with the add, else 0), the sign-in counters at 0 and
 * accountExpires "never". Values the client gave are kept.
 */
public final class AccountDefaults {
    /** userAccountControl bits ([MS-ADTS] 2.2.16). */
    static final int ACCOUNTDISABLE = 0x2;
    static final int WORKSTATION_TRUST_ACCOUNT = 0x1000;
    static final int SERVER_TRUST_ACCOUNT = 0x2000;
    /** sAMAccountType values ([MS-SAMR] 2.2.1.9 / [MS-ADTS] 3.1.1.8). */
    static final String SAM_USER_OBJECT = "805306368";
    static final String SAM_MACHINE_ACCOUNT = "805306369";
    static final String SAM_GROUP_OBJECT = "268435456";
    static final String SAM_NON_SECURITY_GROUP_OBJECT = "268435457";
    /** The well-known RIDs of the groups a new account's primaryGroupID names. */
    public static final int DOMAIN_USERS = 513;
    public static final int DOMAIN_COMPUTERS = 515;
    public static final int DOMAIN_CONTROLLERS = 516;
    private static final String NEVER = "9223372036854775807";
    private static final List<String> ZERO = List.of("badPwdCount", "badPasswordTime", "lastLogon", "lastLogoff", "logonCount");

    private final DcState state;
    private final Map<String, AttributeType> types = new ConcurrentHashMap<>();

    public AccountDefaults(DcState state) {
        this.state = state;
    }

    /** Fills in the defaults of an originating add of a user, computer or group. */
    public void fill(Entry entry, List<String> classes) throws LdapException {
        if (classes.contains("group")) {
            Attribute type = entry.get(AdSchema.GROUP_TYPE);
            boolean security = type == null || Long.parseLong(type.getString().trim()) < 0;
            putIfAbsent(entry, AdSchema.SAM_ACCOUNT_TYPE, security ? SAM_GROUP_OBJECT : SAM_NON_SECURITY_GROUP_OBJECT);
            return;
        }
        if (!classes.contains("user") && !classes.contains("computer")) {
            return;
        }
        int control = userAccountControl(entry);
        boolean machine = classes.contains("computer") || (control & (WORKSTATION_TRUST_ACCOUNT | SERVER_TRUST_ACCOUNT)) != 0;
        putIfAbsent(entry, AdSchema.SAM_ACCOUNT_TYPE, machine ? SAM_MACHINE_ACCOUNT : SAM_USER_OBJECT);
        int group = (control & SERVER_TRUST_ACCOUNT) != 0 ? DOMAIN_CONTROLLERS : machine ? DOMAIN_COMPUTERS : DOMAIN_USERS;
        putIfAbsent(entry, AdSchema.PRIMARY_GROUP_ID, String.valueOf(group));
        boolean password = entry.containsAttribute(state.types.userPassword);
        putIfAbsent(entry, AdSchema.PWD_LAST_SET, password ? String.valueOf(WindowsTime.toFileTime(state.stamps.now())) : "0");
        putIfAbsent(entry, "accountExpires", NEVER);
        if (machine && !entry.containsAttribute(AdSchema.SERVICE_PRINCIPAL_NAME)) {
            entry.put(type(AdSchema.SERVICE_PRINCIPAL_NAME), machineSpns(entry, control));
        }
        for (String counter : ZERO) {
            putIfAbsent(entry, counter, "0");
        }
    }

    /**
     * The SPNs AD's join (and the DC's promotion) registers: {@code HOST/NAME} and {@code HOST/dns.name}, and for a
     * DC also {@code ldap/} and {@code GC/} with the DNS host and domain names.
     */
    private String[] machineSpns(Entry entry, int control) throws LdapException {
        String name = entry.getDn().getRdn().getValue();
        Attribute dns = entry.get(AdSchema.DNS_HOST_NAME);
        List<String> spns = new ArrayList<>(List.of("HOST/" + name.toUpperCase(Locale.ROOT)));
        if (dns != null) {
            String host = dns.getString();
            spns.add("HOST/" + host);
            if ((control & SERVER_TRUST_ACCOUNT) != 0) {
                String domain = state.config.domain();
                spns.addAll(List.of("ldap/" + host, "ldap/" + host + "/" + domain, "ldap/" + name.toUpperCase(Locale.ROOT),
                        "GC/" + host + "/" + domain));
            }
        }
        return spns.toArray(String[]::new);
    }

    /** The entry's userAccountControl (0 when it has none or it is not a number). */
    static int userAccountControl(Entry entry) {
        return (int) number(entry, AdSchema.USER_ACCOUNT_CONTROL, 0);
    }

    /** An INTEGER attribute of the entry (userAccountControl, pwdLastSet, accountExpires), or {@code missing}. */
    static long number(Entry entry, String attribute, long missing) {
        Attribute a = entry.get(attribute);
        try {
            return a == null || a.get() == null ? missing : Long.parseLong(a.get().getString().trim());
        } catch (NumberFormatException e) {
            return missing;
        }
    }

    private void putIfAbsent(Entry entry, String attribute, String value) throws LdapException {
        AttributeType type = type(attribute);
        if (!entry.containsAttribute(type)) {
            entry.put(type, value);
        }
    }

    /** The attribute type of a name this class uses (looked up once: a lookup by name costs more than the put). */
    private AttributeType type(String attribute) throws LdapException {
        AttributeType type = types.get(attribute);
        if (type == null) {
            type = state.schema.lookupAttributeTypeRegistry(attribute);
            types.put(attribute, type);
        }
        return type;
    }
}
