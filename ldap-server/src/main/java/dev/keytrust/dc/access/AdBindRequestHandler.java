package dev.keytrust.dc.access;

import dev.keytrust.dc.state.DcState;
import java.util.Locale;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.BindRequest;
import org.apache.directory.api.ldap.model.message.BindResponse;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.request.BindRequestHandler;

/**
 * Simple binds as AD takes them: besides a DN, a user principal name ({@code alice@corp.example.com}) or a
 * down-level logon name ({@code CORP\alice}); the name is resolved to the account's DN before ApacheDS checks
 * the password. A name that resolves to nothing, a name outside the domain, an object that is not a user or computer,
 * and an empty password all fail as a wrong password does (49, AD's {@code data 52e}).
 */
public final class AdBindRequestHandler extends BindRequestHandler {
    private final DcState state;
    private final DirectoryService service;
    private final SaslBinds sasl;

    public AdBindRequestHandler(DcState state, DirectoryService service, SaslBinds sasl) {
        this.state = state;
        this.service = service;
        this.sasl = sasl;
    }

    /** AD's text for a SASL mechanism it does not offer (ERROR_DS_AUTH_METHOD_NOT_SUPPORTED, with result 7). */
    public static final String UNKNOWN_MECHANISM = "00002027: LdapErr: DSID-0C0904B1, comment: Unknown authentication "
            + "mechanism, data 0, v4563";

    /** SASL binds with a mechanism of the DC's config go to it; others get AD's answer (7, unknown mechanism). */
    @Override
    public void handleSaslAuth(LdapSession session, BindRequest request) throws Exception {
        if (sasl.handles(request.getSaslMechanism())) {
            sasl.bind(session, request);
            return;
        }
        sasl.refuse(session);
        answer(session, request, ResultCodeEnum.AUTH_METHOD_NOT_SUPPORTED, UNKNOWN_MECHANISM);
    }

    /** AD's text for a bind whose name or password is wrong (AcceptSecurityContext error, data 52e). */
    static final String INVALID_CREDENTIALS = "80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, "
            + "data 52e, v4563";

    @Override
    public void handleSimpleAuth(LdapSession session, BindRequest request) throws Exception {
        String name = request.getName();
        if (name == null || name.isEmpty()) {
            super.handleSimpleAuth(session, request); // anonymous
            return;
        }
        if (request.getDn() == null) {
            Dn resolved = resolve(name);
            if (resolved != null) {
                request.setDn(resolved);
            }
        }
        Dn account = request.getDn() != null ? request.getDn() : Dn.isValid(name) ? new Dn(name) : null;
        byte[] password = request.getCredentials();
        if (password == null || password.length == 0 || account == null || !isSecurityPrincipal(account)) {
            // Only the domain's users and computers sign in, with a password: an empty one is a failed sign-in (AD
            // and Samba answer 49, not RFC 4513's unauthenticated bind), and so is any name outside the domain.
            refuse(session, request, INVALID_CREDENTIALS);
            return;
        }
        String refusal = signInRefusal(account, password);
        if (refusal != null) {
            refuse(session, request, refusal);
            return;
        }
        super.handleSimpleAuth(session, request);
    }

    /** Answers 49 (invalidCredentials) with AD's text; the connection stays anonymous. */
    private static void refuse(LdapSession session, BindRequest request, String text) {
        session.setAnonymous();
        answer(session, request, ResultCodeEnum.INVALID_CREDENTIALS, text);
    }

    private static void answer(LdapSession session, BindRequest request, ResultCodeEnum code, String text) {
        BindResponse response = (BindResponse) request.getResultResponse();
        response.getLdapResult().setResultCode(code);
        response.getLdapResult().setDiagnosticMessage(text);
        session.getIoSession().write(response);
    }

    /** AD's text for a bind with the right password to a disabled account (userAccountControl ACCOUNTDISABLE). */
    static final String ACCOUNT_DISABLED = refusal("533");
    /** ... to an account whose accountExpires has passed. */
    static final String ACCOUNT_EXPIRED = refusal("701");
    /** ... to an account that must set a new password first (pwdLastSet 0, the password can expire). */
    static final String PASSWORD_MUST_CHANGE = refusal("773");
    private static final int DONT_EXPIRE_PASSWORD = 0x10000;
    private static final int TRUST_ACCOUNTS = 0x800 | AccountDefaults.WORKSTATION_TRUST_ACCOUNT
            | AccountDefaults.SERVER_TRUST_ACCOUNT;

