package io.shardgate.bench.fleet;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A 64-bit digest of a resource's bytes, so a fleet in another process can say what it holds without sending it.
 * Two different versions of one resource collide with probability 2^-64, far below anything a run could notice.
 */
public final class BodyDigest {
    private BodyDigest() {}

    public static long of(ByteString body) {
        Hasher hasher = Hashing.murmur3_128().newHasher();
        for (ByteBuffer part : body.asReadOnlyByteBufferList()) hasher.putBytes(part);
        return hasher.hash().asLong();
    }

    /** One held resource's share of an order-independent sum over everything a client holds. */
    static long entry(String name, long bodyDigest) {
        return Hashing.murmur3_128().newHasher().putString(name, StandardCharsets.UTF_8).putLong(bodyDigest).hash().asLong();
    }
}
