package dev.keytrust;

/**
 * Stable error codes of {@link KeyTrustException}. The constant names are part of the public contract: they
 * are printed by the command line and may be matched by scripts. New codes may be added; existing ones are
 * never renamed or reused.
 */
public enum ErrorCode {
    /** A KEYCREDENTIALLINK_BLOB ended before a complete header or entry could be read. */
    KEYCREDENTIAL_TRUNCATED,
    /** An entry's declared length runs past the end of the blob. */
    KEYCREDENTIAL_ENTRY_PAST_END,
    /** The blob's version is not 0x0, 0x100 or 0x200. */
    KEYCREDENTIAL_UNSUPPORTED_VERSION,
    /** An entry identifier occurs twice. */
    KEYCREDENTIAL_DUPLICATE_ENTRY,
    /** A required entry (KeyID, KeyMaterial) is missing. */
    KEYCREDENTIAL_MISSING_ENTRY,
    /** A fixed-size entry (KeySource, DeviceId, a time) has the wrong length. */
    KEYCREDENTIAL_BAD_ENTRY_LENGTH,
    /** The input is empty. */
    KEYCREDENTIAL_EMPTY,
    /** The input is neither a DN-Binary string, hex nor base64. */
    KEYCREDENTIAL_UNRECOGNISED_INPUT,
    /** A DN-Binary string does not start with {@code B:<count>:}. */
    DN_BINARY_SYNTAX,
    /** The DN-Binary count differs from the number of hex digits. */
    DN_BINARY_COUNT_MISMATCH,
    /** The DN-Binary hex part has an odd number of digits or a non-hex character. */
    DN_BINARY_BAD_HEX,
    /** The DN part of a DN-Binary string, or an owner DN, is not a valid distinguished name. */
    INVALID_DN,
    /** A domain controller could not start (port in use, storage locked, ...). */
    DC_START_FAILED,
    /** An LDAP connection to a domain controller could not be opened or bound. */
    LDAP_UNREACHABLE,
    /** A DC could not apply changes it pulled from a replication partner. */
    REPLICATION_FAILED,
    /** Key material is not a recognised or usable public key for the requested operation. */
    KEY_MATERIAL_UNSUPPORTED,
    /** A public key file or value could not be read. */
    PUBLIC_KEY_UNREADABLE,
    /** Virtual time was run until quiet but foreground work was still pending at the limit. */
    NOT_QUIET,
    /** A task run by the testbed scheduler threw. */
    SCHEDULED_TASK_FAILED,
    /** A replication topology (file or builder) is invalid: unknown site, bad interval, duplicate name or port. */
    INVALID_TOPOLOGY,
    /** A configuration object was built with a missing or invalid setting. */
    INVALID_CONFIGURATION,
    /** The Graph mock could not start (port taken, unreadable certificate). */
    GRAPH_MOCK_START_FAILED,
    /** A request to the Graph mock's admin API (users, keys, faults) was invalid; nothing was changed. */
    GRAPH_MOCK_BAD_REQUEST,
    /** Microsoft Graph (or the mock) could not be reached, or kept failing after the allowed retries. */
    GRAPH_UNAVAILABLE,
    /** The token endpoint refused the client's credentials (AADSTS error), or Graph refused the token (401/403). */
    GRAPH_AUTHENTICATION_FAILED,
    /** Graph answered a request with an error that retrying will not fix (4xx other than 401/403/429). */
    GRAPH_REQUEST_FAILED,
    /** A saved delta state could not be read (corrupt, or from another tenant or source). */
    GRAPH_STATE_INVALID,
    /** The KDC could not start (port in use, bad host). */
    KDC_START_FAILED,
    /** The KDC refused a Kerberos request; the KRB-ERROR code says why. */
    KDC_REQUEST_REFUSED
}
