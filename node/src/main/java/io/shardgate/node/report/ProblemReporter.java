package io.shardgate.node.report;

import io.shardgate.translator.Problem;
import java.util.Collection;

/**
 * Carries bad-input findings to the outside world: log, metric, Kubernetes Event. The engine calls it
 * with each translated domain's current problems; the reporter emits only what is new, so a domain
 * re-translated with the same problem does not repeat its Event.
 */
public interface ProblemReporter {

    /**
     * The complete current problem list for one subject (a domain, or a secret name); an empty list means
     * the subject is healthy again.
     */
    void report(String subject, Collection<Problem> problems);

    /** Every problem currently reported (for /debug/problems), sorted by object, domain and reason. */
    default java.util.List<Problem> current() {
        return java.util.List.of();
    }
}
