package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shardgate.node.config.NodeConfig;
import io.shardgate.node.config.NodeConfigParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The manifests under deploy/k8s, parsed with fabric8's model. */
final class Manifests {
    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    /** Files under deploy/k8s that are not Kubernetes objects. */
    private static final List<String> NOT_OBJECTS = List.of("kustomization.yaml", "bootstrap.yaml");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One object and the file it is in. */
    record Doc(Path file, HasMetadata object) {}

    private Manifests() {}

    /** Every object of every manifest file, in file order. */
    static List<Doc> all() {
        List<Doc> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (NOT_OBJECTS.contains(name) || name.endsWith("-patch.yaml")) continue; // patches are partial objects
                for (HasMetadata object : parse(Files.readString(file))) docs.add(new Doc(file, object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The objects of one YAML text (documents separated by ---). */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String text : yaml.split("(?m)^---\\s*$")) {
            if (text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) continue;
            objects.add(SERIALIZATION.unmarshal(text, HasMetadata.class));
        }
        return objects;
    }

    /** The namespace the example overlay installs into. */
    static String overlayNamespace() {
        Matcher m = Pattern.compile("(?m)^namespace:\\s*(\\S+)").matcher(read(K8S.resolve("overlays/example/kustomization.yaml")));
        assertThat(m.find()).as("the overlay sets a namespace").isTrue();
        return m.group(1);
    }

    /** The node container of the StatefulSet. */
    static Container nodeContainer(StatefulSet nodes) {
        List<Container> named = nodes.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("shardgate")).toList();
        assertThat(named).as("the container named shardgate").hasSize(1);
        return named.get(0);
    }

    /**
     * The configuration a node container's SHARDGATE_* environment gives, parsed by the node's own parser, with
     * Kubernetes' $(VAR) references to the pod's fields filled in as the kubelet would.
     */
    static NodeConfig nodeConfig(Container c, String namespace) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (!e.getName().startsWith("SHARDGATE_")) continue;
            assertThat(e.getValueFrom()).as("%s is a plain value", e.getName()).isNull();
            env.put(e.getName(), e.getValue().replace("$(POD_IP)", "10.0.0.7").replace("$(POD_NAMESPACE)", namespace));
        }
        for (String tls : List.of("SHARDGATE_TLS_CERT", "SHARDGATE_TLS_KEY", "SHARDGATE_TLS_CA")) {
            if (env.containsKey(tls)) env.put(tls, standIn(env.get(tls)).toString());
        }
        return NodeConfigParser.parse(new String[0], env);
    }

    /**
     * A readable stand-in for a file the pod mounts from a Secret (the parser checks that TLS files can be read; their
     * contents are read when ADS starts, which these tests do not do).
     */
    private static Path standIn(String mounted) {
        try {
            Path file = Files.createTempDirectory("mounted").resolve(Path.of(mounted).getFileName());
            return Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return all().stream().map(Doc::object).filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = ofType(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertThat(found.size()).as("how many %s named %s", type.getSimpleName(), name).isEqualTo(1);
        return found.get(0);
    }

    static List<GenericKubernetesResource> generic(String kind) {
        return ofType(GenericKubernetesResource.class).stream().filter(g -> g.getKind().equals(kind)).toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fields fabric8's model does not know end up in {@code additionalProperties} instead of failing: walks
     * the object and lists every such field, by path.
     */
    static List<String> unknownFields(Object object) {
        List<String> unknown = new ArrayList<>();
        walk(object, "", unknown);
        return unknown;
    }

    private static void walk(Object o, String path, List<String> unknown) {
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) walk(list.get(i), path + "[" + i + "]", unknown);
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) continue;
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(path + " " + extra.keySet());
            } else {
                walk(value, path + "." + m.getName().substring(3), unknown);
            }
        }
    }
}
