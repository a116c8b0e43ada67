package dev.keytrust.dc.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Splits the bytes a client sends into whole LDAP messages without decoding them, checking on the way what a
 * recursive decoder must never see: nesting deeper than the limit, a message larger than the limit, indefinite
 * lengths (not allowed in LDAP, RFC 4511 section 5.1), and elements longer than what contains them. Needs a
 * constant amount of memory besides the message being collected, and no recursion. One per connection; not
 * thread-safe (a connection's bytes arrive in order on one thread at a time).
 */
final class BerFramer {
    /** Why a connection's input cannot be accepted. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { TAG, TAG_MORE, LENGTH, LENGTH_MORE, CONTENT }

    private final ProtocolLimits limits;
    private final java.util.function.Predicate<String> dnValued;
    private final long[] ends;
    private final int[] tags;
    private final int[] children;
    private int depth;
    private int tag;
    private boolean capturingType;
    private boolean dnValuedType;
    private final StringBuilder type = new StringBuilder();
    private State state = State.TAG;
    private boolean constructed;
    private int tagBytes;
    private int lengthBytesLeft;
    private long length;
    private long position;
    private long contentEnd;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream(256);

    /**
     * @param dnValued whether an attribute (name or OID, lower case, without options) holds DNs: the server parses
     *     such values, so they are held to {@link ProtocolLimits#maxDnBytes()} as request DNs are
     */
    BerFramer(ProtocolLimits limits, java.util.function.Predicate<String> dnValued) {
        this.limits = limits;
        this.dnValued = dnValued;
        this.ends = new long[limits.maxBerDepth() + 1];
        this.tags = new int[limits.maxBerDepth() + 1];
        this.children = new int[limits.maxBerDepth() + 1];
    }

    /**
     * Consumes {@code in} entirely; hands each complete message to {@code out} as soon as its last byte arrived.
     *
     * @throws Violation when the input breaks a limit or LDAP's encoding rules; the connection must then be closed
     */
    void feed(ByteBuffer in, Consumer<byte[]> out) throws Violation {
        while (in.hasRemaining()) {
            if (state == State.CONTENT) {
                int n = (int) Math.min(in.remaining(), contentEnd - position);
                if (capturingType) {
                    for (int i = 0; i < n; i++) {
                        type.append((char) (in.get(in.position() + i) & 0xff));
                    }
                }
                copy(in, n);
                if (position == contentEnd) {
                    elementDone(out);
                }
                continue;
            }
            int b = in.get() & 0xff;
            message.write(b);
            position++;
            switch (state) {
                case TAG -> {
                    if (depth == 0 && b != 0x30) {
                        throw new Violation(String.format("a message starting with tag 0x%02x; an LDAPMessage is a "
                                + "SEQUENCE (0x30)", b));
                    }
                    constructed = (b & 0x20) != 0;
                    tag = b;
                    tagBytes = 0;
                    state = (b & 0x1f) == 0x1f ? State.TAG_MORE : State.LENGTH;
                }
                case TAG_MORE -> {
                    if (++tagBytes > 4) {
                        throw new Violation("a tag number longer than any LDAP tag");
                    }
                    if ((b & 0x80) == 0) {
                        state = State.LENGTH;
                    }
                }
                case LENGTH -> {
                    if (b == 0x80) {
                        throw new Violation("an indefinite length, which LDAP does not allow (RFC 4511 section 5.1)");
                    }
                    if ((b & 0x80) == 0) {
                        startContent(b, out);
                    } else {
                        lengthBytesLeft = b & 0x7f;
                        if (lengthBytesLeft > 4) {
                            throw new Violation("a length of " + lengthBytesLeft + " bytes, more than any request may have");
                        }
                        length = 0;
                        state = State.LENGTH_MORE;
                    }
                }
                case LENGTH_MORE -> {
                    length = (length << 8) | b;
                    if (--lengthBytesLeft == 0) {
                        startContent(length, out);
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void startContent(long contentLength, Consumer<byte[]> out) throws Violation {
        long end = position + contentLength;
        if (depth == 0) {
            if (end > limits.maxRequestBytes()) {
                throw new Violation("a message of " + end + " bytes; at most " + limits.maxRequestBytes()
                        + " bytes are accepted in one request");
            }
        } else if (end > ends[depth - 1]) {
            throw new Violation("an element longer than the element that contains it");
        }
        int index = depth == 0 ? 0 : children[depth - 1]++;
        if (constructed) {
            if (depth == limits.maxBerDepth()) {
                throw new Violation("a request nested more than " + limits.maxNesting()
                        + " levels deep (a search filter may nest at most " + limits.maxNesting() + " levels)");
            }
            tags[depth] = tag;
            children[depth] = 0;
            ends[depth++] = end;
            state = State.TAG;
            if (contentLength == 0) {
                elementDone(out);
            }
        } else {
            if (contentLength > limits.maxDnBytes() && parsedAsDn(index)) {
                throw new Violation("a distinguished name or filter value of " + contentLength + " bytes; at most "
                        + limits.maxDnBytes() + " bytes are accepted there");
            }
            capturingType = isAttributeType(index) && contentLength <= 256;
            type.setLength(0);
            contentEnd = end;
            state = State.CONTENT;
            if (contentLength == 0) {
                elementDone(out);
            }
        }
    }

    /**
     * Whether the server parses the primitive element about to start (at level {@code depth}, the {@code index}th
     * child of its parent) as a DN: an operation's DNs, a search filter's values, values of DN-valued attributes.
     */
    private boolean parsedAsDn(int index) {
        if (depth == 1) {
            return tag == 0x4A; // DelRequest: the operation is the DN
        }
        int op = tags[1];
        if (depth == 2) {
            return switch (op) {
                case 0x60 -> index == 1; // bind name
                case 0x63, 0x66, 0x68, 0x6E -> index == 0; // search base, modify/add/compare entry
                case 0x6C -> index <= 1 || tag == 0x80; // entry, new RDN, new superior
                default -> false;
            };
        }
        if (op == 0x63) {
            return children[1] - 1 == 6; // inside the filter
        }
        return ((op == 0x68 && depth == 5) || (op == 0x66 && depth == 6)) && tags[depth - 1] == 0x31 && dnValuedType;
    }

    /** Whether the element about to start names the attribute of an add's attribute or a modify's change. */
    private boolean isAttributeType(int index) {
        return index == 0 && depth >= 4 && ((tags[1] == 0x68 && depth == 4) || (tags[1] == 0x66 && depth == 5));
    }

    /** After the last byte of an element: closes every element that ends here; a closed message goes out. */
    private void elementDone(Consumer<byte[]> out) {
        if (capturingType) {
            capturingType = false;
            int options = type.indexOf(";");
            String name = (options < 0 ? type : type.substring(0, options)).toString().toLowerCase(java.util.Locale.ROOT);
            dnValuedType = dnValued.test(name);
        }
        state = State.TAG;
        while (depth > 0 && ends[depth - 1] == position) {
            depth--;
        }
        if (depth == 0) {
            out.accept(message.toByteArray());
            message.reset();
            position = 0;
        }
    }

    private void copy(ByteBuffer in, int n) {
        if (in.hasArray()) {
            message.write(in.array(), in.arrayOffset() + in.position(), n);
            in.position(in.position() + n);
        } else {
            byte[] chunk = new byte[n];
            in.get(chunk);
            message.write(chunk, 0, n);
        }
        position += n;
    }
}
