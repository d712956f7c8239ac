package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardgate.node.engine.TestCertificates;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.testing.RunningNode;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.translator.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole grants exactly the API calls nodes make, and so do the namespaced overlay's Roles. Two nodes
 * run against fabric8's mock API server, which records every request: they list and watch, write Ingress
 * status, report bad input as Events, and one fetches the TLS Secrets of a shard it takes back when the other
 * leaves. The calls, as (group, resource, verb), must equal what the rules grant. The nodes watch one namespace
 * ({@code --namespaces}), so the same run shows that such a node calls nothing outside it but IngressClasses
 * (watching every namespace differs only in the URLs' scope, not in the calls).
 */
class RbacCoverageTest {
    private static boolean gatewayApiStatusWritten(KubernetesClient api) {
        var gatewayClass = api.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass.class).withName("public").get();
        var gateway = api.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class).inNamespace(NS).withName("edge").get();
        var route = api.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("routed").get();
        var set = api.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class).inNamespace(NS).withName("extra").get();
        return gatewayClass.getStatus() != null && !gatewayClass.getStatus().getConditions().isEmpty()
                && set.getStatus() != null && !set.getStatus().getConditions().isEmpty()
                && gateway.getStatus() != null && !gateway.getStatus().getConditions().isEmpty()
                && route.getStatus() != null && !route.getStatus().getParents().isEmpty();
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "tenant";
    /** /api/v1/... or /apis/GROUP/VERSION/..., optionally namespaced, then resource [/name [/subresource]]. */
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/?]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");
    private static final Path NAMESPACED = Manifests.K8S.resolve("overlays/namespaced");

    @Test
    void theClusterRoleGrantsExactlyTheCallsNodesMake() throws Exception {
        Path log = Path.of("target", "rbac-requests.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        // The nodes' kubeconfig (RunningNode) carries the token "test"; this client's calls are not theirs.
        try (KubeMock mock = KubeMock.start(log);
             KubernetesClient api = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                     new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(mock.url()).withOauthToken("setup").build())
                     .build()) {
            IngressClass gateway = Fixtures.ingressClass("public", false);
            gateway.getMetadata().setAnnotations(Map.of("shardgate.io/shards", "2"));
            api.resource(gateway).create();
            // A namespace the nodes do not watch: nothing in it may be read.
            api.resource(Fixtures.ingress("elsewhere", "other").className("public").host("other.example.com")
                    .path("/", "web", 80).build()).create();
            api.resource(Fixtures.service(NS, "web").port("http", 80).build()).create();
            api.resource(Fixtures.endpointSlice(NS, "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build()).create();
            for (int shard = 0; shard < 2; shard++) {
                String host = hostOnShard(shard);
                TestCertificates.Pem pem = TestCertificates.selfSigned(List.of(host));
                api.resource(Fixtures.tlsSecret(NS, host + "-tls", pem.certificate().toString(StandardCharsets.UTF_8),
                        pem.privateKey().toString(StandardCharsets.UTF_8))).create();
                api.resource(Fixtures.ingress(NS, "site-" + shard).className("public").host(host).path("/", "web", 80)
                        .tls(host, host + "-tls").build()).create();
            }
            // Bad input: an unreadable certificate, reported as an Event on the Secret and on the Ingress.
            api.resource(Fixtures.tlsSecret(NS, "broken-tls", "CERT", "KEY")).create();
            api.resource(Fixtures.ingress(NS, "broken").className("public").host("broken.example.com")
                    .path("/", "web", 80).tls("broken.example.com", "broken-tls").build()).create();
            // Gateway API: the same gateway as a GatewayClass, a ListenerSet it admits, and an HTTPRoute whose Service is missing
            // (an Event on it).
            api.resource(new GatewayClassBuilder().withNewMetadata().withName("public").endMetadata()
                    .withNewSpec().withControllerName("shardgate.io/controller").endSpec().build()).create();
            api.resource(new GatewayBuilder().withNewMetadata().withNamespace(NS).withName("edge").endMetadata()
                    .withNewSpec().withGatewayClassName("public").addNewListener().withName("http").withPort(80)
                    .withProtocol("HTTP").endListener().withNewAllowedListeners().withNewNamespaces().withFrom("Same").endNamespaces()
                    .endAllowedListeners().endSpec().build()).create();
            api.resource(new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder().withNewMetadata().withNamespace(NS)
                    .withName("extra").endMetadata().withNewSpec().withNewParentRef().withName("edge").endParentRef().addNewListener()
                    .withName("alt").withPort(8080).withProtocol("HTTP").endListener().endSpec().build()).create();
            api.resource(new HTTPRouteBuilder().withNewMetadata().withNamespace(NS).withName("routed").endMetadata()
                    .withNewSpec().addNewParentRef().withName("edge").endParentRef().withHostnames("routed.example.com")
                    .addNewRule().addNewBackendRef().withName("missing").withPort(80).endBackendRef().endRule().endSpec()
                    .build()).create();

            String[] cluster = {"--cluster-name=rbac-" + System.nanoTime(), "--join=tcp", "--members=127.0.0.1",
                    "--failure-timeout=3s", "--status-address=192.0.2.1", "--namespaces=" + NS};
            try (RunningNode first = RunningNode.on(mock, cluster)) {
                Conditions.await("status written (Ingress, GatewayClass, Gateway, HTTPRoute) and Events created, one on the HTTPRoute",
                        WAIT, () -> hasStatus(api.network().v1().ingresses().inNamespace(NS).withName("site-0").get())
                        && gatewayApiStatusWritten(api)
                        && api.v1().events().inNamespace(NS).list().getItems().stream()
                                .anyMatch(e -> "HTTPRoute".equals(e.getInvolvedObject().getKind())));
                ShardId taken;
                try (RunningNode second = RunningNode.on(mock, cluster)) {
                    Conditions.await("the second node took a shard", WAIT, () ->
                            first.node().engine().ownedShards().size() == 1 && second.node().engine().ownedShards().size() == 1);
                    taken = second.node().engine().ownedShards().keySet().iterator().next();
                }
                Conditions.await("the first node took its shard back, with its certificate", WAIT, () ->
                        first.node().engine().ownedShards().containsKey(taken)
                        && first.node().directory().store(taken).isReady()
                        && first.node().directory().store(taken).get(ResourceType.SECRET,
                                NS + "/" + hostOnShard(taken.shard()) + "-tls") != null);
            }
        }

        Set<String> made = new TreeSet<>();
        Set<String> inNamespace = new TreeSet<>();
        Set<String> clusterWide = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.endsWith(" test")) continue;
            Call call = call(line.substring(0, line.length() - " test".length()));
            made.add(call.rule());
            if (call.namespace() == null) {
                clusterWide.add(call.rule());
            } else {
                assertThat(call.namespace()).as("%s: a node watching %s reads nothing elsewhere", line, NS).isEqualTo(NS);
                inNamespace.add(call.rule());
            }
        }
        assertThat(made).as("calls recorded").contains("networking.k8s.io ingresses/status patch", " secrets get",
                " events create", "gateway.networking.k8s.io httproutes get", "gateway.networking.k8s.io httproutes/status patch",
                "gateway.networking.k8s.io gateways/status patch", "gateway.networking.k8s.io gatewayclasses/status patch",
                "gateway.networking.k8s.io listenersets/status patch");
        assertThat(made).as("the API calls nodes made").isEqualTo(granted());
        assertThat(clusterWide).as("cluster-wide calls").containsExactly(" namespaces list", " namespaces watch",
                "gateway.networking.k8s.io gatewayclasses get", "gateway.networking.k8s.io gatewayclasses list",
                "gateway.networking.k8s.io gatewayclasses watch", "gateway.networking.k8s.io gatewayclasses/status patch",
                "networking.k8s.io ingressclasses list", "networking.k8s.io ingressclasses watch");

        List<HasMetadata> overlay = Manifests.parse(Manifests.read(NAMESPACED.resolve("roles.yaml")));
        assertThat(grantedBy(overlay, ClusterRole.class, "shardgate-classes", null)).as("the overlay's ClusterRole")
                .isEqualTo(clusterWide);
        List<String> watched = List.of(Manifests.read(NAMESPACED.resolve("statefulset-patch.yaml"))
                .replaceAll("(?s).*SHARDGATE_NAMESPACES\\s+value:\\s+(\\S+).*", "$1").split(","));
        assertThat(watched).hasSizeGreaterThan(1);
        for (String namespace : watched) {
            assertThat(grantedBy(overlay, Role.class, "shardgate", namespace)).as("the overlay's Role in %s", namespace)
                    .isEqualTo(inNamespace);
        }
    }

    /**
     * What a role of the overlay grants the StatefulSet's ServiceAccount (shardgate/shardgate), through a
     * binding of the same name in the same namespace.
     */
    private static Set<String> grantedBy(List<HasMetadata> objects, Class<? extends HasMetadata> kind, String name,
            String namespace) {
        HasMetadata role = objects.stream().filter(kind::isInstance)
                .filter(o -> o.getMetadata().getName().equals(name) && Objects.equals(o.getMetadata().getNamespace(), namespace))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in " + namespace));
        boolean bound = objects.stream().anyMatch(o -> {
            if (!Objects.equals(o.getMetadata().getNamespace(), namespace)) return false;
            RoleRef ref;
            List<Subject> subjects;
            if (o instanceof RoleBinding b) {
                ref = b.getRoleRef();
                subjects = b.getSubjects();
            } else if (o instanceof ClusterRoleBinding b) {
                ref = b.getRoleRef();
                subjects = b.getSubjects();
            } else {
                return false;
            }
            return ref.getKind().equals(role.getKind()) && ref.getName().equals(name) && subjects.stream().anyMatch(s ->
                    s.getKind().equals("ServiceAccount") && s.getName().equals("shardgate") && "shardgate".equals(s.getNamespace()));
        });
        assertThat(bound).as("%s %s in %s is bound to shardgate/shardgate", kind.getSimpleName(), name, namespace).isTrue();
        return rules(role instanceof Role r ? r.getRules() : ((ClusterRole) role).getRules());
    }

    private static boolean hasStatus(io.fabric8.kubernetes.api.model.networking.v1.Ingress ingress) {
        return ingress != null && ingress.getStatus() != null && ingress.getStatus().getLoadBalancer() != null
                && ingress.getStatus().getLoadBalancer().getIngress() != null
                && !ingress.getStatus().getLoadBalancer().getIngress().isEmpty();
    }

    /** One logged request: its namespace (null when cluster-wide) and "group resource[/subresource] verb". */
    record Call(String namespace, String rule) {}

    static Call call(String line) {
        String method = line.substring(0, line.indexOf(' '));
        Matcher m = PATH.matcher(line.substring(line.indexOf(' ') + 1));
        assertThat(m.matches()).as(line).isTrue();
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
        boolean named = m.group(4) != null;
        String query = m.group(6) == null ? "" : m.group(6);
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.matches("(.*&)?watch=(true|1)(&.*)?") ? "watch" : "list";
            case "POST" -> "create";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "DELETE" -> "delete";
            default -> method;
        };
        return new Call(m.group(2), group + " " + resource + " " + verb);
    }

    /** What the ClusterRole grants, bound to the StatefulSet's ServiceAccount, in the same form. */
    private static Set<String> granted() {
        ClusterRole role = Manifests.one(ClusterRole.class, "shardgate");
        ClusterRoleBinding binding = Manifests.one(ClusterRoleBinding.class, "shardgate");
        String account = Manifests.one(StatefulSet.class, "shardgate").getSpec().getTemplate().getSpec().getServiceAccountName();
        Manifests.one(ServiceAccount.class, account);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account));
        return rules(role.getRules());
    }

    private static Set<String> rules(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) out.add(group + " " + resource + " " + verb);
                }
            }
        }
        return out;
    }

    private static String hostOnShard(int shard) {
        for (int i = 0; ; i++) {
            String host = "site-" + i + ".example.com";
            if (DomainSharding.shardOf(host, 2) == shard) return host;
        }
    }
}
