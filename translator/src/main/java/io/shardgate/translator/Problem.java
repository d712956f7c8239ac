package io.shardgate.translator;

import io.shardgate.translator.input.ObjectRef;

/**
 * Bad input found during translation: a value, not an exception. One reporter carries it to the log,
 * the {@code shardgate_rejected_inputs_total{reason}} metric and a Kubernetes Event on {@code object}.
 *
 * @param object  the Kubernetes object at fault (the Event goes on it)
 * @param domain  the domain affected, or null when the problem is not tied to one (a bad Secret, say)
 * @param reason  a stable CamelCase reason, used as the metric label and the Event reason
 * @param message what is wrong and what to fix, for a human
 */
public record Problem(ObjectRef object, String domain, String reason, String message) implements Comparable<Problem> {

    /** By object, domain (none first), reason, message: consistent with equals, so sorted sets keep every problem. */
    @Override
    public int compareTo(Problem o) {
        int c = object.compareTo(o.object);
        if (c != 0) return c;
        c = java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()).compare(domain, o.domain);
        if (c != 0) return c;
        c = reason.compareTo(o.reason);
        return c != 0 ? c : message.compareTo(o.message);
    }
}
