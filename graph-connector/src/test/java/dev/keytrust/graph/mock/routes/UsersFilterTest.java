package dev.keytrust.graph.mock.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code $filter} parser: one pass, no backtracking, so no input can overflow the stack. */
class UsersFilterTest {
    @Test
    void anEqFilterGivesItsPropertyAndUnquotedValue() {
        assertThat(UserQuery.parseEq(" userPrincipalName  eq 'o''brien@x' ")).containsExactly("userPrincipalName", "o'brien@x");
        assertThat(UserQuery.parseEq("id eq ''")).containsExactly("id", "");
    }

    @Test
    void otherShapesAreNotFilters() {
        for (String bad : new String[] {"id eq 'x", "ideq 'x'", "id eq'x'", "id ne 'x'", "id eq 'x' and 1", "eq 'x'", "id eq x"}) {
            assertThat(UserQuery.parseEq(bad)).as(bad).isNull();
        }
    }

    @Test
    void aMillionDoubledQuotesAreParsedWithoutOverflowingTheStack() {
        String[] eq = UserQuery.parseEq("id eq '" + "''".repeat(1_000_000) + "'");
        assertThat(eq[1]).hasSize(1_000_000).matches("'+");
    }
}
