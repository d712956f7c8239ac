package io.shardgate.node.config;

import io.shardgate.node.tls.TlsFiles;

/**
 * How ADS and the relays between nodes are secured (docs/security.md, "ADS and relays").
 *
 * @param insecure plaintext, every client allowed every gateway (--insecure-ads; local development only)
 * @param files the node's certificate, key and CA bundle; null: made under {@code <state-dir>/tls} on first start
 * @param trustDomain SPIFFE trust domain of the default identities
 * @param gatewayNamespace the namespace in a gateway's default Envoy identity
 * @param nodeIdentity the identity every node's certificate carries; null: the URI name of this node's certificate
 */
public record AdsTls(boolean insecure, TlsFiles files, String trustDomain, String gatewayNamespace, String nodeIdentity) {

    /** The identity of the nodes' certificates when the node makes its own. */
    public String localNodeIdentity() {
        return "spiffe://" + trustDomain + "/ns/" + gatewayNamespace + "/sa/shardgate";
    }
}
