package dev.keytrust.encoding;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#parse} and {@link Instant#toString} for hot paths (the DC's replication metadata holds several
 * instants per record and reads and writes records on every originating write), with the same results: the form
 * {@code toString} writes for years 0000–9999 ({@code 2026-12-05T08:51:04.123Z}) is read directly; anything else
 * goes to {@code Instant.parse}, so what it accepts and the errors it throws are unchanged.
 *
 * <pre>{@code
 * Instant t = IsoInstant.parse("2026-12-05T08:51:04.5Z");   // equals Instant.parse(...)
 * String s = IsoInstant.format(t);                          // equals t.toString()
 * }</pre>
 */
public final class IsoInstant {
    private static final int PLAIN_LENGTH = "2026-01-01T00:00:00Z".length();

    /** Epoch seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z: the years written with four digits. */
    private static final long FIRST_PLAIN = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long END_PLAIN = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    private IsoInstant() {
    }

    /** The same as {@link Instant#parse}. */
    public static Instant parse(CharSequence text) {
        Instant fast = parsePlain(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The same as {@link Instant#toString}: seconds, then milli-, micro- or nanoseconds as far as needed. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_PLAIN || seconds >= END_PLAIN) {
            return instant.toString();
        }
        long day = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        StringBuilder out = new StringBuilder(30);
        pad(out, date.getYear(), 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secondOfDay / 3_600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano > 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                pad(out, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                pad(out, nano / 1_000, 6);
            } else {
                pad(out, nano, 9);
            }
        }
        return out.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and time, else null. */
    private static Instant parsePlain(CharSequence s) {
        int n = s.length();
        if (n < PLAIN_LENGTH || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n != PLAIN_LENGTH) {
            int fraction = n - PLAIN_LENGTH - 1;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nano = digits(s, 20, 20 + fraction);
            if (nano < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nano *= 10;
            }
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
        } catch (DateTimeException e) {
            return null; // let Instant.parse say what is wrong
        }
    }

    /** The decimal number in {@code s[from, to)}, or -1 if a character there is not an ASCII digit. */
    private static int digits(CharSequence s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
