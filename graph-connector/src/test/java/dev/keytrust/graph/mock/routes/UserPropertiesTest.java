package dev.keytrust.graph.mock.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.graph.mock.http.GraphError;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserPropertiesTest {
    @Test
    void selectTakesAnyUserPropertyInAnyCaseAndAlwaysTheId() {
        assertThat(UserProperties.select("v1.0", "CREATEDDATETIME, employeeId", false))
                .containsExactly("createdDateTime", "employeeId", "id");
        assertThatThrownBy(() -> UserProperties.select("v1.0", "deviceKeys", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("Could not find a property named 'deviceKeys'"));
        assertThat(UserProperties.select("beta", "deviceKeys", false)).containsExactly("deviceKeys", "id");
        assertThat(UserProperties.select("v1.0", "skills", true)).containsExactly("skills", "id");
        assertThatThrownBy(() -> UserProperties.select("v1.0", "skills", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.code()).isEqualTo("Request_UnsupportedQuery"));
    }

    @Test
    void expandTakesManagerAndMemberOfWithANestedSelect() {
        assertThat(UserProperties.expand("v1.0", "manager($select=id,displayName), memberOf")).containsExactly(
                new UserProperties.Expansion("manager", List.of("id", "displayName")), new UserProperties.Expansion("memberOf", null));
        assertThatThrownBy(() -> UserProperties.expand("v1.0", "manager,manager")).isInstanceOf(GraphError.class);
        assertThatThrownBy(() -> UserProperties.expand("v1.0", "manager($filter=x)")).isInstanceOf(GraphError.class);
        assertThatThrownBy(() -> UserProperties.expand("v1.0", "registeredDevices")).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.code()).isEqualTo("Request_UnsupportedQuery"));
    }

    @Test
    void deltaFiltersAreIdEqualitiesJoinedByOr() {
        assertThat(UsersDelta.ids("id eq 'a' or ID eq 'b'")).containsExactly("a", "b");
        assertThat(UsersDelta.ids(null)).isNull();
        assertThatThrownBy(() -> UsersDelta.ids("id eq 'a' and id eq 'b'")).isInstanceOf(GraphError.class);
        assertThatThrownBy(() -> UsersDelta.ids("displayName eq 'a'")).isInstanceOf(GraphError.class);
    }
}
