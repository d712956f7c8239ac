package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XXH64 (seed 0) over resource bytes: fast, well distributed, and the same on every node and JVM.
 * Implemented here (about 60 lines) rather than pulled in as a dependency.
 */
public final class ContentHash {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private ContentHash() {}

    public static long of(ByteString bytes) {
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return of(buffer);
    }

    public static long of(byte[] bytes) {
        return of(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static long of(ByteBuffer in) {
        int len = in.remaining();
        long h;
        if (len >= 32) {
            long v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
            while (in.remaining() >= 32) {
                v1 = round(v1, in.getLong());
                v2 = round(v2, in.getLong());
                v3 = round(v3, in.getLong());
                v4 = round(v4, in.getLong());
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = P5;
        }
        h += len;
        while (in.remaining() >= 8) {
            h ^= round(0, in.getLong());
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (in.remaining() >= 4) {
            h ^= (in.getInt() & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
        }
        while (in.hasRemaining()) {
            h ^= (in.get() & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    /** Mixes two hashes into one: used for order-independent set hashes (sum of mixed (name, content) pairs). */
    public static long mix(long a, long b) {
        return avalanche(a * P1 + Long.rotateLeft(b, 31) * P2 + P3);
    }

    /**
     * The contribution of one named entry to an order-independent set hash: a set's hash is the sum of its
     * entries' values, so adding, replacing or removing one entry updates it in O(1).
     */
    public static long entry(String name, long contentHash) {
        return mix(of(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)), contentHash);
    }

    public static String hex(long hash) {
        String s = Long.toHexString(hash);
        return "0".repeat(16 - s.length()) + s;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
