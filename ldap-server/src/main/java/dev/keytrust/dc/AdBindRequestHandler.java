package dev.keytrust.dc;

import java.util.Locale;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.BindRequest;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.request.BindRequestHandler;

/**
 * Simple binds as AD takes them: besides a DN, a user principal name ({@code alice@corp.example.com}) or a
 * down-level logon name ({@code CORP\alice}); the name is resolved to the account's DN before ApacheDS checks
 * the password. A name that resolves to nothing fails as a wrong password does (49).
 */
final class AdBindRequestHandler extends BindRequestHandler {
    private final DcState state;
    private final DirectoryService service;

    AdBindRequestHandler(DcState state, DirectoryService service) {
        this.state = state;
        this.service = service;
    }

    @Override
    public void handleSimpleAuth(LdapSession session, BindRequest request) throws Exception {
        if (request.getDn() == null && request.getName() != null && !request.getName().isEmpty()) {
            Dn resolved = resolve(request.getName());
            if (resolved != null) {
                request.setDn(resolved);
            }
        }
        super.handleSimpleAuth(session, request);
    }

    /** The DN of the account a UPN or DOMAIN\sAMAccountName names, or {@code null}. */
    Dn resolve(String name) throws Exception {
        int backslash = name.indexOf('\\');
        if (backslash > 0) {
            String domain = name.substring(0, backslash);
            if (!domain.equalsIgnoreCase(state.config.netbiosDomain()) && !domain.equalsIgnoreCase(state.config.domain())) {
                return null;
            }
            String owner = state.samOwners.get(name.substring(backslash + 1).toLowerCase(Locale.ROOT));
            return owner == null ? null : new Dn(state.schema, owner);
        }
        if (name.indexOf('@') > 0) {
            try (Cursor<Entry> cursor = service.getAdminSession().search(state.baseDn, SearchScope.SUBTREE,
                    new EqualityNode<String>(state.userPrincipalName, new Value(state.userPrincipalName, name)),
                    AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
                return cursor.next() ? cursor.get().getDn() : null;
            }
        }
        return null;
    }
}
