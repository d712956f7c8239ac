package io.shardgate.node.engine;

import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.Map;
import java.util.Set;

/**
 * Reads TLS Secrets on demand, for an engine that keeps key material only for the Secrets its owned shards
 * use: when a shard arrives, the Secrets its domains need are fetched again.
 */
public interface SecretFetcher {
    /**
     * The current content of each Secret that exists and is a valid TLS Secret; one that does not is absent
     * from the result. Blocking.
     *
     * @throws RuntimeException when the source cannot be read (the engine retries, then treats them as missing)
     */
    Map<ObjectRef, TlsSecretInput> fetch(Set<ObjectRef> secrets);
}
