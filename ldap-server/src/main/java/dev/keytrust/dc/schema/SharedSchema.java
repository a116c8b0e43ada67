package dev.keytrust.dc.schema;

import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * The schema every domain controller in this JVM shares: ApacheDS's bundled schema plus the AD subset,
 * loaded once (schema loading dominates a DC's start-up) and read-only afterwards.
 */
public final class SharedSchema {
    private SharedSchema() {
    }

    private static final class Holder {
        static final SchemaManager INSTANCE = SchemaInstaller.load();
    }

    /** The shared, fully loaded schema manager. */
    public static SchemaManager get() {
        return Holder.INSTANCE;
    }
}
