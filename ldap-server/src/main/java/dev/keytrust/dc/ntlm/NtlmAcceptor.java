package dev.keytrust.dc.ntlm;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one NTLM authentication ([MS-NLMP] 3.2.5): answers the client's NEGOTIATE with a CHALLENGE,
 * then checks its AUTHENTICATE with the account's NT hash. Only NTLMv2 is accepted (an NTLMv1 or anonymous
 * response is refused as a DC with LmCompatibilityLevel 5 refuses it). One acceptor serves one exchange.
 *
 * <pre>{@code
 * NtlmAcceptor acceptor = new NtlmAcceptor(server, accounts, clock);
 * byte[] challenge = acceptor.challenge(negotiateFromClient);
 * NtlmAcceptor.Outcome outcome = acceptor.authenticate(authenticateFromClient);
 * }</pre>
 */
public final class NtlmAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(NtlmAcceptor.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** AD's diagnostic for a failed NTLM bind; {@code data} is the Win32 error (52e wrong password, 533 disabled). */
    public static String adDiagnostic(String data) {
        return "80090308: LdapErr: DSID-0C090569, comment: AcceptSecurityContext error, data " + data + ", v4563";
    }

    /** AD's data code for a wrong name or password. */
    public static final String WRONG_PASSWORD = "52e";
    /** AD's data code for a disabled account. */
    public static final String DISABLED = "533";

    private final ServerNames server;
    private final NtlmAccounts accounts;
    private final Clock clock;
    private final byte[] serverChallenge;
    private byte[] negotiate;
    private byte[] challenge;
    private int offered;

    /**
     * @param server the names the CHALLENGE tells the client
     * @param accounts where accounts and their NT hashes are found
     * @param clock the DC's clock (the CHALLENGE's timestamp)
     */
    public NtlmAcceptor(ServerNames server, NtlmAccounts accounts, Clock clock) {
        this(server, accounts, clock, randomChallenge());
    }

    NtlmAcceptor(ServerNames server, NtlmAccounts accounts, Clock clock, byte[] serverChallenge) {
        this.server = Objects.requireNonNull(server, "server");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serverChallenge = serverChallenge.clone();
    }

    /** The outcome of {@link #authenticate}. */
    public sealed interface Outcome {
    }

    /** The client proved it knows the account's password. */
    public record Accepted(NtlmAccount account, NtlmSecurity security, boolean micPresent) implements Outcome {
    }

    /** The bind fails: {@code data} is AD's code (52e, 533), {@code reason} says why, for the log. */
    public record Refused(String data, String reason) implements Outcome {
        /** The diagnostic message AD sends with 49. */
        public String diagnostic() {
            return adDiagnostic(data);
        }
    }

    /** Answers a NEGOTIATE message with the CHALLENGE to send back. */
    public byte[] challenge(byte[] negotiateMessage) {
        if (challenge != null) {
            throw new NtlmException("expected an NTLM AUTHENTICATE message after the CHALLENGE but found another NEGOTIATE");
        }
        NtlmMessages.Negotiate n = NtlmMessages.negotiate(negotiateMessage);
        offered = NtlmFlags.answer(n.flags());
        byte[] info = TargetInfo.encode(server.netbiosDomain(), server.netbiosComputer(), server.dnsDomain(),
                server.dnsComputer(), clock.instant());
        negotiate = n.raw();
        challenge = NtlmMessages.challenge(offered, serverChallenge, server.netbiosDomain(), info);
        return challenge.clone();
    }

    /** Checks the client's AUTHENTICATE message (malformed ones throw {@link NtlmException}). */
    public Outcome authenticate(byte[] authenticateMessage) {
        if (challenge == null) {
            throw new NtlmException("expected an NTLM NEGOTIATE message first but found an AUTHENTICATE");
        }
        NtlmMessages.Authenticate a = NtlmMessages.authenticate(authenticateMessage);
        if (a.user().isEmpty()) {
            return refuse("an anonymous NTLM sign-in (no user name)");
        }
        if (a.ntResponse().length == 24) {
            return refuse("an NTLMv1 response from " + a.domain() + "\\" + a.user() + " (only NTLMv2 is accepted)");
        }
        if (a.ntResponse().length < 16 + 28 + 4) {
            throw new NtlmException("expected an NTLMv2 response (at least 48 bytes) but found "
                    + a.ntResponse().length + " bytes");
        }
        NtlmAccount account = accounts.find(a.domain(), a.user()).orElse(null);
        if (account == null) {
            return refuse("no account " + a.domain() + "\\" + a.user());
        }
        byte[] proof = Arrays.copyOf(a.ntResponse(), 16);
        byte[] temp = Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length);
        byte[] responseKey = NtlmCrypto.ntowfv2(account.ntHash(), a.user(), a.domain());
        if (!NtlmCrypto.same(proof, NtlmCrypto.hmacMd5(responseKey, serverChallenge, temp))) {
            return refuse("a wrong password for " + account.dn());
        }
        if (!account.enabled()) {
            return new Refused(DISABLED, "the account " + account.dn() + " is disabled");
        }
        byte[] sessionBaseKey = NtlmCrypto.hmacMd5(responseKey, proof);
        byte[] exported = sessionBaseKey;
        int flags = a.flags() & offered;
        if (NtlmFlags.has(flags, NtlmFlags.KEY_EXCH)) {
            if (a.encryptedSessionKey().length != 16) {
                throw new NtlmException("expected a 16-byte EncryptedRandomSessionKey with key exchange but found "
                        + a.encryptedSessionKey().length + " bytes");
            }
            exported = NtlmCrypto.rc4(sessionBaseKey, a.encryptedSessionKey());
        }
        Map<Integer, byte[]> pairs = TargetInfo.decode(Arrays.copyOfRange(temp, 28, temp.length));
        byte[] avFlags = pairs.get(TargetInfo.FLAGS);
        boolean mic = avFlags != null && avFlags.length == 4 && (avFlags[0] & TargetInfo.FLAG_MIC_PRESENT) != 0;
        if (mic && !micVerifies(a.raw(), exported)) {
            return refuse("a MIC that does not verify for " + account.dn());
        }
        LOG.debug("NTLM sign-in of {} (flags {})", account.dn(), Integer.toHexString(flags));
        return new Accepted(account, new NtlmSecurity(flags, exported), mic);
    }

    private boolean micVerifies(byte[] authenticate, byte[] exportedSessionKey) {
        if (authenticate.length < NtlmMessages.MIC_OFFSET + 16) {
            throw new NtlmException("the AUTHENTICATE message announces a MIC but is too short to hold one");
        }
        byte[] mic = Arrays.copyOfRange(authenticate, NtlmMessages.MIC_OFFSET, NtlmMessages.MIC_OFFSET + 16);
        byte[] zeroed = authenticate.clone();
        Arrays.fill(zeroed, NtlmMessages.MIC_OFFSET, NtlmMessages.MIC_OFFSET + 16, (byte) 0);
        return NtlmCrypto.same(mic, NtlmCrypto.hmacMd5(exportedSessionKey, negotiate, challenge, zeroed));
    }

    private static Refused refuse(String reason) {
        return new Refused(WRONG_PASSWORD, reason);
    }

    private static byte[] randomChallenge() {
        byte[] c = new byte[8];
        RANDOM.nextBytes(c);
        return c;
    }
}
