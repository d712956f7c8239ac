package io.shardgate.bench.workload;

import io.shardgate.node.engine.TestCertificates;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The workload's objects and its churn. Domain {@code i} is {@code d<i>.tenant-<i mod N>.example.com}, served by
 * Ingress (or HTTPRoute) {@code site-<i>} in namespace {@code tenant-<i mod N>} and Service {@code svc-<(i / N) mod S>} there; a TLS
 * domain uses its namespace's wildcard certificate (a real EC certificate, Secret {@code wildcard-tls}), through its
 * namespace Gateway's wildcard HTTPS listener or, with {@link WorkloadSpec.Claims#LISTENER_SET}, its own ListenerSet
 * {@code set-<i>}.
 * Changes are drawn from a seeded random stream, so two runs (Shardgate and the baseline) see the same changes.
 *
 * <p>Not thread-safe: one thread draws changes.
 */
public final class Workload {
    public static final String SECRET = "wildcard-tls";
    /** The Gateway of each namespace, with HTTPRoute claims. */
    public static final String GATEWAY = "edge";
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final WorkloadSpec spec;
    private final Random random;
    private final List<Integer> live = new ArrayList<>();
    private final Map<Integer, Integer> livePosition = new HashMap<>();
    private int nextId;
    private long changes;
    private int endpointGeneration;

    public Workload(WorkloadSpec spec) {
        this.spec = spec;
        this.random = new Random(spec.seed());
        for (int i = 0; i < spec.domains(); i++) addLive(i);
        this.nextId = spec.domains();
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** Every object of the initial state: the IngressClass, then each tenant's Services, slices and Secret, then the Ingresses. */
    public List<InputObject> initialObjects() {
        List<InputObject> out = new ArrayList<>();
        boolean routes = spec.claims().isGatewayApi();
        out.add(routes ? new GatewayClassInput(spec.gateway(), 1, IngressClassInput.CONTROLLER, spec.shards(), List.of(), spec.layout())
                : new IngressClassInput(spec.gateway(), IngressClassInput.CONTROLLER, false, spec.shards(), List.of(), spec.layout()));
        List<TlsSecretInput> secrets = IntStream.range(0, spec.namespaces()).parallel()
                .mapToObj(ns -> secret(namespace(ns))).toList();
        for (int ns = 0; ns < spec.namespaces(); ns++) {
            for (int s = 0; s < spec.servicesPerNamespace(); s++) {
                out.add(service(namespace(ns), s));
                out.add(slice(namespace(ns), s, 0));
            }
            out.add(secrets.get(ns));
            if (routes) out.add(gateway(namespace(ns)));
        }
        for (int i = 0; i < spec.domains(); i++) out.addAll(claimWithSet(i, "/"));
        return out;
    }

    public int liveDomains() {
        return live.size();
    }

    public String host(int id) {
        return "d" + id + ".tenant-" + (id % spec.namespaces()) + ".example.com";
    }

    /** Hashed, so the TLS share holds within every namespace whatever the namespace count. */
    public boolean isTls(int id) {
        return Math.floorMod(DomainSharding.mix64(id + spec.seed()), 100L) < Math.round(spec.tlsShare() * 100);
    }

    /** The next change, of a kind drawn from {@code mix}. */
    public Change next(ChangeMix mix) {
        long id = ++changes;
        Change.Kind kind = mix.pick(random);
        if (kind == Change.Kind.DELETE && live.size() < 2) kind = Change.Kind.CREATE;
        return switch (kind) {
            case CREATE -> {
                int domain = nextId++;
                addLive(domain);
                yield new Change(id, kind, host(domain), claimWithSet(domain, "/"), List.of());
            }
            case UPDATE -> {
                int domain = randomLive();
                yield new Change(id, kind, host(domain), List.of(claim(domain, "/r" + id)), List.of());
            }
            case DELETE -> {
                int domain = randomLive();
                removeLive(domain);
                ObjectRef.Kind claimKind = spec.claims().isGatewayApi() ? ObjectRef.Kind.HTTP_ROUTE : ObjectRef.Kind.INGRESS;
                String ns = namespace(domain % spec.namespaces());
                List<ObjectRef> deletes = new ArrayList<>(List.of(ObjectRef.of(claimKind, ns, "site-" + domain)));
                if (hasOwnSet(domain)) deletes.add(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, ns, "set-" + domain));
                yield new Change(id, kind, host(domain), List.of(), deletes);
            }
            case ROTATE -> new Change(id, kind, null, List.of(secret(namespace(random.nextInt(spec.namespaces())))), List.of());
            case ENDPOINTS -> new Change(id, kind, null, List.of(slice(namespace(random.nextInt(spec.namespaces())),
                    random.nextInt(spec.servicesPerNamespace()), ++endpointGeneration)), List.of());
        };
    }

    /** Domains {@code from..to-1} (live or not) with a new path each: a bulk update for the cluster scenario. */
    public List<InputObject> bulkUpdate(int from, int to, String path) {
        return IntStream.range(from, to).mapToObj(i -> claim(i, path)).toList();
    }

    private InputObject claim(int id, String path) {
        return spec.claims().isGatewayApi() ? httpRoute(id, path) : ingress(id, path);
    }

