package io.shardgate.translator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.model.PathMatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRulesTest {

    private static PathMatch ok(String path, String type, boolean regex) {
        PathRules.Checked checked = PathRules.check(path, type, regex);
        assertThat(checked).isInstanceOf(PathRules.Checked.Ok.class);
        return ((PathRules.Checked.Ok) checked).match();
    }

    @Test
    void prefixIgnoresTrailingSlashesButKeepsRoot() {
        assertThat(ok("/foo/", "Prefix", false)).isEqualTo(PathMatch.prefix("/foo"));
        assertThat(ok("/foo/", "ImplementationSpecific", false)).isEqualTo(PathMatch.prefix("/foo"));
        assertThat(PathRules.check("/foo//", "Prefix", false)).isInstanceOf(PathRules.Checked.Invalid.class);
        assertThat(ok("/", "Prefix", false)).isEqualTo(PathMatch.prefix("/"));
        assertThat(ok("/foo/", "Exact", false)).isEqualTo(PathMatch.exact("/foo/"));
        assertThat(ok(null, "ImplementationSpecific", false)).isEqualTo(PathMatch.prefix("/"));
    }

    @Test
    void regexModeAnchorsLikeNginxAndRejectsWhatRe2Cannot() {
        assertThat(ok("/api/(v[0-9]+)", "Prefix", true)).isEqualTo(PathMatch.regex("(?i)/api/(v[0-9]+).*"));
        assertThat(ok("/exact$", "Exact", true)).isEqualTo(PathMatch.regex("(?i)/exact$"));
        assertThat(PathRules.check("/(?!x)", "Prefix", true)).isInstanceOf(PathRules.Checked.Invalid.class);
        assertThat(PathRules.check("/a{100}", "Prefix", true)).isInstanceOf(PathRules.Checked.Invalid.class);
        assertThat(PathRules.check("/" + "a".repeat(100), "Prefix", true)).isInstanceOf(PathRules.Checked.Invalid.class);
    }

    @Test
    void longPathsAreCheckedInLinearTimeWithoutRecursion() {
        // A backtracking regex over (a|%XX)* recursed once per character: 2,000 characters overflowed the stack.
        assertThat(ok("/" + "a".repeat(4_000), "Prefix", false)).isEqualTo(PathMatch.prefix("/" + "a".repeat(4_000)));
        assertThat(PathRules.check("/" + "a".repeat(200_000), "Prefix", false))
                .isInstanceOfSatisfying(PathRules.Checked.Invalid.class, i -> assertThat(i.why())
                        .contains("longer than 4096 characters").hasSizeLessThan(300));
        assertThat(PathRules.check("/" + "%41".repeat(1_000) + "%4", "Exact", false)).isInstanceOf(PathRules.Checked.Invalid.class);
        assertThat(PathRules.check("/a b", "Exact", false)).isInstanceOf(PathRules.Checked.Invalid.class);
        assertThat(ok("/a/%7e/$x/(b)", "Exact", false)).isEqualTo(PathMatch.exact("/a/%7e/$x/(b)"));
    }

    @Test
    void rewriteTargetsAllowGroupReferencesButNoBareDollar() {
        assertThat(PathSyntax.isRewriteTarget("/$1/x")).isTrue();
        assertThat(PathSyntax.isRewriteTarget("/" + "$1".repeat(20_000))).isTrue();
        assertThat(PathSyntax.isRewriteTarget("/a$")).isFalse();
        assertThat(PathSyntax.isRewriteTarget("/a$b")).isFalse();
        assertThat(PathSyntax.isRewriteTarget("a")).isFalse();
        assertThat(PathSyntax.isAbsolutePath("/a$")).isTrue();
    }

    @Test
    void precedenceIsLongestFirstThenExactBeforePrefix() {
        List<PathMatch> matches = new ArrayList<>(List.of(
                PathMatch.prefix("/"), PathMatch.prefix("/foo"), PathMatch.exact("/foo"),
                PathMatch.prefix("/foo/bar"), PathMatch.exact("/b")));
        matches.sort(PathRules.PRECEDENCE);
        assertThat(matches).containsExactly(
                PathMatch.prefix("/foo/bar"), PathMatch.exact("/foo"), PathMatch.prefix("/foo"),
                PathMatch.exact("/b"), PathMatch.prefix("/"));
    }
}
