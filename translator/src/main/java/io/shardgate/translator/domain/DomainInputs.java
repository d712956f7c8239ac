package io.shardgate.translator.domain;

import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.List;
import java.util.Optional;

/**
 * The read-only view of the world one domain's translation may look at. The node's input index
 * implements it; tests implement it over a list of objects. Every lookup a translation makes is a
 * dependency the node records, so a later change to that object re-translates exactly the domains
 * that looked at it: a Service, a Secret, a namespace's ReferenceGrants, a Gateway (its listeners' certificates).
 */
public interface DomainInputs extends GatewayDefinitions {

    /** Every object of the gateway, of any kind and namespace, that claims the host (lower-cased). */
    List<HostClaim> claims(String host);

    Optional<ServiceInput> service(String namespace, String name);

    Optional<TlsSecretInput> secret(String namespace, String name);

    /**
     * Whether a TLS Secret exists, even where its key material is not at hand (a node keeps it only for the shards
     * it serves).
     */
    default boolean secretExists(String namespace, String name) {
        return secret(namespace, name).isPresent();
    }

    /** The ReferenceGrants of a namespace: who may refer to its objects from other namespaces. */
    List<ReferenceGrantInput> referenceGrants(String namespace);
}
