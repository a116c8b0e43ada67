package dev.keytrust.persona;

import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sid;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * A deterministic person: the same seed and index give the same names, GUID and RID everywhere, so a DC
 * ({@code keytrust dc --users N --seed S}) and the Graph mock ({@code keytrust graph-mock --users N --seed S})
 * describe the same people and an agent can join them.
 *
 * @param index position in the generated list, from 0
 * @param givenName first name
 * @param surname last name
 * @param samAccountName unique logon name, lower case
 * @param objectGuid the AD object's GUID (its bytes, base64, are Entra's onPremisesImmutableId)
 * @param rid relative id: the user's objectSid is the domain SID plus this
 */
public record Persona(int index, String givenName, String surname, String samAccountName, UUID objectGuid, long rid) {
    /** "Given Surname". */
    public String displayName() {
        return givenName + " " + surname;
    }

    /** The AD user's {@code cn} (and so its RDN): "Given Surname index", unique even when names repeat. */
    public String commonName() {
        return displayName() + " " + index;
    }

    /** The AD user's DN under {@code CN=Users} of {@code domainDn} ({@code DC=corp,DC=example,DC=com}). */
    public String distinguishedName(String domainDn) {
        return "CN=" + commonName() + ",CN=Users," + domainDn;
    }

    /** {@code samAccountName@domain}. */
    public String userPrincipalName(String domain) {
        return samAccountName + "@" + domain.toLowerCase(Locale.ROOT);
    }

    /** The user's SID in a domain. */
    public Sid sid(Sid domainSid) {
        return domainSid.withRid(rid);
    }

    /** Base64 of the objectGUID bytes in Microsoft order: Entra's {@code onPremisesImmutableId}. */
    public String immutableId() {
        return Base64.getEncoder().encodeToString(MsGuid.toBytes(objectGuid));
    }
}
