package io.shardgate.node.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Domains to translate again at an instant although no input changes: a certificate they use (or could not
 * use yet) becomes valid or expires then. Engine thread only.
 */
final class CertificateRechecks {
    private final TreeMap<Instant, Set<DomainKey>> byInstant = new TreeMap<>();
    private final Map<DomainKey, Instant> instantOf = new HashMap<>();

    /** The earliest instant something is due, if any. */
    Optional<Instant> next() {
        return byInstant.isEmpty() ? Optional.empty() : Optional.of(byInstant.firstKey());
    }

    /** Removes and returns the domains due at or before {@code now}. */
    Set<DomainKey> takeDue(Instant now) {
        Set<DomainKey> due = new HashSet<>();
        var heads = byInstant.headMap(now, true);
        heads.values().forEach(due::addAll);
        heads.clear();
        due.forEach(instantOf::remove);
        return due;
    }

    /** Replaces the domain's recheck (empty: none). */
    void schedule(DomainKey domain, Optional<Instant> at) {
        Instant old = at.isPresent() ? instantOf.put(domain, at.get()) : instantOf.remove(domain);
        if (old != null) {
            Set<DomainKey> keys = byInstant.get(old);
            if (keys != null && keys.remove(domain) && keys.isEmpty()) byInstant.remove(old);
        }
        at.ifPresent(instant -> byInstant.computeIfAbsent(instant, i -> new HashSet<>()).add(domain));
    }
}
