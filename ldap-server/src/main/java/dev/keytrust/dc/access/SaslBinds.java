package dev.keytrust.dc.access;

import com.unboundid.asn1.ASN1Enumerated;
import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.dc.wire.SaslLayerFilter;
import dev.keytrust.dc.wire.SicilyBinds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.apache.mina.core.buffer.IoBuffer;

/**
 * Routes SASL binds to the {@link SaslMechanism}s of the DC's config by mechanism name: one {@link
 * SaslMechanism.Conversation} per bind, kept in the LDAP session between rounds; on {@link BindStep.Done} the
 * connection acts as the account named, and a security layer the bind negotiated wraps every later message. Sicily
 * binds (which {@link SicilyBinds} turned into SASL binds) go to the configured mechanisms' Sicily package and are
 * answered in Sicily's shape: result 0 with the package's token in matchedDN until done.
 */
public final class SaslBinds {
    private static final String CONVERSATION = "keytrust.sasl.conversation";
    private static final String MECHANISM = "keytrust.sasl.mechanism";
    private static final Set<String> SICILY = Set.of(SicilyBinds.DISCOVERY, SicilyBinds.NEGOTIATE, SicilyBinds.RESPONSE);

    private final Map<String, SaslMechanism> mechanisms;
    private final SaslMechanism sicily;
    private final DcContext context;
    private final DcState state;
    private final DirectoryService service;

    public SaslBinds(List<SaslMechanism> mechanisms, DcContext context, DcState state, DirectoryService service) {
        this.mechanisms = mechanisms.stream().collect(Collectors.toUnmodifiableMap(m -> m.name().toUpperCase(Locale.ROOT),
                Function.identity()));
        this.sicily = mechanisms.stream().flatMap(m -> m.sicily().stream()).findFirst().orElse(null);
        this.context = context;
        this.state = state;
        this.service = service;
    }

    /** Whether a bind with this mechanism is one of ours. */
    boolean handles(String mechanism) {
        return mechanism != null && (mechanisms.containsKey(mechanism.toUpperCase(Locale.ROOT))
                || sicily != null && SICILY.contains(mechanism));
    }

    /** The mechanism names, for the rootDSE's supportedSASLMechanisms. */
    Set<String> names() {
        return mechanisms.keySet();
    }

    void bind(LdapSession session, BindRequest request) throws Exception {
        String mechanism = request.getSaslMechanism().toUpperCase(Locale.ROOT);
        if (SICILY.contains(request.getSaslMechanism())) {
            sicilyBind(session, request);
            return;
        }
        signOut(session);
        SaslMechanism.Conversation conversation = (SaslMechanism.Conversation) session.getSaslProperty(CONVERSATION);
        if (conversation == null || !session.isAuthPending() || !mechanism.equals(session.getSaslProperty(MECHANISM))) {
            conversation = begin(session, mechanisms.get(mechanism), mechanism);
        }
        BindStep step = evaluate(conversation, request, mechanism);
        BindResponse response = (BindResponse) request.getResultResponse();
        LdapResult result = response.getLdapResult();
        if (step instanceof BindStep.Continue c) {
            result.setResultCode(ResultCodeEnum.SASL_BIND_IN_PROGRESS);
            response.setServerSaslCreds(c.challenge());
            session.setSaslAuthPending();
        } else if (step instanceof BindStep.Done d) {
            signIn(session, d.accountDn());
            result.setResultCode(ResultCodeEnum.SUCCESS);
            if (d.serverCredentials().length > 0) {
                response.setServerSaslCreds(d.serverCredentials());
            }
            if (d.securityLayer() != null) {
                SaslLayerFilter.install(session.getIoSession(), d.securityLayer(), state.config.protocolLimits(), response);
            }
        } else {
            refuse(session);
            result.setResultCode(ResultCodeEnum.INVALID_CREDENTIALS);
            result.setDiagnosticMessage(((BindStep.Refused) step).reason());
        }
        session.getIoSession().write(response);
    }

