package dev.keytrust.cli.options;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import picocli.CommandLine.Option;

/** {@code --time-scale N} of the commands that run DCs replicating on scaled wall time (a picocli {@code @Mixin}). */
public final class TimeScaleOption {
    @Option(names = "--time-scale", defaultValue = "1", paramLabel = "N",
            description = "Simulated seconds per real second for the replication timers (default ${DEFAULT-VALUE}: real "
                    + "time; keytrust dc: with --topology).")
    private double scale;

    /** The scale: 1 or more (else an invalid-input error). */
    public double scale() {
        if (!(scale >= 1)) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--time-scale: expected 1 or more but found " + scale);
        }
        return scale;
    }
}
