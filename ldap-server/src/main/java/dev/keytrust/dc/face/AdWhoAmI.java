package dev.keytrust.dc.face;

import dev.keytrust.dc.state.DcState;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIRequest;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIResponse;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIResponseImpl;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.server.core.api.LdapPrincipal;
import org.apache.directory.server.ldap.ExtendedOperationHandler;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.LdapSession;

/**
 * The "Who am I?" extended operation (RFC 4532, 1.3.6.1.4.1.4203.1.11.3) as AD answers it: {@code u:CORP\alice} for
 * a bound account (NetBIOS domain name and sAMAccountName), an empty authzId for an anonymous connection.
 * {@code ldapwhoami -x -H ldap://127.0.0.1:389 -D 'CORP\alice' -w ...} prints {@code u:CORP\alice}.
 */
public final class AdWhoAmI implements ExtendedOperationHandler<WhoAmIRequest, WhoAmIResponse> {
    static final String OID = "1.3.6.1.4.1.4203.1.11.3";

    private final DcState state;

    public AdWhoAmI(DcState state) {
        this.state = state;
    }

    @Override
    public String getOid() {
        return OID;
    }

    @Override
    public Set<String> getExtensionOids() {
        return Set.of(OID);
    }

    @Override
    public void setLdapServer(LdapServer server) {
        // nothing needed from the server
    }

    @Override
    public void handleExtendedOperation(LdapSession session, WhoAmIRequest request) {
        WhoAmIResponseImpl response = new WhoAmIResponseImpl(request.getMessageId(), ResultCodeEnum.SUCCESS);
        String authzId = "";
        LdapPrincipal principal = session.getCoreSession() == null ? null : session.getCoreSession().getAuthenticatedPrincipal();
        if (session.isAuthenticated() && principal != null && principal.getDn() != null && !principal.getDn().isEmpty()) {
            String sam = state.objects.samByOwner.get(principal.getDn().getNormName());
            authzId = sam == null ? "dn:" + principal.getDn().getName() : "u:" + state.config.netbiosDomain() + "\\" + sam;
        }
        response.setAuthzId(authzId.getBytes(StandardCharsets.UTF_8));
        session.getIoSession().write(response);
    }
}
