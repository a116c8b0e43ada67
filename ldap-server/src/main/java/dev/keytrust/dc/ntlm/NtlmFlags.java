package dev.keytrust.dc.ntlm;

/** The NegotiateFlags bits of [MS-NLMP] 2.2.2.5 that the acceptor reads or sets. */
public final class NtlmFlags {
    public static final int UNICODE = 0x00000001;
    public static final int OEM = 0x00000002;
    public static final int REQUEST_TARGET = 0x00000004;
    public static final int SIGN = 0x00000010;
    public static final int SEAL = 0x00000020;
    public static final int LM_KEY = 0x00000080;
    public static final int NTLM = 0x00000200;
    public static final int ANONYMOUS = 0x00000800;
    public static final int ALWAYS_SIGN = 0x00008000;
    public static final int TARGET_TYPE_DOMAIN = 0x00010000;
    public static final int EXTENDED_SESSION_SECURITY = 0x00080000;
    public static final int TARGET_INFO = 0x00800000;
    public static final int VERSION = 0x02000000;
    public static final int NEGOTIATE_128 = 0x20000000;
    public static final int KEY_EXCH = 0x40000000;
    public static final int NEGOTIATE_56 = 0x80000000;

    private NtlmFlags() {
    }

    /**
     * The flags a server answers a NEGOTIATE with, as AD does: Unicode (or OEM if the client cannot), NTLM,
     * extended session security, target info, version, and of signing, sealing, key exchange, 128 and 56 bits
     * those the client asked for.
     */
    static int answer(int requested) {
        int flags = NTLM | TARGET_INFO | TARGET_TYPE_DOMAIN | VERSION | EXTENDED_SESSION_SECURITY;
        flags |= (requested & UNICODE) != 0 ? UNICODE : OEM;
        flags |= requested & (SIGN | SEAL | ALWAYS_SIGN | KEY_EXCH | NEGOTIATE_128 | NEGOTIATE_56 | REQUEST_TARGET);
        return flags;
    }

    static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }
}
