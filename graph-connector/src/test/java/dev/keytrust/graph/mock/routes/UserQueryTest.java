package dev.keytrust.graph.mock.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.http.GraphError;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class UserQueryTest {
    private static final List<StoredUser> USERS = List.of(
            user(1, "alice@corp.example.com", "Alice Smith", "alice@corp.example.com", true),
            user(2, "bob@corp.example.com", "Bob Jones", null, false),
            user(3, "carol@corp.example.com", "Carol Smith-Jones", "carol@mail.example.net", true));

    private static StoredUser user(int n, String upn, String name, String mail, boolean enabled) {
        GraphUser u = new GraphUser("id-" + n, upn, name, null, null, mail, enabled, "imm" + n, null, null, null, null, null);
        return new StoredUser(u, List.of(), n, n, 0);
    }

    private static List<String> matching(Predicate<StoredUser> p) {
        return USERS.stream().filter(p).map(u -> u.user().id()).toList();
    }

    @Test
    void filtersCombineStartswithInEqAndOrWithParentheses() {
        assertThat(matching(UserQuery.filter("startswith(displayName,'car') or userPrincipalName eq 'BOB@corp.example.com'", false)))
                .containsExactly("id-2", "id-3");
        assertThat(matching(UserQuery.filter("id in ('id-1', 'id-3') and (accountEnabled eq true)", false)))
                .containsExactly("id-1", "id-3");
        assertThat(matching(UserQuery.filter("mail eq null", false))).containsExactly("id-2");
        assertThat(matching(UserQuery.filter("accountEnabled eq true and not startswith(mail,'carol')", true))).containsExactly("id-1");
    }

    @Test
    void neAndNotAreAdvancedQueriesThatNeedConsistencyLevelEventual() {
        assertThatThrownBy(() -> UserQuery.filter("displayName ne 'x'", false)).isInstanceOfSatisfying(GraphError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("ConsistencyLevel: eventual");
        });
        assertThat(matching(UserQuery.filter("displayName ne 'Bob Jones'", true))).containsExactly("id-1", "id-3");
    }

    @Test
    void anUnknownPropertyOrABrokenClauseIsA400NamingIt() {
        assertThatThrownBy(() -> UserQuery.filter("shoeSize eq '9'", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("shoeSize", "displayName"));
        assertThatThrownBy(() -> UserQuery.filter("startswith(displayName 'a')", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("expected ','"));
        assertThatThrownBy(() -> UserQuery.filter("id eq 'a' and", false)).isInstanceOf(GraphError.class);
    }

    @Test
    void searchMatchesTheStartOfWordsAndNeedsConsistencyLevel() {
        assertThat(matching(UserQuery.search("\"displayName:jon\"", true))).containsExactly("id-2", "id-3");
        assertThat(matching(UserQuery.search("\"displayName:smith\" AND \"mail:carol\"", true))).containsExactly("id-3");
        assertThat(matching(UserQuery.search("\"displayName:bob\" OR \"mail:alice\"", true))).containsExactly("id-1", "id-2");
        assertThatThrownBy(() -> UserQuery.search("\"displayName:bob\"", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("ConsistencyLevel: eventual"));
        assertThatThrownBy(() -> UserQuery.search("bob", true)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("property:term"));
    }

    @Test
    void orderByAndCountFollowGraphsRules() {
        assertThat(USERS.stream().sorted(UserQuery.orderBy("displayName desc")).map(u -> u.user().id()))
                .containsExactly("id-3", "id-2", "id-1");
        assertThatThrownBy(() -> UserQuery.orderBy("mail")).isInstanceOf(GraphError.class);
        assertThat(UserQuery.count("true", true)).isTrue();
        assertThat(UserQuery.count(null, false)).isFalse();
        assertThatThrownBy(() -> UserQuery.count("true", false)).isInstanceOfSatisfying(GraphError.class,
                e -> assertThat(e.getMessage()).contains("ConsistencyLevel: eventual"));
    }
}
