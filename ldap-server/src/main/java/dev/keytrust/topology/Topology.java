package dev.keytrust.topology;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.DcServices;
import dev.keytrust.dc.DomainControllerConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An AD replication topology: the domain, its sites, the site links between them, the domain controllers and
 * any manual connections, plus the intra-site change-notification delays (AD's defaults: 15 s to the first
 * partner, 3 s to each further one). Immutable and validated when built; {@link TopologyYaml} reads the same
 * from a file and names the line of any mistake.
 *
 * <pre>{@code
 * Topology t = Topology.builder()
 *         .site("HQ").site("Branch")
 *         .siteLink("HQ-Branch", List.of("HQ", "Branch"), 100, Duration.ofMinutes(15), false, List.of())
 *         .dc("DC1", "HQ").dc("DC2", "HQ").dc("DC3", "Branch")
 *         .build();
 * List<Connection> connections = KnowledgeConsistencyChecker.connections(t, seed);
 * }</pre>
 */
public final class Topology {
    /** AD's delay before notifying the first replication partner of a change. */
    public static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(15);
    /** AD's delay before notifying each further partner. */
    public static final Duration DEFAULT_SUBSEQUENT_DELAY = Duration.ofSeconds(3);
    /** The shortest replInterval AD accepts, and its granularity. */
    public static final Duration INTERVAL_STEP = Duration.ofMinutes(15);
    /** AD's default tombstone lifetime (the forest's tombstoneLifetime): 180 days. */
    public static final Duration DEFAULT_TOMBSTONE_LIFETIME = Duration.ofDays(180);

    private final String domain;
    private final List<String> sites;
    private final List<SiteLink> siteLinks;
    private final List<DcSpec> domainControllers;
    private final List<Connection> manualConnections;
    private final Duration firstDelay;
    private final Duration subsequentDelay;
    private final Duration tombstoneLifetime;

    private Topology(Builder b) {
        this.domain = b.domain;
        this.sites = List.copyOf(b.sites);
        this.siteLinks = List.copyOf(b.siteLinks);
        this.domainControllers = List.copyOf(b.dcs);
        this.manualConnections = List.copyOf(b.manual);
        this.firstDelay = b.firstDelay;
        this.subsequentDelay = b.subsequentDelay;
        this.tombstoneLifetime = b.tombstoneLifetime;
    }

    /** The first address of {@link #withStandardPorts()}: DC1 on 127.0.0.11, DC2 on .12, and so on. */
    public static final int STANDARD_FIRST_ADDRESS = 11;
    /** The LDAP port that, in a topology, means "AD's standard ports" (389, 636, 3268, 3269, and 88 for a KDC). */
    public static final int STANDARD_LDAP_PORT = DcServices.STANDARD_LDAP_PORT;

    /**
     * {@code builder} set up for this topology's DC {@code spec}: its site, the domain, its address and port, the
     * tombstone lifetime, and with port {@value #STANDARD_LDAP_PORT} all of AD's ports at its address.
     */
    public DomainControllerConfigBuilder configure(DomainControllerConfigBuilder builder, DcSpec spec) {
        builder.site(spec.site()).domain(domain()).host(spec.host()).port(spec.port()).tombstoneLifetime(tombstoneLifetime());
        if (spec.port() == STANDARD_LDAP_PORT) {
            builder.standardPorts();
        }
        return builder;
    }