    private static String refusal(String data) {
        return "80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data " + data + ", v4563";
    }

    /**
     * Why the account may not sign in although the password is its own, as AD's data code says: disabled (533),
     * expired on the DC's clock (701), or a password that must change first (773); {@code null} if it may, or if the
     * password is wrong (a wrong password stays a wrong password: 52e).
     */
    private String signInRefusal(Dn asSent, byte[] password) throws Exception {
        Dn dn = state.dns.dn(asSent.getName());
        Entry entry = service.getAdminSession().lookup(dn, dev.keytrust.dc.schema.AdSchema.USER_ACCOUNT_CONTROL,
                "userPassword", "accountExpires", dev.keytrust.dc.schema.AdSchema.PWD_LAST_SET);
        int control = AccountDefaults.userAccountControl(entry);
        long expires = AccountDefaults.number(entry, "accountExpires", 0);
        boolean expired = expires > 0 && expires != Long.MAX_VALUE
                && dev.keytrust.encoding.WindowsTime.fromFileTime(expires).isBefore(state.stamps.now());
        boolean mustChange = AccountDefaults.number(entry, dev.keytrust.dc.schema.AdSchema.PWD_LAST_SET, -1) == 0
                && (control & (DONT_EXPIRE_PASSWORD | TRUST_ACCOUNTS)) == 0;
        boolean disabled = (control & AccountDefaults.ACCOUNTDISABLE) != 0;
        if (!disabled && !expired && !mustChange || !passwordMatches(entry, password)) {
            return null;
        }
        return disabled ? ACCOUNT_DISABLED : expired ? ACCOUNT_EXPIRED : PASSWORD_MUST_CHANGE;
    }

    private boolean passwordMatches(Entry entry, byte[] password) {
        org.apache.directory.api.ldap.model.entry.Attribute stored = entry.get(state.types.userPassword);
        if (stored == null) {
            return false;
        }
        for (Value v : stored) {
            if (org.apache.directory.api.ldap.model.password.PasswordUtil.compareCredentials(password, v.getBytes())) {
                return true;
            }
        }
        return false;
    }


    /** Whether {@code dn} is a user or computer of the domain naming context (never ApacheDS's own entries). */
    private boolean isSecurityPrincipal(Dn asSent) throws Exception {
        Dn dn;
        try {
            dn = state.dns.dn(asSent.getName());
        } catch (org.apache.directory.api.ldap.model.exception.LdapException e) {
            return false;
        }
        if (!dn.isDescendantOf(state.dns.baseDn) || dn.isDescendantOf(state.dns.configurationDn) || state.dns.isDeletedObject(dn)) {
            return false;
        }
        Entry entry = service.getAdminSession().exists(dn) ? service.getAdminSession().lookup(dn, "objectClass") : null;
        return entry != null && entry.hasObjectClass("user");
    }

    /** The DN of the account a UPN or DOMAIN\sAMAccountName names, or {@code null}. */
    Dn resolve(String name) throws Exception {
        int backslash = name.indexOf('\\');
        if (backslash > 0) {
            String domain = name.substring(0, backslash);
            if (!domain.equalsIgnoreCase(state.config.netbiosDomain()) && !domain.equalsIgnoreCase(state.config.domain())) {
                return null;
            }
            String owner = state.objects.samOwners.get(name.substring(backslash + 1).toLowerCase(Locale.ROOT));
            return owner == null ? null : new Dn(state.schema, owner);
        }
        if (name.indexOf('@') > 0) {
            try (Cursor<Entry> cursor = service.getAdminSession().search(state.dns.baseDn, SearchScope.SUBTREE,
                    new EqualityNode<String>(state.types.userPrincipalName, new Value(state.types.userPrincipalName, name)),
                    AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
                return cursor.next() ? cursor.get().getDn() : null;
            }
        }
        return null;
    }
}
