package dev.keytrust.dc.face;

import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.access.AccessPolicy;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.util.Optional;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ModifyRequest;
import org.apache.directory.api.ldap.model.message.ModifyResponse;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.LdapPrincipal;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.request.ModifyRequestHandler;

/**
 * A modify of the rootDSE is an operation, as in AD: {@code keytrustReplicateNow: DC1} asks this DC to pull from DC1
 * now ({@code keytrust replicate}, and partners' change notifications across processes); {@code keytrustReplicationFault:
 * partition DC3} applies a fault and answers what it did in the success's diagnostic message. The administrator only
 * (50 for others, 1 before a bind); any other attribute of the rootDSE is refused with 53, as AD and Samba do. Other
 * modifies go to ApacheDS as usual (it refuses rootDSE
 * modifies before any interceptor sees them, so this sits in front).
 */
public final class RootDseModifyHandler extends ModifyRequestHandler {
    private final DcState state;

    public RootDseModifyHandler(DcState state) {
        this.state = state;
    }

    @Override
    public void handle(LdapSession session, ModifyRequest request) {
        if (request.getName() == null || !request.getName().isEmpty()) {
            super.handle(session, request);
            return;
        }
        ModifyResponse response = (ModifyResponse) request.getResultResponse();
        LdapResult result = response.getLdapResult();
        LdapPrincipal principal = session.getCoreSession() == null ? null : session.getCoreSession().getEffectivePrincipal();
        Dn who = principal == null ? null : principal.getDn();
        if (who == null || who.isEmpty()) {
            refuse(session, response, ResultCodeEnum.OPERATIONS_ERROR, AccessPolicy.BIND_REQUIRED);
            return;
        }
        for (Modification m : request.getModifications()) {
            String name = m.getAttribute().getUpId();
            if (!name.equalsIgnoreCase(AdSchema.REPLICATE_NOW) && !name.equalsIgnoreCase(AdSchema.REPLICATION_FAULT)) {
                refuse(session, response, ResultCodeEnum.UNWILLING_TO_PERFORM, "00002035: SvcErr: rootDSE modify: "
                        + "unknown attribute to change: " + name + "; the rootDSE operations are " + AdSchema.REPLICATE_NOW
                        + " and " + AdSchema.REPLICATION_FAULT);
                return;
            }
        }
        if (!who.getNormName().equalsIgnoreCase(state.dns.administratorDn.getNormName())) {
            refuse(session, response, ResultCodeEnum.INSUFFICIENT_ACCESS_RIGHTS, "00000005: SecErr: the rootDSE "
                    + "operations " + AdSchema.REPLICATE_NOW + " and " + AdSchema.REPLICATION_FAULT
                    + " need the Administrator's bind");
            return;
        }
        String done = null;
        for (Modification m : request.getModifications()) {
            String name = m.getAttribute().getUpId();
            boolean replicate = name.equalsIgnoreCase(AdSchema.REPLICATE_NOW);
            if (m.getAttribute().size() != 1) {
                result.setResultCode(ResultCodeEnum.UNWILLING_TO_PERFORM);
                result.setDiagnosticMessage("the rootDSE operations are " + AdSchema.REPLICATE_NOW + ": <partner DC> and "
                        + AdSchema.REPLICATION_FAULT + ": <fault> (one value each); got " + name);
                session.getIoSession().write(response);
                return;
            }
            String value = m.getAttribute().get().getString();
            Optional<String> refused;
            if (replicate) {
                refused = state.replication.replicateNow.apply(value);
            } else {
                try {
                    done = state.replication.replicationFault.apply(value);
                    refused = Optional.empty();
                } catch (KeyTrustException e) {
                    refused = Optional.of(e.getMessage());
                }
            }
            if (refused.isPresent()) {
                result.setResultCode(ResultCodeEnum.UNWILLING_TO_PERFORM);
                result.setDiagnosticMessage((replicate ? "cannot replicate from " : "cannot apply fault '") + value
                        + (replicate ? "" : "'") + ": " + refused.get());
                session.getIoSession().write(response);
                return;
            }
        }
        result.setResultCode(ResultCodeEnum.SUCCESS);
        if (done != null) {
            result.setDiagnosticMessage(done);
        }
        session.getIoSession().write(response);
    }

    private static void refuse(LdapSession session, ModifyResponse response, ResultCodeEnum code, String text) {
        response.getLdapResult().setResultCode(code);
        response.getLdapResult().setDiagnosticMessage(text);
        session.getIoSession().write(response);
    }
}
