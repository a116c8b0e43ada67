package dev.keytrust.dc.directory;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.access.Passwords;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.service.DirectoryEntry;
import dev.keytrust.dc.service.DirectoryView;
import dev.keytrust.dc.state.DcState;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.filter.FilterParser;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;

/** The {@link DirectoryView} hosted services get: reads through the DC's internal session, tombstones hidden. */
public final class InternalDirectoryView implements DirectoryView {
    private final DcState state;
    private final CoreSession admin;

    private final Passwords passwords;

    public InternalDirectoryView(DcState state, CoreSession admin) throws LdapException {
        this.state = state;
        this.admin = admin;
        this.passwords = new Passwords(state);
    }

    @Override
    public Optional<AccountCredentials> credentials(String name) {
        Optional<String> dn = resolve(name);
        if (dn.isEmpty()) {
            return Optional.empty();
        }
        try {
            Dn at = state.dns.dn(dn.get());
            Entry entry = admin.lookup(at, AdSchema.SAM_ACCOUNT_NAME, AdSchema.UNICODE_PWD, AdSchema.SUPPLEMENTAL_CREDENTIALS);
            return entry == null ? Optional.empty() : Optional.ofNullable(passwords.read(entry));
        } catch (LdapException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<AccountCredentials> credentials(DirectoryEntry account) {
        try {
            return Optional.ofNullable(Passwords.credentials(account.dn(), account.string(AdSchema.SAM_ACCOUNT_NAME).orElse(null),
                    account.bytes(AdSchema.UNICODE_PWD).orElse(null), account.bytes(AdSchema.SUPPLEMENTAL_CREDENTIALS).orElse(null)));
        } catch (LdapException e) {
            return Optional.empty();
        }
    }

    /** The DN of the account a sAMAccountName, UPN or DOMAIN\sAMAccountName names. */
    Optional<String> resolve(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        if (name.indexOf('=') > 0 && name.indexOf(',') > 0) { // a DN, as DirectoryEntry.dn() gives it
            return lookup(name, "1.1").map(DirectoryEntry::dn);
        }
        int backslash = name.indexOf('\\');
        if (backslash > 0) {
            String domain = name.substring(0, backslash);
            if (!domain.equalsIgnoreCase(state.config.netbiosDomain()) && !domain.equalsIgnoreCase(state.config.domain())) {
                return Optional.empty();
            }
            return accountDn(name.substring(backslash + 1));
        }
        if (name.indexOf('@') > 0) {
            return firstLive(state.types.userPrincipalName, name);
        }
        return accountDn(name);
    }

    @Override
    public Optional<DirectoryEntry> lookup(String dn, String... attributes) {
        try {
            Dn name = state.dns.dn(dn);
            if (state.dns.isDeletedObject(name) || !admin.exists(name)) {
                return Optional.empty();
            }
            Entry entry = admin.lookup(name, attributes);
            return entry == null ? Optional.empty() : Optional.of(toView(entry));
        } catch (LdapException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<DirectoryEntry> search(String filter, String... attributes) {
        ExprNode node;
        try {
            node = FilterParser.parse(state.schema, filter);
        } catch (ParseException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected an LDAP filter like "
                    + "(sAMAccountName=alice) but found '" + filter + "': " + e.getMessage(), e);
        }
        List<DirectoryEntry> out = new ArrayList<>();
        try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE, node,
                AliasDerefMode.NEVER_DEREF_ALIASES, attributes)) {
            while (cursor.next()) {
                Entry e = cursor.get();
                if (!state.dns.isDeletedObject(e.getDn())) {
                    out.add(toView(e));
                }
            }
        } catch (Exception e) {
            throw new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "cannot search " + state.config.name()
                    + "'s directory for " + filter + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Optional<String> accountDn(String samAccountName) {
        if (!state.objects.samOwners.containsKey(samAccountName.toLowerCase(Locale.ROOT))) {
            return Optional.empty(); // the index knows every name held; a search finds the DN as it was written
        }
        return firstLive(state.types.samAccountName, samAccountName);
    }

    /** The DN (as written) of the first object that is not a tombstone with {@code type=value}. */
    private Optional<String> firstLive(org.apache.directory.api.ldap.model.schema.AttributeType type, String value) {
        try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE,
                new EqualityNode<String>(type, new Value(type, value)), AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
            while (cursor.next()) {
                if (!state.dns.isDeletedObject(cursor.get().getDn())) {
                    return Optional.of(cursor.get().getDn().getName());
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "cannot look up " + value + " in "
                    + state.config.name() + "'s directory: " + e.getMessage(), e);
        }
    }

    private static DirectoryEntry toView(Entry entry) {
        Map<String, List<byte[]>> values = new HashMap<>();
        for (Attribute a : entry) {
            List<byte[]> raw = new ArrayList<>();
            for (Value v : a) {
                raw.add(v.isHumanReadable() ? v.getString().getBytes(java.nio.charset.StandardCharsets.UTF_8) : v.getBytes());
            }
            values.put(a.getUpId().toLowerCase(Locale.ROOT), raw);
        }
        return new DirectoryEntry(entry.getDn().getName(), values);
    }
}
