package io.shardgate.translator.envoy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.resource.Part;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.claim.DomainOutcome;
import io.shardgate.translator.claim.HostClaims;
import io.shardgate.translator.gatewayapi.GatewayApiStatuses;
import io.shardgate.translator.gatewayapi.HttpRouteModeler;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerRef;
import io.shardgate.translator.status.ListenerSetStatus;
import java.util.Map;
import java.util.Set;
import io.shardgate.translator.ingress.IngressModeler;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.tls.CertificateVerdict;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link Translator}: the semantics of the objects claiming a domain ({@link HostClaims}) to a model, the model to Envoy protos
 * (this package), each validated and serialised deterministically. Thread-safe; the only state is a
 * pure memo of certificate checks and the validator index.
 */
public final class EnvoyTranslator implements Translator {
    private final TranslatorConfig config;
    private final CertificateInspector inspector = new CertificateInspector();
    private final HostClaims claims;
    private final GatewayApiStatuses statuses;
    private final DomainResources domainResources;
    private final Function<Message, Optional<String>> validator;
    private final Packer packer;

    public EnvoyTranslator(TranslatorConfig config) {
        this(config, new EnvoyValidator());
    }

    /** @param validator returns the first Envoy validation violation of a message (tests inject failures) */
    EnvoyTranslator(TranslatorConfig config, Function<Message, Optional<String>> validator) {
        this.config = config;
        this.validator = validator;
        this.packer = new Packer(validator);
        HttpRouteModeler routes = new HttpRouteModeler(config, inspector);
        this.claims = new HostClaims(List.of(new IngressModeler(config, inspector), routes));
        this.statuses = new GatewayApiStatuses(routes, inspector);
        this.domainResources = new DomainResources(packer);
    }

    @Override
    public Optional<ClaimedHosts> claimOf(HostClaim claim, GatewayDefinitions definitions) {
        return claims.claimOf(claim, definitions);
    }

    @Override
    public HttpRouteStatus routeStatus(HttpRouteInput route, DomainInputs inputs) {
        return statuses.route(route, inputs);
    }

    @Override
    public GatewayStatus gatewayStatus(GatewayInput gateway, Map<String, Integer> attachedRoutes, int attachedListenerSets,
            DomainInputs inputs) {
        return statuses.gateway(gateway, attachedRoutes, attachedListenerSets, inputs);
    }

    @Override
    public Optional<ListenerSetStatus> listenerSetStatus(ListenerSetInput set, Map<String, Integer> attachedRoutes,
            DomainInputs inputs) {
        return statuses.listenerSet(set, attachedRoutes, inputs);
    }

    @Override
    public Set<ListenerRef> attachedListeners(HttpRouteInput route, String servedBy, GatewayDefinitions definitions) {
        return GatewayApiStatuses.attachedListeners(route, servedBy, definitions);
    }

    @Override
    public Optional<String> firstJudgedParent(HttpRouteInput route, GatewayDefinitions definitions) {
        return GatewayApiStatuses.firstJudgedParent(route, definitions);
    }

    @Override
    public GatewayClassStatus gatewayClassStatus(GatewayClassInput gatewayClass) {
        return GatewayApiStatuses.gatewayClass(gatewayClass);
    }

    @Override
    public DomainResult translateDomain(String host, GatewayLayout layout, DomainInputs inputs) {
        String normalised = Hosts.normalise(host);
        DomainOutcome outcome = claims.model(normalised, inputs);
        if (outcome instanceof DomainOutcome.Unserved unserved) {
            return new DomainResult.Rejected(normalised, unserved.sources(), unserved.problems());
        }
        return domainResources.build(((DomainOutcome.Modelled) outcome).model(), layout);
    }

    @Override
    public XdsResource cluster(ClusterKey key) {
        Cluster cluster = valid(Cluster.getDescriptor(), () -> Clusters.cluster(packer, key, config.connectTimeout()));
        return XdsResource.of(ResourceType.CLUSTER, key.clusterName(), Wire.bytes(cluster));
    }

