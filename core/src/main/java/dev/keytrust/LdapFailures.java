package dev.keytrust;

/**
 * Turns an LDAP failure into a {@link KeyTrustException} whose code and message say what happened, in one place:
 * a refused bind (49) is {@link ErrorCode#LDAP_INVALID_CREDENTIALS}, a DC that cannot be reached is
 * {@link ErrorCode#LDAP_UNREACHABLE} ("cannot reach ..."), anything else the DC answered is
 * {@link ErrorCode#LDAP_OPERATION_FAILED}. Messages name the LDAP result by number and name and never print
 * {@code null} or a Java class name.
 *
 * <pre>{@code
 * } catch (LDAPException e) {
 *     throw LdapFailures.of("read " + dn + " on", url, e.getResultCode().intValue(), e.getResultCode().getName(),
 *             e.getDiagnosticMessage(), e);
 * }
 * }</pre>
 */
public final class LdapFailures {
    private LdapFailures() {
    }

    /**
     * @param doing what was being done, ending where the target goes (e.g. {@code "read the rootDSE of"})
     * @param target the DC (URL or name)
     * @param resultCode the LDAP result code (client-side codes such as 91 connect error included)
     * @param resultName the result's name (e.g. {@code invalid credentials}); may be {@code null}
     * @param diagnostic the server's diagnostic message; may be {@code null} or empty
     * @param cause the original exception
     */
    public static KeyTrustException of(String doing, String target, int resultCode, String resultName, String diagnostic,
            Throwable cause) {
        String result = "LDAP " + resultCode + (resultName == null || resultName.isBlank() ? "" : " " + resultName);
        String detail = diagnostic == null || diagnostic.isBlank() || diagnostic.equals("null") ? "" : " (" + diagnostic.strip() + ")";
        if (resultCode == 49) {
            return new KeyTrustException(ErrorCode.LDAP_INVALID_CREDENTIALS, "cannot " + doing + " " + target + ": "
                    + result + detail + ": the DC refused the bind; check the bind DN and the password "
                    + "(--bind-password-env, KEYTRUST_ADMIN_PASSWORD)", cause);
        }
        if (isConnectionFailure(resultCode)) {
            return new KeyTrustException(ErrorCode.LDAP_UNREACHABLE, "cannot reach " + target + " to " + doing.replaceAll(
                    "\\s+(of|on|from|at|in)$", "") + ": " + result + detail + "; is the DC running and listening "
                    + "there?", cause);
        }
        return new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "cannot " + doing + " " + target + ": " + result
                + detail, cause);
    }

    /**
     * Whether an LDAP result code means the server could not be reached or the connection broke (81 server down,
     * 82 local error, 85 timeout, 91 connect error, 1000+ client-side codes).
     */
    public static boolean isConnectionFailure(int resultCode) {
        return resultCode == 81 || resultCode == 82 || resultCode == 85 || resultCode == 91;
    }
}
