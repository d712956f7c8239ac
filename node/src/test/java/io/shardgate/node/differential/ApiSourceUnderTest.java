package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.shardgate.node.source.KubernetesSource;
import io.shardgate.node.source.Source;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The world written to fabric8's mock API server, read back by the node's own informers. The API server sets
 * creationTimestamp itself, so what the engine must serve is computed from what the server holds.
 */
final class ApiSourceUnderTest extends SourceUnderTest {
    private final KubernetesClient writer;
    private final KubernetesSource source;

    ApiSourceUnderTest(KubernetesClient writer, KubernetesClient nodeClient) {
        this.writer = writer;
        this.source = new KubernetesSource(nodeClient);
    }

    @Override
    void write(Change change, World world) {
        if (change instanceof Change.Put put) {
            HasMetadata object = put.object();
            // A Secret's type is immutable in a real cluster: changing it takes a delete and a create.
            if (object instanceof Secret secret) {
                Secret existing = writer.secrets().inNamespace(secret.getMetadata().getNamespace())
                        .withName(secret.getMetadata().getName()).get();
                if (existing != null && !java.util.Objects.equals(existing.getType(), secret.getType())) writer.resource(existing).delete();
            }
            writer.resource(withoutServerFields(object)).createOr(NonDeletingOperation::update);
        }
        if (change instanceof Change.Delete delete) writer.resource(stub(delete.ref(), world)).delete();
    }

    @Override
    void writeSentinel(HasMetadata sentinel) {
        writer.resource(sentinel).createOr(NonDeletingOperation::update);
    }

    /** A copy without creationTimestamp: the API server assigns its own. */
    private HasMetadata withoutServerFields(HasMetadata object) {
        HasMetadata copy = writer.getKubernetesSerialization().clone(object);
        copy.getMetadata().setCreationTimestamp(null);
        copy.getMetadata().setResourceVersion(null);
        return copy;
    }

    /** An object of the deleted one's kind and identity (the world no longer holds it; any instance of the kind will do). */
    private HasMetadata stub(ObjectRef ref, World world) {
        HasMetadata stub = switch (ref.kind()) {
            case INGRESS -> new io.fabric8.kubernetes.api.model.networking.v1.Ingress();
            case INGRESS_CLASS -> new io.fabric8.kubernetes.api.model.networking.v1.IngressClass();
            case SERVICE -> new io.fabric8.kubernetes.api.model.Service();
            case ENDPOINT_SLICE -> new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice();
            case SECRET -> new io.fabric8.kubernetes.api.model.Secret();
            case GATEWAY_CLASS -> new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass();
            case GATEWAY -> new io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway();
            case HTTP_ROUTE -> new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute();
            case REFERENCE_GRANT -> new io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant();
            case LISTENER_SET -> new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet();
            case NAMESPACE -> new io.fabric8.kubernetes.api.model.Namespace();
        };
        stub.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withNamespace(ref.namespace().isEmpty() ? null : ref.namespace()).withName(ref.name()).build());
        return stub;
    }

    @Override
    Source source() {
        return source;
    }

    @Override
    List<InputObject> current(World world) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(writer.network().v1().ingressClasses().list().getItems());
        all.addAll(writer.namespaces().list().getItems());
        all.addAll(writer.network().v1().ingresses().inAnyNamespace().list().getItems());
        all.addAll(writer.services().inAnyNamespace().list().getItems());
        all.addAll(writer.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        all.addAll(writer.secrets().inAnyNamespace().list().getItems());
        all.addAll(writer.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass.class).list().getItems());
        all.addAll(writer.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class).inAnyNamespace().list().getItems());
        all.addAll(writer.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inAnyNamespace().list().getItems());
        all.addAll(writer.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class).inAnyNamespace().list().getItems());
        all.addAll(writer.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class).inAnyNamespace().list()
                .getItems());
        List<InputObject> out = new ArrayList<>();
        for (HasMetadata object : all) World.project(object).ifPresent(out::add);
        return out;
    }
}
