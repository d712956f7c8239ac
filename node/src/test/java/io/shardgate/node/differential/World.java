package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.shardgate.node.source.Fabric8Projection;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kubernetes objects as they are after each step: the fabric8 model objects a cluster (or a manifest
 * directory) holds, keyed by kind, namespace and name.
 */
final class World {
    private final Map<ObjectRef, HasMetadata> objects = new TreeMap<>();

    void apply(Change change) {
        if (change instanceof Change.Put put) objects.put(refOf(put.object()), put.object());
        if (change instanceof Change.Delete delete) objects.remove(delete.ref());
    }

    Collection<HasMetadata> objects() {
        return objects.values();
    }

    Optional<HasMetadata> get(ObjectRef ref) {
        return Optional.ofNullable(objects.get(ref));
    }

    List<ObjectRef> refs(ObjectRef.Kind kind) {
        return objects.keySet().stream().filter(r -> r.kind() == kind).toList();
    }

    /** What a source delivers for these objects: the translator's projections (non-TLS Secrets are not delivered). */
    List<InputObject> projections() {
        List<InputObject> out = new ArrayList<>();
        for (HasMetadata object : objects.values()) project(object).ifPresent(out::add);
        return out;
    }

    /** The current key material of the named TLS Secrets (what the API server answers a fetch with). */
    Map<ObjectRef, TlsSecretInput> tlsSecrets(Set<ObjectRef> refs) {
        Map<ObjectRef, TlsSecretInput> out = new TreeMap<>();
        for (ObjectRef ref : refs) {
            if (objects.get(ref) instanceof Secret s) Fabric8Projection.tlsSecret(s).ifPresent(t -> out.put(ref, t));
        }
        return out;
    }

    static Optional<InputObject> project(HasMetadata object) {
        if (object instanceof Ingress i) return Optional.of(Fabric8Projection.ingress(i));
        if (object instanceof IngressClass c) return Optional.of(Fabric8Projection.ingressClass(c));
        if (object instanceof Service s) return Optional.of(Fabric8Projection.service(s));
        if (object instanceof EndpointSlice e) return Optional.of(Fabric8Projection.endpointSlice(e));
        if (object instanceof Secret s) return Fabric8Projection.tlsSecret(s).map(t -> t);
        if (object instanceof GatewayClass c) return Optional.of(Fabric8Projection.gatewayClass(c));
        if (object instanceof Gateway g) return Optional.of(Fabric8Projection.gateway(g));
        if (object instanceof HTTPRoute r) return Optional.of(Fabric8Projection.httpRoute(r));
        if (object instanceof ReferenceGrant g) return Optional.of(Fabric8Projection.referenceGrant(g));
        if (object instanceof Namespace n) return Optional.of(Fabric8Projection.namespace(n));
        if (object instanceof ListenerSet l) return Optional.of(Fabric8Projection.listenerSet(l));
        throw new IllegalArgumentException("no projection for " + object.getKind());
    }

    static ObjectRef refOf(HasMetadata object) {
        ObjectRef.Kind kind;
        if (object instanceof Ingress) kind = ObjectRef.Kind.INGRESS;
        else if (object instanceof IngressClass) kind = ObjectRef.Kind.INGRESS_CLASS;
        else if (object instanceof Service) kind = ObjectRef.Kind.SERVICE;
        else if (object instanceof EndpointSlice) kind = ObjectRef.Kind.ENDPOINT_SLICE;
        else if (object instanceof Secret) kind = ObjectRef.Kind.SECRET;
        else if (object instanceof GatewayClass) kind = ObjectRef.Kind.GATEWAY_CLASS;
        else if (object instanceof Gateway) kind = ObjectRef.Kind.GATEWAY;
        else if (object instanceof HTTPRoute) kind = ObjectRef.Kind.HTTP_ROUTE;
        else if (object instanceof ReferenceGrant) kind = ObjectRef.Kind.REFERENCE_GRANT;
        else if (object instanceof Namespace) kind = ObjectRef.Kind.NAMESPACE;
        else if (object instanceof ListenerSet) kind = ObjectRef.Kind.LISTENER_SET;
        else throw new IllegalArgumentException("unexpected kind " + object.getKind());
        return ObjectRef.of(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }
}
