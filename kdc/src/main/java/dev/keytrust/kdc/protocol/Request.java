package dev.keytrust.kdc.protocol;

import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KdcAccounts;
import dev.keytrust.kdc.KdcConfig;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * One request being served: the KDC's settings and the instant the request is served at (read once from the
 * configured clock), plus the look-ups every exchange needs.
 *
 * @param config the KDC's settings
 * @param now when the request is served, truncated to whole seconds as Kerberos times are
 */
public record Request(KdcConfig config, Instant now) {

    /** The request time as a Kerberos time. */
    public KerberosTime kerberosNow() {
        return new KerberosTime(now.toEpochMilli());
    }

    /** The realm, upper case. */
    public String realm() {
        return config.realm();
    }

    /** The DNS domain name: the realm in lower case, as in AD. */
    public String dnsDomain() {
        return config.realm().toLowerCase(Locale.ROOT);
    }

    /** The realm's krbtgt account's strongest key (TGTs and PAC KDC signatures use it). */
    public dev.keytrust.kdc.KerberosKey krbtgtKey() {
        return Crypto.strongest(service("krbtgt").keys()).orElseThrow(() -> new KdcRefusal(
                KrbErrorCode.KDC_ERR_ETYPE_NOSUPP, "krbtgt has no key of a supported enctype"));
    }

    /** Refuses a request for another realm (realms compare case-insensitively, as AD does). */
    public void requireRealm(String realm) {
        if (realm == null || !realm.equalsIgnoreCase(config.realm())) {
            throw new KdcRefusal(KrbErrorCode.WRONG_REALM, "expected realm " + config.realm() + ", found "
                    + (realm == null ? "none" : realm));
        }
    }

    /** The principal name components joined by {@code /}; {@code krbtgt/REALM} becomes {@code krbtgt}. */
    public String nameOf(PrincipalName name) {
        List<String> parts = name == null ? List.of() : name.getNameStrings();
        if (parts == null || parts.isEmpty() || parts.stream().anyMatch(p -> p == null || p.isEmpty())) {
            return "";
        }
        if (isTgs(name)) {
            return "krbtgt";
        }
        return String.join("/", parts);
    }

    /** Whether {@code name} is this realm's ticket-granting service {@code krbtgt/REALM}. */
    public boolean isTgs(PrincipalName name) {
        List<String> parts = name == null ? null : name.getNameStrings();
        return parts != null && parts.size() == 2 && "krbtgt".equalsIgnoreCase(parts.get(0))
                && config.realm().equalsIgnoreCase(parts.get(1));
    }

    /** This realm's {@code krbtgt/REALM}. */
    public PrincipalName tgsName() {
        PrincipalName name = new PrincipalName(List.of("krbtgt", config.realm()), NameType.NT_SRV_INST);
        name.setRealm(config.realm());
        return name;
    }

    /** The client account named {@code name}: unknown → 6, disabled → 18. */
    public KdcAccount client(String name) {
        KdcAccount account = name.isEmpty() ? null
                : config.accounts().find(name, KdcAccounts.Role.CLIENT).orElse(null);
        if (account == null) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, "client not found in Kerberos database");
        }
        if (account.disabled()) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_CLIENT_REVOKED, "client's account is disabled");
        }
        return account;
    }

    /** The service account named {@code name} ({@code krbtgt} for the TGS): unknown → 7. */
    public KdcAccount service(String name) {
        KdcAccount account = name.isEmpty() ? null
                : config.accounts().find(name, KdcAccounts.Role.SERVICE).orElse(null);
        if (account == null || account.disabled()) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
                    "server not found in Kerberos database");
        }
        return account;
    }

    /** Whether {@code time} is within the allowed skew of now. */
    public boolean withinSkew(KerberosTime time) {
        return time != null && Math.abs(time.getTime() - now.toEpochMilli()) <= config.maxSkew().toMillis();
    }

    /** A principal name made safe for a log line: control characters replaced, at most 256 characters. */
    public static String forLog(String name) {
        String printable = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 256 ? printable.substring(0, 256) + "..." : printable;
    }
}
