package io.shardgate.translator.golden;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.List;
import java.util.Optional;

/** {@link DomainInputs} over a fixed list of decoded objects: the node's input index, minus the indexing. */
final class InMemoryInputs implements DomainInputs {
    private final Translator translator;
    private final GatewayDefinitions definitions;
    private final List<HostClaim> claims;
    private final List<ServiceInput> services;
    private final List<TlsSecretInput> secrets;
    private final List<ReferenceGrantInput> grants;

    InMemoryInputs(Translator translator, GatewayDefinitions definitions, List<HostClaim> claims, List<ServiceInput> services,
            List<TlsSecretInput> secrets, List<ReferenceGrantInput> grants) {
        this.translator = translator;
        this.definitions = definitions;
        this.claims = List.copyOf(claims);
        this.services = List.copyOf(services);
        this.secrets = List.copyOf(secrets);
        this.grants = List.copyOf(grants);
    }

    @Override
    public List<HostClaim> claims(String host) {
        return claims.stream().filter(c -> translator.hostsOf(c, definitions).contains(host)).toList();
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
    public java.util.Collection<io.shardgate.translator.input.IngressClassInput> ingressClasses() {
        return definitions.ingressClasses();
    }

    @Override
    public Optional<io.shardgate.translator.input.GatewayClassInput> gatewayClass(String name) {
        return definitions.gatewayClass(name);
    }

    @Override
    public Optional<io.shardgate.translator.input.GatewayInput> gateway(String namespace, String name) {
        return definitions.gateway(namespace, name);
    }
}
