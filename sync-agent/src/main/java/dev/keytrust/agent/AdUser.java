package dev.keytrust.agent;

import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.encoding.Sid;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An AD user as the agent reads it over LDAP.
 *
 * @param dn the DN as the DC returns it
 * @param objectGuid objectGUID bytes
 * @param consistencyGuid mS-DS-ConsistencyGuid bytes, if set
 * @param sid objectSid as text, if readable
 * @param keyCredentialLinks the msDS-KeyCredentialLink values, exactly as stored
 */
record AdUser(String dn, byte[] objectGuid, byte[] consistencyGuid, Optional<String> sid, List<String> keyCredentialLinks) {
    static final String KCL = "msDS-KeyCredentialLink";
    static final String[] ATTRIBUTES = {"objectGUID", "mS-DS-ConsistencyGuid", "objectSid", KCL};

    /** The source anchor Entra holds as {@code onPremisesImmutableId}: mS-DS-ConsistencyGuid if set, else objectGUID. */
    String anchor() {
        byte[] a = consistencyGuid != null ? consistencyGuid : objectGuid;
        return a == null ? null : Base64.getEncoder().encodeToString(a);
    }

    static AdUser of(SearchResultEntry e) {
        byte[] sid = e.getAttributeValueBytes("objectSid");
        Optional<String> sidText = Optional.empty();
        if (sid != null) {
            try {
                sidText = Optional.of(Sid.fromBytes(sid).toString());
            } catch (RuntimeException ignored) {
                sidText = Optional.empty();
            }
        }
        String[] links = e.getAttributeValues(KCL);
        return new AdUser(e.getDN(), e.getAttributeValueBytes("objectGUID"), e.getAttributeValueBytes("mS-DS-ConsistencyGuid"),
                sidText, links == null ? List.of() : List.of(links));
    }
}
