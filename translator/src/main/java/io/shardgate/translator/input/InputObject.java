package io.shardgate.translator.input;

/**
 * A compact projection of one Kubernetes object: only the fields translation needs.
 * Sources (Kubernetes informers, files) produce these; the translator consumes them.
 * Every implementation is an immutable record with value equality, so a source can drop
 * an update whose projection did not change (resyncs and status-only updates cost nothing).
 */
public sealed interface InputObject
        permits HostClaim, IngressClassInput, TlsSecretInput, ServiceInput, EndpointSliceInput, GatewayClassInput, GatewayInput,
        ReferenceGrantInput, ListenerSetInput, NamespaceInput {
    ObjectRef ref();
}
