package io.shardgate.translator.golden;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.List;
import java.util.Optional;

/** {@link DomainInputs} over a fixed list of decoded objects: the node's input index, minus the indexing. */
final class InMemoryInputs implements DomainInputs {
    private final Translator translator;
    private final List<IngressInput> ingresses;
    private final List<ServiceInput> services;
    private final List<TlsSecretInput> secrets;

    InMemoryInputs(Translator translator, List<IngressInput> ingresses, List<ServiceInput> services, List<TlsSecretInput> secrets) {
        this.translator = translator;
        this.ingresses = List.copyOf(ingresses);
        this.services = List.copyOf(services);
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public List<IngressInput> claims(String host) {
        return ingresses.stream().filter(i -> translator.hostsOf(i).contains(host)).toList();
    }

    @Override
    public Optional<ServiceInput> service(String namespace, String name) {
        return services.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    @Override
    public Optional<TlsSecretInput> secret(String namespace, String name) {
        return secrets.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }
}
