package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.shardgate.node.config.NodeConfigParser;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What can be checked of the image without Docker: stages, what is built and copied, the user, ports, the entry point. */
class DockerfileTest {
    private static final Path ROOT = Manifests.ROOT;
    private static final String ROOT_POM = Manifests.read(ROOT.resolve("pom.xml"));
    private static final String NODE_POM = Manifests.read(ROOT.resolve("node/pom.xml"));

    record Instruction(String keyword, String args) {}

    /** The Dockerfile's instructions per stage (continuation lines joined, comments dropped). */
    private static List<List<Instruction>> stages() {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Manifests.read(ROOT.resolve("Dockerfile")).lines().toList()) {
            if (line.isBlank() || line.trim().startsWith("#")) continue;
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String text = pending.append(line).toString().trim();
            pending.setLength(0);
            String[] parts = text.split("\\s+", 2);
            Instruction i = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (i.keyword().equals("FROM")) stages.add(new ArrayList<>());
            assertThat(stages).as("an instruction before the first FROM: %s", text).isNotEmpty();
            stages.get(stages.size() - 1).add(i);
        }
        return stages;
    }

    private static List<String> args(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    private static List<Instruction> build() {
        return stages().get(0);
    }

    private static List<Instruction> runtime() {
        return stages().get(stages().size() - 1);
    }

    private static String pomValue(String pom, String element) {
        Matcher m = Pattern.compile("<" + Pattern.quote(element) + ">\\s*([^<]*?)\\s*</" + Pattern.quote(element) + ">").matcher(pom);
        assertThat(m.find()).as("<%s> in the pom", element).isTrue();
        return m.group(1);
    }

    private static String jarName() {
        return pomValue(NODE_POM, "finalName") + ".jar";
    }

    /** The JVM flags Hazelcast needs, as the root pom gives them to every test JVM. */
    private static List<String> hazelcastFlags() {
        return List.of(pomValue(ROOT_POM, "hazelcast.add-opens").split("\\s+"));
    }

    @Test
    void buildsWithMavenAndAJdk17AndRunsOnAJre17Only() {
        assertThat(stages()).hasSize(2);
        assertThat(args(build(), "FROM")).singleElement().asString().contains("maven").contains("temurin-17").endsWith("AS build");
        String base = args(runtime(), "FROM").get(0);
        assertThat(base).matches("eclipse-temurin:17(\\.[0-9.]+)?-jre(-[a-z]+)?").doesNotContain("jdk").doesNotContain("maven");
        assertThat(args(runtime(), "RUN")).as("nothing is installed into the runtime image").allSatisfy(run ->
                assertThat(run).doesNotContain("apt-get").doesNotContain("apk ").doesNotContain("mvn").doesNotContain("jdk"));
        assertThat(args(runtime(), "COPY")).as("the runtime stage takes only build output").allMatch(c -> c.startsWith("--from=build "));
    }

    @Test
    void theBuildStageSeesEveryModuleOfTheReactorAndBuildsTheNodeJar() throws IOException {
        assertThat(args(build(), "COPY")).containsExactly(". .");
        assertThat(args(build(), "RUN")).anySatisfy(run -> assertThat(run).contains("mvn").contains("-pl node -am").contains("package"));
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(ROOT_POM);
        while (m.find()) modules.add(m.group(1));
        assertThat(modules).contains("node");
        List<String> ignored = Manifests.read(ROOT.resolve(".dockerignore")).lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        // Module build output only: bench has a source package named target.
        assertThat(ignored).contains("target/", "*/target/", ".git/").doesNotContain("**/target/");
        for (String module : modules) {
            assertThat(ROOT.resolve(module).resolve("pom.xml")).exists();
            for (String pattern : ignored) {
                String glob = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
                assertThat(FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(module)))
                        .as(".dockerignore's %s leaves module %s out of the build", pattern, module).isFalse();
            }
        }
        assertThat(ROOT.resolve("examples")).isDirectory();
    }

    @Test
    void theEntryPointRunsTheShadedJarWithTheHazelcastFlagsOfThePom() throws Exception {
        String jar = jarName();
        assertThat(args(runtime(), "COPY")).contains("--from=build /src/node/target/" + jar + " /app/" + jar);
        List<String> entry = new ObjectMapper().readValue(args(runtime(), "ENTRYPOINT").get(0), new TypeReference<List<String>>() {});
        assertThat(entry.get(0)).isEqualTo("java");
        assertThat(entry.subList(entry.size() - 2, entry.size())).containsExactly("-jar", "/app/" + jar);
        assertThat(entry.subList(1, entry.size() - 2)).as("the pom's hazelcast.add-opens, in order").isEqualTo(hazelcastFlags());

        // java -jar also honours the manifest's Add-Opens/Add-Exports: the shade configuration must say the same.
        Set<String> opens = flagValues("--add-opens");
        Set<String> exports = flagValues("--add-exports");
        assertThat(words(pomValue(NODE_POM, "Add-Opens"))).isEqualTo(opens);
        assertThat(words(pomValue(NODE_POM, "Add-Exports"))).isEqualTo(exports);
        String mainClass = pomValue(NODE_POM, "mainClass");
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
        Path built = ROOT.resolve("node/target").resolve(jar);
        if (Files.isRegularFile(built)) {
            try (JarFile file = new JarFile(built.toFile())) {
                Attributes manifest = file.getManifest().getMainAttributes();
                assertThat(manifest.getValue("Main-Class")).isEqualTo(mainClass);
                assertThat(words(manifest.getValue("Add-Opens"))).isEqualTo(opens);
                assertThat(words(manifest.getValue("Add-Exports"))).isEqualTo(exports);
            }
        }
    }

    /** "module/package" of every {@code flag module/package=ALL-UNNAMED} in the pom's Hazelcast flags. */
    private static Set<String> flagValues(String flag) {
        List<String> flags = hazelcastFlags();
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < flags.size() - 1; i++) {
            if (flags.get(i).equals(flag)) out.add(flags.get(i + 1).replace("=ALL-UNNAMED", ""));
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void runsAsTheNonRootNumericUserTheStatefulSetRequires() {
        List<String> user = args(runtime(), "USER");
        assertThat(user).hasSize(1);
        String[] ids = user.get(0).split(":");
        assertThat(ids).hasSize(2);
        long uid = Long.parseLong(ids[0]);
        long gid = Long.parseLong(ids[1]);
        assertThat(uid).as("non-root").isPositive();
        PodSecurityContext pod = Manifests.one(StatefulSet.class, "shardgate").getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(uid);
        assertThat(pod.getRunAsGroup()).isEqualTo(gid);
        assertThat(args(runtime(), "RUN")).anySatisfy(run -> assertThat(run).contains("--uid " + uid).contains("--gid " + gid));
    }

    @Test
    void exposesTheNodesDefaultPortsWhichTheStatefulSetDeclares() {
        Set<Integer> exposed = new TreeSet<>();
        for (String e : args(runtime(), "EXPOSE")) for (String p : e.split("\\s+")) exposed.add(Integer.parseInt(p));
        Set<Integer> defaults = Set.of(NodeConfigParser.Flag.ADS_PORT, NodeConfigParser.Flag.ADMIN_PORT, NodeConfigParser.Flag.MEMBER_PORT)
                .stream().map(f -> Integer.parseInt(f.defaultValue())).collect(Collectors.toSet());
        assertThat(exposed).isEqualTo(defaults);
        Set<Integer> declared = Manifests.nodeContainer(Manifests.one(StatefulSet.class, "shardgate")).getPorts().stream()
                .map(ContainerPort::getContainerPort).collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).isEqualTo(exposed);
    }
}
