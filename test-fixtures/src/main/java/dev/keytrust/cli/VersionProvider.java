package dev.keytrust.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (the Maven project version), or says it is a development build. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"keytrust " + (version != null ? version : "(development build)"),
            "Java " + Runtime.version()};
    }
}