    /**
     * This topology with each DC at its own loopback address on AD's standard ports, as real DCs are: the n-th DC
     * (in file order) on {@code 127.0.0.(10+n)}, port {@value #STANDARD_LDAP_PORT} (which makes it serve 636, 3268,
     * 3269 and a KDC's 88 too). Needs root or CAP_NET_BIND_SERVICE to listen.
     */
    public Topology withStandardPorts() {
        Builder b = builder().domain(domain);
        sites.forEach(b::site);
        siteLinks.forEach(l -> b.siteLink(l, null));
        int n = STANDARD_FIRST_ADDRESS;
        for (DcSpec dc : domainControllers) {
            b.dc(new DcSpec(dc.name(), dc.site(), "127.0.0." + n++, STANDARD_LDAP_PORT, dc.preferredBridgehead()), null);
        }
        manualConnections.forEach(c -> b.connection(c.source(), c.destination(), null));
        return b.notification(firstDelay, subsequentDelay, null).tombstoneLifetime(tombstoneLifetime, null).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String domain() {
        return domain;
    }

    public List<String> sites() {
        return sites;
    }

    public List<SiteLink> siteLinks() {
        return siteLinks;
    }

    public List<DcSpec> domainControllers() {
        return domainControllers;
    }

    public List<Connection> manualConnections() {
        return manualConnections;
    }

    public Duration firstNotificationDelay() {
        return firstDelay;
    }

    public Duration subsequentNotificationDelay() {
        return subsequentDelay;
    }

    /** How long every DC of the topology keeps tombstones and ABSENT values (default 180 days). */
    public Duration tombstoneLifetime() {
        return tombstoneLifetime;
    }

    /** The DC with this name (case-insensitive). */
    public Optional<DcSpec> dc(String name) {
        return domainControllers.stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The DCs of a site, in topology order. */
    public List<DcSpec> dcsIn(String site) {
        return domainControllers.stream().filter(d -> d.site().equalsIgnoreCase(site)).toList();
    }

    /**
     * Builds a {@link Topology}. Each {@code where} argument (may be {@code null}) says where a setting came from,
     * such as {@code "line 7"}, and is named in the error if the setting is wrong.
     */
    public static final class Builder {
        private String domain = "corp.example.com";
        private final List<String> sites = new ArrayList<>();
        private final List<SiteLink> siteLinks = new ArrayList<>();
        private final List<DcSpec> dcs = new ArrayList<>();
        private final List<Connection> manual = new ArrayList<>();
        private final Map<Object, String> origins = new HashMap<>();
        private Duration firstDelay = DEFAULT_FIRST_DELAY;
        private Duration subsequentDelay = DEFAULT_SUBSEQUENT_DELAY;
        private Duration tombstoneLifetime = DEFAULT_TOMBSTONE_LIFETIME;

        private Builder() {
        }

        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        public Builder site(String name) {
            return site(name, null);
        }

        public Builder site(String name, String where) {
            sites.add(name);
            origins.put("site:" + name, where);
            return this;
        }

        public Builder siteLink(String name, List<String> linked, int cost, Duration interval, boolean useNotify,
                List<ScheduleWindow> schedule) {
            return siteLink(new SiteLink(name, linked, cost, interval, useNotify, schedule), null);
        }

        public Builder siteLink(SiteLink link, String where) {
            siteLinks.add(link);
            origins.put(link, where);
            return this;
        }

        public Builder dc(String name, String site) {
            return dc(new DcSpec(name, site, "127.0.0.1", 0, false), null);
        }

        public Builder dc(DcSpec dc, String where) {
            dcs.add(dc);
            origins.put(dc, where);
            return this;
        }

        public Builder connection(String from, String to, String where) {
            Connection c = new Connection(from, to, Connection.Kind.MANUAL, null);
            manual.add(c);
            origins.put(c, where);
            return this;
        }

        public Builder notification(Duration first, Duration subsequent, String where) {
            this.firstDelay = first;
            this.subsequentDelay = subsequent;
            origins.put("notification", where);
            return this;
        }

        /** The forest's tombstone lifetime (default 180 days; at least one hour). */
        public Builder tombstoneLifetime(Duration lifetime, String where) {
            this.tombstoneLifetime = lifetime;
            origins.put("tombstoneLifetime", where);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws KeyTrustException ({@code INVALID_TOPOLOGY}) naming the setting, its line if known, and the fix
         */
        public Topology build() {
            if (domain == null || !domain.contains(".")) {
                throw invalid(null, "expected a domain DNS name like corp.example.com but found " + quote(domain));
            }
            Set<String> siteNames = new HashSet<>();
            for (String s : sites) {
                if (s == null || s.isBlank()) {
                    throw invalid(origins.get("site:" + s), "a site needs a name");
                }
                if (!siteNames.add(s.toLowerCase(Locale.ROOT))) {
                    throw invalid(origins.get("site:" + s), "site " + quote(s) + " is defined twice; site names must be unique");
                }
            }
            if (dcs.isEmpty()) {
                throw invalid(null, "a topology needs at least one domain controller");
            }
            if (tombstoneLifetime == null || tombstoneLifetime.compareTo(Duration.ofHours(1)) < 0) {
                throw invalid(origins.get("tombstoneLifetime"), "expected a tombstoneLifetime of at least one hour (AD's "
                        + "default is 180d) but found " + tombstoneLifetime);
            }
            Set<String> linkNames = new HashSet<>();
            for (SiteLink link : siteLinks) {
                String where = origins.get(link);
                if (!linkNames.add(String.valueOf(link.name()).toLowerCase(Locale.ROOT))) {
                    throw invalid(where, "site link " + quote(link.name()) + " is defined twice; site link names must be unique");
                }
                if (link.sites().size() < 2) {
                    throw invalid(where, "site link " + quote(link.name()) + " must join at least two sites but lists " + link.sites());
                }
                for (String s : link.sites()) {
                    if (!siteNames.contains(s.toLowerCase(Locale.ROOT))) {
                        throw invalid(where, "site link " + quote(link.name()) + " names unknown site " + quote(s)
                                + "; known sites: " + sites);
                    }
                }
                Duration i = link.replInterval();
                if (i.compareTo(INTERVAL_STEP) < 0 || i.toSeconds() % INTERVAL_STEP.toSeconds() != 0) {
                    throw invalid(where, "site link " + quote(link.name()) + " has replInterval " + minutes(i)
                            + "; AD needs at least 15m and a multiple of 15m (e.g. 15m, 60m, 180m)");
                }
                if (link.cost() < 1) {
                    throw invalid(where, "site link " + quote(link.name()) + " needs a positive cost but has " + link.cost());
                }
            }
            Set<String> dcNames = new HashSet<>();
            Map<String, DcSpec> ports = new HashMap<>();
            for (DcSpec dc : dcs) {
                String where = origins.get(dc);
                if (dc.name() == null || !dc.name().matches("[A-Za-z0-9][A-Za-z0-9-]{0,14}")) {
                    throw invalid(where, "expected a DC name of letters, digits and '-' (at most 15, like DC1) but found " + quote(dc.name()));
                }
                if (!dcNames.add(dc.name().toLowerCase(Locale.ROOT))) {
                    throw invalid(where, "domain controller " + quote(dc.name()) + " is defined twice; DC names must be unique");
                }
                if (dc.site() == null || !siteNames.contains(dc.site().toLowerCase(Locale.ROOT))) {
                    throw invalid(where, "domain controller " + quote(dc.name()) + " is in unknown site " + quote(dc.site())
                            + "; known sites: " + sites);
                }
                if (dc.host() == null || !dc.host().matches("[A-Za-z0-9._-]+")) {
                    throw invalid(where, "domain controller " + quote(dc.name()) + " has host " + quote(dc.host())
                            + "; expected the host name or IPv4 address its partners reach it at (like 127.0.0.1 or 10.213.0.1)");
                }
                if (dc.host().equals("0.0.0.0")) {
                    throw invalid(where, "domain controller " + quote(dc.name()) + " has host 0.0.0.0, which binds every "
                            + "address but names none; its partners connect to this host, so give the address they reach it at");
                }
                if (dc.port() < 0 || dc.port() > 65535) {
                    throw invalid(where, "domain controller " + quote(dc.name()) + " has port " + dc.port() + "; expected 0-65535 (0 picks one)");
                }
                if (dc.port() != 0) {
                    DcSpec other = ports.putIfAbsent(dc.host() + ":" + dc.port(), dc);
                    if (other != null) {
                        throw invalid(where, "domain controllers " + quote(other.name()) + " and " + quote(dc.name())
                                + " both use " + dc.host() + ":" + dc.port() + "; give each its own port (or 0)");
                    }
                }
            }
            for (Connection c : manual) {
                for (String end : List.of(c.source(), c.destination())) {
                    if (end == null || !dcNames.contains(end.toLowerCase(Locale.ROOT))) {
                        throw invalid(origins.get(c), "connection names unknown domain controller " + quote(end));
                    }
                }
                if (c.source().equalsIgnoreCase(c.destination())) {
                    throw invalid(origins.get(c), "a connection needs two different DCs but both ends are " + quote(c.source()));
                }
            }
            if (firstDelay == null || subsequentDelay == null || firstDelay.isNegative() || subsequentDelay.isNegative()) {
                throw invalid(origins.get("notification"), "notification delays must be zero or more (AD: firstDelay 15s, subsequentDelay 3s)");
            }
            return new Topology(this);
        }

        private static String minutes(Duration d) {
            return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
        }

        private static String quote(String s) {
            return s == null ? "nothing" : "'" + s + "'";
        }

        private static KeyTrustException invalid(String where, String message) {
            return new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, "invalid topology" + (where != null ? " at " + where : "")
                    + ": " + message);
        }
    }
}
