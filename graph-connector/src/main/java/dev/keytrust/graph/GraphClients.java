package dev.keytrust.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.tls.CertificateTrust;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Builds the Azure Identity credential and the Graph SDK client from a {@link GraphConnectorConfig}: the same code
 * for a real tenant and the mock — only the authority host, the Graph URL and the trusted certificate differ.
 * The SDK's own retry handler is switched off ({@link GraphCalls} retries on the testbed clock instead).
 */
final class GraphClients {
    static final String SCOPE = "https://graph.microsoft.com/.default";

    private GraphClients() {
    }

    static TokenCredential credential(GraphConnectorConfig config) {
        if (config.credential().isPresent()) {
            return config.credential().get();
        }
        String authority = config.authorityHost().toString();
        HttpClient http = config.trust().map(GraphClients::azureHttpClient).orElse(null);
        if (config.clientSecret().isPresent()) {
            ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder().tenantId(config.tenantId())
                    .clientId(config.clientId()).clientSecret(config.clientSecret().get()).authorityHost(authority)
                    .disableInstanceDiscovery();
            if (http != null) {
                b.httpClient(http);
            }
            return b.build();
        }
        String file = config.clientCertificate().orElseThrow().toString();
        ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder().tenantId(config.tenantId())
                .clientId(config.clientId()).authorityHost(authority).disableInstanceDiscovery();
        if (file.toLowerCase(Locale.ROOT).endsWith(".pem")) {
            b.pemCertificate(file);
        } else {
            b.pfxCertificate(file);
            config.clientCertificatePassword().ifPresent(b::clientCertificatePassword);
        }
        if (http != null) {
            b.httpClient(http);
        }
        return b.build();
    }

    static GraphServiceClient graph(GraphConnectorConfig config, TokenCredential credential) {
        String host = config.graphUrl().getHost();
        AzureIdentityAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(credential,
                new String[] {host}, SCOPE);
        RetryHandlerOption noRetries = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
        OkHttpClient.Builder http = GraphClientFactory.create(new RequestOption[] {noRetries}).socketFactory(new NoDelaySocketFactory());
        config.trust().ifPresent(cert -> {
            X509TrustManager trust = CertificateTrust.trustManager(cert);
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
                http.sslSocketFactory(tls.getSocketFactory(), trust);
            } catch (GeneralSecurityException e) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot trust " + cert.getSubjectX500Principal()
                        + ": " + e.getMessage(), e);
            }
        });
        GraphServiceClient client = new GraphServiceClient(auth, http.build());
        client.getRequestAdapter().setBaseUrl(config.graphUrl() + "/v1.0");
        return client;
    }

    private static HttpClient azureHttpClient(X509Certificate cert) {
        try {
            SslContext tls = SslContextBuilder.forClient().trustManager(cert).build();
            return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(tls))).build();
        } catch (SSLException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot trust " + cert.getSubjectX500Principal()
                    + " for the authority: " + e.getMessage(), e);
        }
    }
}
