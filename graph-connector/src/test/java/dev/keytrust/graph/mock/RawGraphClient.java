package dev.keytrust.graph.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.tls.CertificateTrust;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A plain HTTPS client for checking the mock's wire shapes (the JDK's HttpClient, trusting the mock's certificate). */
final class RawGraphClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final GraphMock mock;
    private final HttpClient http;

    record Reply(int status, java.net.http.HttpHeaders headers, JsonNode body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    RawGraphClient(GraphMock mock) {
        this.mock = mock;
        this.http = HttpClient.newBuilder().sslContext(CertificateTrust.sslContext(mock.certificate())).build();
    }

    String token() {
        Reply r = post(mock.tokenUrl(), "application/x-www-form-urlencoded", form(
                "grant_type", "client_credentials", "client_id", mock.clientId(),
                "client_secret", mock.config().clientSecret().orElseThrow(), "scope", "https://graph.microsoft.com/.default"), null);
        if (r.status() != 200) {
            throw new IllegalStateException("no token: " + r.body());
        }
        return r.body().get("access_token").asText();
    }

    Reply get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("https:") ? url : mock.baseUrl() + url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Reply post(String url, String contentType, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("https:") ? url : mock.baseUrl() + url))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** A GET with extra headers (name, value, ...). */
    Reply get(String url, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("https:") ? url : mock.baseUrl() + url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply delete(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + url)).DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body() == null || r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), r.headers(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String form(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
