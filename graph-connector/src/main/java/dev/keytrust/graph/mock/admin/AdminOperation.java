package dev.keytrust.graph.mock.admin;

import dev.keytrust.graph.mock.http.PathTemplate;

/**
 * The admin API's routes, one per {@link dev.keytrust.graph.mock.GraphMockAdmin} operation: the server dispatches by
 * this table ({@link AdminRoutes}) and the HTTP client builds its requests from it ({@link HttpGraphMockAdmin}), so
 * the two cannot drift apart.
 */
public enum AdminOperation {
    ADD_USER("POST", "/_admin/users"),
    LIST_USERS("GET", "/_admin/users"),
    REMOVE_USER("DELETE", "/_admin/users/{user}"),
    UPDATE_USER("PATCH", "/_admin/users/{user}"),
    LIST_DELETED_USERS("GET", "/_admin/deletedUsers"),
    RESTORE_USER("POST", "/_admin/deletedUsers/{user}/restore"),
    PURGE_USER("DELETE", "/_admin/deletedUsers/{user}"),
    ADD_KEY("POST", "/_admin/users/{user}/keys"),
    LIST_KEYS("GET", "/_admin/users/{user}/keys"),
    REMOVE_KEY("DELETE", "/_admin/users/{user}/keys/{key}"),
    ADD_FAULT("POST", "/_admin/faults"),
    LIST_FAULTS("GET", "/_admin/faults"),
    CLEAR_FAULTS("DELETE", "/_admin/faults"),
    RESET("POST", "/_admin/reset"),
    GET_SETTINGS("GET", "/_admin/settings"),
    CHANGE_SETTINGS("PATCH", "/_admin/settings"),
    REQUESTS("GET", "/_admin/requests");

    private final String method;
    private final PathTemplate path;

    AdminOperation(String method, String path) {
        this.method = method;
        this.path = PathTemplate.of(path);
    }

    /** The HTTP method. */
    public String method() {
        return method;
    }

    /** The path template under the mock's base URL. */
    public PathTemplate path() {
        return path;
    }
}
