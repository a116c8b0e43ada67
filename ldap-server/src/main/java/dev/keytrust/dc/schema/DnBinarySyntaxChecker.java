package dev.keytrust.dc.schema;

import dev.keytrust.keycredential.DnBinary;
import dev.keytrust.keycredential.KeyCredentialFormatException;
import org.apache.directory.api.ldap.model.schema.SyntaxChecker;

/**
 * ApacheDS syntax checker for Object(DN-Binary), LDAP syntax OID 1.2.840.113556.1.4.903
 * ({@code B:<count>:<hex>:<DN>}). ApacheDS finds checkers by class name and needs the static {@link #builder()}.
 *
 * <p>It accepts any string on purpose: ApacheDS would refuse a malformed value with code 21 and a message that
 * does not say what is wrong. The DC's interceptor parses every value with the core codec instead and answers
 * as Samba does (34, "could not parse ... as a 1.2.840.113556.1.4.903 DN: " and the reason).
 * {@link #isWellFormed(String)} is the strict check.
 */
public final class DnBinarySyntaxChecker extends SyntaxChecker {
    private static final long serialVersionUID = 1L;

    /** The one instance ApacheDS needs. */
    public static final DnBinarySyntaxChecker INSTANCE = new DnBinarySyntaxChecker();

    private DnBinarySyntaxChecker() {
        super(DnBinary.SYNTAX_OID);
    }

    /** The builder ApacheDS's schema loader calls. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the single instance. */
    public static final class Builder extends SCBuilder<DnBinarySyntaxChecker> {
        private Builder() {
            super(DnBinary.SYNTAX_OID);
        }

        @Override
        public DnBinarySyntaxChecker build() {
            return INSTANCE;
        }
    }

    @Override
    public boolean isValidSyntax(Object value) {
        return value instanceof String || value instanceof byte[];
    }

    /** Whether {@code value} is a well-formed DN-Binary string. */
    public static boolean isWellFormed(Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof byte[] b) {
            text = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } else {
            return false;
        }
        try {
            DnBinary.parse(text);
            return true;
        } catch (KeyCredentialFormatException e) {
            return false;
        }
    }
}
