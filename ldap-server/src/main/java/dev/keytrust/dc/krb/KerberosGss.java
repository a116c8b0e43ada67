package dev.keytrust.dc.krb;

import dev.keytrust.dc.ntlm.NtlmAcceptor;
import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SecurityLayer;
import dev.keytrust.dc.spnego.GssMechanism;
import dev.keytrust.kdc.KerberosKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApRep;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.ap.EncAPRepPart;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kerberos as a GSS mechanism of the DC's LDAP binds (RFC 4121 acceptor): the AP-REQ's ticket must be for one of
 * this DC's services (the DC account's keys, as this DC's directory holds them), its authenticator fresh (5 minutes)
 * and naming the ticket's client, who must be an enabled account of this DC; with mutual authentication the answer
 * is an AP-REP with an acceptor subkey (AES) and a random sequence number, as AD sends it. When the client's GSS flags ask for confidentiality or integrity (as SASL GSS-SPNEGO clients do, which
 * have no security-layer negotiation of their own), every later message is sealed or signed in RFC 4121 Wrap tokens
 * ({@link WrapTokens}, AES keys); an rc4-hmac key (impacket asks for one) serves binds without a layer only.
 */
public final class KerberosGss implements GssMechanism {
    private static final Logger LOG = LoggerFactory.getLogger(KerberosGss.class);
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final int MUTUAL = 0x2;
    private static final int CONF = 0x10;
    private static final int INTEG = 0x20;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String oid() {
        return GssTokens.KRB5;
    }

    @Override
    public List<String> oids() {
        return List.of(GssTokens.KRB5, GssTokens.MS_KRB5);
    }

    @Override
    public boolean recognises(byte[] token) {
        return GssTokens.isApReq(token);
    }

    @Override
    public Context start(DcContext context) {
        return new KerberosContext(context);
    }

    /** One Kerberos bind: the AP-REQ, then (for GSSAPI's security-layer negotiation) Wrap tokens. */
    static final class KerberosContext implements Context {
        private final DcContext dc;
        private EncryptionKey protection; // set once the AP-REQ is accepted
        private WrapTokens tokens; // AES keys only
        private String accountDn;

        KerberosContext(DcContext dc) {
            this.dc = dc;
        }

        @Override
        public BindStep accept(byte[] token) {
            if (protection != null) {
                throw new NtlmException("the Kerberos context is already established");
            }
            try {
                return acceptApReq(KrbCodec.decode(GssTokens.unframe(token, GssTokens.AP_REQ), ApReq.class));
            } catch (KrbException e) {
                return refuse("the AP-REQ cannot be read or opened: " + e.getMessage());
            }
        }

