package io.shardgate.node.engine;

import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One gateway's view of the index for one translation, remembering every Service, Secret, Gateway and
 * namespace's ReferenceGrants looked up. A class is not recorded: a class change re-evaluates every claim. */
final class RecordingInputs implements DomainInputs {
    private final InputIndex index;
    private final String gateway;
    private final Set<ObjectRef> lookedUp = new HashSet<>();
    private final Set<ObjectRef> withheld = new HashSet<>();

    RecordingInputs(InputIndex index, String gateway) {
        this.index = index;
        this.gateway = gateway;
    }

    @Override
    public List<HostClaim> claims(String host) {
        return index.claims(gateway, host);
    }

    @Override
    public Optional<ServiceInput> service(String namespace, String name) {
        ObjectRef ref = ObjectRef.of(ObjectRef.Kind.SERVICE, namespace, name);
        lookedUp.add(ref);
        return index.service(ref);
    }

    @Override
    public Optional<TlsSecretInput> secret(String namespace, String name) {
        ObjectRef ref = ObjectRef.of(ObjectRef.Kind.SECRET, namespace, name);
        lookedUp.add(ref);
        if (index.isWithheld(ref)) withheld.add(ref);
        return index.secret(ref);
    }

    @Override
    public boolean secretExists(String namespace, String name) {
        ObjectRef ref = ObjectRef.of(ObjectRef.Kind.SECRET, namespace, name);
        lookedUp.add(ref);
        return index.secretExists(ref);
    }

    @Override
    public List<ReferenceGrantInput> referenceGrants(String namespace) {
        lookedUp.add(InputIndex.referenceGrantsOf(namespace));
        return index.referenceGrants(namespace);
    }

    @Override
    public java.util.Collection<IngressClassInput> ingressClasses() {
        return index.ingressClasses();
    }

    @Override
    public Optional<GatewayClassInput> gatewayClass(String name) {
        return index.gatewayClass(name);
    }

    @Override
    public Optional<GatewayInput> gateway(String namespace, String name) {
        lookedUp.add(ObjectRef.of(ObjectRef.Kind.GATEWAY, namespace, name));
        return index.gateway(namespace, name);
    }

    @Override
    public Optional<ListenerSetInput> listenerSet(String namespace, String name) {
        lookedUp.add(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, namespace, name));
        return index.listenerSet(namespace, name);
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port) {
        lookedUp.add(ListenerSetIndex.onPort(gateway, port));
        return index.firstListenerSetListener(gateway, port);
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname) {
        lookedUp.add(ListenerSetIndex.onHostname(gateway, port, hostname));
        return index.firstListenerSetListener(gateway, port, hostname);
    }

    @Override
    public Optional<NamespaceInput> namespace(String name) {
        lookedUp.add(ObjectRef.of(ObjectRef.Kind.NAMESPACE, "", name));
        return index.namespace(name);
    }

    Set<ObjectRef> lookedUp() {
        return lookedUp;
    }

    /** Secrets looked up whose key material was not here: the translation must be redone once fetched. */
    Set<ObjectRef> withheld() {
        return withheld;
    }
}
