package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                for (String text : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) continue;
                    docs.add(new Doc(file, SERIALIZATION.unmarshal(text, HasMetadata.class)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
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
