package io.shardgate.deploy;

import static io.shardgate.deploy.Manifests.K8S;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.shardgate.node.ads.ClientIdentity;
import io.shardgate.node.config.NodeConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The example gateway: per shard of its IngressClass, Envoys whose bootstrap (the shared file plus the
 * Deployment's --config-yaml, merged as Envoy merges them) names that gateway and shard and reaches the
 * node Service, a Service of its own published under the shard's DNS name, and a disruption budget.
 */
class GatewayTest {
    private static final String GATEWAY = "public";

    private static List<Deployment> envoys() {
        return Manifests.ofType(Deployment.class).stream()
                .filter(d -> GATEWAY.equals(d.getMetadata().getLabels().get("shardgate.io/gateway"))).toList();
    }

    private static int shards() {
        IngressClass gateway = Manifests.one(IngressClass.class, GATEWAY);
        assertThat(gateway.getSpec().getController()).isEqualTo("shardgate.io/controller");
        return Integer.parseInt(gateway.getMetadata().getAnnotations().get("shardgate.io/shards"));
    }

    private static Container envoy(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static int shardLabel(Deployment d) {
        return Integer.parseInt(d.getSpec().getTemplate().getMetadata().getLabels().get("shardgate.io/shard"));
    }

    /** Strict: a field Envoy does not know fails the parse, as it would fail Envoy's start. */
    private static Bootstrap parse(String yaml) throws Exception {
        String json = new ObjectMapper().writeValueAsString(new Yaml().load(yaml));
        Bootstrap.Builder builder = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor())
                        .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor()).build())
                .merge(json, builder);
        return builder.build();
    }

    /** What one Envoy of the Deployment runs with: -c FILE, --config-yaml merged over it, --service-node as node.id. */
    private static Bootstrap effectiveBootstrap(Deployment d, String podName) throws Exception {
        List<String> args = envoy(d).getArgs();
        String file = args.get(args.indexOf("-c") + 1);
        var mount = envoy(d).getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        var volume = d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        String generated = volume.getConfigMap().getName();
        String kustomization = Manifests.read(K8S.resolve("gateway/kustomization.yaml"));
        String key = file.substring(mount.getMountPath().length() + 1);
        assertThat(kustomization).as("the ConfigMap the Envoys mount is generated from %s", key)
                .containsPattern("(?s)- name: " + Pattern.quote(generated) + "\\s+files:\\s+- " + Pattern.quote(key));
        Bootstrap.Builder b = parse(Manifests.read(K8S.resolve("gateway").resolve(key))).toBuilder();
        b.mergeFrom(parse(args.get(args.indexOf("--config-yaml") + 1)));
        assertThat(args.get(args.indexOf("--service-node") + 1)).isEqualTo("$(POD_NAME)");
        assertThat(envoy(d).getEnv()).anyMatch(e -> e.getName().equals("POD_NAME")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name"));
        b.getNodeBuilder().setId(podName);
        return b.build();
    }

    @Test
    void everyShardOfTheGatewayHasItsEnvoysServiceAndBudget() {
        int shards = shards();
        Set<Integer> served = envoys().stream().map(GatewayTest::shardLabel).collect(Collectors.toCollection(TreeSet::new));
        assertThat(served).isEqualTo(IntStream.range(0, shards).boxed().collect(Collectors.toSet()));
        assertThat(envoys()).hasSize(shards);
        for (Deployment d : envoys()) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(ManifestsTest.selects(d.getSpec().getSelector().getMatchLabels(), labels)).isTrue();
            Service service = Manifests.one(Service.class, d.getMetadata().getName());
            PodDisruptionBudget budget = Manifests.one(PodDisruptionBudget.class, d.getMetadata().getName());
            assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
            assertThat(d.getSpec().getReplicas()).as("a budget of one needs a second Envoy").isGreaterThan(1);
            for (Deployment other : envoys()) {
                Map<String, String> otherLabels = other.getSpec().getTemplate().getMetadata().getLabels();
                boolean self = other.getMetadata().getName().equals(d.getMetadata().getName());
                assertThat(ManifestsTest.selects(service.getSpec().getSelector(), otherLabels)).as("%s selects %s",
                        service.getMetadata().getName(), other.getMetadata().getName()).isEqualTo(self);
                assertThat(ManifestsTest.selects(budget.getSpec().getSelector().getMatchLabels(), otherLabels)).isEqualTo(self);
            }
            assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).anySatisfy(t -> {
                assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                assertThat(ManifestsTest.selects(t.getLabelSelector().getMatchLabels(), labels)).isTrue();
            });
        }
    }

    @Test
    void eachEnvoySaysItsGatewayAndShardAsTheNodeReadsThem() throws Exception {
        int shards = shards();
        for (Deployment d : envoys()) {
            String pod = d.getMetadata().getName() + "-5d8f7-x2k4q";
            ClientIdentity identity = ClientIdentity.of(effectiveBootstrap(d, pod).getNode());
            assertThat(identity.gateway()).isEqualTo(GATEWAY);
            assertThat(identity.shard()).isEqualTo(shardLabel(d)).isLessThan(shards);
            assertThat(identity.nodeId()).isEqualTo(pod);
        }
    }

    /** cert-manager Certificates by name: their spec, as a map (fabric8 has no model for them). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> certificate(String name) {
        return Manifests.all().stream().map(Manifests.Doc::object)
                .filter(o -> o.getKind().equals("Certificate") && o.getMetadata().getName().equals(name))
                .map(o -> (Map<String, Object>) ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) o)
                        .getAdditionalProperties().get("spec"))
                .findFirst().orElseThrow(() -> new AssertionError("no Certificate " + name));
    }

    /** The file path's Secret, as the pod mounts it. */
    private static String secretOf(io.fabric8.kubernetes.api.model.PodSpec pod, Container c, String file) {
        var mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is on no mounted volume"));
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getSecret()).as("%s comes from a Secret", file).isNotNull();
        return volume.getSecret().getSecretName();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachEnvoyProvesItsGatewayWithItsCertificateAcceptsOnlyANodeAndRunsWithoutATokenOrAWritableRoot() throws Exception {
        String namespace = Manifests.overlayNamespace();
        String gatewayIdentity = io.shardgate.node.ads.CertificateAuthority.defaultIdentity("cluster.local", namespace, GATEWAY);
        String nodeIdentity = new io.shardgate.node.config.AdsTls(false, null, "cluster.local", namespace, null).localNodeIdentity();
        StatefulSet nodes = Manifests.one(StatefulSet.class, "shardgate");
        Container node = Manifests.nodeContainer(nodes);
        Map<String, String> env = new java.util.HashMap<>();
        node.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        for (String file : List.of("SHARDGATE_TLS_CERT", "SHARDGATE_TLS_KEY", "SHARDGATE_TLS_CA")) {
            assertThat(secretOf(nodes.getSpec().getTemplate().getSpec(), node, env.get(file))).as(file)
                    .isEqualTo(certificate("shardgate-node").get("secretName"));
        }
        assertThat((List<Object>) certificate("shardgate-node").get("uris")).containsExactly(nodeIdentity);

        for (Deployment d : envoys()) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getAutomountServiceAccountToken()).as("no Kubernetes token in an Envoy").isFalse();
            assertThat(pod.getServiceAccountName()).isEqualTo("shardgate-gateway-" + GATEWAY);
            assertThat(envoy(d).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            Bootstrap b = effectiveBootstrap(d, "pod");
            var tls = b.getStaticResources().getClusters(0).getTransportSocket().getTypedConfig()
                    .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class).getCommonTlsContext();
            String secret = secretOf(pod, envoy(d), tls.getTlsCertificates(0).getCertificateChain().getFilename());
            assertThat(secretOf(pod, envoy(d), tls.getTlsCertificates(0).getPrivateKey().getFilename())).isEqualTo(secret);
            assertThat(secretOf(pod, envoy(d), tls.getValidationContext().getTrustedCa().getFilename())).isEqualTo(secret);
            Map<String, Object> issued = certificate("shardgate-gateway-" + GATEWAY);
            assertThat(issued.get("secretName")).isEqualTo(secret);
            assertThat((List<Object>) issued.get("uris")).as("the identity the node allows gateway %s by default", GATEWAY)
                    .containsExactly(gatewayIdentity);
            assertThat(tls.getValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getExact())
                    .as("only a Shardgate node's certificate").isEqualTo(nodeIdentity);
            assertThat(tls.getAlpnProtocolsList()).containsExactly("h2");
        }
    }

    @Test
    void eachEnvoyReachesTheNodeServiceOverDeltaAdsWithAShortKeepalive() throws Exception {
        Service ads = Manifests.ofType(Service.class).stream()
                .filter(s -> s.getSpec().getPorts().stream().anyMatch(p -> "grpc-ads".equals(p.getName()))
                        && !"None".equals(s.getSpec().getClusterIP()))
                .findFirst().orElseThrow();
        ServicePort port = ads.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc-ads")).findFirst().orElseThrow();
        String host = ads.getMetadata().getName() + "." + Manifests.overlayNamespace() + ".svc.cluster.local";
        for (Deployment d : envoys()) {
            Bootstrap b = effectiveBootstrap(d, "pod");
            ApiConfigSource adsConfig = b.getDynamicResources().getAdsConfig();
            assertThat(adsConfig.getApiType()).isEqualTo(ApiConfigSource.ApiType.DELTA_GRPC);
            assertThat(b.getDynamicResources().getLdsConfig().hasAds()).isTrue();
            assertThat(b.getDynamicResources().getCdsConfig().hasAds()).isTrue();
            String clusterName = adsConfig.getGrpcServices(0).getEnvoyGrpc().getClusterName();
            Cluster xds = b.getStaticResources().getClustersList().stream().filter(c -> c.getName().equals(clusterName))
                    .findFirst().orElseThrow();
            var address = xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
            assertThat(address.getAddress()).isEqualTo(host);
            assertThat(address.getPortValue()).isEqualTo(port.getPort());
            HttpProtocolOptions http = xds.getTypedExtensionProtocolOptionsMap()
                    .get("envoy.extensions.upstreams.http.v3.HttpProtocolOptions").unpack(HttpProtocolOptions.class);
            var keepalive = http.getExplicitHttpConfig().getHttp2ProtocolOptions().getConnectionKeepalive();
            assertThat(keepalive.getInterval().getSeconds()).as("a frozen node is left within seconds (docs/envoy.md)")
                    .isBetween(1L, 5L);
            assertThat(keepalive.getTimeout().getSeconds()).isBetween(1L, 5L);
            assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).as("Envoy's admin stays inside the pod")
                    .isEqualTo("127.0.0.1");
        }
    }

    @Test
    void envoysListenOnTheNodesListenerPortsAndTheShardServiceExposesThem() {
        NodeConfig config = Manifests.nodeConfig(Manifests.nodeContainer(Manifests.one(StatefulSet.class, "shardgate")), "shardgate");
        for (Deployment d : envoys()) {
            Map<String, Integer> ports = envoy(d).getPorts().stream()
                    .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
            assertThat(ports).containsOnly(Map.entry("http", config.translator().httpPort()),
                    Map.entry("https", config.translator().httpsPort()));
            assertThat(envoy(d).getReadinessProbe().getTcpSocket().getPort()).as("ready once the node sent the listener")
                    .isEqualTo(new IntOrString("http"));
            Service service = Manifests.one(Service.class, d.getMetadata().getName());
            assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(service.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                    .containsExactlyInAnyOrder("http", "https");
        }
    }

    @Test
    void eachShardServiceIsPublishedUnderTheNameIngressStatusGivesItsDomains() {
        Container patched = Manifests.nodeContainer((StatefulSet) Manifests.parse(
                Manifests.read(K8S.resolve("overlays/example/statefulset-patch.yaml"))).get(0));
        String template = patched.getEnv().stream().filter(e -> e.getName().equals("SHARDGATE_STATUS_ADDRESS"))
                .findFirst().orElseThrow().getValue();
        assertThat(template).contains("{gateway}", "{shard}");
        for (Deployment d : envoys()) {
            String name = template.replace("{gateway}", GATEWAY).replace("{shard}", Integer.toString(shardLabel(d)));
            assertThat(Manifests.one(Service.class, d.getMetadata().getName()).getMetadata().getAnnotations())
                    .containsEntry("external-dns.alpha.kubernetes.io/hostname", name);
        }
        Matcher m = Pattern.compile("envoyproxy/envoy:v(\\d+)\\.(\\d+)").matcher(envoy(envoys().get(0)).getImage());
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2))).as("Envoy 1.34 or later: the API used")
                .isGreaterThanOrEqualTo(134);
    }
}