    /** An assignment that fails validation despite the input checks is served empty (503) rather than NACKed. */
    @Override
    public XdsResource loadAssignment(ClusterKey key, Optional<ServiceInput> service, List<EndpointSliceInput> slices) {
        Message cla = LoadAssignments.loadAssignment(key, service, slices);
        if (validator.apply(cla).isPresent()) cla = ClusterLoadAssignment.newBuilder().setClusterName(key.endpointsName()).build();
        return XdsResource.of(ResourceType.ENDPOINT, key.endpointsName(), Wire.bytes(cla)); // validated once, just above
    }

    @Override
    public SecretResult secret(TlsSecretInput secret) {
        Optional<CertificateVerdict.Unusable> unusable = inspector.problem(secret, null, config.clock().instant());
        if (unusable.isPresent()) {
            return new SecretResult.Invalid(List.of(new Problem(secret.ref(), null, unusable.get().reason(),
                    "TLS Secret " + secret.namespace() + "/" + secret.name() + ": " + unusable.get().message())));
        }
        Message message = Secrets.secret(secret);
        Optional<String> violation = validator.apply(message);
        if (violation.isPresent()) {
            return new SecretResult.Invalid(List.of(new Problem(secret.ref(), null, Reasons.ENVOY_VALIDATION_FAILED,
                    "SDS secret fails Envoy's validation: " + violation.get())));
        }
        return new SecretResult.Valid(XdsResource.of(ResourceType.SECRET, EnvoyNames.secret(secret.namespace(), secret.name()),
                Wire.bytes(message)));
    }

    @Override
    public Composite httpsListener(GatewayLayout layout) {
        Listener header = valid(Listener.getDescriptor(), () -> Listeners.httpsHeader(packer, config.httpsPort(), layout));
        return new Composite(ResourceType.LISTENER, header.getName(), Wire.bytes(header), Listener.FILTER_CHAINS_FIELD_NUMBER);
    }

    @Override
    public Composite httpRouteConfiguration() {
        RouteConfiguration header = valid(VirtualHosts.httpHeader());
        return new Composite(ResourceType.ROUTE, header.getName(), Wire.bytes(header), RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER);
    }

    @Override
    public XdsResource httpListener(GatewayLayout layout) {
        Listener listener = valid(Listener.getDescriptor(), () -> Listeners.http(packer, config.httpPort(), layout));
        return XdsResource.of(ResourceType.LISTENER, listener.getName(), Wire.bytes(listener));
    }

    @Override
    public XdsResource httpScope(String host) {
        ScopedRouteConfiguration scope = Scopes.scope(EnvoyNames.httpScope(host), host);
        return resource(ResourceType.SCOPED_ROUTE, scope.getName(), scope);
    }

    /**
     * The virtual host was validated when its domain was translated, and a route configuration holding only a name is
     * valid for any name, so nothing is validated here: a route edit costs one small concatenation.
     */
    @Override
    public XdsResource httpScopeRoutes(String host, Part virtualHost) {
        String name = EnvoyNames.httpScope(host);
        return XdsResource.of(ResourceType.ROUTE, name,
                Scopes.httpRouteConfiguration(Wire.bytes(Scopes.httpRouteConfigurationHeader(host)), virtualHost));
    }

    @Override
    public XdsResource httpsScope(String host) {
        ScopedRouteConfiguration scope = Scopes.scope(EnvoyNames.httpsRouteConfiguration(host), host);
        return resource(ResourceType.SCOPED_ROUTE, scope.getName(), scope);
    }

    @Override
    public Part httpsChain(String host, ObjectRef secret) {
        FilterChain chain = valid(FilterChain.getDescriptor(), () -> Listeners.httpsChain(packer, host, EnvoyNames.secret(secret)));
        return Part.of(host, Wire.bytes(chain));
    }

    /** The Secret was validated when it was translated; only its name changes. */
    @Override
    public XdsResource hostSecret(String host, XdsResource secret) {
        return XdsResource.of(ResourceType.SECRET, host, Scopes.renamedSecret(secret.body(), host));
    }

    private XdsResource resource(ResourceType type, String name, Message message) {
        return XdsResource.of(type, name, Wire.bytes(valid(message)));
    }

    private <M extends Message> M valid(M message) {
        return valid(message.getDescriptorForType(), () -> message);
    }

    /** For resources built from configuration and keys the translator made itself: a violation is a bug. */
    private <M extends Message> M valid(Descriptor type, Supplier<M> build) {
        try {
            return packer.build(type, build);
        } catch (Packer.Invalid e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
