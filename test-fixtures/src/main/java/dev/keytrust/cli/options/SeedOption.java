package dev.keytrust.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --seed S} (a picocli {@code @Mixin}): the seed a lab's parts are drawn from — users, GUIDs, the domain SID,
 * keys and ids, the order of the KCC's rings — so the same seed gives the same lab in every command and process.
 */
public final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed for users, GUIDs, the domain SID, keys and ids (default ${DEFAULT-VALUE}); give every "
                    + "command of one lab the same seed.")
    private long seed;

    public long seed() {
        return seed;
    }
}
