package dev.keytrust.graph.mock.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Routes as data: each an HTTP method and a {@link PathTemplate} with its handler, tried in the order added (put
 * literal paths such as {@code /users/delta} before {@code /users/{id}}). {@link #resolve} tells a match apart from a
 * known path with another method (405) and an unknown path (404/400, the caller's choice). A route added with
 * method {@code *} takes every method (it answers a wrong one itself).
 *
 * @param <C> what the caller hands every handler besides the request (the authenticated principal, for example)
 */
public final class RouteTable<C> {
    /** Answers one routed request. */
    @FunctionalInterface
    public interface Handler<C> {
        /**
         * @param request the request
         * @param params the template's named segments, decoded
         * @param context the caller's context
         */
        MockResponse handle(MockRequest request, Map<String, String> params, C context);
    }

    /**
     * One route.
     *
     * @param method upper-case HTTP method
     * @param path the path template
     * @param handler what answers it
     */
    public record Route<C>(String method, PathTemplate path, Handler<C> handler) {
    }

    /**
     * The outcome of {@link #resolve}: a route with its parameters, or none with the methods the path allows (empty
     * when no route has this path).
     */
    public record Resolution<C>(Route<C> route, Map<String, String> params, Set<String> allowed) {
        public boolean found() {
            return route != null;
        }

        /** Answers with the route's handler. */
        public MockResponse handle(MockRequest request, C context) {
            return route.handler().handle(request, params, context);
        }
    }

    private final List<Route<C>> routes = new ArrayList<>();

    /** Adds a route; returns this table. */
    public RouteTable<C> add(String method, String template, Handler<C> handler) {
        routes.add(new Route<>(method.toUpperCase(Locale.ROOT), PathTemplate.of(template), handler));
        return this;
    }

    /** The routes in the order they are tried. */
    public List<Route<C>> routes() {
        return List.copyOf(routes);
    }

    /** The first route for {@code method} and {@code rawPath}, the path as sent (see {@link PathTemplate#match}). */
    public Resolution<C> resolve(String method, String rawPath) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route<C> r : routes) {
            Map<String, String> params = r.path().match(rawPath);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method) || r.method().equals("*")) {
                return new Resolution<>(r, params, Set.of());
            }
            allowed.add(r.method());
        }
        return new Resolution<>(null, Map.of(), allowed);
    }
}
