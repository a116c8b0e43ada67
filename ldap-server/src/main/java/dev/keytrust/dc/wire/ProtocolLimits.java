package dev.keytrust.dc.wire;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;

/**
 * What one LDAP connection may send and leave unread, so that no client, bound or not, can cost a DC more than
 * its own connection. A request beyond a limit gets a Notice of Disconnection (protocolError, saying which limit)
 * and its connection is closed; every other connection goes on being served.
 *
 * <p>Defaults: nesting {@value #DEFAULT_MAX_NESTING} (a search filter may nest {@value #DEFAULT_MAX_NESTING}
 * levels of AND/OR/NOT, counting its innermost item); request size {@value #DEFAULT_MAX_REQUEST_BYTES} bytes
 * (AD's MaxReceiveBuffer); DN strings {@value #DEFAULT_MAX_DN_BYTES} bytes; unread responses {@value #DEFAULT_MAX_QUEUED_RESPONSE_BYTES} bytes per connection.
 *
 * <pre>{@code
 * DomainControllerConfig.builder("DC1").protocolLimits(new ProtocolLimits(50, 1 << 20, 8192, 16 << 20)).build();
 * }</pre>
 *
 * @param maxNesting how deep constructed elements may nest inside a request's protocol operation (a search
 *     filter of this depth is the deepest accepted); 1 to {@value #HARD_MAX_NESTING}
 * @param maxRequestBytes the largest LDAP message a client may send, in bytes; at least 1,024
 * @param maxDnBytes the longest string the server would parse as a DN (a request's DNs, a search filter's values,
 *     values of DN-valued attributes such as member or msDS-KeyCredentialLink), in bytes; at least 1,024 (parsing a
 *     DN costs time that grows faster than its length: 800 KB took ApacheDS 8 s)
 * @param maxQueuedResponseBytes how many bytes of responses may wait for a client that does not read before its
 *     connection is closed; at least 65,536
 */
public record ProtocolLimits(int maxNesting, int maxRequestBytes, int maxDnBytes, long maxQueuedResponseBytes) {
    /** The default filter nesting limit. */
    public static final int DEFAULT_MAX_NESTING = 100;
    /** The highest nesting limit accepted (deeper structures can exhaust a server thread's stack). */
    public static final int HARD_MAX_NESTING = 500;
    /** The default largest request: AD's MaxReceiveBuffer, 10 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 10_485_760;
    /** The default longest DN string: 32 KiB (AD's RDN values are at most 64 characters; thousands of levels fit). */
    public static final int DEFAULT_MAX_DN_BYTES = 32_768;
    /** The default bound on responses queued for one connection: 64 MiB. */
    public static final long DEFAULT_MAX_QUEUED_RESPONSE_BYTES = 64L << 20;

    /** Validates the limits. */
    public ProtocolLimits {
        if (maxNesting < 1 || maxNesting > HARD_MAX_NESTING) {
            throw invalid("maxNesting", "1 to " + HARD_MAX_NESTING, maxNesting);
        }
        if (maxRequestBytes < 1024) {
            throw invalid("maxRequestBytes", "at least 1024", maxRequestBytes);
        }
        if (maxDnBytes < 1024 || maxDnBytes > maxRequestBytes) {
            throw invalid("maxDnBytes", "1024 to maxRequestBytes", maxDnBytes);
        }
        if (maxQueuedResponseBytes < 65_536) {
            throw invalid("maxQueuedResponseBytes", "at least 65536", maxQueuedResponseBytes);
        }
    }

    /** The defaults above. */
    public static ProtocolLimits defaults() {
        return new ProtocolLimits(DEFAULT_MAX_NESTING, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_DN_BYTES,
                DEFAULT_MAX_QUEUED_RESPONSE_BYTES);
    }

    /**
     * The deepest BER nesting allowed in a whole message: the LDAPMessage and its protocol operation are two levels
     * above the operation's own content.
     */
    int maxBerDepth() {
        return maxNesting + 2;
    }

    private static KeyTrustException invalid(String setting, String expected, long found) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "invalid protocol limit '" + setting
                + "': expected " + expected + " but found " + found);
    }
}
