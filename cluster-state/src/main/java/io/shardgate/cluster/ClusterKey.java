package io.shardgate.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every honest node holds and nothing else on the cluster channel does. Hazelcast's open-source
 * edition lets anyone who reaches the member port join; what counts is what carries this key's HMAC-SHA256:
 * a member's proof ({@link MemberView}), the shard table and draining marks ({@link ShardTable}).
 *
 * <p>Its text form is base64 (standard alphabet) of at least {@value #MIN_BYTES} bytes, as
 * {@code openssl rand -base64 32} prints it and a Kubernetes Secret holds it.
 */
public final class ClusterKey {
    public static final int MIN_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private ClusterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** A new random 256-bit key. */
    public static ClusterKey random() {
        byte[] bytes = new byte[MIN_BYTES];
        RANDOM.nextBytes(bytes);
        return new ClusterKey(bytes);
    }

    /**
     * Reads the text form; surrounding whitespace (a trailing newline) is ignored.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing the text (it may be a key)
     */
    public static ClusterKey fromText(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it is not base64 text (" + text.strip().length() + " characters)");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("it holds " + bytes.length + " bytes; at least " + MIN_BYTES
                    + " are needed (for example: openssl rand -base64 32)");
        }
        return new ClusterKey(bytes);
    }

    /** The text form, with a trailing newline, as written to a key file. */
    public String toText() {
        return Base64.getEncoder().encodeToString(key.getEncoded()) + "\n";
    }

    /** The HMAC of {@code message} under this key, as base64 text. */
    public String sign(String message) {
        return Base64.getEncoder().encodeToString(mac(message));
    }

    /** True when {@code signature} is this key's HMAC of {@code message} (compared in constant time). */
    public boolean verifies(String message, String signature) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(message), given);
    }

    private byte[] mac(String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterKey that && Arrays.equals(key.getEncoded(), that.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key.getEncoded());
    }

    @Override
    public String toString() {
        return "ClusterKey(secret)";
    }
}
