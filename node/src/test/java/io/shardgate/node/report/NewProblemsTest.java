package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewProblemsTest {
    private static final ObjectRef WEB = ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web");
    private static final Problem BAD_PATH = new Problem(WEB, "a.example.com", "InvalidPath", "path must start with /");
    private static final Problem NO_SECRET = new Problem(WEB, "a.example.com", "SecretNotFound", "secret shop/tls not found");

    private final NewProblems newProblems = new NewProblems();

    @Test
    void aProblemIsNewOnlyUntilItIsReported() {
        assertThat(newProblems.update("a.example.com", List.of(NO_SECRET, BAD_PATH))).containsExactly(BAD_PATH, NO_SECRET);
        assertThat(newProblems.update("a.example.com", List.of(BAD_PATH, NO_SECRET))).isEmpty();
        assertThat(newProblems.update("a.example.com", List.of(BAD_PATH))).isEmpty();
    }

    @Test
    void aProblemThatDisappearsAndComesBackIsNewAgain() {
        newProblems.update("a.example.com", List.of(BAD_PATH, NO_SECRET));
        newProblems.update("a.example.com", List.of(BAD_PATH));

        assertThat(newProblems.update("a.example.com", List.of(BAD_PATH, NO_SECRET))).containsExactly(NO_SECRET);
        newProblems.update("a.example.com", List.of());
        assertThat(newProblems.update("a.example.com", List.of(BAD_PATH))).containsExactly(BAD_PATH);
    }

    @Test
    void subjectsAreIndependent() {
        newProblems.update("a.example.com", List.of(BAD_PATH));

        Problem sameForB = new Problem(WEB, "b.example.com", "InvalidPath", "path must start with /");
        assertThat(newProblems.update("b.example.com", List.of(sameForB))).containsExactly(sameForB);
        assertThat(newProblems.update("b.example.com", List.of(BAD_PATH))).containsExactly(BAD_PATH);
    }

    @Test
    void duplicatesInOneReportCountOnce() {
        assertThat(newProblems.update("a.example.com", List.of(BAD_PATH, BAD_PATH))).containsExactly(BAD_PATH);
    }
}
