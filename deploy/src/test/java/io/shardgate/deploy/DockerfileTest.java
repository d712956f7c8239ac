package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What can be checked of the image without Docker: stages, what is copied, the user, ports, the entry point. */
class DockerfileTest {
    private static final String DOCKERFILE = Manifests.read(Manifests.ROOT.resolve("Dockerfile"));

    private static List<String> instructions(String keyword) {
        List<String> out = new ArrayList<>();
        for (String line : DOCKERFILE.lines().toList()) {
            if (line.startsWith(keyword + " ")) out.add(line.substring(keyword.length() + 1).trim());
        }
        return out;
    }

    @Test
    void buildsWithAJdkAndRunsOnAJreOnly() {
        List<String> from = instructions("FROM");
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).contains("maven").contains("17").endsWith("AS build");
        assertThat(from.get(1)).contains("17-jre").doesNotContain("jdk").doesNotContain("maven");
    }

    @Test
    void theBuildStageCopiesEveryModuleTheRootPomNames() {
        String pom = Manifests.read(Manifests.ROOT.resolve("pom.xml"));
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (m.find()) modules.add(m.group(1));
        Set<String> copied = instructions("COPY").stream().filter(c -> !c.startsWith("--from"))
                .map(c -> c.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(copied).containsAll(modules).contains("pom.xml", "examples");
        for (String source : copied) assertThat(Manifests.ROOT.resolve(source)).exists();
    }

    @Test
    void runsTheShadedJarAsANonRootUserAndExposesTheNodePorts() {
        String jar = "shardgate-node.jar";
        assertThat(Manifests.read(Manifests.ROOT.resolve("node/pom.xml"))).contains("<finalName>shardgate-node</finalName>");
        assertThat(instructions("COPY")).anyMatch(c -> c.startsWith("--from=build /src/node/target/" + jar));
        assertThat(instructions("ENTRYPOINT")).containsExactly("[\"java\", \"-jar\", \"/app/" + jar + "\"]");
        List<String> user = instructions("USER");
        assertThat(user).hasSize(1);
        String uid = user.get(0).split(":")[0];
        assertThat(Integer.parseInt(uid)).as("numeric, non-root").isPositive();
        StatefulSet sts = Manifests.one(StatefulSet.class, "shardgate");
        assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(uid));

        Set<Integer> exposed = new TreeSet<>();
        for (String e : instructions("EXPOSE")) for (String p : e.split("\\s+")) exposed.add(Integer.parseInt(p));
        Set<Integer> declared = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .map(ContainerPort::getContainerPort).collect(Collectors.toCollection(TreeSet::new));
        assertThat(exposed).isEqualTo(declared);
    }

    @Test
    void theDockerignoreKeepsBuildOutputOut() {
        assertThat(Manifests.read(Manifests.ROOT.resolve(".dockerignore")).lines()).contains("**/target/", ".git/");
    }

}
