package dev.keytrust.cli.options;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --users N --seed S} of {@code keytrust dc} and {@code keytrust graph-mock} (a picocli {@code @Mixin}): the
 * same N people on both sides for the same seed, as AD and Entra hold the same synced users.
 */
public final class SeededPeopleOptions {
    @Option(names = "--users", defaultValue = "0", paramLabel = "N",
            description = "Create N deterministic users (default ${DEFAULT-VALUE}); keytrust dc and graph-mock with the "
                    + "same --users and --seed hold the same people.")
    private int users;

    @Mixin
    private SeedOption seed = new SeedOption();

    /** How many users to create: 0 or more (else an invalid-input error). */
    public int users() {
        if (users < 0) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--users: expected 0 or more but found " + users);
        }
        return users;
    }

    public long seed() {
        return seed.seed();
    }
}
