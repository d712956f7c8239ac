package io.shardgate.translator.envoy;

import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.XdsResource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Work in progress: being implemented in this session (placeholder so dependants compile). */
public final class EnvoyTranslator implements Translator {
    private final TranslatorConfig config;

    public EnvoyTranslator(TranslatorConfig config) {
        this.config = config;
    }

    @Override public Optional<String> gatewayOf(IngressInput ingress, Collection<IngressClassInput> classes) { throw new UnsupportedOperationException(); }
    @Override public List<String> hostsOf(IngressInput ingress) { throw new UnsupportedOperationException(); }
    @Override public DomainResult translateDomain(String host, DomainInputs inputs) { throw new UnsupportedOperationException(); }
    @Override public XdsResource cluster(ClusterKey key) { throw new UnsupportedOperationException(); }
    @Override public XdsResource loadAssignment(ClusterKey key, Optional<ServiceInput> service, List<EndpointSliceInput> slices) { throw new UnsupportedOperationException(); }
    @Override public SecretResult secret(TlsSecretInput secret) { throw new UnsupportedOperationException(); }
    @Override public Composite httpsListener() { throw new UnsupportedOperationException(); }
    @Override public Composite httpRouteConfiguration() { throw new UnsupportedOperationException(); }
    @Override public XdsResource httpListener() { throw new UnsupportedOperationException(); }
}
