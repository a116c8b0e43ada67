package dev.keytrust;

import java.util.Objects;

/**
 * The one unchecked exception root of KeyTrust Testbed. Every failure the testbed reports on purpose is a
 * {@code KeyTrustException} (or a subclass) carrying a stable {@link ErrorCode}, so callers can react to the
 * code rather than to the message text.
 *
 * <p>Messages follow one rule: what was expected, what was found, what to do.
 *
 * <pre>{@code
 * try {
 *     KeyCredential.fromDnBinary(value);
 * } catch (KeyTrustException e) {
 *     if (e.errorCode() == ErrorCode.DN_BINARY_COUNT_MISMATCH) { ... }
 * }
 * }</pre>
 */
public class KeyTrustException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public KeyTrustException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public KeyTrustException(ErrorCode errorCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** The stable code of this failure; never {@code null}. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + errorCode + "]: " + getMessage();
    }
}
