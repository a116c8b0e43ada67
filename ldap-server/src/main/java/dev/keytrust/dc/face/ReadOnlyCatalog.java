package dev.keytrust.dc.face;

import org.apache.directory.api.ldap.model.message.AddRequest;
import org.apache.directory.api.ldap.model.message.DeleteRequest;
import org.apache.directory.api.ldap.model.message.ModifyDnRequest;
import org.apache.directory.api.ldap.model.message.ModifyRequest;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.ResultResponse;
import org.apache.directory.api.ldap.model.message.ResultResponseRequest;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * The global catalog ports (3268, 3269) serve the DC's data read-only, as AD's global catalog does: behind the LDAP
 * decoder on those listeners only, an add, modify, delete or modify DN gets 53 (unwillingToPerform) and changes
 * nothing; searches, binds and extended operations pass.
 */
public final class ReadOnlyCatalog extends IoFilterAdapter {
    public static final String NAME = "keytrust-read-only-catalog";
    static final String REFUSED = "00002035: LdapErr: DSID-0C090FC5, comment: the global catalog is read-only; write "
            + "through the DC's LDAP port (389), data 0, v4563";

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (message instanceof AddRequest || message instanceof ModifyRequest || message instanceof DeleteRequest
                || message instanceof ModifyDnRequest) {
            ResultResponse response = ((ResultResponseRequest) message).getResultResponse();
            response.getLdapResult().setResultCode(ResultCodeEnum.UNWILLING_TO_PERFORM);
            response.getLdapResult().setDiagnosticMessage(REFUSED);
            session.write(response);
            return;
        }
        next.messageReceived(session, message);
    }
}
