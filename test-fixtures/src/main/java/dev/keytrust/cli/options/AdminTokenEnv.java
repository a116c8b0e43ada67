package dev.keytrust.cli.options;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;

/**
 * The Graph mock's admin token from the environment variable that {@code --admin-token-env} names, read the same way
 * by {@code keytrust graph-mock} (which requires it) and {@code keytrust key} (which sends it).
 */
public final class AdminTokenEnv {
    private AdminTokenEnv() {
    }

    /**
     * The token held by {@code variable}, or null when no variable was named; an invalid-input error when the variable
     * is unset or empty.
     */
    public static String read(String variable) {
        if (variable == null) {
            return null;
        }
        String token = System.getenv(variable);
        if (token == null || token.isEmpty()) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--admin-token-env: expected the environment "
                    + "variable '" + variable + "' to hold the admin token, but it is not set");
        }
        return token;
    }
}
