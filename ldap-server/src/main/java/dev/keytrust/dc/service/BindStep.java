package dev.keytrust.dc.service;

import java.util.Objects;

/** What a bind mechanism answers to one round of a bind. */
public sealed interface BindStep {
    /**
     * The client is authenticated as the account {@code accountDn}; {@code serverCredentials} may be empty;
     * {@code securityLayer}, when not null, wraps every later message of the connection (it starts after this
     * bind's response).
     */
    record Done(String accountDn, byte[] serverCredentials, SecurityLayer securityLayer) implements BindStep {
        public Done {
            Objects.requireNonNull(accountDn, "accountDn");
            serverCredentials = serverCredentials == null ? new byte[0] : serverCredentials.clone();
        }

        /** Done without a security layer. */
        public Done(String accountDn, byte[] serverCredentials) {
            this(accountDn, serverCredentials, null);
        }
    }

    /** Another round is needed: {@code challenge} goes back with result 14 (saslBindInProgress). */
    record Continue(byte[] challenge) implements BindStep {
        public Continue {
            challenge = challenge == null ? new byte[0] : challenge.clone();
        }
    }

    /** The bind fails with 49 (invalid credentials); {@code reason} is the diagnostic message. */
    record Refused(String reason) implements BindStep {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
