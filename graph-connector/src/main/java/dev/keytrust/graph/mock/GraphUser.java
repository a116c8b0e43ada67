package dev.keytrust.graph.mock;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A user of the mock tenant, as Graph shows it. {@code id} is assigned by the mock when absent; everything else is
 * what was given. The {@code onPremises*} properties, as in Graph, come back only when {@code $select}ed.
 *
 * <pre>{@code
 * GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice Smith")
 *         .withOnPremises("AbCdEf...==", "S-1-5-21-...-1104", "alice", "CN=Alice Smith,CN=Users,DC=corp,DC=example,DC=com"));
 * }</pre>
 *
 * @param id object id (a GUID string)
 * @param userPrincipalName sign-in name, unique in the tenant (required)
 * @param displayName display name
 * @param givenName first name
 * @param surname last name
 * @param mail mail address
 * @param accountEnabled whether the account can sign in (default true)
 * @param onPremisesImmutableId base64 of the AD user's objectGUID (or mS-DS-ConsistencyGuid) bytes
 * @param onPremisesSecurityIdentifier the AD user's objectSid as text
 * @param onPremisesSyncEnabled true for users synced from AD
 * @param onPremisesSamAccountName the AD sAMAccountName
 * @param onPremisesDistinguishedName the AD DN
 * @param onPremisesDomainName the AD domain's DNS name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphUser(String id, String userPrincipalName, String displayName, String givenName, String surname,
        String mail, Boolean accountEnabled, String onPremisesImmutableId, String onPremisesSecurityIdentifier,
        Boolean onPremisesSyncEnabled, String onPremisesSamAccountName, String onPremisesDistinguishedName,
        String onPremisesDomainName) {

    /** A cloud-only user with a UPN and display name. */
    public static GraphUser named(String userPrincipalName, String displayName) {
        return new GraphUser(null, userPrincipalName, displayName, null, null, null, true, null, null, null, null, null, null);
    }

    /** This user, synced from AD: the given anchors, {@code onPremisesSyncEnabled} true. */
    public GraphUser withOnPremises(String immutableId, String sid, String samAccountName, String distinguishedName,
            String domainName) {
        return new GraphUser(id, userPrincipalName, displayName, givenName, surname, mail, accountEnabled, immutableId,
                sid, true, samAccountName, distinguishedName, domainName);
    }

    /** This user with another given and surname and mail. */
    public GraphUser withNames(String given, String sur, String mailAddress) {
        return new GraphUser(id, userPrincipalName, displayName, given, sur, mailAddress, accountEnabled,
                onPremisesImmutableId, onPremisesSecurityIdentifier, onPremisesSyncEnabled, onPremisesSamAccountName,
                onPremisesDistinguishedName, onPremisesDomainName);
    }

    public GraphUser withId(String newId) {
        return new GraphUser(Objects.requireNonNull(newId), userPrincipalName, displayName, givenName, surname, mail,
                accountEnabled == null ? Boolean.TRUE : accountEnabled, onPremisesImmutableId,
                onPremisesSecurityIdentifier, onPremisesSyncEnabled, onPremisesSamAccountName,
                onPremisesDistinguishedName, onPremisesDomainName);
    }
}
