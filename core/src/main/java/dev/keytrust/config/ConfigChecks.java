package dev.keytrust.config;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Duration;

/**
 * The checks the configuration builders of every module make when a value is set, each throwing a
 * {@link ErrorCode#INVALID_CONFIGURATION} error that names the setting and what it expects.
 *
 * <pre>{@code
 * this.threads = ConfigChecks.inRange(value, 1, 512, "threads");        // "threads must be 1-512 but got 0"
 * this.timeout = ConfigChecks.positive(value, "connect timeout");         // "... must be a positive duration ..."
 * }</pre>
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** An invalid-configuration error with this message. */
    public static KeyTrustException invalid(String message) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** {@code value} if it holds more than white space; else "{@code what} must not be blank". */
    public static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid(what + " must not be blank");
        }
        return value;
    }

    /** {@code value} if {@code min <= value <= max}; else "{@code what} must be min-max but got value". */
    public static int inRange(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw invalid(what + " must be " + min + "-" + max + " but got " + value);
        }
        return value;
    }

    /** {@code value} if it is a TCP port or 0 (pick a free one); else says so, naming {@code what}. */
    public static int port(int value, String what) {
        if (value < 0 || value > 65_535) {
            throw invalid(what + " must be 0 (pick one) or 1-65535 but got " + value);
        }
        return value;
    }

    /** {@code value} if it is longer than zero; else "{@code what} must be a positive duration but got value". */
    public static Duration positive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(what + " must be a positive duration but got " + value);
        }
        return value;
    }
}