    /** The domain's claim, after its own ListenerSet when it has one. */
    private List<InputObject> claimWithSet(int id, String path) {
        return hasOwnSet(id) ? List.of(listenerSet(id), claim(id, path)) : List.of(claim(id, path));
    }

    private boolean hasOwnSet(int id) {
        return spec.claims() == WorkloadSpec.Claims.LISTENER_SET && isTls(id);
    }

    /**
     * A TLS domain's route attaches to both of its namespace's listeners (or to the HTTP one and its own ListenerSet), a
     * plain one to the HTTP listener only.
     */
    private HttpRouteInput httpRoute(int id, String path) {
        String ns = namespace(id % spec.namespaces());
        String service = "svc-" + (id / spec.namespaces() % spec.servicesPerNamespace());
        List<HttpRouteInput.ParentRef> parents = hasOwnSet(id)
                ? List.of(new HttpRouteInput.ParentRef(null, null, null, GATEWAY, "http", null),
                        new HttpRouteInput.ParentRef("gateway.networking.k8s.io", "ListenerSet", null, "set-" + id, null, null))
                : List.of(new HttpRouteInput.ParentRef(null, null, null, GATEWAY, isTls(id) ? null : "http", null));
        return new HttpRouteInput(ns, "site-" + id, 1, CREATED, parents, List.of(host(id)),
                List.of(new HttpRouteInput.Rule(List.of(new HttpRouteInput.Match("PathPrefix", path)),
                        List.of(new HttpRouteInput.BackendRef(null, null, null, service, 80, null)))));
    }

    /** The namespace's Gateway: HTTP, and HTTPS for its wildcard, or HTTP only and admitting its namespace's ListenerSets. */
    private GatewayInput gateway(String ns) {
        GatewayInput.Listener http = new GatewayInput.Listener("http", null, 80, "HTTP", null);
        if (spec.claims() == WorkloadSpec.Claims.LISTENER_SET) {
            return new GatewayInput(ns, GATEWAY, 1, spec.gateway(), List.of(http), null, List.of(), "Same");
        }
        return new GatewayInput(ns, GATEWAY, 1, spec.gateway(), List.of(http, httpsListener("https", "*." + ns + ".example.com")));
    }

    /** The domain's own ListenerSet on its namespace's Gateway: one HTTPS listener for its host, with the namespace's certificate. */
    private ListenerSetInput listenerSet(int id) {
        return new ListenerSetInput(namespace(id % spec.namespaces()), "set-" + id, 1, CREATED,
                new ListenerSetInput.ParentRef(null, null, null, GATEWAY), List.of(httpsListener("https", host(id))));
    }

    private static GatewayInput.Listener httpsListener(String name, String hostname) {
        return new GatewayInput.Listener(name, hostname, 443, "HTTPS", null, null, List.of(new GatewayInput.CertificateRef(null, null, null, SECRET)));
    }

    private IngressInput ingress(int id, String path) {
        String ns = namespace(id % spec.namespaces());
        String host = host(id);
        IngressInput.Backend backend = IngressInput.Backend.service("svc-" + (id / spec.namespaces() % spec.servicesPerNamespace()), 80);
        List<IngressInput.Tls> tls = isTls(id) ? List.of(new IngressInput.Tls(List.of(host), SECRET)) : List.of();
        return new IngressInput(ns, "site-" + id, CREATED, spec.gateway(), Map.of(), null,
                List.of(new IngressInput.Rule(host, List.of(new IngressInput.Path(path, "Prefix", backend)))), tls);
    }

    private static ServiceInput service(String ns, int s) {
        return new ServiceInput(ns, "svc-" + s, "ClusterIP", null, List.of(new ServiceInput.Port("http", 80, "TCP", null)));
    }

    /** Generation 0 is the initial pair of endpoints; each later generation adds an address no earlier one had. */
    private static EndpointSliceInput slice(String ns, int s, int generation) {
        List<String> ips = new ArrayList<>(List.of("10.0." + s + ".1", "10.0." + s + ".2"));
        if (generation > 0) ips.add("10." + (1 + (generation >> 16 & 0xff)) + "." + (generation >> 8 & 0xff) + "." + (generation & 0xff));
        return new EndpointSliceInput(ns, "svc-" + s + "-abc", "svc-" + s, "IPv4",
                List.of(new EndpointSliceInput.Port("http", 8080, "TCP")),
                List.of(new EndpointSliceInput.Endpoint(ips, true, "zone-a")));
    }

    private TlsSecretInput secret(String ns) {
        TestCertificates.Pem pem = TestCertificates.selfSigned(List.of("*." + ns + ".example.com"));
        return new TlsSecretInput(ns, SECRET, pem.certificate(), pem.privateKey());
    }

    private static String namespace(int ns) {
        return "tenant-" + ns;
    }

    private int randomLive() {
        return live.get(random.nextInt(live.size()));
    }

    private void addLive(int id) {
        livePosition.put(id, live.size());
        live.add(id);
    }

    private void removeLive(int id) {
        int pos = livePosition.remove(id);
        int last = live.remove(live.size() - 1);
        if (last != id) {
            live.set(pos, last);
            livePosition.put(last, pos);
        }
    }
}
