package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoggingProblemReporterTest {
    private static final Problem BAD_PATH = new Problem(
            ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"), "a.example.com", "InvalidPath", "path must start with /");
    private static final Problem BAD_CERT = new Problem(
            ObjectRef.of(ObjectRef.Kind.SECRET, "shop", "web-tls"), null, "InvalidCertificate", "tls.crt is not a PEM certificate");

    @Test
    void handsEachNewProblemToTheCallbackOnce() {
        List<Problem> counted = new ArrayList<>();
        LoggingProblemReporter reporter = new LoggingProblemReporter(counted::add);

        reporter.report("a.example.com", List.of(BAD_PATH));
        reporter.report("a.example.com", List.of(BAD_PATH));
        reporter.report("shop/web-tls", List.of(BAD_CERT));
        reporter.report("a.example.com", List.of());
        reporter.report("a.example.com", List.of(BAD_PATH));

        assertThat(counted).containsExactly(BAD_PATH, BAD_CERT, BAD_PATH);
    }
}
