package io.shardgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.shardgate.node.config.NodeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the NetworkPolicies of deploy/k8s/base (installed in namespace "shardgate") the way Kubernetes
 * does, for the flows the design needs and for flows it must refuse.
 */
class NetworkPoliciesTest {
    private static final String NAMESPACE = "shardgate";

    record Pod(String namespace, Map<String, String> labels, String ip) {}

    /** Pods labelled as the StatefulSet and the gateway Deployments label theirs. */
    private static final Pod NODE_A = new Pod(NAMESPACE, Manifests.one(StatefulSet.class, "shardgate").getSpec().getTemplate()
            .getMetadata().getLabels(), "10.0.0.1");
    private static final Pod NODE_B = new Pod(NAMESPACE, NODE_A.labels(), "10.0.0.2");
    private static final Map<String, String> ENVOY_LABELS = Manifests.ofType(Deployment.class).get(0).getSpec().getTemplate()
            .getMetadata().getLabels();
    private static final Pod GATEWAY = new Pod(NAMESPACE, ENVOY_LABELS, "10.0.1.1");
    private static final Pod GATEWAY_ELSEWHERE = new Pod("gateways", ENVOY_LABELS, "10.0.1.2");
    private static final Pod FAKE_DNS = new Pod("default", Map.of("k8s-app", "kube-dns"), "10.0.4.2");
    private static final Pod PROMETHEUS = new Pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.0.2.1");
    private static final Pod KUBE_DNS = new Pod("kube-system", Map.of("k8s-app", "kube-dns"), "10.0.3.10");
    private static final Pod STRANGER = new Pod("default", Map.of("app", "web"), "10.0.4.1");
    private static final Pod NEIGHBOUR = new Pod(NAMESPACE, Map.of("app", "other"), "10.0.5.1");
    /** The API server: outside the pod network. */
    private static final Pod API_SERVER = new Pod(null, Map.of(), "203.0.113.10");

    private final List<NetworkPolicy> policies = Manifests.ofType(NetworkPolicy.class);

    /** The node's own ports, as its environment configures them. */
    private static final NodeConfig CONFIG = Manifests.nodeConfig(Manifests.nodeContainer(
            Manifests.one(StatefulSet.class, "shardgate")), NAMESPACE);
    private static final int HAZELCAST = CONFIG.member().port();
    private static final int ADS = CONFIG.adsPort();
    private static final int ADMIN = CONFIG.adminPort();

    @Test
    void theFlowsTheDesignNeedsAreAdmitted() {
        assertThat(admitted(NODE_A, NODE_B, HAZELCAST, "TCP")).as("Hazelcast between nodes").isTrue();
        assertThat(admitted(NODE_A, NODE_B, ADS, "TCP")).as("a relay to a shard's owner").isTrue();
        assertThat(admitted(GATEWAY, NODE_A, ADS, "TCP")).as("Envoy's ADS stream").isTrue();
        assertThat(admitted(PROMETHEUS, NODE_A, ADMIN, "TCP")).as("scraping /metrics").isTrue();
        assertThat(admitted(NODE_A, KUBE_DNS, 53, "UDP")).as("DNS (Hazelcast discovery)").isTrue();
        assertThat(admitted(NODE_A, KUBE_DNS, 53, "TCP")).isTrue();
        assertThat(admitted(NODE_A, API_SERVER, 443, "TCP")).as("the API server").isTrue();
    }

