package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Advanced queries on {@code /users} over HTTPS: counted, sorted, searched and filtered pages, and Graph's refusals. */
class UsersQueryIT extends MockOverHttps {
    private String token;

    @Override
    GraphMockConfig.Builder config() {
        return GraphMockConfig.builder().seed(17);
    }

    @BeforeEach
    void addUsers() {
        for (String name : new String[] {"Dora", "Alice", "Eve", "Bob", "Carol"}) {
            mock.admin().addUser(GraphUser.named(name.toLowerCase() + "@corp.example.com", name + " Example"));
        }
        token = client.token();
    }

    @Test
    void aCountedSortedQueryPagesInOrderAndCountsEveryMatch() {
        List<String> names = new ArrayList<>();
        Reply page = client.get("/v1.0/users?$count=true&$orderby=displayName%20desc&$top=2&$select=displayName", token,
                "ConsistencyLevel", "eventual");
        assertThat(page.body().get("@odata.count").asInt()).isEqualTo(5);
        while (true) {
            assertThat(page.status()).isEqualTo(200);
            page.body().get("value").forEach(u -> names.add(u.get("displayName").asText()));
            JsonNode next = page.body().get("@odata.nextLink");
            if (next == null) {
                break;
            }
            page = client.get(next.asText(), token);
        }
        assertThat(names).containsExactly("Eve Example", "Dora Example", "Carol Example", "Bob Example", "Alice Example");
    }

    @Test
    void searchAndRicherFiltersAnswerOnlyTheMatchesAndAdvancedQueriesWithoutTheHeaderAre400() {
        Reply search = client.get("/v1.0/users?$search=%22displayName:car%22%20OR%20%22displayName:bo%22", token,
                "ConsistencyLevel", "eventual");
        assertThat(search.body().get("value")).extracting(u -> u.get("displayName").asText())
                .containsExactlyInAnyOrder("Carol Example", "Bob Example");
        Reply filter = client.get("/v1.0/users?$filter=startswith(displayName,'e')%20or%20userPrincipalName%20in%20"
                + "('alice@corp.example.com')", token);
        assertThat(filter.body().get("value")).extracting(u -> u.get("displayName").asText())
                .containsExactly("Alice Example", "Eve Example");
        for (String url : new String[] {"/v1.0/users?$count=true", "/v1.0/users?$search=%22displayName:bo%22",
                "/v1.0/users?$filter=displayName%20ne%20'x'"}) {
            Reply refused = client.get(url, token);
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.body().at("/error/message").asText()).as(url).contains("ConsistencyLevel: eventual");
        }
    }
}
