package dev.keytrust.dc.schema;

/**
 * A linked attribute pair of the AD schema: the forward link a client writes and the back link the DC maintains
 * on the target ([MS-ADTS] 3.1.1.2.2.3; the back link's linkID is the forward link's plus one).
 *
 * @param forward the forward link's lDAPDisplayName ({@code member})
 * @param back the back link's lDAPDisplayName ({@code memberOf})
 * @param linkId the forward link's linkID (even; AD's value)
 * @param dnBinary whether values are DN-Binary ({@code B:<count>:<hex>:<DN>}) rather than plain DNs
 */
public record LinkedAttribute(String forward, String back, int linkId, boolean dnBinary) {
    public LinkedAttribute {
        if (linkId % 2 != 0) {
            throw new IllegalArgumentException("a forward link's linkID is even; got " + linkId + " for " + forward);
        }
    }

    /** The back link's linkID. */
    public int backLinkId() {
        return linkId + 1;
    }
}
