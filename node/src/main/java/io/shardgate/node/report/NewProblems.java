package io.shardgate.node.report;

import io.shardgate.translator.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each subject's last reported problems and tells which of a new report's problems were not in
 * it. A problem that disappears and comes back is new again. Only subjects with problems take memory.
 */
final class NewProblems {
    private final ConcurrentHashMap<String, Set<Problem>> current = new ConcurrentHashMap<>();

    /** Every current problem, sorted. */
    List<Problem> all() {
        List<Problem> out = new ArrayList<>();
        current.values().forEach(out::addAll);
        out.sort(null);
        return out;
    }

    /** Records {@code problems} as the subject's complete current list; returns those not already current, sorted. */
    List<Problem> update(String subject, Collection<Problem> problems) {
        List<Problem> fresh = new ArrayList<>();
        // Sets by equals, not by Problem's ordering, which ignores the domain.
        current.compute(subject, (s, before) -> {
            Set<Problem> now = new HashSet<>(problems);
            for (Problem problem : now) {
                if (before == null || !before.contains(problem)) fresh.add(problem);
            }
            return now.isEmpty() ? null : now;
        });
        fresh.sort(null);
        return fresh;
    }
}
