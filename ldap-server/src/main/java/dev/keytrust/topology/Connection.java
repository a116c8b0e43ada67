package dev.keytrust.topology;

import java.util.Optional;

/**
 * An inbound replication connection: {@code destination} pulls from {@code source}.
 *
 * @param source the DC changes come from
 * @param destination the DC that pulls them
 * @param kind how the connection came to be
 * @param siteLink for an inter-site connection, the site link it runs over
 */
public record Connection(String source, String destination, Kind kind, String siteLink) {
    /** How a connection came to be. */
    public enum Kind {
        /** The KCC's ring (and optimising edges) inside a site: change notification plus an hourly pull. */
        INTRA_SITE,
        /** Between bridgeheads of linked sites: pulls every replInterval inside the link's schedule. */
        INTER_SITE,
        /** Given in the topology by hand. */
        MANUAL
    }

    public Optional<String> link() {
        return Optional.ofNullable(siteLink);
    }

    @Override
    public String toString() {
        return destination + " <- " + source + " (" + kind + (siteLink != null ? " over " + siteLink : "") + ")";
    }
}
