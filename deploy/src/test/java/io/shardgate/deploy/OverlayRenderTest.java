package io.shardgate.deploy;

import static io.shardgate.deploy.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.shardgate.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl apply -k deploy/k8s/overlays/example} would send, rendered by kubectl's own kustomize
 * (skipped where kubectl is not installed): every kustomization builds, and the overlay's output is strict,
 * in one namespace, and still a valid node configuration.
 */
class OverlayRenderTest {
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass");

    @BeforeAll
    static void needsKubectl() {
        Assumptions.assumeTrue(Tools.onPath("kubectl"), "kubectl not installed");
    }

    private static String render(Path dir) {
        Tools.Result r = Tools.run(List.of("kubectl", "kustomize", dir.toString()), 60, TimeUnit.SECONDS);
        assertThat(r.exit()).as("kubectl kustomize %s: %s", dir, r.out()).isZero();
        return r.out();
    }

    private static List<HasMetadata> overlay() {
        return Manifests.parse(render(K8S.resolve("overlays/example")));
    }

    private static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void everyKustomizationBuilds() throws Exception {
        List<Path> dirs;
        try (Stream<Path> files = Files.walk(K8S)) {
            dirs = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).toList();
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(5);
        for (Path dir : dirs) assertThat(Manifests.parse(render(dir))).as("%s renders objects", dir).isNotEmpty();
    }

    @Test
    void theOverlayIsStrictAndInItsNamespace() {
        String namespace = Manifests.overlayNamespace();
        List<HasMetadata> objects = overlay();
        Path otherOverlays = K8S.resolve("overlays");
        long files = Manifests.all().stream().filter(d -> !d.file().startsWith(K8S.resolve("certgen"))
                && (!d.file().startsWith(otherOverlays) || d.file().startsWith(otherOverlays.resolve("example")))).count();
        assertThat(objects.size()).as("every file's objects but other overlays' and certgen's, plus the generated ConfigMaps")
                .isEqualTo(files + 2);
        for (HasMetadata o : objects) {
            String what = o.getKind() + "/" + o.getMetadata().getName();
            if (!(o instanceof GenericKubernetesResource)) assertThat(Manifests.unknownFields(o)).as(what).isEmpty();
            if (CLUSTER_SCOPED.contains(o.getKind())) {
                assertThat(o.getMetadata().getNamespace()).as(what).isNull();
            } else {
                assertThat(o.getMetadata().getNamespace()).as(what).isEqualTo(namespace);
            }
        }
        ClusterRoleBinding binding = ofType(objects, ClusterRoleBinding.class).get(0);
        assertThat(binding.getSubjects()).allSatisfy(s -> assertThat(s.getNamespace()).isEqualTo(namespace));
    }

    @Test
    void theRenderedNodeIsConfiguredForItsNamespaceWithPerShardStatus() {
        List<HasMetadata> objects = overlay();
        StatefulSet nodes = ofType(objects, StatefulSet.class).get(0);
        Container c = Manifests.nodeContainer(nodes);
        assertThat(c.getImage()).startsWith("shardgate/node:");
        Container base = Manifests.nodeContainer(Manifests.one(StatefulSet.class, "shardgate"));
        assertThat(c.getEnv()).as("the patch adds to the environment, replacing nothing").containsAll(base.getEnv());
        NodeConfig config = Manifests.nodeConfig(c, Manifests.overlayNamespace());
        assertThat(config.statusAddresses()).singleElement().asString().contains("{shard}");
        assertThat(config.member().dnsService()).startsWith(nodes.getSpec().getServiceName() + "." + Manifests.overlayNamespace() + ".");
    }

    @Test
    void generatedConfigMapsCarryTheFilesAndAreMountedByTheirGeneratedNames() {
        List<HasMetadata> objects = overlay();
        List<ConfigMap> maps = ofType(objects, ConfigMap.class);
        ConfigMap bootstrap = maps.stream().filter(m -> m.getMetadata().getName().startsWith("gateway-public-bootstrap"))
                .findFirst().orElseThrow();
        assertThat(bootstrap.getData().get("bootstrap.yaml")).isEqualTo(Manifests.read(K8S.resolve("gateway/bootstrap.yaml")));
        List<Deployment> envoys = ofType(objects, Deployment.class);
        assertThat(envoys).isNotEmpty().allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(bootstrap.getMetadata().getName())));
        ConfigMap dashboard = maps.stream().filter(m -> m.getMetadata().getName().equals("shardgate-grafana-dashboard"))
                .findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("grafana-dashboard.json"))
                .isEqualTo(Manifests.read(K8S.resolve("monitoring/grafana-dashboard.json")));
    }

    @Test
    void withoutCertManagerCertgenIssuesTheSameSecretsInTheOverlaysNamespace() {
        List<HasMetadata> objects = Manifests.parse(render(K8S.resolve("overlays/without-cert-manager")));
        assertThat(objects).noneMatch(o -> o instanceof GenericKubernetesResource g && g.getApiVersion().startsWith("cert-manager.io/"));
        assertThat(objects).filteredOn(o -> o.getKind().equals("Job") || o.getKind().equals("CronJob")).hasSize(2)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Manifests.overlayNamespace()));
        assertThat(objects.size()).as("the example's objects less cert-manager's, plus certgen's")
                .isEqualTo(overlay().size() - CertGenManifestsTest.certManagerObjects().size() + CertGenManifestsTest.certgenObjects().size());
    }

    @Test
    void onlyTheChaosOverlaySharesTheNodesProcessNamespace() {
        assertThat(ofType(overlay(), StatefulSet.class).get(0).getSpec().getTemplate().getSpec().getShareProcessNamespace())
                .as("production: containers of a node's pod do not see each other's processes").isNull();
        StatefulSet chaos = ofType(Manifests.parse(render(K8S.resolve("overlays/chaos"))), StatefulSet.class).get(0);
        assertThat(chaos.getSpec().getTemplate().getSpec().getShareProcessNamespace()).isTrue();
    }

    @Test
    void theNamespacedOverlayReplacesTheClusterRoleWithRolesInTheWatchedNamespaces() {
        List<HasMetadata> objects = Manifests.parse(render(K8S.resolve("overlays/namespaced")));
        assertThat(ofType(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class)).extracting(r -> r.getMetadata().getName())
                .containsExactly("shardgate-classes");
        NodeConfig config = Manifests.nodeConfig(Manifests.nodeContainer(ofType(objects, StatefulSet.class).get(0)),
                Manifests.overlayNamespace());
        assertThat(ofType(objects, io.fabric8.kubernetes.api.model.rbac.Role.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrderElementsOf(config.namespaces());
        assertThat(ofType(objects, io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrderElementsOf(config.namespaces());
    }
}
