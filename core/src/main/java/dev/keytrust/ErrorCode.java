package dev.keytrust;

/**
 * Stable error codes of {@link KeyTrustException}. The constant names are part of the public contract: they
 * are printed by the command line and may be matched by scripts. New codes may be added; existing ones are
 * never renamed or reused. Each code belongs to a {@link Category} that decides the command line's exit code.
 */
public enum ErrorCode {
    /** A KEYCREDENTIALLINK_BLOB ended before a complete header or entry could be read. */
    KEYCREDENTIAL_TRUNCATED(Category.INPUT),
    /** An entry's declared length runs past the end of the blob. */
    KEYCREDENTIAL_ENTRY_PAST_END(Category.INPUT),
    /** The blob's version is not 0x0, 0x100 or 0x200. */
    KEYCREDENTIAL_UNSUPPORTED_VERSION(Category.INPUT),
    /** An entry identifier occurs twice. */
    KEYCREDENTIAL_DUPLICATE_ENTRY(Category.INPUT),
    /** A required entry (KeyID, KeyMaterial) is missing. */
    KEYCREDENTIAL_MISSING_ENTRY(Category.INPUT),
    /** A fixed-size entry (KeySource, DeviceId, a time) has the wrong length. */
    KEYCREDENTIAL_BAD_ENTRY_LENGTH(Category.INPUT),
    /** The input is empty. */
    KEYCREDENTIAL_EMPTY(Category.INPUT),
    /** The input is neither a DN-Binary string, hex nor base64. */
    KEYCREDENTIAL_UNRECOGNISED_INPUT(Category.INPUT),
    /** A DN-Binary string does not start with {@code B:<count>:}. */
    DN_BINARY_SYNTAX(Category.INPUT),
    /** The DN-Binary count differs from the number of hex digits. */
    DN_BINARY_COUNT_MISMATCH(Category.INPUT),
    /** The DN-Binary hex part has an odd number of digits or a non-hex character. */
    DN_BINARY_BAD_HEX(Category.INPUT),
    /** The DN part of a DN-Binary string, or an owner DN, is not a valid distinguished name. */
    INVALID_DN(Category.INPUT),
    /** A domain controller could not start (port in use, storage locked, ...). */
    DC_START_FAILED(Category.ENVIRONMENT),
    /** An LDAP connection to a domain controller could not be opened or bound. */
    LDAP_UNREACHABLE(Category.ENVIRONMENT),
    /** A DC could not apply changes it pulled from a replication partner. */
    REPLICATION_FAILED(Category.ENVIRONMENT),
    /** Key material is not a recognised or usable public key for the requested operation. */
    KEY_MATERIAL_UNSUPPORTED(Category.INPUT),
    /** A public key file or value could not be read. */
    PUBLIC_KEY_UNREADABLE(Category.INPUT),
    /** Virtual time was run until quiet but foreground work was still pending at the limit. */
    NOT_QUIET(Category.CONFLICT),
    /** A task run by the testbed scheduler threw. */
    SCHEDULED_TASK_FAILED(Category.INTERNAL),
    /** A replication topology (file or builder) is invalid: unknown site, bad interval, duplicate name or port. */
    INVALID_TOPOLOGY(Category.INPUT),
    /** A configuration object was built with a missing or invalid setting. */
    INVALID_CONFIGURATION(Category.INPUT),
    /** The Graph mock could not start (port taken, unreadable certificate). */
    GRAPH_MOCK_START_FAILED(Category.ENVIRONMENT),
    /** A request to the Graph mock's admin API (users, keys, faults) was invalid; nothing was changed. */
    GRAPH_MOCK_BAD_REQUEST(Category.INPUT),
    /** Microsoft Graph (or the mock) could not be reached, or kept failing after the allowed retries. */
    GRAPH_UNAVAILABLE(Category.ENVIRONMENT),
    /** The token endpoint refused the client's credentials (AADSTS error), or Graph refused the token (401/403). */
    GRAPH_AUTHENTICATION_FAILED(Category.AUTHENTICATION),
    /** Graph answered a request with an error that retrying will not fix (4xx other than 401/403/429). */
    GRAPH_REQUEST_FAILED(Category.CONFLICT),
    /** A saved delta state could not be read (corrupt, or from another tenant or source). */
    GRAPH_STATE_INVALID(Category.INPUT),
    /** An LDAP bind was refused: wrong password or unknown account (LDAP result 49). */
    LDAP_INVALID_CREDENTIALS(Category.AUTHENTICATION),
    /** A DC refused or failed an LDAP operation (no such object, insufficient access, constraint violation, ...). */
    LDAP_OPERATION_FAILED(Category.CONFLICT),
    /** The operation cannot run now because of the state something is in (a cycle already running, ...). */
    OPERATION_CONFLICT(Category.CONFLICT),
    /** A file or folder the testbed keeps (state, data, certificates) could not be written or read. */
    STORAGE_FAILED(Category.ENVIRONMENT),
    /** A failure inside the testbed that no input explains: a bug or a broken installation; please report it. */
    INTERNAL_ERROR(Category.INTERNAL),
    /** The KDC could not start (port in use, bad host). */
    KDC_START_FAILED(Category.ENVIRONMENT),
    /** The KDC refused a Kerberos request; the KRB-ERROR code says why. */
    KDC_REQUEST_REFUSED(Category.CONFLICT),
    /** A KDC could not be reached, or answered something a Kerberos client must reject. */
    KDC_UNREACHABLE(Category.ENVIRONMENT);

    /**
     * What kind of failure a code stands for; it decides the command line's exit code (2 for {@link #INPUT}, 1 for
     * the others).
     */
    public enum Category {
        /** Invalid input or usage: a bad option, value, file content or setting. Exit code 2. */
        INPUT(2),
        /** Something the testbed needs is not there: a DC or Graph that cannot be reached, a port in use. Exit 1. */
        ENVIRONMENT(1),
        /** Credentials were refused. Exit 1. */
        AUTHENTICATION(1),
        /** The request was valid but the state of things refuses it (no such object, access denied). Exit 1. */
        CONFLICT(1),
        /** A failure inside the testbed. Exit 1. */
        INTERNAL(1);

        private final int exitCode;

        Category(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The command line's exit code for failures of this category. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Category category;

    ErrorCode(Category category) {
        this.category = category;
    }

    /** The category of this code, which decides the command line's exit code. */
    public Category category() {
        return category;
    }
}
