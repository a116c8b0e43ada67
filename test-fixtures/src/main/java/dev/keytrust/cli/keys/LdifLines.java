package dev.keytrust.cli.keys;

import java.io.IOException;
import java.io.Reader;

/**
 * Logical lines of text that may be LDIF as ldapsearch prints it: a physical line that starts with one space
 * continues the line before it (RFC 2849 folding; ldapsearch folds at 76 columns unless {@code -o ldif-wrap=no}).
 * Lines end with {@code \n} or {@code \r\n} only, as {@code wc -l} counts them; each logical line carries the
 * number of its first physical line.
 */
public final class LdifLines {
    /** A logical line and the number of its first physical line (1-based). */
    record Logical(String text, int number) {
    }

    private final Reader reader;
    private String pending;
    private int pendingNumber;
    private int number;

    LdifLines(Reader reader) {
        this.reader = reader;
    }

    /** The next logical line, or {@code null} at the end of the input. */
    Logical next() throws IOException {
        String first = pending != null ? pending : read();
        int firstNumber = pending != null ? pendingNumber : number;
        pending = null;
        if (first == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(first);
        for (String more = read(); more != null; more = read()) {
            if (more.startsWith(" ")) {
                text.append(more, 1, more.length());
            } else {
                pending = more;
                pendingNumber = number;
                break;
            }
        }
        return new Logical(text.toString(), firstNumber);
    }

    private String read() throws IOException {
        String line = nextLine(reader);
        if (line != null) {
            number++;
        }
        return line;
    }

    /**
     * The next line, ended by {@code \n} or {@code \r\n} only (as {@code wc -l} counts them): a lone {@code \r} stays
     * in the line, so the line numbers reported match the input's. Null at the end of the input.
     */
    private static String nextLine(Reader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        int c = reader.read();
        if (c == -1) {
            return null;
        }
        for (; c != -1 && c != '\n'; c = reader.read()) {
            line.append((char) c);
        }
        if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }
}
