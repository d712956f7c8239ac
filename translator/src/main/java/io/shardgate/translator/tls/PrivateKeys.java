package io.shardgate.translator.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/** Reads the private key of a kubernetes.io/tls Secret: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
final class PrivateKeys {
    private static final byte[] RSA_ENCRYPTION_OID = {Der.OID, 9, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1};
    private static final byte[] EC_PUBLIC_KEY_OID = {Der.OID, 7, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1};
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PrivateKeys() {}

    /** @throws IllegalArgumentException with a human reason when no usable key is found */
    static PrivateKey read(byte[] pem) {
        List<PemBlocks.Block> blocks;
        try {
            blocks = PemBlocks.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls.key is not valid PEM (bad base64)");
        }
        for (PemBlocks.Block block : blocks) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(Der.tlv(Der.SEQUENCE,
                            Der.integerZero(),
                            Der.tlv(Der.SEQUENCE, RSA_ENCRYPTION_OID, Der.nullValue()),
                            Der.tlv(Der.OCTET_STRING, block.der())));
                case "EC PRIVATE KEY":
                    return pkcs8(Der.tlv(Der.SEQUENCE,
                            Der.integerZero(),
                            Der.tlv(Der.SEQUENCE, EC_PUBLIC_KEY_OID, curveOf(block.der())),
                            Der.tlv(Der.OCTET_STRING, block.der())));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("tls.key is encrypted; Envoy needs an unencrypted key");
                default:
                    // EC PARAMETERS and other blocks that may precede the key
            }
        }
        throw new IllegalArgumentException("tls.key holds no PEM private key");
    }

    /** The named-curve OID in a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curveOf(byte[] sec1) {
        for (Der.Tlv element : Der.sequenceElements(sec1)) {
            if (element.tag() == Der.CONTEXT_0) return element.content();
        }
        throw new IllegalArgumentException("tls.key: EC key without named curve parameters");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("tls.key is not an RSA, EC or EdDSA private key");
    }
}
