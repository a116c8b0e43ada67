package dev.keytrust.graph.mock;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change to a user's profile, as an admin makes it in Entra (what Graph's {@code PATCH /users/{id}} would do): only
 * the properties given (non-null) change, and delta reports exactly those with {@code Prefer: return=minimal}.
 * {@code managerId} sets the user's manager (shown by {@code $expand=manager}); an empty string removes it.
 *
 * <pre>{@code
 * mock.admin().updateUser(alice.id(), UserUpdate.displayName("Alice Jones"));
 * mock.admin().updateUser(alice.id(), new UserUpdate(null, "alice.jones@corp.example.com", null, false, null, null, null, null));
 * }</pre>
 *
 * @param displayName new display name
 * @param userPrincipalName new sign-in name (must stay unique in the tenant)
 * @param onPremisesImmutableId new source anchor (base64 of the AD objectGUID bytes)
 * @param accountEnabled whether the account can sign in
 * @param givenName new first name
 * @param surname new last name
 * @param mail new mail address
 * @param managerId the manager's object id or UPN ({@code ""} removes the manager)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserUpdate(String displayName, String userPrincipalName, String onPremisesImmutableId, Boolean accountEnabled,
        String givenName, String surname, String mail, String managerId) {
    /** The JSON shape the admin API reads, for messages. */
    public static final String JSON_SHAPE = "{displayName?, userPrincipalName?, onPremisesImmutableId?, accountEnabled?, "
            + "givenName?, surname?, mail?, managerId?}";

    /** Only a new display name. */
    public static UserUpdate displayName(String name) {
        return new UserUpdate(name, null, null, null, null, null, null, null);
    }

    /** Only whether the account is enabled. */
    public static UserUpdate accountEnabled(boolean enabled) {
        return new UserUpdate(null, null, null, enabled, null, null, null, null);
    }

    /** The Graph properties this update sets, by name (the manager is a relationship, not among them). */
    public Map<String, Object> properties() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "displayName", displayName);
        put(out, "userPrincipalName", userPrincipalName);
        put(out, "onPremisesImmutableId", onPremisesImmutableId);
        put(out, "accountEnabled", accountEnabled);
        put(out, "givenName", givenName);
        put(out, "surname", surname);
        put(out, "mail", mail);
        return out;
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) {
            out.put(name, value);
        }
    }
}