        private BindStep acceptApReq(ApReq request) throws KrbException {
            Ticket ticket = request.getTicket();
            if (ticket == null || !dc.realm().equalsIgnoreCase(ticket.getRealm())) {
                return refuse("a ticket of another realm");
            }
            Optional<AccountCredentials> self = dc.directory().credentials(dc.name() + "$");
            int etype = ticket.getEncryptedEncPart().getEType().getValue();
            Optional<KerberosKey> serviceKey = self.flatMap(c -> c.key(etype));
            if (serviceKey.isEmpty()) {
                return refuse("a ticket for " + ticket.getSname().getName() + " in enctype " + etype
                        + ", for which " + dc.name() + "$ has no key here");
            }
            EncTicketPart part = KrbCodec.decode(EncryptionHandler.decrypt(ticket.getEncryptedEncPart(),
                    new EncryptionKey(etype, serviceKey.get().keyBytes()), KeyUsage.KDC_REP_TICKET), EncTicketPart.class);
            Instant now = dc.clock().instant();
            if (part.getEndTime() != null && Instant.ofEpochMilli(part.getEndTime().getTime()).plus(SKEW).isBefore(now)) {
                return refuse("an expired ticket");
            }
            Authenticator authenticator = KrbCodec.decode(EncryptionHandler.decrypt(request.getEncryptedAuthenticator(),
                    part.getKey(), KeyUsage.AP_REQ_AUTH), Authenticator.class);
            if (!part.getCname().getName().equalsIgnoreCase(authenticator.getCname().getName())) {
                return refuse("an authenticator for another client than the ticket's");
            }
            Instant ctime = Instant.ofEpochMilli(authenticator.getCtime().getTime());
            if (Duration.between(ctime, now).abs().compareTo(SKEW) > 0) {
                return refuse("an authenticator outside the 5-minute clock skew");
            }
            String client = part.getCname().getName();
            Optional<AccountCredentials> account = dc.directory().credentials(client);
            if (account.isEmpty()) {
                return refuse("a ticket for " + client + ", who is not an account here");
            }
            accountDn = account.get().accountDn();
            boolean disabled = dc.directory().lookup(accountDn, "userAccountControl")
                    .flatMap(e -> e.string("userAccountControl")).map(v -> (Long.parseLong(v.trim()) & 2) != 0)
                    .orElse(false);
            if (disabled) {
                LOG.info("{}: Kerberos bind refused: {} is disabled", dc.name(), accountDn);
                return new BindStep.Refused(NtlmAcceptor.adDiagnostic(NtlmAcceptor.DISABLED));
            }
            protection = authenticator.getSubKey() != null ? authenticator.getSubKey() : part.getKey();
            int flags = gssFlags(authenticator.getCksum());
            boolean mutual = (flags & MUTUAL) != 0;
            long clientSequence = sequenceNumber(authenticator);
            boolean aes = WrapTokens.supports(protection.getKeyType().getValue());
            // As AD: with mutual authentication the AP-REP brings an acceptor subkey and a random first sequence number.
            EncryptionKey acceptorSubkey = mutual && aes ? EncryptionHandler.random2Key(protection.getKeyType()) : null;
            long acceptorSequence = mutual ? RANDOM.nextInt() & 0x3fffffff : clientSequence;
            if (aes) {
                tokens = new WrapTokens(acceptorSubkey != null ? acceptorSubkey : protection, acceptorSequence,
                        clientSequence, acceptorSubkey != null);
            }
            SecurityLayer layer = null;
            if ((flags & (CONF | INTEG)) != 0) { // GSS-SPNEGO's security layer follows the flags the client asked for
                if (tokens == null) {
                    return refuse("signing or sealing asked with an enctype " + protection.getKeyType().getValue()
                            + " key, for which the DC has no Wrap tokens (AES only)");
                }
                layer = tokens.layer((flags & CONF) != 0);
            }
            byte[] answer = new byte[0];
            if (mutual) {
                EncAPRepPart rep = new EncAPRepPart();
                rep.setCtime(authenticator.getCtime());
                rep.setCusec(authenticator.getCusec());
                rep.setSeqNumber((int) acceptorSequence);
                if (acceptorSubkey != null) {
                    rep.setSubkey(acceptorSubkey);
                }
                ApRep apRep = new ApRep();
                apRep.setEncryptedEncPart(EncryptionHandler.encrypt(KrbCodec.encode(rep), part.getKey(),
                        KeyUsage.AP_REP_ENCPART));
                answer = GssTokens.frame(GssTokens.AP_REP, KrbCodec.encode(apRep));
            }
            LOG.debug("{}: Kerberos bind of {} for {}, GSS flags {} ({})", dc.name(), accountDn,
                    ticket.getSname().getName(), Integer.toHexString(flags), layer == null ? "no integrity or "
                    + "confidentiality asked" : (flags & CONF) != 0 ? "confidentiality asked" : "integrity asked");
            return new BindStep.Done(accountDn, answer, layer);
        }

        /** The authenticator's sequence number (unsigned 32 bits), or 0 when it has none. */
        private static long sequenceNumber(Authenticator authenticator) {
            try {
                return Integer.toUnsignedLong(authenticator.getSeqNumber());
            } catch (NullPointerException absent) { // Kerby unboxes a missing field
                return 0;
            }
        }

        /**
         * The GSS flags of the authenticator's 0x8003 checksum (RFC 4121 4.1.1: Lgth 16, Bnd, Flags), or 0. Kerby does
         * not know type 0x8003 by name, so the checksum is recognised by its layout.
         */
        private static int gssFlags(CheckSum checksum) {
            byte[] value = checksum == null ? null : checksum.getChecksum();
            if (value == null || value.length < 24) {
                return 0;
            }
            ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            return b.getInt(0) == 16 ? b.getInt(20) : 0; // no keyed checksum has this layout
        }

        private BindStep refuse(String reason) {
            LOG.info("{}: Kerberos bind refused: {}", dc.name(), reason);
            return new BindStep.Refused(NtlmAcceptor.adDiagnostic("80090322"));
        }

        /** Whether the established context has Wrap and MIC tokens (its key is an AES key). */
        boolean hasTokens() {
            return tokens != null;
        }

        /** The established context's Wrap and MIC tokens. */
        WrapTokens tokens() {
            if (protection == null) {
                throw new NtlmException("the Kerberos context is not established");
            }
            if (tokens == null) {
                throw new NtlmException("expected an AES key for GSS Wrap and MIC tokens but the context's key has enctype "
                        + protection.getKeyType().getValue());
            }
            return tokens;
        }

        @Override
        public byte[] getMic(byte[] message) {
            return tokens().mic(message);
        }

        @Override
        public void verifyMic(byte[] message, byte[] mic) {
            tokens().verifyMic(message, mic);
        }

        String accountDn() {
            return accountDn;
        }
    }
}
