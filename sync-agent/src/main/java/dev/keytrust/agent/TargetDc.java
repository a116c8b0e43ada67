package dev.keytrust.agent;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DC a cycle writes to: the sync target if it answers and accepts the bind, otherwise the first fallback that
 * does. Wrong credentials are not a reason to fail over: they fail the cycle at once.
 *
 * @param connection a bound connection
 * @param url the DC's URL
 * @param baseDn its defaultNamingContext
 * @param fallbackReason why earlier DCs were passed over, or null if the sync target was used
 */
record TargetDc(LDAPConnection connection, URI url, String baseDn, String fallbackReason) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDc.class);

    static TargetDc connect(AgentConfig config) {
        List<String> passedOver = new ArrayList<>();
        for (URI url : config.domainControllers()) {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setConnectTimeoutMillis((int) config.connectTimeout().toMillis());
            options.setResponseTimeoutMillis(Math.max(30_000L, config.connectTimeout().toMillis()));
            int port = url.getPort() > 0 ? url.getPort() : "ldaps".equalsIgnoreCase(url.getScheme()) ? 636 : 389;
            LDAPConnection c = null;
            try {
                c = "ldaps".equalsIgnoreCase(url.getScheme())
                        ? new LDAPConnection(new SSLUtil(new TrustAllTrustManager()).createSSLSocketFactory(), options, url.getHost(), port)
                        : new LDAPConnection(options, url.getHost(), port);
                c.bind(config.bindDn(), config.bindPassword());
                RootDSE root = c.getRootDSE();
                String base = root == null ? null : root.getAttributeValue("defaultNamingContext");
                if (base == null) {
                    throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "the rootDSE has no defaultNamingContext");
                }
                String reason = passedOver.isEmpty() ? null : String.join("; ", passedOver);
                if (reason != null) {
                    LOG.warn("writing to fallback DC {} because {}", url, reason);
                }
                return new TargetDc(c, url, base, reason);
            } catch (LDAPException e) {
                if (c != null) {
                    c.close();
                }
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    throw new KeyTrustException(ErrorCode.LDAP_INVALID_CREDENTIALS, url + " refused the bind as "
                            + config.bindDn() + " (LDAP 49 invalid credentials); check --bind-dn and the password", e);
                }
                passedOver.add(url + " is unreachable (" + describe(e) + ")");
            } catch (GeneralSecurityException e) {
                passedOver.add(url + " TLS failed (" + e.getMessage() + ")");
            }
        }
        throw new KeyTrustException(ErrorCode.LDAP_UNREACHABLE, "no DC could be reached: " + String.join("; ", passedOver)
                + "; start one or fix --dc");
    }

    /**
     * The cycle's failure when this DC fails it (it went away, or refused in a way that stops the cycle): which DC,
     * the LDAP result, and that nothing was saved.
     */
    KeyTrustException failed(LDAPException e) {
        return new KeyTrustException(ErrorCode.LDAP_UNREACHABLE, "the sync target DC " + url + " failed during the cycle with "
                + describe(e) + "; nothing was saved, the next cycle repeats the work (check that the DC is running)", e);
    }

    /** {@code LDAP result 81 (server down): ...}, in words: the SDK's own message can carry Java class names. */
    static String describe(LDAPException e) {
        ResultCode rc = e.getResultCode();
        String result = "LDAP result " + rc.intValue() + " (" + rc.getName() + ")";
        if (!rc.isConnectionUsable()) {
            return result + ": the connection to the DC was lost or could not be made";
        }
        String diagnostic = e.getDiagnosticMessage();
        return diagnostic == null || diagnostic.isBlank() ? result : result + ": " + diagnostic;
    }

    @Override
    public void close() {
        connection.close();
    }
}
