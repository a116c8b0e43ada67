package dev.keytrust.graph.mock.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final RouteTable.Handler<Void> OK = (r, p, c) -> MockResponse.noContent();

    @Test
    void aTemplateMatchesOneSegmentPerNameAndExpandsWithPercentEncoding() {
        PathTemplate t = PathTemplate.of("/_admin/users/{user}/keys/{key}");
        assertThat(t.match("/_admin/users/alice@corp.example.com/keys/k+1")).containsExactly(
                Map.entry("user", "alice@corp.example.com"), Map.entry("key", "k+1"));
        assertThat(t.match("/_admin/users//keys/k")).isNull();
        assertThat(t.match("/_admin/users/a/keys")).isNull();
        assertThat(t.expand(Map.of("user", "a b/c", "key", "k+1"))).isEqualTo("/_admin/users/a%20b%2Fc/keys/k%2B1");
        // a value holding '/' (KeyIDs do) stays one segment: the path is split as sent, then each segment decoded
        assertThat(t.match(t.expand(Map.of("user", "a b/c", "key", "Dk3/x+y=")))).containsExactly(
                Map.entry("user", "a b/c"), Map.entry("key", "Dk3/x+y="));
        assertThat(t.match("/_admin/users/a/keys/Dk3%2Fx%2By%3D")).containsEntry("key", "Dk3/x+y=");
        assertThat(t.match("/_admin/users/a/keys/Dk3/x")).isNull();
        assertThat(t.match("/_admin/%75sers/a/keys/k")).containsEntry("key", "k"); // literal segments are decoded too
    }

    @Test
    void literalRoutesAddedFirstWinAndAKnownPathWithAnotherMethodListsTheAllowedOnes() {
        RouteTable<Void> t = new RouteTable<Void>().add("GET", "/v/users/delta", OK).add("GET", "/v/users/{id}", OK)
                .add("DELETE", "/v/users/{id}", OK);
        assertThat(t.resolve("GET", "/v/users/delta").route().path().template()).isEqualTo("/v/users/delta");
        assertThat(t.resolve("GET", "/v/users/42").params()).containsEntry("id", "42");
        RouteTable.Resolution<Void> post = t.resolve("POST", "/v/users/42");
        assertThat(post.found()).isFalse();
        assertThat(post.allowed()).containsExactly("GET", "DELETE");
        assertThat(t.resolve("GET", "/v/groups").allowed()).isEmpty();
    }
}
