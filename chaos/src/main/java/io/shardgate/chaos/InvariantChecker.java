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
 *   <li>MISSING: a domain of its shard some node had already sent to some Envoy of that shard before this
 *       version was sent (the domain "existed" in the served timeline). Send times are the nodes' own, from the
 *       response nonce ({@link io.shardgate.xdsclient.ReceivedResource#sentMillis()}, epoch ms, the same clock
 *       for every process on the machine): a version sent before the domain was served anywhere but delivered
 *       late is not missing it,</li>
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

    /** To compare this JVM's nanoTime with the nodes' send times (epoch ms): the same machine's clock. */
    private final long nanosAtStart = System.nanoTime();
    private final long epochMillisAtStart = System.currentTimeMillis();
    private final Map<String, DomainWriter.Domain> created = new HashMap<>();
    /** Per domain: the earliest send time (epoch ms) of a version carrying it. */
    private final Map<String, Long> firstSent = new HashMap<>();
    /** Per domain: when a version carrying it first arrived at any Envoy of its shard (nanoTime, this JVM). */
    private final Map<String, Long> firstArrived = new HashMap<>();
    private final Map<String, Set<String>> held = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long versionsChecked;
    private long staleVersions;

    synchronized void created(DomainWriter.Domain d) {
        created.put(d.host(), d);
    }

    /** Checks one arriving version of route "http" for an Envoy of {@code shard}. */
    public synchronized void onRoute(String envoy, int shard, String node, String version, Set<String> domains,
                                     long arrivalNanos, long sentMillis) {
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
            Long sent = firstSent.get(d.host());
            if (sent != null && sent < sentMillis && !regressed.contains(d.host())) {
                missing.add(d.host() + " (sent " + (sentMillis - sent) + " ms earlier)");
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
            firstSent.merge(h, sentMillis, Math::min);
            firstArrived.merge(h, arrivalNanos, Math::min);
        }
        if (!foreign.isEmpty()) {
            violations.add(new Violation("FOREIGN", envoy, shard, node, version, arrivalNanos, foreign));
        }
        held.put(envoy, Set.copyOf(domains));
    }

    /**
     * The longest any domain created in [{@code fromNanos}, {@code toNanos}] waited to reach its first Envoy (until
     * {@code nowNanos} if it has not yet): how long a shard went unserved around a fault, ms.
     */
    public synchronized long longestDeliveryMillis(long fromNanos, long toNanos, long nowNanos) {
        Slowest slowest = slowestDelivery(fromNanos, toNanos, nowNanos);
        return slowest == null ? 0 : slowest.waitedMillis();
    }

    /**
     * The domain that waited longest, as {@link #longestDeliveryMillis}, and where its time went: written
     * {@code writtenAfterMillis} after the window opened, first sent by a node {@code sentAfterMillis} after it was
     * written (the node's own send time; -1 if never sent), arrived {@code waitedMillis} after it was written.
     */
    public record Slowest(String host, int shard, long writtenAfterMillis, long sentAfterMillis, long waitedMillis) {
        @Override
        public String toString() {
            return host + " of shard " + shard + ", written " + writtenAfterMillis + " ms into the window, "
                    + (sentAfterMillis < 0 ? "never sent" : "first sent by a node after " + sentAfterMillis + " ms");
        }
    }

    /** See {@link Slowest}; null when no domain was written in the window. */
    public synchronized Slowest slowestDelivery(long fromNanos, long toNanos, long nowNanos) {
        DomainWriter.Domain slowest = null;
        long longest = -1;
        for (DomainWriter.Domain d : created.values()) {
            if (d.createdNanos() < fromNanos || d.createdNanos() > toNanos) continue;
            long waited = firstArrived.getOrDefault(d.host(), nowNanos) - d.createdNanos();
            if (waited > longest) {
                longest = waited;
                slowest = d;
            }
        }
        if (slowest == null) return null;
        Long sent = firstSent.get(slowest.host());
        long createdMillis = epochMillisAtStart + (slowest.createdNanos() - nanosAtStart) / 1_000_000;
        return new Slowest(slowest.host(), slowest.shard(), (slowest.createdNanos() - fromNanos) / 1_000_000,
                sent == null ? -1 : Math.max(0, sent - createdMillis), longest / 1_000_000);
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
