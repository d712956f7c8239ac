package io.shardgate.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks every version of route "http" any simulated Envoy receives. Domains are only ever added during a
 * run, so a version must never lack:
 * <ul>
 *   <li>REGRESSION: a domain this Envoy already held (across its reconnects to other nodes), or</li>
 *   <li>MISSING: a domain of its shard the cluster had already served to some Envoy of that shard before this
 *       version arrived (the domain "existed" in the served timeline),</li>
 *   <li>FOREIGN: nor may it carry a domain of another shard, or one that was never created.</li>
 * </ul>
 * A version that lacks a domain written to disk more than {@link #STALE_NANOS} before it arrived is counted
 * as stale (reported, not a violation: the translation lag is not an invariant).
 */
public final class InvariantChecker {
    static final long STALE_NANOS = 5_000_000_000L;

    /** One broken invariant. */
    public record Violation(String kind, String envoy, int shard, String node, String version, long atNanos,
                            Set<String> lacking) {
        @Override
        public String toString() {
            return kind + " envoy=" + envoy + " shard=" + shard + " node=" + node + " version=" + version
                    + " lacking/unexpected=" + lacking;
        }
    }

    private final Map<String, DomainWriter.Domain> created = new HashMap<>();
    private final Map<String, Long> firstServed = new HashMap<>();
    private final Map<String, Set<String>> held = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long versionsChecked;
    private long staleVersions;

    synchronized void created(DomainWriter.Domain d) {
        created.put(d.host(), d);
    }

    /** Checks one arriving version of route "http" for an Envoy of {@code shard}. */
    public synchronized void onRoute(String envoy, int shard, String node, String version, Set<String> domains,
                                     long arrivalNanos) {
        versionsChecked++;
        Set<String> before = held.getOrDefault(envoy, Set.of());
        Set<String> regressed = new TreeSet<>(before);
        regressed.removeAll(domains);
        if (!regressed.isEmpty()) {
            violations.add(new Violation("REGRESSION", envoy, shard, node, version, arrivalNanos, regressed));
        }
        Set<String> missing = new TreeSet<>();
        boolean stale = false;
        for (DomainWriter.Domain d : created.values()) {
            if (d.shard() != shard || domains.contains(d.host())) continue;
            Long served = firstServed.get(d.host());
            if (served != null && served < arrivalNanos && !regressed.contains(d.host())) {
                // How long before this arrival another Envoy got it: tells a late delivery from a stale view.
                missing.add(d.host() + " (served " + (arrivalNanos - served) / 1_000_000 + " ms earlier)");
            }
            if (arrivalNanos - d.createdNanos() > STALE_NANOS) stale = true;
        }
        if (!missing.isEmpty()) {
            violations.add(new Violation("MISSING", envoy, shard, node, version, arrivalNanos, missing));
        }
        if (stale) staleVersions++;
        Set<String> foreign = new TreeSet<>();
        for (String h : domains) {
            DomainWriter.Domain d = created.get(h);
            if (d == null || d.shard() != shard) foreign.add(h);
            firstServed.merge(h, arrivalNanos, Math::min);
        }
        if (!foreign.isEmpty()) {
            violations.add(new Violation("FOREIGN", envoy, shard, node, version, arrivalNanos, foreign));
        }
        held.put(envoy, Set.copyOf(domains));
    }

    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    public synchronized long versionsChecked() {
        return versionsChecked;
    }

    public synchronized long staleVersions() {
        return staleVersions;
    }

    public synchronized String summary() {
        Map<String, Integer> byKind = new HashMap<>();
        violations.forEach(v -> byKind.merge(v.kind(), 1, Integer::sum));
        return "route versions checked=" + versionsChecked + ", violations=" + violations.size()
                + (violations.isEmpty() ? "" : " " + byKind) + ", stale versions (lag > 5 s, not a violation)="
                + staleVersions;
    }
}
