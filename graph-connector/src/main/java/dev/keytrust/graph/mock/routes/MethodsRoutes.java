package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /users/{id}/authentication/methods} and {@code .../windowsHelloForBusinessMethods[/{id}]}: the v1.0 view of
 * WHfB keys (no key material: device name, creation time, key strength; the device with {@code $expand=device}).
 */
public final class MethodsRoutes {
    public static final String WHFB_TYPE = "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod";
    private static final String PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";

    private final GraphDirectory directory;
    private String baseUrl;

    public MethodsRoutes(GraphDirectory directory) {
        this.directory = directory;
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
    }

    /** {@code GET /users/{id}/authentication/methods}: the password method and each WHfB method. */
    public MockResponse allMethods(String version, String userId) {
        StoredUser u = user(userId);
        List<Object> value = new ArrayList<>();
        Map<String, Object> password = new LinkedHashMap<>();
        password.put("@odata.type", "#microsoft.graph.passwordAuthenticationMethod");
        password.put("id", PASSWORD_METHOD_ID);
        password.put("password", null);
        password.put("createdDateTime", null);
        value.add(password);
        for (DeviceKey k : u.keys()) {
            value.add(method(k, false));
        }
        return list(version, u, "methods", value);
    }

    /** {@code GET /users/{id}/authentication/windowsHelloForBusinessMethods}. */
    public MockResponse whfbMethods(String version, String userId, MockRequest r) {
        if (r.option("$expand") != null) {
            throw GraphError.badRequest("$expand is not supported on the windowsHelloForBusinessMethods collection; "
                    + "GET a single method with $expand=device.");
        }
        StoredUser u = user(userId);
        List<Object> value = new ArrayList<>();
        for (DeviceKey k : u.keys()) {
            value.add(method(k, false));
        }
        return list(version, u, "windowsHelloForBusinessMethods", value);
    }

    /** {@code GET .../windowsHelloForBusinessMethods/{id}} ({@code $expand=device} adds the device). */
    public MockResponse whfbMethod(String version, String userId, String methodId, MockRequest r) {
        StoredUser u = user(userId);
        DeviceKey key = find(u, methodId);
        String expand = r.option("$expand");
        if (expand != null && !expand.trim().equalsIgnoreCase("device")) {
            throw GraphError.badRequest("Could not find a property named '" + expand
                    + "' on type 'microsoft.graph.windowsHelloForBusinessAuthenticationMethod'.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", baseUrl + "/" + version + "/$metadata#users('" + u.user().id()
                + "')/authentication/windowsHelloForBusinessMethods/$entity");
        body.putAll(method(key, expand != null));
        return MockResponse.json(200, body);
    }

    /** {@code DELETE .../windowsHelloForBusinessMethods/{id}}. */
    public MockResponse deleteWhfbMethod(String userId, String methodId) {
        StoredUser u = user(userId);
        directory.removeKey(u.user().id(), find(u, methodId).id());
        return MockResponse.noContent();
    }

    private StoredUser user(String userId) {
        return directory.find(userId).orElseThrow(() -> GraphError.notFound(userId));
    }

    private static DeviceKey find(StoredUser u, String methodId) {
        return u.keys().stream().filter(k -> k.id().equalsIgnoreCase(methodId)).findFirst()
                .orElseThrow(() -> GraphError.notFound(methodId));
    }

    private MockResponse list(String version, StoredUser u, String segment, List<Object> value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", baseUrl + "/" + version + "/$metadata#users('" + u.user().id() + "')/authentication/" + segment);
        body.put("value", value);
        return MockResponse.json(200, body);
    }

    public static Map<String, Object> method(DeviceKey k, boolean withDevice) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@odata.type", WHFB_TYPE);
        m.put("id", k.id());
        m.put("displayName", k.displayName());
        m.put("createdDateTime", k.createdDateTime().toString());
        m.put("keyStrength", k.keyStrength());
        if (withDevice) {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("@odata.type", "#microsoft.graph.device");
            device.put("id", UUID.nameUUIDFromBytes(("device-object:" + k.deviceId()).getBytes(StandardCharsets.UTF_8)).toString());
            device.put("deviceId", k.deviceId().toString());
            device.put("displayName", k.displayName());
            device.put("accountEnabled", true);
            device.put("operatingSystem", "Windows");
            device.put("trustType", "ServerAd");
            m.put("device", device);
        }
        return m;
    }
}
