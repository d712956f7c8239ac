package io.shardgate.node.tls;

import java.nio.file.Path;

/**
 * The PEM files of a node's TLS: its certificate chain and key (served to Envoys, and presented to other
 * nodes when relaying) and the CA bundle client and peer certificates must chain to.
 */
public record TlsFiles(Path certificate, Path key, Path ca) {}
