package dev.keytrust.dc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.service.DirectoryEntry;
import dev.keytrust.dc.service.DirectoryView;
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
final class InternalDirectoryView implements DirectoryView {
    private final DcState state;
    private final CoreSession admin;

    InternalDirectoryView(DcState state, CoreSession admin) {
        this.state = state;
        this.admin = admin;
    }

    @Override
    public Optional<DirectoryEntry> lookup(String dn, String... attributes) {
        try {
            Dn name = state.dn(dn);
            if (state.isDeletedObject(name) || !admin.exists(name)) {
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
        try (Cursor<Entry> cursor = admin.search(state.baseDn, SearchScope.SUBTREE, node,
                AliasDerefMode.NEVER_DEREF_ALIASES, attributes)) {
            while (cursor.next()) {
                Entry e = cursor.get();
                if (!state.isDeletedObject(e.getDn())) {
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
        if (!state.samOwners.containsKey(samAccountName.toLowerCase(Locale.ROOT))) {
            return Optional.empty(); // the index knows every name held; a search finds the DN as it was written
        }
        try (Cursor<Entry> cursor = admin.search(state.baseDn, SearchScope.SUBTREE,
                new EqualityNode<String>(state.samAccountName, new Value(state.samAccountName, samAccountName)),
                AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
            while (cursor.next()) {
                if (!state.isDeletedObject(cursor.get().getDn())) {
                    return Optional.of(cursor.get().getDn().getName());
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "cannot look up " + samAccountName + " in "
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
