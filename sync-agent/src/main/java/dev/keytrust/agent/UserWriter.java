package dev.keytrust.agent;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.keytrust.agent.AgentState.Join;
import dev.keytrust.agent.CycleReport.Skipped;
import dev.keytrust.agent.source.SourceUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cycle's work per Graph user: join it, plan its values, write the difference in one modify, and count. Used
 * by one thread at a time (the cycle's, or the writer thread of a pipelined full sync).
 */
final class UserWriter {
    private static final Logger LOG = LoggerFactory.getLogger(UserWriter.class);

    private final AgentConfig config;
    private final TargetDc target;
    private final AdDirectory ad;
    private final Map<String, Join> knownJoins;
    private final Map<String, Join> joins;
    private final Instant now;
    final List<Skipped> skipped = new ArrayList<>();
    final List<Skipped> problems = new ArrayList<>();
    int processed;
    int joined;
    int added;
    int removed;
    int unchanged;
    int untouched;

    UserWriter(AgentConfig config, TargetDc target, AdDirectory ad, Map<String, Join> knownJoins, Map<String, Join> joins, Instant now) {
        this.config = config;
        this.target = target;
        this.ad = ad;
        this.knownJoins = knownJoins;
        this.joins = joins;
        this.now = now;
    }

    void process(SourceUser u) throws LDAPException {
        if (++processed % 1000 == 0) {
            LOG.info("{} users processed", processed);
        }
        String name = u.userPrincipalName() != null ? u.userPrincipalName() : u.id();
        if (u.keyError().isPresent()) {
            skipped.add(new Skipped(name, "its keys could not be read from Graph: " + u.keyError().get()));
            return;
        }
        AdDirectory.Match match = ad.join(u, Optional.ofNullable(knownJoins.get(u.id())));
        if (match.user() == null) {
            skipped.add(new Skipped(name, match.reason()));
            joins.remove(u.id());
            return;
        }
        joined++;
        joins.put(u.id(), new Join(match.user().dn(), match.user().anchor()));
        KeyPlan plan = KeyPlan.of(match.user(), u, now);
        plan.problems().forEach(p -> problems.add(new Skipped(name, p)));
        if (plan.writes() && !write(match.user().dn(), plan, name)) {
            return;
        }
        added += plan.add().size();
        removed += plan.delete().size();
        unchanged += plan.unchanged();
        untouched += plan.untouched();
    }

    /** One modify with every add and delete; false (user reported) if the DC refused it. */
    private boolean write(String dn, KeyPlan plan, String name) throws LDAPException {
        List<Modification> mods = new ArrayList<>(2);
        if (!plan.delete().isEmpty()) {
            mods.add(new Modification(ModificationType.DELETE, AdUser.KCL, plan.delete().toArray(String[]::new)));
        }
        if (!plan.add().isEmpty()) {
            mods.add(new Modification(ModificationType.ADD, AdUser.KCL, plan.add().toArray(String[]::new)));
        }
        try {
            target.connection().modify(dn, mods);
        } catch (LDAPException e) {
            if (!e.getResultCode().isConnectionUsable() || e.getResultCode() == ResultCode.SERVER_DOWN) {
                throw e;
            }
            skipped.add(new Skipped(name, "the DC refused the write to " + dn + ": " + e.getResultCode() + " "
                    + e.getDiagnosticMessage()));
            return false;
        }
        config.afterWrite().accept(dn);
        return true;
    }
}
