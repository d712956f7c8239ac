package io.shardgate.node.ads;

import static io.shardgate.node.ads.EnvoyResources.cluster;
import static io.shardgate.node.ads.EnvoyResources.endpoints;
import static io.shardgate.node.ads.EnvoyResources.httpListener;
import static io.shardgate.node.ads.EnvoyResources.httpsListener;
import static io.shardgate.node.ads.EnvoyResources.route;
import static io.shardgate.node.ads.EnvoyResources.secret;

import io.shardgate.translator.resource.XdsResource;
import java.util.List;

/**
 * A small shard with every type: an HTTPS listener for a.example.com and b.example.com (each chain naming its
 * route configuration and certificate), a plain-HTTP listener, their route configurations, two EDS clusters
 * with endpoints, two certificates.
 */
final class StandardShard {
    static final String A = "a.example.com";
    static final String B = "b.example.com";
    static final String ROUTE_A = "https-" + A;
    static final String ROUTE_B = "https-" + B;
    static final String CERT_A = "cert-" + A;
    static final String CERT_B = "cert-" + B;

    private StandardShard() {}

    static List<XdsResource> resources() {
        return List.of(
                httpsListener("https", A, B),
                httpListener("http", "http"),
                route(ROUTE_A, A, "svc-a"),
                route(ROUTE_B, B, "svc-b"),
                route("http", "*", "svc-a"),
                cluster("svc-a"),
                cluster("svc-b"),
                endpoints("svc-a", 8080, 2),
                endpoints("svc-b", 8080, 3),
                secret(CERT_A, "certificate of a"),
                secret(CERT_B, "certificate of b"));
    }

    /** Fills shard 0 of the test bed and marks it ready. */
    static void serve(AdsTestBed bed) {
        bed.put(resources().toArray(XdsResource[]::new));
        bed.store().markReady();
    }
}