    /** Sicily: package discovery lists the package; negotiate starts its exchange; response finishes it. */
    private void sicilyBind(LdapSession session, BindRequest request) throws Exception {
        int id = request.getMessageId();
        String mechanism = request.getSaslMechanism();
        if (mechanism.equals(SicilyBinds.DISCOVERY)) {
            writeSicily(session, id, 0, sicily.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII), "");
            return;
        }
        SaslMechanism.Conversation conversation = (SaslMechanism.Conversation) session.getSaslProperty(CONVERSATION);
        if (mechanism.equals(SicilyBinds.NEGOTIATE)) {
            signOut(session);
            conversation = begin(session, sicily, mechanism);
        } else if (conversation == null || !SicilyBinds.NEGOTIATE.equals(session.getSaslProperty(MECHANISM))) {
            refuse(session);
            writeSicily(session, id, ResultCodeEnum.INVALID_CREDENTIALS.getResultCode(), new byte[0],
                    "a sicilyResponse bind must follow a sicilyNegotiate bind on the same connection");
            return;
        }
        BindStep step = evaluate(conversation, request, sicily.name());
        if (step instanceof BindStep.Continue c) {
            session.setSaslAuthPending();
            writeSicily(session, id, 0, c.challenge(), "");
        } else if (step instanceof BindStep.Done d) {
            signIn(session, d.accountDn());
            writeSicily(session, id, 0, new byte[0], "");
        } else {
            refuse(session);
            writeSicily(session, id, ResultCodeEnum.INVALID_CREDENTIALS.getResultCode(), new byte[0],
                    ((BindStep.Refused) step).reason());
        }
    }

    private SaslMechanism.Conversation begin(LdapSession session, SaslMechanism mechanism, String name) {
        session.clearSaslProperties();
        SaslMechanism.Conversation conversation = mechanism.start(context);
        session.putSaslProperty(CONVERSATION, conversation);
        session.putSaslProperty(MECHANISM, name);
        return conversation;
    }

    private static BindStep evaluate(SaslMechanism.Conversation conversation, BindRequest request, String mechanism) {
        byte[] credentials = request.getCredentials() == null ? new byte[0] : request.getCredentials();
        try {
            return conversation.evaluate(credentials);
        } catch (RuntimeException e) {
            return new BindStep.Refused(mechanism + " failed: " + e.getMessage());
        }
    }

    /** A new bind starts from anonymous, as RFC 4511 4.2.1 says. */
    private void signOut(LdapSession session) throws Exception {
        if (session.isAuthenticated()) {
            session.getCoreSession().unbind();
            session.setCoreSession(service.getSession());
            session.setAnonymous();
            session.clearSaslProperties();
        }
    }

    private void signIn(LdapSession session, String accountDn) throws Exception {
        Dn account = state.dns.dn(accountDn);
        session.clearSaslProperties();
        session.setCoreSession(service.getSession(new LdapPrincipal(state.schema, account, AuthenticationLevel.STRONG)));
        session.setAuthenticated();
    }

    /** A failed bind leaves the connection anonymous, whatever it was bound as before. */
    void refuse(LdapSession session) throws Exception {
        session.clearSaslProperties();
        session.setCoreSession(service.getSession());
        session.setAnonymous();
    }

    /** A Sicily bind response: the result code, the package's token where matchedDN goes, a diagnostic. */
    private static void writeSicily(LdapSession session, int messageId, int resultCode, byte[] token, String diagnostic) {
        byte[] encoded = new ASN1Sequence(new ASN1Integer(messageId), new ASN1Sequence((byte) 0x61,
                new ASN1Enumerated(resultCode), new ASN1OctetString(token), new ASN1OctetString(diagnostic))).encode();
        session.getIoSession().write(IoBuffer.wrap(encoded));
    }
}
