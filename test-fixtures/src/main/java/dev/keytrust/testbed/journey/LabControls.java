package dev.keytrust.testbed.journey;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedDc;
import dev.keytrust.topology.SiteLink;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lab's own faults as the page offers them, each the same {@link Testbed} operation the command line and tests
 * use: stop or start a DC, partition or heal a site link (every pair of DCs across it), run a sync cycle now,
 * register a new key for a user. Input is checked before anything changes.
 *
 * <pre>{@code
 * new LabControls(testbed).run("partition-link", Map.of("link", "HQ-Branch"));
 * }</pre>
 */
public final class LabControls {
    private final Testbed testbed;

    public LabControls(Testbed testbed) {
        this.testbed = testbed;
    }

    /**
     * Runs {@code action} with its parameters ({@code dc}, {@code link}, {@code user}); returns a sentence saying what was
     * done. Unknown actions or names are {@code INVALID_CONFIGURATION} errors that change nothing.
     */
    public String run(String action, Map<String, String> params) {
        return switch (action == null ? "" : action) {
            case "stop-dc" -> {
                TestbedDc dc = dc(params);
                testbed.network().stopDc(dc.name());
                yield dc.name() + " stopped (down for LDAP and replication, data kept)";
            }
            case "start-dc" -> {
                TestbedDc dc = dc(params);
                testbed.network().startDc(dc.name());
                yield dc.name() + " started";
            }
            case "partition-link" -> {
                SiteLink l = link(params);
                pairs(l).forEach(p -> testbed.network().partition(p[0], p[1]));
                yield "site link " + l.name() + " partitioned: no pull crosses it until it is healed";
            }
            case "heal-link" -> {
                SiteLink l = link(params);
                pairs(l).forEach(p -> testbed.network().heal(p[0], p[1]));
                yield "site link " + l.name() + " healed: its next periodic pull replicates";
            }
            case "sync" -> {
                testbed.scheduler().schedule(Duration.ZERO, "sync cycle asked for from the journey page", () -> testbed.agent().runCycle());
                yield "sync cycle started";
            }
            case "register-key" -> {
                String user = required(params, "user");
                TestKey key = testbed.registerKey(user, "WEB-" + (testbed.timelines().size() + 1));
                yield "registered " + key;
            }
            default -> throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "unknown action '" + action
                    + "': expected stop-dc, start-dc, partition-link, heal-link, sync or register-key");
        };
    }

    private TestbedDc dc(Map<String, String> params) {
        String name = required(params, "dc");
        return testbed.dcs().stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "no DC named '" + name + "'; DCs: "
                        + testbed.dcs().stream().map(TestbedDc::name).toList()));
    }

    private SiteLink link(Map<String, String> params) {
        String name = required(params, "link");
        return testbed.config().topology().siteLinks().stream().filter(l -> l.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "no site link named '" + name
                        + "'; site links: " + testbed.config().topology().siteLinks().stream().map(SiteLink::name).toList()));
    }

    /** Every pair of DCs on different sites of {@code link}. */
    private List<String[]> pairs(SiteLink link) {
        List<TestbedDc> dcs = testbed.dcs().stream().filter(d -> link.sites().stream().anyMatch(d.site()::equalsIgnoreCase)).toList();
        List<String[]> pairs = new java.util.ArrayList<>();
        for (TestbedDc a : dcs) {
            for (TestbedDc b : dcs) {
                if (a.name().compareTo(b.name()) < 0 && !a.site().toLowerCase(Locale.ROOT).equals(b.site().toLowerCase(Locale.ROOT))) {
                    pairs.add(new String[] {a.name(), b.name()});
                }
            }
        }
        return pairs;
    }

    private static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "'" + name + "' is missing: say which one");
        }
        return v.trim();
    }
}
