package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryKdcAccountsTest {
    private final InMemoryKdcAccounts accounts = TestRealm.accounts();

    @Test
    void clientsAreFoundBySamAccountNameOrUpnIgnoringCase() {
        assertThat(accounts.find("ALICE", KdcAccounts.Role.CLIENT)).map(KdcAccount::rid).contains(1104);
        assertThat(accounts.find("alice@CORP.example.com", KdcAccounts.Role.CLIENT)).isPresent();
        assertThat(accounts.find("ldap/dc1.corp.example.com", KdcAccounts.Role.CLIENT)).isEmpty();
    }

    @Test
    void servicesAreFoundBySpnIgnoringCaseOrByOnePartName() {
        assertThat(accounts.find("LDAP/DC1.corp.example.com", KdcAccounts.Role.SERVICE))
                .map(KdcAccount::samAccountName).contains("DC1$");
        assertThat(accounts.find("krbtgt", KdcAccounts.Role.SERVICE)).map(KdcAccount::rid).contains(502);
        assertThat(accounts.find("cifs/dc1.corp.example.com", KdcAccounts.Role.SERVICE)).isEmpty();
    }

    @Test
    void aRemovedAccountIsGoneAtTheNextLookup() {
        accounts.remove("Alice");
        assertThat(accounts.find("alice", KdcAccounts.Role.CLIENT)).isEmpty();
    }
}
