package dev.keytrust.persona;

import dev.keytrust.encoding.Sid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates deterministic {@link Persona}s and domain SIDs from a seed. Pure functions of their inputs: the
 * same arguments give the same result in every process and on every machine.
 *
 * <pre>{@code
 * List<Persona> people = Personas.generate(42, 100);
 * Sid domainSid = Personas.domainSid("corp.example.com", 42);
 * }</pre>
 */
public final class Personas {
    /** RID of the first generated person (AD hands out RIDs from 1000; the first few go to built-in objects). */
    public static final long FIRST_RID = 1104;

    private static final String[] GIVEN = {
        "Alice", "Bob", "Carol", "David", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Karl", "Laura",
        "Mallory", "Niaj", "Olivia", "Peggy", "Quentin", "Rupert", "Sybil", "Trent", "Ursula", "Victor", "Walter",
        "Xavier", "Yvonne", "Zoe", "Amir", "Beatriz", "Chen", "Dmitri", "Esther", "Fatima", "Giorgio", "Hana",
        "Ingrid", "Jamal", "Keiko", "Lars", "Mei", "Nadia", "Oscar", "Priya", "Rafael", "Sofia", "Tomas", "Uma",
        "Valentina", "Wei", "Yusuf", "Zara"
    };
    private static final String[] SURNAMES = {
        "Smith", "Johnson", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
        "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards",
        "Stewart", "Morris", "Nguyen", "Murphy", "Rivera", "Cook", "Rogers", "Morgan"
    };

    private Personas() {
    }

    /** The first {@code count} personas of {@code seed}. */
    public static List<Persona> generate(long seed, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("expected a non-negative number of users but found " + count);
        }
        List<Persona> out = new ArrayList<>(count);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            SplittableRandom r = new SplittableRandom(mix(seed, i));
            String given = GIVEN[r.nextInt(GIVEN.length)];
            String surname = SURNAMES[r.nextInt(SURNAMES.length)];
            UUID guid = new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
            String base = (given + "." + surname).toLowerCase(Locale.ROOT);
            base = base.substring(0, Math.min(base.length(), 14)); // sAMAccountName: at most 20 characters
            String sam = base;
            for (int n = 2; !used.add(sam); n++) {
                sam = base + n;
            }
            out.add(new Persona(i, given, surname, sam, guid, FIRST_RID + i));
        }
        return out;
    }

    /** A domain SID ({@code S-1-5-21-a-b-c}) derived from the domain name and the seed. */
    public static Sid domainSid(String domain, long seed) {
        long h = seed;
        for (byte b : domain.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003L + b;
        }
        SplittableRandom r = new SplittableRandom(h);
        return new Sid(5, new long[] {21, 1_000_000_000L + r.nextLong(3_000_000_000L),
            1_000_000_000L + r.nextLong(3_000_000_000L), 1_000_000_000L + r.nextLong(3_000_000_000L)});
    }

    private static long mix(long seed, long i) {
        long z = seed * 0x9E37_79B9_7F4A_7C15L + i;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
