package io.shardgate.translator.input;

import com.google.protobuf.ByteString;

/**
 * A kubernetes.io/tls Secret, projected: the PEM bytes of tls.crt and tls.key (empty when absent).
 * ByteString keeps the record immutable with value equality.
 */
public record TlsSecretInput(String namespace, String name, ByteString certificatePem, ByteString privateKeyPem)
        implements InputObject {

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.SECRET, namespace, name);
    }

    @Override
    public String toString() {
        return "TlsSecretInput[" + namespace + "/" + name + ", cert " + certificatePem.size() + " bytes, key redacted]";
    }
}
