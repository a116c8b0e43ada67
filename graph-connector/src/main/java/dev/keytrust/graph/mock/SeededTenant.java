package dev.keytrust.graph.mock;

import dev.keytrust.encoding.Sid;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fills a mock tenant with the same people a DC started with {@code --users N --seed S} holds: same names and UPNs,
 * {@code onPremisesImmutableId} = base64 of the DC user's objectGUID, {@code onPremisesSecurityIdentifier} = its
 * objectSid, so an agent can join them. About half the users (chosen by the seed) get 1–2 WHfB keys.
 *
 * <pre>{@code
 * List<GraphUser> people = SeededTenant.populate(mock.admin(), 42, 100, "corp.example.com");
 * }</pre>
 */
public final class SeededTenant {
    private SeededTenant() {
    }

    /** Adds {@code count} synced users for {@code domain} from {@code seed}, with keys for about half; returns them. */
    public static List<GraphUser> populate(GraphMockAdmin admin, long seed, int count, String domain) {
        return populate(admin, seed, count, domain, true);
    }

    /** As {@link #populate(GraphMockAdmin, long, int, String)}; without keys when {@code withKeys} is false. */
    public static List<GraphUser> populate(GraphMockAdmin admin, long seed, int count, String domain, boolean withKeys) {
        List<Persona> people = Personas.generate(seed, count);
        Sid domainSid = Personas.domainSid(domain, seed);
        String domainDn = "DC=" + String.join(",DC=", domain.toLowerCase(Locale.ROOT).split("\\."));
        SplittableRandom keys = new SplittableRandom(seed * 31 + 17);
        List<GraphUser> out = new ArrayList<>(count);
        for (Persona p : people) {
            String upn = p.userPrincipalName(domain);
            GraphUser user = admin.addUser(GraphUser.named(upn, p.displayName())
                    .withNames(p.givenName(), p.surname(), upn)
                    .withOnPremises(p.immutableId(), p.sid(domainSid).toString(), p.samAccountName(),
                            p.distinguishedName(domainDn), domain.toLowerCase(Locale.ROOT)));
            out.add(user);
            if (keys.nextBoolean() && withKeys) {
                int n = 1 + keys.nextInt(2);
                for (int i = 0; i < n; i++) {
                    admin.addKey(user.id(), GraphMockAdmin.KeyRequest.device(deviceName(p, i)));
                }
            }
        }
        return out;
    }

    private static String deviceName(Persona p, int i) {
        String base = (p.givenName() + "-" + (i == 0 ? "PC" : "LAPTOP")).toUpperCase(Locale.ROOT);
        return base.length() > 15 ? base.substring(0, 15) : base;
    }
}
