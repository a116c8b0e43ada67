package dev.keytrust.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    @Test
    void readsAndWritesWhatInstantDoes() {
        SplittableRandom random = new SplittableRandom(13);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            String text = t.toString();
            assertThat(IsoInstant.format(t)).isEqualTo(text);
            assertThat(IsoInstant.parse(text)).isEqualTo(t);
        }
        for (String text : new String[] {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.500Z", "1969-12-31T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.000001Z"}) {
            assertThat(IsoInstant.format(Instant.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void agreesWithInstantParseOnOtherForms() {
        for (String text : new String[] {"2026-12-05t08:51:04z", "2026-12-31T23:59:60Z", "+10000-01-01T00:00:00Z",
                "2026-12-05T24:00:00Z", "2026-02-30T00:00:00Z", "2026-12-05T08:51:04.Z", "2026-12-05T08:51:04.1234567890Z",
                "2026-1a-05T08:51:04Z", "2026-12-05T08:51:04+01:00", "-0001-01-01T00:00:00Z", ""}) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            if (expected instanceof Instant) {
                assertThat(IsoInstant.parse(text)).as(text).isEqualTo(expected);
            } else {
                assertThatThrownBy(() -> IsoInstant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            }
        }
    }
}
