package dev.keytrust.dc.ntlm;

import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.DirectoryEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The accounts of a DC's own directory, as NTLM names them: {@code CORP\alice} or {@code corp.example.com\alice}
 * (sAMAccountName), {@code alice@corp.example.com} with no domain (userPrincipalName), or {@code alice} with no
 * domain. Names of other domains find nothing. The NT hash comes from the account's password-derived credentials
 * ({@link NtHashSource}); an account without them cannot sign in with NTLM.
 */
public final class DirectoryAccounts implements NtlmAccounts {
    /** Where an account's NT hash is read from. */
    public interface NtHashSource {
        /** The attributes {@link #ntHash} needs. */
        List<String> attributes();

        /** The account's NT hash, if it has one. */
        Optional<byte[]> ntHash(DirectoryEntry account);
    }

    private static final int ACCOUNTDISABLE = 0x2;

    private final DcContext context;
    private final ServerNames names;
    private final NtHashSource hashes;

    public DirectoryAccounts(DcContext context, NtHashSource hashes) {
        this.context = context;
        this.names = ServerNames.of(context);
        this.hashes = hashes;
    }

    @Override
    public Optional<NtlmAccount> find(String domain, String user) {
        if (user.isEmpty()) {
            return Optional.empty();
        }
        String filter;
        if (domain.isEmpty() && user.indexOf('@') > 0) {
            filter = "(userPrincipalName=" + escape(user) + ")";
        } else if (domain.isEmpty() || domain.equalsIgnoreCase(names.netbiosDomain())
                || domain.equalsIgnoreCase(names.dnsDomain())) {
            filter = "(sAMAccountName=" + escape(user) + ")";
        } else {
            return Optional.empty();
        }
        String[] attributes = Stream.concat(Stream.of("userAccountControl"), hashes.attributes().stream())
                .toArray(String[]::new);
        List<DirectoryEntry> found = context.directory().search("(&(objectClass=user)" + filter + ")", attributes);
        if (found.size() != 1) {
            return Optional.empty();
        }
        DirectoryEntry account = found.get(0);
        int control = account.string("userAccountControl").map(DirectoryAccounts::parseInt).orElse(0);
        return hashes.ntHash(account).map(h -> new NtlmAccount(account.dn(), h, (control & ACCOUNTDISABLE) == 0));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** RFC 4515 escaping of a filter value. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0) {
                out.append(String.format(Locale.ROOT, "\\%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
