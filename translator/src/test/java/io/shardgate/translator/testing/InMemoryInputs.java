package io.shardgate.translator.testing;

import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@link DomainInputs} over fixed lists of decoded objects: the node's input index, minus the indexing. */
public final class InMemoryInputs implements DomainInputs {
    private final Function<String, List<HostClaim>> claims;
    private final GatewayDefinitions definitions;
    private final List<ServiceInput> services;
    private final List<TlsSecretInput> secrets;
    private final List<ReferenceGrantInput> grants;

    /** @param claims the claims of a host */
    public InMemoryInputs(Function<String, List<HostClaim>> claims, GatewayDefinitions definitions, List<ServiceInput> services,
            List<TlsSecretInput> secrets, List<ReferenceGrantInput> grants) {
        this.claims = claims;
        this.definitions = definitions;
        this.services = List.copyOf(services);
        this.secrets = List.copyOf(secrets);
        this.grants = List.copyOf(grants);
    }

    /** Only gateway definitions: no claims, Services, Secrets or grants. */
    public static InMemoryInputs of(GatewayDefinitions definitions) {
        return new InMemoryInputs(host -> List.of(), definitions, List.of(), List.of(), List.of());
    }

    @Override
    public List<HostClaim> claims(String host) {
        return claims.apply(host);
    }

    @Override
    public Optional<ServiceInput> service(String namespace, String name) {
        return services.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    @Override
    public Optional<TlsSecretInput> secret(String namespace, String name) {
        return secrets.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    @Override
    public List<ReferenceGrantInput> referenceGrants(String namespace) {
        return grants.stream().filter(g -> g.namespace().equals(namespace)).toList();
    }

    @Override
    public Collection<IngressClassInput> ingressClasses() {
        return definitions.ingressClasses();
    }

    @Override
    public Optional<GatewayClassInput> gatewayClass(String name) {
        return definitions.gatewayClass(name);
    }

    @Override
    public Optional<GatewayInput> gateway(String namespace, String name) {
        return definitions.gateway(namespace, name);
    }

    @Override
    public Optional<ListenerSetInput> listenerSet(String namespace, String name) {
        return definitions.listenerSet(namespace, name);
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port) {
        return definitions.firstListenerSetListener(gateway, port);
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname) {
        return definitions.firstListenerSetListener(gateway, port, hostname);
    }

    @Override
    public Optional<NamespaceInput> namespace(String name) {
        return definitions.namespace(name);
    }
}
