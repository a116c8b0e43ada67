package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;

/**
 * A KeyCredential value (blob, DN-Binary string, or owner DN) that cannot be read. The decoder throws only
 * this type for bad input, never an {@code IndexOutOfBoundsException} or the like.
 *
 * <p>{@link #offset()} is the position where reading failed: a byte offset into the blob for blob errors, a
 * character offset into the string for DN-Binary and DN errors, or -1 when no position applies.
 */
public final class KeyCredentialFormatException extends KeyTrustException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public KeyCredentialFormatException(ErrorCode errorCode, long offset, String message) {
        super(errorCode, message);
        this.offset = offset;
    }

    /** Where reading failed (bytes for blobs, characters for strings), or -1. */
    public long offset() {
        return offset;
    }
}
