package io.shardgate.node.engine;

import io.shardgate.node.report.ProblemReporter;
import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Problems of TLS Secrets (unreadable, expired, ...), reported when a shard serves the Secret and withdrawn
 * once no owned shard serves it: another node's to report then. Engine thread only.
 */
final class SecretProblems {
    private final ProblemReporter reporter;
    private final Set<ObjectRef> withProblems = new HashSet<>();

    SecretProblems(ProblemReporter reporter) {
        this.reporter = reporter;
    }

    void report(ObjectRef secret, List<Problem> problems) {
        reporter.report(subject(secret), problems);
        if (problems.isEmpty()) withProblems.remove(secret); else withProblems.add(secret);
    }

    void forgetUnused(Predicate<ObjectRef> served) {
        withProblems.removeIf(ref -> {
            if (served.test(ref)) return false;
            reporter.report(subject(ref), List.of());
            return true;
        });
    }

    private static String subject(ObjectRef secret) {
        return "secret " + secret.namespace() + "/" + secret.name();
    }
}
