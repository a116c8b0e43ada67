package dev.keytrust.dc;

import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.directory.api.ldap.model.constants.AuthenticationLevel;
import org.apache.directory.api.ldap.model.message.BindRequest;
import org.apache.directory.api.ldap.model.message.BindResponse;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.LdapPrincipal;
import org.apache.directory.server.ldap.LdapSession;

/**
 * Routes SASL binds to the {@link SaslMechanism}s of the DC's config by mechanism name: one {@link
 * SaslMechanism.Conversation} per bind, kept in the LDAP session between rounds; on {@link BindStep.Done} the
 * connection acts as the account named.
 */
final class SaslBinds {
    private static final String CONVERSATION = "keytrust.sasl.conversation";
    private static final String MECHANISM = "keytrust.sasl.mechanism";

    private final Map<String, SaslMechanism> mechanisms;
    private final DcContext context;
    private final DcState state;
    private final DirectoryService service;

    SaslBinds(java.util.List<SaslMechanism> mechanisms, DcContext context, DcState state, DirectoryService service) {
        this.mechanisms = mechanisms.stream().collect(Collectors.toUnmodifiableMap(m -> m.name().toUpperCase(Locale.ROOT),
                Function.identity()));
        this.context = context;
        this.state = state;
        this.service = service;
    }

    /** Whether a bind with this mechanism is one of ours. */
    boolean handles(String mechanism) {
        return mechanism != null && mechanisms.containsKey(mechanism.toUpperCase(Locale.ROOT));
    }

    /** The mechanism names, for the rootDSE's supportedSASLMechanisms. */
    java.util.Set<String> names() {
        return mechanisms.keySet();
    }

    void bind(LdapSession session, BindRequest request) throws Exception {
        String mechanism = request.getSaslMechanism().toUpperCase(Locale.ROOT);
        if (session.isAuthenticated()) {
            session.getCoreSession().unbind();
            session.setAnonymous();
            session.clearSaslProperties();
        }
        SaslMechanism.Conversation conversation = (SaslMechanism.Conversation) session.getSaslProperty(CONVERSATION);
        if (conversation == null || !session.isAuthPending() || !mechanism.equals(session.getSaslProperty(MECHANISM))) {
            session.clearSaslProperties();
            conversation = mechanisms.get(mechanism).start(context);
            session.putSaslProperty(CONVERSATION, conversation);
            session.putSaslProperty(MECHANISM, mechanism);
        }
        byte[] credentials = request.getCredentials() == null ? new byte[0] : request.getCredentials();
        BindStep step;
        try {
            step = conversation.evaluate(credentials);
        } catch (RuntimeException e) {
            step = new BindStep.Refused(mechanism + " failed: " + e.getMessage());
        }
        BindResponse response = (BindResponse) request.getResultResponse();
        LdapResult result = response.getLdapResult();
        if (step instanceof BindStep.Continue c) {
            result.setResultCode(ResultCodeEnum.SASL_BIND_IN_PROGRESS);
            response.setServerSaslCreds(c.challenge());
            session.setSaslAuthPending();
        } else if (step instanceof BindStep.Done d) {
            Dn account = state.dn(d.accountDn());
            session.clearSaslProperties();
            session.setCoreSession(service.getSession(new LdapPrincipal(state.schema, account, AuthenticationLevel.STRONG)));
            session.setAuthenticated();
            result.setResultCode(ResultCodeEnum.SUCCESS);
            if (d.serverCredentials().length > 0) {
                response.setServerSaslCreds(d.serverCredentials());
            }
        } else {
            session.clearSaslProperties();
            session.setAnonymous();
            result.setResultCode(ResultCodeEnum.INVALID_CREDENTIALS);
            result.setDiagnosticMessage(((BindStep.Refused) step).reason());
        }
        session.getIoSession().write(response);
    }
}
