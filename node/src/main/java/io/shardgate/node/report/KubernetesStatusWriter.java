package io.shardgate.node.report;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes {@code status.loadBalancer.ingress} of Ingresses: the gateway's addresses while served, nothing
 * once not served. An address may name a shard: {@code shard-{shard}.{gateway}.gw.example.com} stands for one
 * address per shard that the Ingress's hosts fall in (so external-dns points each host at its shard's
 * Envoys); an address without {@code {shard}} is published as it is.
 *
 * <p>Work happens off the caller's thread, on a few single-threaded lanes; an Ingress always maps to the
 * same lane, so its requests apply in call order, and each runs against the latest wish. A request that
 * does not change the wish costs nothing. Otherwise the Ingress is read (GET) and written (JSON merge patch
 * on the status subresource) only if its status differs, so a restart does not rewrite every Ingress and
 * wake every watcher of Ingresses. A status changed by someone else is not noticed until this writer's
 * wish for that Ingress changes. Errors are logged; the next request for the Ingress tries again.
 */
public final class KubernetesStatusWriter extends LanedStatusWriter<List<String>> implements StatusWriter {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int DEFAULT_LANES = 4;
    /**
     * A JSON patch (RFC 6902) that sets the whole status; an Ingress's status holds nothing but the load
     * balancer. A merge patch would do against a real API server, but fabric8's mock server merges lists
     * element by element, so a shorter list could not be tested.
     */
    private static final String CLEAR_PATCH = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"loadBalancer\":{}}}]";

    private final KubernetesClient client;
    private final List<String> addresses;

    /**
     * @param addresses the gateway's addresses, IPs or DNS names, in the order to publish them; each may hold
     *                  {@code {gateway}} and {@code {shard}}
     * @throws IllegalArgumentException naming an address that is no IP or DNS name once expanded
     */
    public KubernetesStatusWriter(KubernetesClient client, List<String> addresses) {
        this(client, addresses, DEFAULT_LANES);
    }

    public KubernetesStatusWriter(KubernetesClient client, List<String> addresses, int lanes) {
        super("status", lanes);
        this.client = client;
        this.addresses = List.copyOf(addresses);
        validate(this.addresses);
    }

    @Override
    public void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards) {
        ingress(ingress, expand(addresses, gateway, shards));
    }

    /** @throws IllegalArgumentException naming the first address that is no IP or DNS name once expanded */
    public static void validate(List<String> addresses) {
        if (addresses.isEmpty()) throw new IllegalArgumentException("at least one address is required");
        statusPatch(expand(addresses, "gateway", new TreeSet<>(Set.of(0))));
    }

    /** The addresses for an Ingress of {@code gateway} whose hosts fall in {@code shards}, without repeats. */
    public static List<String> expand(List<String> templates, String gateway, SortedSet<Integer> shards) {
        Set<String> out = new LinkedHashSet<>();
        for (String template : templates) {
            String forGateway = template.replace("{gateway}", gateway);
            if (!forGateway.contains("{shard}")) {
                out.add(forGateway);
            } else {
                for (int shard : shards) out.add(forGateway.replace("{shard}", Integer.toString(shard)));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void notServed(ObjectRef ingress) {
        ingress(ingress, List.of());
    }

    private void ingress(ObjectRef ingress, List<String> wanted) {
        if (ingress.kind() != ObjectRef.Kind.INGRESS) throw new IllegalArgumentException("not an Ingress: " + ingress);
        request(ingress, wanted);
    }

    /** Brings one Ingress to the latest wish: its addresses while served; an Ingress not served is then forgotten. */
    @Override
    boolean reconcile(ObjectRef ref, List<String> wanted) {
        Ingress current = client.network().v1().ingresses().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (current == null) {
            forget(ref, wanted);
            return false;
        }
        boolean write = !addressesOf(current).equals(wanted);
        if (write) {
            client.network().v1().ingresses().resource(current).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), wanted.isEmpty() ? CLEAR_PATCH : statusPatch(wanted));
        }
        // Only served Ingresses are remembered; a repeated notServed costs one read.
        if (wanted.isEmpty()) forget(ref, wanted);
        return write;
    }

    private static List<String> addressesOf(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (IngressLoadBalancerIngress entry : ingress.getStatus().getLoadBalancer().getIngress()) {
            out.add(Objects.requireNonNullElse(entry.getIp(), Objects.requireNonNullElse(entry.getHostname(), "")));
        }
        return out;
    }

    /** Built by hand, validating every address on the way. */
    private static String statusPatch(List<String> addresses) {
        if (addresses.isEmpty()) throw new IllegalArgumentException("at least one address is required");
        StringBuilder json = new StringBuilder("[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"loadBalancer\":{\"ingress\":[");
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            if (i > 0) json.append(',');
            json.append("{\"").append(isIp(address) ? "ip" : "hostname").append("\":\"").append(address).append("\"}");
        }
        return json.append("]}}}]").toString();
    }

    /**
     * @return true for an IP address, false for a DNS name
     * @throws IllegalArgumentException if it is neither
     */
    static boolean isIp(String address) {
        if (IPV4.matcher(address).matches()) return true;
        if (address.indexOf(':') >= 0 && address.matches("[0-9a-fA-F:.]+")) return true;
        if (HOSTNAME.matcher(address).matches() && address.length() <= 253) return false;
        throw new IllegalArgumentException("not an IP address or DNS name: \"" + address + "\"");
    }
}
