package dev.keytrust.cli.graph;

import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a Graph client (Azure Identity, MSAL, the Graph SDKs, curl) needs to use a running mock: tenant (and
 * its verified domain), client id, secret, client certificate, CA file, authority, token, OpenID metadata and Graph
 * URLs — as text lines for a terminal and as a JSON object, printed by {@code keytrust graph-mock} and
 * {@code keytrust lab}.
 */
public final class GraphClientDetails {
    private GraphClientDetails() {
    }

    /** The details as a JSON object; {@code clientCertificate} may be null. */
    public static Map<String, Object> json(GraphMock mock, Path clientCertificate) {
        GraphMockConfig config = mock.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseUrl", mock.baseUrl());
        m.put("graphUrl", mock.graphUrl());
        m.put("betaUrl", mock.betaUrl());
        m.put("tokenUrl", mock.tokenUrl());
        m.put("authorityHost", mock.authorityHost());
        m.put("authority", mock.authorityHost() + "/" + mock.tenantId());
        m.put("openIdConfiguration", openId(mock));
        m.put("tenantId", mock.tenantId());
        m.put("verifiedDomain", config.verifiedDomain());
        m.put("clientId", mock.clientId());
        m.put("clientSecret", config.clientSecret().orElse(null));
        m.put("clientCertificate", clientCertificate == null ? null : clientCertificate.toString());
        m.put("caCertificate", mock.certificatePem().toString());
        m.put("adminTokenRequired", config.adminToken().isPresent());
        return m;
    }

    /** The details as terminal lines, each starting with {@code indent}. */
    public static List<String> lines(GraphMock mock, Path clientCertificate, String indent) {
        GraphMockConfig config = mock.config();
        List<String> out = new ArrayList<>();
        out.add(indent + "Graph:     " + mock.graphUrl() + "   (beta: " + mock.betaUrl() + ")");
        out.add(indent + "authority: " + mock.authorityHost() + "/" + mock.tenantId() + "   (authority host "
                + mock.authorityHost() + ")   token: " + mock.tokenUrl());
        out.add(indent + "tenant:    " + mock.tenantId() + "   (or its verified domain " + config.verifiedDomain() + ")");
        out.add(indent + "metadata:  " + openId(mock) + "   (instance discovery off / the host as a known authority)");
        out.add(indent + "client id: " + mock.clientId());
        out.add(indent + "secret:    " + config.clientSecret().orElse("(none)") + "   (a test secret derived from the seed)");
        if (clientCertificate != null) {
            out.add(indent + "client certificate: " + clientCertificate + "   (assertions RS256 + x5t or PS256 + x5t#S256)");
        }
        out.add(indent + "CA file:   " + mock.certificatePem() + "   (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, curl --cacert)");
        return out;
    }

    private static String openId(GraphMock mock) {
        return mock.authorityHost() + "/" + mock.tenantId() + "/v2.0/.well-known/openid-configuration";
    }
}
