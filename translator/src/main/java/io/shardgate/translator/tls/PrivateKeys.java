package io.shardgate.translator.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/** Reads the private key of a kubernetes.io/tls Secret: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
final class PrivateKeys {
    /**
     * A private key as read, with the public key an EC key's SEC1 structure carries (its optional [1] publicKey,
     * which OpenSSL and Go always write): the content of that BIT STRING, or null when absent.
     */
    record Read(PrivateKey key, byte[] ecPublicKeyBits) {}

    private static final byte[] RSA_ENCRYPTION_OID = {Der.OID, 9, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1};
    private static final byte[] EC_PUBLIC_KEY_OID = {Der.OID, 7, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1};
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PrivateKeys() {}

    /** @throws IllegalArgumentException with a human reason when no usable key is found */
    static Read read(byte[] pem) {
        List<PemBlocks.Block> blocks;
        try {
            blocks = PemBlocks.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls.key is not valid PEM (bad base64)");
        }
        for (PemBlocks.Block block : blocks) {
            switch (block.type()) {
                case "PRIVATE KEY": {
                    PrivateKey key = pkcs8(block.der());
                    return new Read(key, key.getAlgorithm().equals("EC") ? ecPublicKeyBits(pkcs8Content(block.der())) : null);
                }
                case "RSA PRIVATE KEY":
                    return new Read(pkcs8(Der.tlv(Der.SEQUENCE,
                            Der.integerZero(),
                            Der.tlv(Der.SEQUENCE, RSA_ENCRYPTION_OID, Der.nullValue()),
                            Der.tlv(Der.OCTET_STRING, block.der()))), null);
                case "EC PRIVATE KEY":
                    return new Read(pkcs8(Der.tlv(Der.SEQUENCE,
                            Der.integerZero(),
                            Der.tlv(Der.SEQUENCE, EC_PUBLIC_KEY_OID, curveOf(block.der())),
                            Der.tlv(Der.OCTET_STRING, block.der()))), ecPublicKeyBits(block.der()));
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

    /** The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo (for EC: the SEC1 ECPrivateKey). */
    private static byte[] pkcs8Content(byte[] pkcs8) {
        List<Der.Tlv> elements = Der.sequenceElements(pkcs8);
        return elements.size() > 2 && elements.get(2).tag() == Der.OCTET_STRING ? elements.get(2).content() : null;
    }

    /** The [1] publicKey BIT STRING's content of a SEC1 ECPrivateKey, or null if it has none or is malformed. */
    private static byte[] ecPublicKeyBits(byte[] sec1) {
        if (sec1 == null) return null;
        try {
            for (Der.Tlv element : Der.sequenceElements(sec1)) {
                if (element.tag() != Der.CONTEXT_1) continue;
                Der.Tlv bits = Der.single(element.content());
                return bits.tag() == Der.BIT_STRING ? bits.content() : null;
            }
        } catch (IllegalArgumentException e) {
            // the key itself parsed; the check falls back to signing and verifying
        }
        return null;
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
