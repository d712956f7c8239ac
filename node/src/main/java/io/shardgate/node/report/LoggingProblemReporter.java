package io.shardgate.node.report;

import io.shardgate.translator.Problem;
import java.util.Collection;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each new problem once and hands it to a callback (the rejected-inputs metric; the Kubernetes Event
 * reporter chains its Event after it). A problem already reported for the same subject is not repeated;
 * one that disappears and comes back is reported again.
 */
public final class LoggingProblemReporter implements ProblemReporter {
    private static final Logger log = LoggerFactory.getLogger(LoggingProblemReporter.class);

    private final NewProblems newProblems = new NewProblems();
    private final Consumer<Problem> onNewProblem;

    /** @param onNewProblem called once per new problem, on the caller's thread, after it is logged */
    public LoggingProblemReporter(Consumer<Problem> onNewProblem) {
        this.onNewProblem = onNewProblem;
    }

    @Override
    public java.util.List<Problem> current() {
        return newProblems.all();
    }

    @Override
    public void report(String subject, Collection<Problem> problems) {
        for (Problem problem : newProblems.update(subject, problems)) {
            if (problem.domain() == null) {
                log.warn("Rejected input {}: {}: {}", problem.object(), problem.reason(), problem.message());
            } else {
                log.warn("Rejected input {} for domain {}: {}: {}", problem.object(), problem.domain(), problem.reason(), problem.message());
            }
            onNewProblem.accept(problem);
        }
    }
}
