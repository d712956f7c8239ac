package io.shardgate.deploy;

import static io.shardgate.deploy.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.shardgate.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest parses strictly, and the pieces agree with each other and with the node's configuration. */
class ManifestsTest {
    private static final Map<String, String> NODE_LABELS = Map.of("app.kubernetes.io/name", "shardgate",
            "app.kubernetes.io/component", "control-plane");

    private static StatefulSet nodes() {
        return Manifests.one(StatefulSet.class, "shardgate");
    }

    private static Container node() {
        return Manifests.nodeContainer(nodes());
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    @Test
    void everyManifestParsesIntoFabric8sModelWithNoUnknownField() {
        List<Manifests.Doc> docs = Manifests.all();
        assertThat(docs).hasSizeGreaterThan(20);
        for (Manifests.Doc doc : docs) {
            if (doc.object() instanceof GenericKubernetesResource generic) {
                assertThat(generic.getKind()).as("%s: only prometheus-operator and cert-manager kinds are untyped", doc.file())
                        .isIn("ServiceMonitor", "PrometheusRule", "Certificate", "Issuer");
                continue;
            }
            assertThat(Manifests.unknownFields(doc.object())).as("unknown fields in %s", doc.file()).isEmpty();
        }
    }

    @Test
    void theStrictCheckFindsAMisspelledField() {
        HasMetadata typo = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(
                "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selectr: {app: x}, ports: [{port: 80, targetPrt: 8080}]}",
                HasMetadata.class);
        assertThat(Manifests.unknownFields(typo)).containsExactlyInAnyOrder(".Spec [selectr]", ".Spec.Ports[0] [targetPrt]");
    }

    @Test
    void everyKustomizationListsExactlyTheFilesBesideIt() throws Exception {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path kustomization : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                String text = Manifests.read(kustomization);
                Set<String> listed = new TreeSet<>();
                Matcher m = Pattern.compile("(?m)^\\s*-\\s+(?:path:\\s+)?([\\w./-]+\\.(?:yaml|json)|\\.\\./[\\w./-]+)\\s*(?:#.*)?$").matcher(text);
                while (m.find()) listed.add(m.group(1));
                for (String entry : listed) {
                    assertThat(kustomization.getParent().resolve(entry)).as("%s lists %s", kustomization, entry).exists();
                }
                try (Stream<Path> beside = Files.list(kustomization.getParent())) {
                    Set<String> present = beside.map(p -> p.getFileName().toString())
                            .filter(n -> (n.endsWith(".yaml") || n.endsWith(".json")) && !n.equals("kustomization.yaml"))
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertThat(listed).as("%s lists every file beside it", kustomization).containsAll(present);
                }
            }
        }
    }

    @Test
    void selectorsMatchTheLabelsOfWhatTheyMeanToSelect() {
        StatefulSet sts = nodes();
        Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(NODE_LABELS);
        assertThat(selects(sts.getSpec().getSelector().getMatchLabels(), podLabels)).isTrue();
        for (String name : List.of("shardgate", "shardgate-hazelcast", "shardgate-metrics")) {
            assertThat(selects(Manifests.one(Service.class, name).getSpec().getSelector(), podLabels)).as(name).isTrue();
        }
        assertThat(selects(Manifests.one(PodDisruptionBudget.class, "shardgate").getSpec().getSelector().getMatchLabels(),
                podLabels)).isTrue();
        assertThat(sts.getSpec().getServiceName()).isEqualTo("shardgate-hazelcast");
        assertThat(Manifests.one(Service.class, "shardgate-hazelcast").getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(Manifests.one(Service.class, "shardgate-hazelcast").getSpec().getClusterIP()).isEqualTo("None");
        for (Deployment gateway : Manifests.ofType(Deployment.class)) {
            Map<String, String> labels = gateway.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(selects(gateway.getSpec().getSelector().getMatchLabels(), labels)).isTrue();
            Service service = Manifests.one(Service.class, gateway.getMetadata().getName());
            assertThat(selects(service.getSpec().getSelector(), labels)).as(service.getMetadata().getName()).isTrue();
            for (Deployment other : Manifests.ofType(Deployment.class)) {
                if (!other.getMetadata().getName().equals(gateway.getMetadata().getName())) {
                    assertThat(selects(service.getSpec().getSelector(), other.getSpec().getTemplate().getMetadata().getLabels()))
                            .as("%s must select only its own shard", service.getMetadata().getName()).isFalse();
                }
            }
        }
        GenericKubernetesResource monitor = Manifests.generic("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        Map<String, String> wanted = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        assertThat(selects(wanted, Manifests.one(Service.class, "shardgate-metrics").getMetadata().getLabels())).isTrue();
        assertThat(selects(wanted, Manifests.one(Service.class, "shardgate").getMetadata().getLabels())).isFalse();
    }

    @Test
    void theNodeEnvironmentIsAValidConfigurationWhosePortsProbesAndGraceAgree() {
        Container c = node();
        NodeConfig config = Manifests.nodeConfig(c, "shardgate");
        assertThat(config.source()).isEqualTo(NodeConfig.SourceKind.KUBERNETES);
        assertThat(config.member().join()).isEqualTo(io.shardgate.cluster.MemberSettings.Join.KUBERNETES);
        assertThat(config.member().dnsService()).as("the headless Service, by its cluster DNS name")
                .isEqualTo(nodes().getSpec().getServiceName() + ".shardgate.svc.cluster.local");
        assertThat(config.member().bindAddress()).as("the pod's own address, which the others connect to").isEqualTo("10.0.0.7");
        assertThat(config.listenAddress()).isEqualTo("0.0.0.0");

        Map<String, Integer> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertThat(ports).containsOnly(Map.entry("grpc-ads", config.adsPort()), Map.entry("admin", config.adminPort()),
                Map.entry("hazelcast", config.member().port()));
        for (Service service : Manifests.ofType(Service.class)) {
            if (!selects(service.getSpec().getSelector(), NODE_LABELS)) continue;
            for (ServicePort p : service.getSpec().getPorts()) {
                assertThat(ports).as("%s targets a named container port", service.getMetadata().getName())
                        .containsEntry(p.getTargetPort().getStrVal(), p.getPort());
            }
        }
        assertProbe(c.getReadinessProbe(), "/readyz");
        assertProbe(c.getLivenessProbe(), "/healthz");
        assertProbe(c.getStartupProbe(), "/healthz");

        Duration grace = Duration.ofSeconds(nodes().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertThat(grace).as("time to hand shards over before the kill").isGreaterThan(config.drainTimeout().plusSeconds(10));
        assertThat(nodes().getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(nodes().getSpec().getTemplate().getSpec().getShareProcessNamespace())
                .as("only the chaos overlay lets a pod's containers see each other's processes").isNull();
        assertThat(nodes().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getVolumeMounts()).as("the JVM and Vert.x write only under /tmp").anyMatch(m -> m.getMountPath().equals("/tmp"));
    }

    @Test
    void theClusterKeyComesFromASecretMountedReadOnlyAndReadableByTheNodeOnly() {
        Container c = node();
        NodeConfig config = Manifests.nodeConfig(c, "shardgate");
        Path keyFile = config.clusterKeyFile();
        assertThat(keyFile).as("--join=kubernetes needs an explicit key file").isNotNull();
        var mount = c.getVolumeMounts().stream().filter(m -> keyFile.startsWith(m.getMountPath())).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        var pod = nodes().getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("shardgate-cluster-key");
        assertThat(keyFile.getFileName().toString()).as("the Secret's key docs/operations.md creates").isEqualTo("cluster.key");
        assertThat(Integer.toOctalString(volume.getSecret().getDefaultMode())).as("owner and the node's group only")
                .isEqualTo("440");
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(pod.getSecurityContext().getRunAsGroup());
    }

    @Test
    void theJvmSizesItsHeapFromTheMemoryLimitAndExitsOnOutOfMemory() {
        Container c = node();
        String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertThat(options.split(" ")).contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC");
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("room for direct buffers, metaspace and threads").isBetween(50, 75);
        var limits = c.getResources().getLimits();
        assertThat(limits).containsKey("memory");
        assertThat(c.getResources().getRequests().get("memory")).as("guaranteed memory: never evicted for it")
                .isEqualTo(limits.get("memory"));
        assertThat(c.getResources().getRequests()).containsKey("cpu");
    }

    @Test
    void nodesSpreadOverMachinesAndZonesAndLeaveOneAtATime() {
        var spec = nodes().getSpec().getTemplate().getSpec();
        Map<String, String> labels = nodes().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(spec.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .anySatisfy(t -> {
                    assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(selects(t.getPodAffinityTerm().getLabelSelector().getMatchLabels(), labels)).isTrue();
                });
        assertThat(spec.getTopologySpreadConstraints()).anySatisfy(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(selects(t.getLabelSelector().getMatchLabels(), labels)).isTrue();
        });
        PodDisruptionBudget pdb = Manifests.one(PodDisruptionBudget.class, "shardgate");
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("admin"));
    }

    @Test
    void theUntypedPrometheusOperatorObjectsHaveOnlyKnownFields() {
        for (GenericKubernetesResource rule : Manifests.generic("PrometheusRule")) {
            assertSchema(rule.getAdditionalProperties(), Map.of("spec", Set.of("groups")));
        }
        for (GenericKubernetesResource monitor : Manifests.generic("ServiceMonitor")) {
            assertSchema(monitor.getAdditionalProperties(), Map.of("spec", Set.of("selector", "endpoints")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) monitor.get("spec", "endpoints");
            assertThat(endpoints).allSatisfy(e -> assertThat(e.keySet()).isSubsetOf("port", "path", "interval", "scrapeTimeout"));
        }
    }

    @Test
    void patchesParseStrictlyAndTheOverlaidNodeEnvironmentIsStillValid() throws Exception {
        List<Path> patches;
        try (Stream<Path> files = Files.walk(K8S)) {
            patches = files.filter(f -> f.getFileName().toString().endsWith("-patch.yaml")).toList();
        }
        assertThat(patches).isNotEmpty();
        for (Path patch : patches) {
            for (HasMetadata o : Manifests.parse(Manifests.read(patch))) {
                boolean deletes = Manifests.read(patch).contains("$patch: delete");
                assertThat(Manifests.unknownFields(o)).as("unknown fields in %s", patch)
                        .isEqualTo(deletes ? List.of(" [$patch]") : List.of());
            }
        }
        StatefulSet patch = (StatefulSet) Manifests.parse(Manifests.read(K8S.resolve("overlays/example/statefulset-patch.yaml"))).get(0);
        assertThat(patch.getMetadata().getName()).isEqualTo(nodes().getMetadata().getName());
        Container overlay = Manifests.nodeContainer(patch);
        Container merged = new io.fabric8.kubernetes.api.model.ContainerBuilder(node()).build();
        List<EnvVar> env = new java.util.ArrayList<>(merged.getEnv());
        for (EnvVar e : overlay.getEnv()) { // a strategic merge: env entries merge by name
            env.removeIf(x -> x.getName().equals(e.getName()));
            env.add(e);
        }
        merged.setEnv(env);
        NodeConfig config = Manifests.nodeConfig(merged, Manifests.overlayNamespace());
        assertThat(config.statusAddresses()).containsExactly("shard-{shard}.{gateway}.gw.example.com");
    }

    /** The untyped (prometheus-operator) objects: only the expected top-level keys. */
    private static void assertSchema(Map<String, Object> fields, Map<String, Set<String>> allowed) {
        assertThat(allowed.keySet()).containsAll(fields.keySet());
        allowed.forEach((key, subKeys) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> sub = (Map<String, Object>) fields.get(key);
            assertThat(subKeys).containsAll(sub.keySet());
        });
    }

    @Test
    void objectsHaveUniqueNamesPerKindAndNamespace() {
        Map<String, Long> counts = Manifests.all().stream().map(Manifests.Doc::object)
                .collect(Collectors.groupingBy(o -> o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                        + o.getMetadata().getName(), Collectors.counting()));
        assertThat(counts).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
    }
}
