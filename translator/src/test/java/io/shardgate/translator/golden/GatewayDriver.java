package io.shardgate.translator.golden;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.translator.shard.ShardAssembly;
import io.shardgate.translator.shard.SharedResources;
import io.shardgate.translator.testing.InMemoryInputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Translates a whole gateway as one shard serving all of its domains, through the production
 * {@link ShardAssembly}: every host claimed by an object of the gateway, from scratch.
 */
final class GatewayDriver {

    /** Everything one gateway serves, resources sorted by type then name. */
    record GatewayOutput(List<XdsResource> resources, List<DomainResult> domains, List<Problem> problems) {}

    private GatewayDriver() {}

    static GatewayOutput translate(Translator translator, String gateway, List<InputObject> objects) {
        GatewayDefinitions definitions = GatewayDefinitions.of(objects);
        List<HostClaim> claims = ofType(objects, HostClaim.class).stream()
                .filter(c -> translator.claimOf(c, definitions).map(ClaimedHosts::gateway).equals(Optional.of(gateway)))
                .toList();
        List<ServiceInput> services = ofType(objects, ServiceInput.class);
        List<EndpointSliceInput> slices = ofType(objects, EndpointSliceInput.class);
        List<TlsSecretInput> secretInputs = ofType(objects, TlsSecretInput.class);
        InMemoryInputs inputs = new InMemoryInputs(
                host -> claims.stream().filter(c -> hostsOf(translator, c, definitions).contains(host)).toList(),
                definitions, services, secretInputs, ofType(objects, ReferenceGrantInput.class));
        SortedSet<Problem> problems = new TreeSet<>();
        SharedResources shared = new SharedResources() {
            @Override
            public XdsResource cluster(ClusterKey key) {
                return translator.cluster(key);
            }

            @Override
            public XdsResource loadAssignment(ClusterKey key) {
                return translator.loadAssignment(key, inputs.service(key.namespace(), key.service()),
                        slices.stream().filter(s -> s.namespace().equals(key.namespace())).toList());
            }

            @Override
            public Optional<XdsResource> secret(ObjectRef ref) {
                Translator.SecretResult secret = translator.secret(inputs.secret(ref.namespace(), ref.name()).orElseThrow());
                if (secret instanceof Translator.SecretResult.Invalid invalid) problems.addAll(invalid.problems());
                return secret instanceof Translator.SecretResult.Valid valid ? Optional.of(valid.resource()) : Optional.empty();
            }
        };

        SortedSet<String> hosts = new TreeSet<>();
        claims.forEach(c -> hosts.addAll(hostsOf(translator, c, definitions)));
        ShardAssembly assembly = new ShardAssembly(translator, layoutOf(gateway, objects));
        List<DomainResult> domains = new ArrayList<>();
        for (String host : hosts) {
            DomainResult result = translator.translateDomain(host, assembly.layout(), inputs);
            domains.add(result);
            problems.addAll(result.problems());
            assembly.apply(host, result, shared);
        }
        List<XdsResource> resources = new ArrayList<>(assembly.takeChanges().puts());
        resources.sort(Comparator.comparing(XdsResource::type).thenComparing(XdsResource::name));
        return new GatewayOutput(List.copyOf(resources), List.copyOf(domains), List.copyOf(problems));
    }

    /** The layout the class defining the gateway chooses, an IngressClass's or a GatewayClass's. */
    private static GatewayLayout layoutOf(String gateway, List<InputObject> objects) {
        return Stream.concat(
                        ofType(objects, IngressClassInput.class).stream().filter(c -> c.name().equals(gateway)).map(IngressClassInput::layout),
                        ofType(objects, GatewayClassInput.class).stream().filter(c -> c.name().equals(gateway)).map(GatewayClassInput::layout))
                .findFirst().orElse(GatewayLayout.CLASSIC);
    }

    private static List<String> hostsOf(Translator translator, HostClaim claim, GatewayDefinitions definitions) {
        return translator.claimOf(claim, definitions).map(ClaimedHosts::hosts).orElse(List.of());
    }

    private static <T> List<T> ofType(List<InputObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
