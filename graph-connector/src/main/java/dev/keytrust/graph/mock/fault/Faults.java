package dev.keytrust.graph.mock.fault;

import dev.keytrust.graph.mock.FaultRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The active {@link FaultRule}s: the first rule matching a request (and winning its draw) answers it. */
public final class Faults {
    private final long seed;
    private final List<FaultRule> rules = new ArrayList<>();
    private Random random;
    private int nextId = 1;

    public Faults(long seed) {
        this.seed = seed;
        this.random = new Random(seed ^ 0xFA17L);
    }

    public synchronized FaultRule add(FaultRule rule) {
        FaultRule stored = rule.withId("fault-" + nextId++);
        rules.add(stored);
        return stored;
    }

    /** The seeded randomness fault kinds draw from (latency ranges). */
    public synchronized Random random() {
        return random;
    }

    public synchronized List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized void reset() {
        rules.clear();
        random = new Random(seed ^ 0xFA17L);
        nextId = 1;
    }

    /** The rule that hits this request, counting it against the rule's {@code times}; null if none. */
    public synchronized FaultRule hit(String method, String path) {
        for (int i = 0; i < rules.size(); i++) {
            FaultRule rule = rules.get(i);
            if (!rule.matches(method, path)) {
                continue;
            }
            if (rule.probability() < 1 && random.nextDouble() >= rule.probability()) {
                continue;
            }
            if (rule.times() > 0) {
                if (rule.times() == 1) {
                    rules.remove(i);
                } else {
                    rules.set(i, rule.times(rule.times() - 1));
                }
            }
            return rule;
        }
        return null;
    }
}