    @Test
    void everythingElseIsRefused() {
        assertThat(admitted(STRANGER, NODE_A, HAZELCAST, "TCP")).isFalse();
        assertThat(admitted(STRANGER, NODE_A, ADS, "TCP")).isFalse();
        assertThat(admitted(STRANGER, NODE_A, ADMIN, "TCP")).isFalse();
        assertThat(admitted(NEIGHBOUR, NODE_A, HAZELCAST, "TCP")).as("same namespace, not a node").isFalse();
        assertThat(admitted(GATEWAY, NODE_A, HAZELCAST, "TCP")).as("Envoys never talk Hazelcast").isFalse();
        assertThat(admitted(GATEWAY, NODE_A, ADMIN, "TCP")).isFalse();
        assertThat(admitted(PROMETHEUS, NODE_A, HAZELCAST, "TCP")).isFalse();
        assertThat(admitted(NODE_A, STRANGER, 8080, "TCP")).as("nodes call nothing else").isFalse();
        assertThat(admitted(NODE_A, API_SERVER, 22, "TCP")).isFalse();
        assertThat(admitted(NODE_A, NODE_B, ADMIN, "TCP")).isFalse();
        assertThat(admitted(PROMETHEUS, NODE_A, ADS, "TCP")).as("monitoring scrapes, it does not stream").isFalse();
        assertThat(admitted(GATEWAY_ELSEWHERE, NODE_A, HAZELCAST, "TCP")).isFalse();
        assertThat(admitted(GATEWAY_ELSEWHERE, NODE_A, ADS, "TCP")).as("a pod labelled as an Envoy in a tenant's namespace")
                .isFalse();
        assertThat(admitted(NODE_A, KUBE_DNS, 8080, "TCP")).isFalse();
        assertThat(admitted(NODE_A, FAKE_DNS, 53, "UDP")).as("only kube-system's DNS").isFalse();
        assertThat(admitted(NODE_A, GATEWAY, 8080, "TCP")).as("nodes never call Envoys").isFalse();
    }

    private boolean admitted(Pod from, Pod to, int port, String protocol) {
        return allowed(to, from, port, protocol, true) && allowed(from, to, port, protocol, false);
    }

    /** Whether the policies selecting {@code subject} let traffic in (or out) to/from {@code peer}. */
    private boolean allowed(Pod subject, Pod peer, int port, String protocol, boolean ingress) {
        if (subject.namespace() == null) return true; // outside the cluster: no policy applies
        String type = ingress ? "Ingress" : "Egress";
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> NAMESPACE.equals(subject.namespace()) && p.getSpec().getPolicyTypes().contains(type)
                        && matches(p.getSpec().getPodSelector(), subject.labels()))
                .toList();
        if (selecting.isEmpty()) return true;
        for (NetworkPolicy p : selecting) {
            if (ingress) {
                for (var rule : p.getSpec().getIngress()) {
                    if (anyPeer(rule.getFrom(), peer) && anyPort(rule.getPorts(), port, protocol)) return true;
                }
            } else {
                for (var rule : p.getSpec().getEgress()) {
                    if (anyPeer(rule.getTo(), peer) && anyPort(rule.getPorts(), port, protocol)) return true;
                }
            }
        }
        return false;
    }

    private static boolean anyPeer(List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) return true;
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                if (inCidr(pod.ip(), peer.getIpBlock().getCidr()) && pod.namespace() == null) return true;
                continue;
            }
            if (pod.namespace() == null) continue;
            boolean namespaceOk = peer.getNamespaceSelector() == null ? NAMESPACE.equals(pod.namespace())
                    : matches(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", pod.namespace()));
            boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), pod.labels());
            if (namespaceOk && podOk) return true;
        }
        return false;
    }

    private static boolean anyPort(List<NetworkPolicyPort> ports, int port, String protocol) {
        if (ports == null || ports.isEmpty()) return true;
        assertThat(ports).as("this evaluator knows numbered ports only").allMatch(p -> p.getPort().getIntVal() != null);
        return ports.stream().anyMatch(p -> p.getPort().getIntVal() == port
                && (p.getProtocol() == null ? "TCP" : p.getProtocol()).equals(protocol));
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).as("this evaluator knows matchLabels only").isNullOrEmpty();
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(wanted.entrySet());
    }

    private static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : -1L << (32 - bits);
        return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) value = (value << 8) | Integer.parseInt(octet);
        return value & 0xffffffffL;
    }
}
