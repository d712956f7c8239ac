package io.shardgate.translator.golden;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Translates a whole gateway the way a node serving all of its shards would: every host of every
 * Ingress of the gateway, the composites assembled from the parts, the clusters, assignments and
 * secrets the domains reference.
 */
final class GatewayDriver {

    /** Everything one gateway serves, resources sorted by type then name. */
    record GatewayOutput(List<XdsResource> resources, List<DomainResult> domains, List<Problem> problems) {}

    private GatewayDriver() {}

    static GatewayOutput translate(Translator translator, String gateway, List<InputObject> objects) {
        List<IngressClassInput> classes = ofType(objects, IngressClassInput.class);
        List<IngressInput> ingresses = ofType(objects, IngressInput.class).stream()
                .filter(i -> translator.gatewayOf(i, classes).equals(Optional.of(gateway)))
                .toList();
        List<ServiceInput> services = ofType(objects, ServiceInput.class);
        List<EndpointSliceInput> slices = ofType(objects, EndpointSliceInput.class);
        List<TlsSecretInput> secretInputs = ofType(objects, TlsSecretInput.class);
        InMemoryInputs inputs = new InMemoryInputs(translator, ingresses, services, secretInputs);

        SortedSet<String> hosts = new TreeSet<>();
        ingresses.forEach(i -> hosts.addAll(translator.hostsOf(i)));

        Composite https = translator.httpsListener();
        Composite http = translator.httpRouteConfiguration();
        List<XdsResource> resources = new ArrayList<>();
        List<DomainResult> domains = new ArrayList<>();
        SortedSet<Problem> problems = new TreeSet<>();
        SortedSet<ClusterKey> clusters = new TreeSet<>();
        SortedSet<String> secrets = new TreeSet<>();
        for (String host : hosts) {
            DomainResult result = translator.translateDomain(host, inputs);
            domains.add(result);
            problems.addAll(result.problems());
            if (result instanceof DomainResult.Served served) {
                served.httpsChain().ifPresent(https::put);
                served.httpsRoute().ifPresent(resources::add);
                http.put(served.httpVirtualHost());
                clusters.addAll(served.clusters());
                secrets.addAll(served.secrets());
            }
        }
        SortedSet<String> endpoints = new TreeSet<>();
        for (ClusterKey key : clusters) {
            resources.add(translator.cluster(key));
            // Protocol variants of one Service port share one assignment (ClusterKey.endpointsName()).
            if (endpoints.add(key.endpointsName())) {
                resources.add(translator.loadAssignment(key, inputs.service(key.namespace(), key.service()),
                        slices.stream().filter(s -> s.namespace().equals(key.namespace())).toList()));
            }
        }
        for (String name : secrets) {
            String[] nsName = name.split("/", 2);
            TlsSecretInput input = inputs.secret(nsName[0], nsName[1]).orElseThrow();
            Translator.SecretResult secret = translator.secret(input);
            if (secret instanceof Translator.SecretResult.Valid valid) resources.add(valid.resource());
            if (secret instanceof Translator.SecretResult.Invalid invalid) problems.addAll(invalid.problems());
        }
        // Envoy refuses a listener without filter chains: the node publishes the HTTPS one only when it has some.
        if (!https.isEmpty()) resources.add(https.resource());
        resources.add(http.resource());
        resources.add(translator.httpListener());
        resources.sort(Comparator.comparing(XdsResource::type).thenComparing(XdsResource::name));
        return new GatewayOutput(List.copyOf(resources), List.copyOf(domains), List.copyOf(problems));
    }

    private static <T> List<T> ofType(List<InputObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
