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
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.shardgate.node.config.NodeConfig;
import io.shardgate.node.config.NodeConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
        return nodes().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    @Test
    void everyManifestParsesIntoFabric8sModelWithNoUnknownField() {
        List<Manifests.Doc> docs = Manifests.all();
        assertThat(docs).hasSizeGreaterThan(20);
        for (Manifests.Doc doc : docs) {
            if (doc.object() instanceof GenericKubernetesResource generic) {
                assertThat(generic.getKind()).as("%s: only prometheus-operator kinds are untyped", doc.file())
                        .isIn("ServiceMonitor", "PrometheusRule");
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
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getName().startsWith("SHARDGATE_")) env.put(e.getName(), e.getValue().replace("$(POD_IP)", "10.0.0.7")
                    .replace("$(POD_NAMESPACE)", "shardgate"));
        }
        NodeConfig config = NodeConfigParser.parse(new String[0], env);
        assertThat(config.source()).isEqualTo(NodeConfig.SourceKind.KUBERNETES);
        assertThat(config.member().dnsService()).isEqualTo("shardgate-hazelcast.shardgate.svc.cluster.local");

        Map<String, Integer> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertThat(ports).containsEntry("grpc-ads", config.adsPort()).containsEntry("admin", config.adminPort())
                .containsEntry("hazelcast", config.member().port());
        for (Service service : Manifests.ofType(Service.class)) {
            if (!selects(service.getSpec().getSelector(), NODE_LABELS)) continue;
            for (ServicePort p : service.getSpec().getPorts()) {
                assertThat(ports).as("%s targets a named container port", service.getMetadata().getName())
                        .containsKey(p.getTargetPort().getStrVal());
            }
        }
        assertProbe(c.getReadinessProbe(), "/readyz");
        assertProbe(c.getLivenessProbe(), "/healthz");
        assertProbe(c.getStartupProbe(), "/healthz");

        Duration grace = Duration.ofSeconds(nodes().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertThat(grace).as("time to hand shards over before the kill").isGreaterThan(config.drainTimeout().plusSeconds(10));
        assertThat(nodes().getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(nodes().getSpec().getTemplate().getSpec().getShareProcessNamespace())
                .as("kill-node.sh --k8s signals the JVM from inside the pod").isTrue();
        assertThat(c.getName()).as("the container kill-node.sh execs into").isEqualTo("shardgate");
        assertThat(nodes().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("admin"));
    }

    @Test
    void theGatewayHasOneDeploymentAndServicePerShardOfItsIngressClass() {
        IngressClass gateway = Manifests.one(IngressClass.class, "public");
        assertThat(gateway.getSpec().getController()).isEqualTo("shardgate.io/controller");
        int shards = Integer.parseInt(gateway.getMetadata().getAnnotations().get("shardgate.io/shards"));
        Set<Integer> served = new TreeSet<>();
        for (Deployment d : Manifests.ofType(Deployment.class)) {
            List<String> args = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
            String overlay = args.get(args.indexOf("--config-yaml") + 1);
            Matcher m = Pattern.compile("node: \\{metadata: \\{shard: (\\d+)}}").matcher(overlay);
            assertThat(m.matches()).as(overlay).isTrue();
            int shard = Integer.parseInt(m.group(1));
            assertThat(d.getMetadata().getLabels()).containsEntry("shardgate.io/shard", Integer.toString(shard));
            assertThat(Manifests.one(Service.class, d.getMetadata().getName()).getMetadata().getAnnotations())
                    .containsEntry("external-dns.alpha.kubernetes.io/hostname", "shard-" + shard + ".public.gw.example.com");
            served.add(shard);
        }
        assertThat(served).isEqualTo(IntStream.range(0, shards).boxed().collect(Collectors.toSet()));
        assertThat(Manifests.read(K8S.resolve("gateway/bootstrap.yaml"))).contains("cluster: public")
                .contains("address: shardgate.shardgate.svc.cluster.local").contains("port_value: 18000");
    }

    @Test
    void alertsDashboardAndAutoscalerUseOnlyMetricsTheNodeExports() throws Exception {
        Set<String> exported = NodeMetrics.exportedNames();
        String rules = Manifests.read(K8S.resolve("monitoring/prometheusrule.yaml"));
        String dashboard = Manifests.read(K8S.resolve("monitoring/grafana-dashboard.json"));
        String adapter = Manifests.read(K8S.resolve("autoscaling/prometheus-adapter-rules.yaml"));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("shardgate_[a-z_]+").matcher(rules + dashboard + adapter);
        while (m.find()) used.add(m.group());
        used.remove("shardgate_domains"); // the adapter's own name for the per-pod sum, defined below
        assertThat(used).hasSizeGreaterThan(8);
        assertThat(exported).containsAll(used);

        assertThat(adapter).contains("as: \"shardgate_domains\"");
        HorizontalPodAutoscaler hpa = Manifests.one(HorizontalPodAutoscaler.class, "shardgate");
        assertThat(hpa.getSpec().getMetrics().get(0).getPods().getMetric().getName()).isEqualTo("shardgate_domains");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("shardgate");
        int shards = Integer.parseInt(Manifests.one(IngressClass.class, "public").getMetadata().getAnnotations().get("shardgate.io/shards"));
        assertThat(hpa.getSpec().getMaxReplicas()).as("a node beyond the shard count would own nothing").isLessThanOrEqualTo(shards);

        for (GenericKubernetesResource rule : Manifests.generic("PrometheusRule")) {
            assertSchema(rule.getAdditionalProperties(), Map.of("spec", Set.of("groups")));
        }
        for (GenericKubernetesResource monitor : Manifests.generic("ServiceMonitor")) {
            assertSchema(monitor.getAdditionalProperties(), Map.of("spec", Set.of("selector", "endpoints")));
        }
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
    void objectsHaveUniqueNamesPerKind() {
        Map<String, Long> counts = Manifests.all().stream().map(Manifests.Doc::object)
                .collect(Collectors.groupingBy(o -> o.getKind() + "/" + o.getMetadata().getName(), Collectors.counting()));
        assertThat(counts).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
    }

    static Set<String> labelsOf(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Set.of() : o.getMetadata().getLabels().keySet();
    }
}
